// The SQLite backend on real database files (no mocks). Every op kind runs through
// the dialect as the runtime runs it -- prepare() before BEGIN, execute() per op,
// the guard's check() before COMMIT -- on tables holding rows; then the database is
// reflected and compared with the replayed schema (reflect(db) == normalize(replay)),
// and the same again after the reversed ops. Special cases follow: rebuilding a
// parent with ON DELETE CASCADE children, triggers and views kept, hand-added
// columns kept, data-only mode, parameters, and errors that say what to do.
#include <retort/connection.hpp>
#include <retort/dialect/dialect.hpp>
#include <retort/error.hpp>
#include <retort/ops/ops.hpp>
#include <retort/sqlite/sqlite.hpp>

// The backend's reflection, read both ways (the library exports its helpers).
#include "../../modules/sqlite/reflect.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>
#include <string>
#include <thread>
#include <unistd.h>
#include <vector>

namespace {

using namespace retort;
namespace fs = std::filesystem;

// ---- schema values -----------------------------------------------------------

Column column(std::string name, TypeSpec type, bool nullable = true, std::optional<std::string> server_default = {}) {
    Column c;
    c.name = std::move(name);
    c.type = Type::from(type);
    c.nullable = nullable;
    c.server_default = std::move(server_default);
    return c;
}

IndexPart key(std::string column) { return IndexPart{std::move(column), false}; }
IndexPart expression(std::string sql) { return IndexPart{std::move(sql), true}; }

Table authors_table() {
    Table t;
    t.name = "authors";
    t.columns = {column("id", integer(), false), column("name", varchar(200), false), column("Mixed Case", text()),
                 column("order", integer(), true, "0")};
    t.primary_key = PrimaryKey{"pk_authors", {"id"}};
    t.comment = "people who write";  // not stored by SQLite
    return t;
}

Table books_table() {
    Table t;
    t.name = "books";
    t.columns = {column("id", integer(), false), column("author_id", integer(), false), column("title", varchar(200)),
                 column("price", numeric(10, 2), true, "0"), column("Published At", timestamp())};
    t.columns[0].autoincrement = true;
    t.columns[2].comment = "not stored either";
    t.primary_key = PrimaryKey{"pk_books", {"id"}};
    t.foreign_keys = {ForeignKey{"fk_books_author_id_authors", {"author_id"}, "authors", {"id"}, Action::cascade,
                                 Action::no_action}};
    t.uniques = {UniqueConstraint{"uq_books_title", {"title"}}};
    t.checks = {CheckConstraint{"ck_books_price", "price >= 0"}};
    t.indexes = {Index{"ix_books_author_id", {key("author_id")}, false, std::nullopt},
                 Index{"ix_books_lower_title", {expression("lower(title)")}, false, std::string("price > 0")}};
    return t;
}

Table tags_table() {  // no primary key
    Table t;
    t.name = "tags";
    t.columns = {column("name", text(), false), column("Weight", real())};
    return t;
}

/// Every portable type, awkward names, both kinds of unnamed constraints.
Table awkward_table() {
    Table t;
    t.name = "Order Lines";
    t.columns = {column("id", integer(), false),
                 column("Book Id", integer()),
                 column("select", smallint()),
                 column("big", bigint(), false, "-1"),
                 column("flag", boolean(), false, "FALSE"),
                 column("note", text(), true, "'it''s'"),
                 column("code", varchar(12), true, "upper('ab')"),
                 column("amount", numeric(12, 3)),
                 column("any number", numeric()),
                 column("ratio", real()),
                 column("precise", double_precision(), true, "1.5e3"),
                 column("day", date(), true, "CURRENT_DATE"),
                 column("at", time()),
                 column("Stamp", timestamp(), true, "CURRENT_TIMESTAMP"),
                 column("stamp tz", timestamptz()),
                 column("raw", blob(), true, "x'00ff'"),
                 column("doc", json()),
                 column("docb", jsonb()),
                 column("uid", uuid()),
                 column("email", sql_type("CITEXT"))};
    t.columns[0].comment = "dropped by normalize";
    t.columns[2].identity = Identity::by_default;
    t.primary_key = PrimaryKey{"pk_order_lines", {"id"}};
    t.foreign_keys = {ForeignKey{"", {"Book Id"}, "books", {"id"}, Action::set_null, Action::restrict}};
    t.uniques = {UniqueConstraint{"", {"code", "select"}}, UniqueConstraint{"uq \"quoted\"", {"uid"}}};
    t.checks = {CheckConstraint{"ck_amount", "amount IS NULL OR amount > 0"}, CheckConstraint{"", "\"select\" <> 13"}};
    t.indexes = {Index{"ix order lines", {key("Book Id"), expression("lower(\"note\")")}, true, std::string("flag")}};
    return t;
}

std::string dump(const Schema& s) {
    std::ostringstream o;
    for (const auto& [name, t] : s.tables) {
        o << "table " << name << (t.name == name ? "" : " (name field " + t.name + ")")
          << (t.comment ? " comment=" + *t.comment : "") << "\n";
        for (const auto& c : t.columns)
            o << "  column " << c.name << " " << to_string(c.type) << " [kind " << static_cast<int>(c.type.kind) << " "
              << c.type.length << "," << c.type.scale << " '" << c.type.name << "']" << (c.nullable ? " NULL" : " NOT NULL")
              << " default=" << (c.server_default ? "<" + *c.server_default + ">" : "none")
              << (c.comment ? " comment=" + *c.comment : "") << " identity=" << static_cast<int>(c.identity)
              << (c.autoincrement ? " AUTOINCREMENT" : "") << "\n";
        auto list = [](const std::vector<std::string>& v) {
            std::string out;
            for (const auto& x : v) out += (out.empty() ? "" : ", ") + x;
            return "(" + out + ")";
        };
        if (t.primary_key) o << "  pk <" << t.primary_key->name << "> " << list(t.primary_key->columns) << "\n";
        for (const auto& fk : t.foreign_keys)
            o << "  fk <" << fk.name << "> " << list(fk.columns) << " -> " << fk.ref_table << list(fk.ref_columns)
              << " delete " << to_string(fk.on_delete) << " update " << to_string(fk.on_update) << "\n";
        for (const auto& u : t.uniques) o << "  unique <" << u.name << "> " << list(u.columns) << "\n";
        for (const auto& c : t.checks) o << "  check <" << c.name << "> <" << c.expression << ">\n";
        for (const auto& i : t.indexes) {
            o << "  index <" << i.name << ">" << (i.unique ? " unique" : "");
            for (const auto& p : i.parts) o << " " << (p.expression ? "expr<" + p.text + ">" : p.text);
            o << (i.where ? " where <" + *i.where + ">" : "") << "\n";
        }
    }
    return o.str();
}

Schema only(const Table& t) {
    Schema s;
    s.tables.emplace(t.name, t);
    return s;
}

Schema columns_by_name(Schema s) {
    for (auto& [_, t] : s.tables)
        std::sort(t.columns.begin(), t.columns.end(), [](const Column& a, const Column& b) { return a.name < b.name; });
    return s;
}

// ---- op helpers ----------------------------------------------------------------

Op alter(std::string table, std::string name, unsigned fields, Column patch) {
    AlterColumn op;
    op.table = std::move(table);
    op.column = std::move(name);
    op.fields = fields;
    op.patch = std::move(patch);
    return op;
}

Op alter_type(std::string table, std::string name, TypeSpec type) {
    Column patch;
    patch.type = Type::from(type);
    return alter(std::move(table), std::move(name), field_type, patch);
}

Op rename_column(std::string table, std::string from, std::string to) {
    Column patch;
    patch.name = std::move(to);
    return alter(std::move(table), std::move(from), field_name, patch);
}

Op drop_column(std::string table, std::string name) {
    DropColumn op;
    op.table = std::move(table);
    op.name = std::move(name);
    return op;
}

Op sql(std::string up, std::optional<std::string> down = {}, std::string only = {}) {
    ExecuteSql op;
    op.up = std::move(up);
    op.down = std::move(down);
    op.only_dialect = std::move(only);
    return op;
}

void bump_prices(Connection& c) { c.exec("UPDATE books SET price = price + ? WHERE price IS NOT NULL", {1}); }
void lower_prices(Connection& c) { c.exec("UPDATE books SET price = price - ? WHERE price IS NOT NULL", {1}); }

// ---- the fixture -----------------------------------------------------------------

class SqliteBackend : public ::testing::Test {
protected:
    void SetUp() override {
        retort::sqlite::register_dialect();
        static std::atomic<int> counter{0};
        m_dir = fs::temp_directory_path() /
                ("retort-sqlite-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
        fs::create_directories(m_dir);
        open("test.db");
    }

    void TearDown() override {
        m_session.reset();
        std::error_code ec;
        fs::remove_all(m_dir, ec);
    }

    static std::string url_of(const fs::path& path) { return "sqlite:///" + path.string(); }

    /// A new database file in the test's directory, with an empty replay.
    void open(const std::string& file) {
        m_session.reset();
        m_path = m_dir / file;
        m_session = retort::connect(url_of(m_path));
        m_replay = Schema{};
    }

    DbSession& session() { return *m_session; }
    const Dialect& dialect() { return m_session->dialect(); }

    /// Runs `ops` as the runtime does, replaying them as they go (which resolves them).
    void migrate(std::vector<Op>& ops) {
        auto guard = dialect().prepare(session(), ops);
        session().begin();
        try {
            for (auto& op : ops) {
                Schema before = m_replay;
                apply(op, m_replay);
                if (const auto* data = std::get_if<RunData>(&op.variant())) {
                    data->up(session().connection());
                    continue;
                }
                session().set_data_only(is_data_op(op));
                dialect().execute(session(), op, before);
                session().set_data_only(false);
            }
            guard->check(session());
            session().commit();
        } catch (...) {
            session().set_data_only(false);
            session().rollback();
            throw;
        }
    }

    void migrate(std::initializer_list<Op> list) {
        std::vector<Op> ops(list);
        migrate(ops);
    }

    Schema reflect() { return dialect().reflect(session(), {}); }

    void expect_matches(const Schema& expected, const std::string& when) {
        SCOPED_TRACE(when);
        Schema live = reflect();
        Schema normal = dialect().normalize(expected);
        EXPECT_EQ(dump(live), dump(normal));
        EXPECT_TRUE(live == normal);
    }

    void expect_matches_replay(const std::string& when) { expect_matches(m_replay, when); }

    /// The base schema (authors, books, tags) with rows.
    void create_library() {
        migrate({CreateTable{authors_table()}, CreateTable{books_table()}, CreateTable{tags_table()}});
        session().exec(
            "INSERT INTO authors (id, name, \"Mixed Case\", \"order\") VALUES "
            "(1, 'Ann', 'x', 1), (2, 'Bob', NULL, 2), (3, 'Cy', 'z', 3);"
            "INSERT INTO books (id, author_id, title, price, \"Published At\") VALUES "
            "(1, 1, 'A', 10, '2020-01-01 10:00:00'), (2, 1, 'B', NULL, NULL), (3, 2, 'C', 5, NULL), "
            "(4, 2, 'D', 0, NULL), (5, 3, 'E', NULL, NULL);"
            "INSERT INTO tags (name, \"Weight\") VALUES ('red', 1.5), ('blue', NULL);");
    }

    long long count(const std::string& table) {
        auto rows = session().query("SELECT count(*) FROM \"" + table + "\"");
        return std::stoll(*rows.at(0).at(0));
    }

    std::string value(const std::string& sql) {
        auto rows = session().query(sql);
        if (rows.empty() || rows[0].empty() || !rows[0][0]) return "NULL";
        return *rows[0][0];
    }

    /// Up, compare; down through reverse(), compare with the schema before.
    void round_trip(std::vector<Op> ops) {
        Schema start = m_replay;
        migrate(ops);
        expect_matches_replay("after the upgrade");
        std::vector<Op> down;
        for (auto it = ops.rbegin(); it != ops.rend(); ++it)
            for (auto& r : reverse(*it)) down.push_back(std::move(r));
        migrate(down);
        expect_matches_replay("after the downgrade");
        // A column dropped and added back comes back last (as on every database), so
        // against the schema before the upgrade, column order is left out.
        SCOPED_TRACE("after the downgrade, against the schema before the upgrade (column order aside)");
        EXPECT_EQ(dump(columns_by_name(reflect())), dump(columns_by_name(dialect().normalize(start))));
    }

    fs::path m_dir;
    fs::path m_path;
    std::unique_ptr<DbSession> m_session;
    Schema m_replay;
};

// ---- every op kind, round-tripped on tables with rows ------------------------------

struct OpCase {
    const char* name;
    std::function<std::vector<Op>()> ops;
    bool keeps_books = true;  // false when the op drops books' rows by design
};

std::vector<OpCase> op_cases() {
    std::vector<OpCase> cases;
    cases.push_back({"create_table with every type and awkward names", [] {
                         return std::vector<Op>{CreateTable{awkward_table()}};
                     }});
    cases.push_back({"drop_table", [] { return std::vector<Op>{DropTable{"books", std::nullopt}}; }, false});
    cases.push_back({"rename_table of a referenced table, to a name that needs quoting",
                     [] { return std::vector<Op>{RenameTable{"authors", "Writers of \"order\""}}; }});
    cases.push_back({"set_table_comment", [] {
                         return std::vector<Op>{SetTableComment{"books", "all the books", false, std::nullopt}};
                     }});
    cases.push_back({"add_column nullable (native)", [] {
                         return std::vector<Op>{AddColumn{"books", column("isbn", varchar(20)), std::nullopt}};
                     }});
    cases.push_back({"add_column NOT NULL with a constant default (native)", [] {
                         return std::vector<Op>{AddColumn{"books", column("stock", integer(), false, "7"), std::nullopt}};
                     }});
    cases.push_back({"add_column with REFERENCES (native)", [] {
                         return std::vector<Op>{AddColumn{
                             "books", column("editor_id", integer()),
                             ForeignKey{"fk_books_editor", {"editor_id"}, "authors", {"id"}, Action::set_null,
                                        Action::no_action}}};
                     }});
    cases.push_back({"add_column with CURRENT_TIMESTAMP default (rebuild)", [] {
                         return std::vector<Op>{AddColumn{
                             "books", column("Added At", timestamp(), false, "CURRENT_TIMESTAMP"), std::nullopt}};
                     }});
    cases.push_back({"add_column to a parent table (rebuild)", [] {
                         return std::vector<Op>{
                             AddColumn{"authors", column("born", date(), true, "date('now')"), std::nullopt}};
                     }});
    cases.push_back({"drop_column of a plain column (native)", [] { return std::vector<Op>{drop_column("authors", "Mixed Case")}; }});
    cases.push_back({"drop_column with a unique constraint and an expression index (rebuild)",
                     [] { return std::vector<Op>{drop_column("books", "title")}; }});
    cases.push_back({"drop_column with an inline foreign key (rebuild)", [] {
                         return std::vector<Op>{
                             AddColumn{"books", column("editor_id", integer()),
                                       ForeignKey{"fk_books_editor", {"editor_id"}, "authors", {"id"}, Action::no_action,
                                                  Action::no_action}},
                             drop_column("books", "editor_id")};
                     }});
    cases.push_back({"alter_column rename (native)", [] {
                         return std::vector<Op>{rename_column("authors", "Mixed Case", "select")};
                     }});
    cases.push_back({"alter_column rename of a column in a check, an index and a partial index (native)",
                     [] { return std::vector<Op>{rename_column("books", "price", "cost")}; }});
    cases.push_back({"alter_column type (rebuild)", [] { return std::vector<Op>{alter_type("books", "title", text())}; }});
    cases.push_back({"alter_column type of a parent with cascading children (rebuild)",
                     [] { return std::vector<Op>{alter_type("authors", "name", varchar(300))}; }});
    cases.push_back({"alter_column NOT NULL with a default over existing NULLs (rebuild)", [] {
                         Column patch;
                         patch.nullable = false;
                         return std::vector<Op>{alter("books", "price", field_nullable, patch)};
                     }});
    cases.push_back({"alter_column default (rebuild)", [] {
                         Column patch;
                         patch.server_default = "abs(-5)";
                         return std::vector<Op>{alter("authors", "order", field_default, patch)};
                     }});
    cases.push_back({"alter_column rename and type together (rebuild)", [] {
                         Column patch;
                         patch.name = "title_text";
                         patch.type = Type::from(text());
                         return std::vector<Op>{alter("books", "title", field_name | field_type, patch)};
                     }});
    cases.push_back({"alter_column rename and type of a key other tables reference (native rename, then rebuild)", [] {
                         Column patch;
                         patch.name = "author_no";
                         patch.type = Type::from(bigint());
                         return std::vector<Op>{alter("authors", "id", field_name | field_type, patch)};
                     }});
    cases.push_back({"alter_column comment only", [] {
                         Column patch;
                         patch.comment = "shown nowhere";
                         return std::vector<Op>{alter("books", "title", field_comment, patch)};
                     }});
    cases.push_back({"create_index unique, partial, on an expression", [] {
                         return std::vector<Op>{CreateIndex{
                             "authors", Index{"ix authors \"name\"", {expression("lower(name)"), key("order")}, true,
                                              std::string("\"order\" > 0")}}};
                     }});
    cases.push_back({"drop_index", [] { return std::vector<Op>{DropIndex{"books", "ix_books_lower_title", std::nullopt}}; }});
    cases.push_back({"add_constraint unique (rebuild)", [] {
                         return std::vector<Op>{AddConstraint{"authors", UniqueConstraint{"uq_authors_name", {"name"}}}};
                     }});
    cases.push_back({"add_constraint check (rebuild)", [] {
                         return std::vector<Op>{AddConstraint{"tags", CheckConstraint{"ck_tags_name", "length(name) > 0"}}};
                     }});
    cases.push_back({"add_constraint foreign key (rebuild)", [] {
                         return std::vector<Op>{
                             AddColumn{"tags", column("author_id", integer()), std::nullopt},
                             AddConstraint{"tags", ForeignKey{"fk_tags_author", {"author_id"}, "authors", {"id"},
                                                              Action::cascade, Action::cascade}}};
                     }});
    cases.push_back({"add_constraint primary key (rebuild)", [] {
                         return std::vector<Op>{AddConstraint{"tags", PrimaryKey{"pk_tags", {"name"}}}};
                     }});
    cases.push_back({"drop_constraint check (rebuild)", [] {
                         return std::vector<Op>{DropConstraint{"books", "ck_books_price", std::nullopt}};
                     }});
    cases.push_back({"drop_constraint foreign key of a child (rebuild)", [] {
                         return std::vector<Op>{DropConstraint{"books", "fk_books_author_id_authors", std::nullopt}};
                     }});
    cases.push_back({"drop_constraint unique (rebuild)", [] {
                         return std::vector<Op>{DropConstraint{"books", "uq_books_title", std::nullopt}};
                     }});
    cases.push_back({"execute data SQL", [] {
                         return std::vector<Op>{sql("UPDATE tags SET \"Weight\" = 2 WHERE name = 'blue'",
                                                    "UPDATE tags SET \"Weight\" = NULL WHERE name = 'blue'")};
                     }});
    cases.push_back({"execute SQL for another dialect is skipped", [] {
                         return std::vector<Op>{sql("CREATE EXTENSION citext", "DROP EXTENSION citext", "postgresql")};
                     }});
    cases.push_back({"run data", [] {
                         RunData data;
                         data.up = &bump_prices;
                         data.down = &lower_prices;
                         return std::vector<Op>{data};
                     }});
    return cases;
}

TEST_F(SqliteBackend, EveryOpKindRoundTripsOnTablesWithRows) {
    int n = 0;
    for (const auto& c : op_cases()) {
        SCOPED_TRACE(c.name);
        open("case" + std::to_string(n++) + ".db");
        create_library();
        expect_matches_replay("after creating the library");
        const std::string books_rows = "SELECT group_concat(id || ':' || author_id, ',') FROM (SELECT * FROM books ORDER BY id)";
        std::string books_before = value(books_rows);
        try {
            round_trip(c.ops());
        } catch (const Error& e) {
            ADD_FAILURE() << e.describe();
            continue;
        }
        EXPECT_EQ(count("authors"), 3);
        EXPECT_EQ(count("tags"), 2);
        if (c.keeps_books) {
            EXPECT_EQ(value(books_rows), books_before);
        }
        EXPECT_EQ(value("PRAGMA foreign_keys"), "1") << "the guard turned foreign keys back on";
        EXPECT_EQ(value("PRAGMA foreign_key_check"), "NULL");
        EXPECT_EQ(value("SELECT count(*) FROM sqlite_master WHERE name LIKE '\\_retort%' ESCAPE '\\'"), "0");
    }
}

// ---- what a rebuild keeps ----------------------------------------------------------

TEST_F(SqliteBackend, RebuildingAParentKeepsEveryCascadingChildRow) {
    create_library();
    ASSERT_EQ(count("books"), 5);
    std::vector<Op> ops{alter_type("authors", "name", text())};
    migrate(ops);
    EXPECT_EQ(count("authors"), 3);
    EXPECT_EQ(count("books"), 5) << "DROP TABLE authors must not cascade to books";
    expect_matches_replay("after rebuilding the parent");
    // The foreign key still works both ways after the rebuild.
    EXPECT_EQ(value("PRAGMA foreign_keys"), "1");
    session().exec("DELETE FROM authors WHERE id = 1");
    EXPECT_EQ(count("books"), 3) << "ON DELETE CASCADE still fires";
    EXPECT_THROW(session().exec("INSERT INTO books (author_id, title) VALUES (99, 'orphan')"), Error);
}

TEST_F(SqliteBackend, AHandWrittenRebuildInSchemaSqlAlsoRunsWithForeignKeysOff) {
    create_library();
    ExecuteSql rebuild;
    rebuild.up =
        "CREATE TABLE authors_new (id INTEGER NOT NULL, name TEXT NOT NULL COLLATE NOCASE, \"Mixed Case\" TEXT, "
        "\"order\" INTEGER DEFAULT 0, CONSTRAINT pk_authors PRIMARY KEY (id));"
        "INSERT INTO authors_new SELECT * FROM authors;"
        "DROP TABLE authors;"
        "ALTER TABLE authors_new RENAME TO authors;";
    rebuild.effect = SqlEffect::opaque;
    std::vector<Op> ops{rebuild};
    migrate(ops);
    EXPECT_EQ(count("authors"), 3);
    EXPECT_EQ(count("books"), 5) << "DROP TABLE authors must not cascade to books";
    EXPECT_EQ(value("PRAGMA foreign_keys"), "1");
}

TEST_F(SqliteBackend, RebuildingAChildWithASelfReferenceKeepsItsRows) {
    Table t;
    t.name = "nodes";
    t.columns = {column("id", integer(), false), column("parent_id", integer()), column("label", text())};
    t.primary_key = PrimaryKey{"pk_nodes", {"id"}};
    t.foreign_keys = {ForeignKey{"fk_nodes_parent", {"parent_id"}, "nodes", {"id"}, Action::cascade, Action::no_action}};
    migrate({CreateTable{t}});
    session().exec("INSERT INTO nodes VALUES (1, NULL, 'root'), (2, 1, 'a'), (3, 2, 'b')");
    round_trip({alter_type("nodes", "label", varchar(50))});
    EXPECT_EQ(count("nodes"), 3);
    session().exec("DELETE FROM nodes WHERE id = 1");
    EXPECT_EQ(count("nodes"), 0) << "the self-reference cascades after the rebuild";
}

TEST_F(SqliteBackend, RebuildKeepsTriggersAndViewsWorking) {
    create_library();
    session().exec(
        "CREATE TABLE audit (book_id INTEGER, what TEXT);"
        "CREATE TRIGGER books_audit AFTER INSERT ON books BEGIN INSERT INTO audit VALUES (new.id, 'insert'); END;"
        "CREATE TRIGGER authors_touch AFTER UPDATE ON authors BEGIN "
        "  UPDATE books SET price = price WHERE author_id = new.id; END;"
        "CREATE VIEW cheap_books AS SELECT b.title, a.name FROM books b JOIN authors a ON a.id = b.author_id "
        "WHERE b.price < 6;");
    std::vector<Op> ops{alter_type("books", "title", text()), alter_type("authors", "name", text())};
    migrate(ops);

    EXPECT_EQ(value("SELECT count(*) FROM cheap_books"), "2") << "the view still resolves both tables";
    EXPECT_EQ(value("SELECT group_concat(name, ',') FROM "
                    "(SELECT name FROM sqlite_master WHERE type = 'trigger' ORDER BY name)"),
              "authors_touch,books_audit");
    session().exec("INSERT INTO books (author_id, title) VALUES (1, 'New')");
    EXPECT_EQ(value("SELECT what FROM audit"), "insert") << "the trigger on the rebuilt table fires";
    EXPECT_EQ(value("SELECT count(*) FROM audit"), "1");
    session().exec("UPDATE authors SET name = 'Ann B' WHERE id = 1");  // the other trigger still compiles
}

TEST_F(SqliteBackend, AHandAddedColumnSurvivesARebuild) {
    create_library();
    session().exec("ALTER TABLE books ADD COLUMN note DATETIME DEFAULT 'n/a';"
                   "UPDATE books SET note = 'kept ' || id WHERE id < 3");
    std::vector<Op> ops{alter_type("books", "title", text())};
    migrate(ops);

    EXPECT_EQ(value("SELECT group_concat(note, ',') FROM (SELECT note FROM books ORDER BY id)"),
              "kept 1,kept 2,n/a,n/a,n/a");
    EXPECT_EQ(value("SELECT type FROM pragma_table_xinfo('books') WHERE name = 'note'"), "DATETIME")
        << "the hand-added column keeps its declared type";
    Schema expected = m_replay;
    expected.tables.at("books").columns.push_back(column("note", timestamp(), true, "'n/a'"));
    expect_matches(expected, "the replay plus the hand-added column");
}

TEST_F(SqliteBackend, ALiveRebuildRecreatesUnchangedIndexesFromTheirOwnSql) {
    create_library();
    const std::string hand = "CREATE INDEX ix_hand ON books (title COLLATE NOCASE DESC, \"Published At\")";
    session().exec(hand);
    std::vector<Op> ops{alter_type("books", "price", numeric(12, 2))};
    migrate(ops);
    EXPECT_EQ(value("SELECT sql FROM sqlite_master WHERE name = 'ix_hand'"), hand);
    EXPECT_EQ(value("SELECT sql FROM sqlite_master WHERE name = 'ix_books_author_id'"),
              "CREATE INDEX \"ix_books_author_id\" ON \"books\" (\"author_id\")");
}

TEST_F(SqliteBackend, RenamingAndRetypingAReferencedKeyKeepsTheChildrenPointingAtIt) {
    create_library();
    Column patch;
    patch.name = "author_no";
    patch.type = Type::from(bigint());
    std::vector<Op> ops{alter("authors", "id", field_name | field_type, patch)};
    migrate(ops);
    expect_matches_replay("after the upgrade");
    EXPECT_EQ(value("SELECT \"to\" FROM pragma_foreign_key_list('books')"), "author_no");
    EXPECT_EQ(count("books"), 5);
    session().exec("DELETE FROM authors WHERE author_no = 2");
    EXPECT_EQ(count("books"), 3) << "the cascade follows the renamed key";
}

TEST_F(SqliteBackend, AlterToNotNullGivesExistingNullsTheDefault) {
    create_library();
    ASSERT_EQ(value("SELECT count(*) FROM books WHERE price IS NULL"), "2");
    Column patch;
    patch.nullable = false;
    std::vector<Op> ops{alter("books", "price", field_nullable, patch)};
    migrate(ops);
    EXPECT_EQ(value("SELECT count(*) FROM books WHERE price IS NULL"), "0");
    EXPECT_EQ(value("SELECT group_concat(price, ',') FROM (SELECT price FROM books ORDER BY id)"), "10,0,5,0,0");
    EXPECT_THROW(session().exec("INSERT INTO books (author_id, title, price) VALUES (1, 'N', NULL)"), Error);
}

TEST_F(SqliteBackend, AutoincrementNeverReusesIdsAcrossARebuild) {
    create_library();
    session().exec("INSERT INTO books (author_id, title) VALUES (1, 'F'); DELETE FROM books WHERE id = 6");
    std::vector<Op> ops{alter_type("books", "title", text())};
    migrate(ops);
    session().exec("INSERT INTO books (author_id, title) VALUES (1, 'G')");
    EXPECT_EQ(value("SELECT max(id) FROM books"), "7");
}

TEST_F(SqliteBackend, AForeignKeyViolationLeftByARebuildFailsTheMigrationAndNamesTheRows) {
    create_library();
    std::vector<Op> add{AddColumn{"tags", column("author_id", integer()), std::nullopt}};
    migrate(add);
    session().exec("UPDATE tags SET author_id = 42 WHERE name = 'red'");
    Schema before = m_replay;
    std::vector<Op> ops{AddConstraint{
        "tags", ForeignKey{"fk_tags_author", {"author_id"}, "authors", {"id"}, Action::no_action, Action::no_action}}};
    try {
        migrate(ops);
        FAIL() << "expected the foreign-key check to fail";
    } catch (const Error& e) {
        std::string msg = e.what();
        EXPECT_EQ(e.kind(), ErrorKind::migration);
        EXPECT_NE(msg.find("1 row(s) violating foreign keys"), std::string::npos) << msg;
        EXPECT_NE(msg.find("table \"tags\" rowid 1: its author_id matches no row of \"authors\""), std::string::npos)
            << msg;
        EXPECT_NE(e.hint().find("nothing was committed"), std::string::npos);
    }
    expect_matches(before, "the failed migration was rolled back");
    EXPECT_EQ(value("PRAGMA foreign_keys"), "1");
}

TEST_F(SqliteBackend, ARebuildWithoutPrepareRefusesToCascade) {
    create_library();
    Schema before = m_replay;
    Op op = alter_type("authors", "name", text());
    Schema after = before;
    apply(op, after);
    session().begin();
    try {
        dialect().execute(session(), op, before);
        FAIL() << "expected a refusal";
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find("refusing to rebuild table \"authors\" while foreign keys are on"),
                  std::string::npos)
            << e.what();
        EXPECT_NE(std::string(e.what()).find("\"books\""), std::string::npos);
        EXPECT_NE(e.hint().find("prepare()"), std::string::npos);
    }
    session().rollback();
    EXPECT_EQ(count("books"), 5);
}

TEST_F(SqliteBackend, ARebuildRefusesATableWithFeaturesTheModelCannotHold) {
    session().exec("CREATE TABLE words (w TEXT COLLATE NOCASE NOT NULL, n INTEGER)");
    m_replay = reflect();
    std::vector<Op> ops{alter_type("words", "n", bigint())};
    try {
        migrate(ops);
        FAIL() << "expected a refusal";
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find("cannot rebuild table \"words\": it uses COLLATE"), std::string::npos)
            << e.what();
        EXPECT_NE(e.hint().find("lang_altertable.html#otheralter"), std::string::npos);
    }
    EXPECT_EQ(value("SELECT type FROM pragma_table_xinfo('words') WHERE name = 'n'"), "INTEGER");
}

TEST_F(SqliteBackend, LiveDecisionsFollowTheDatabaseNotOnlyTheReplay) {
    create_library();
    // An index made by hand on a column the replay thinks is plain: native DROP COLUMN
    // would fail, so the live table decides on a rebuild (the index goes with the column).
    session().exec("CREATE INDEX ix_hand ON authors (\"Mixed Case\")");
    std::vector<Op> ops{drop_column("authors", "Mixed Case")};
    migrate(ops);
    expect_matches_replay("the hand index went with its column");
    EXPECT_EQ(count("authors"), 3);
}

TEST_F(SqliteBackend, ALiveDropColumnSeesForeignKeysMadeByHandInOtherTables) {
    create_library();
    // The replay knows nothing of this table; the live check of the drop does.
    session().exec("CREATE TABLE hand_refs (id INTEGER PRIMARY KEY, author_name TEXT REFERENCES authors (\"order\"))");
    std::vector<Op> ops{drop_column("authors", "order")};
    try {
        migrate(ops);
        ADD_FAILURE() << "dropped a column another table's foreign key references";
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find("of table \"hand_refs\""), std::string::npos) << e.describe();
    }
    EXPECT_EQ(value("SELECT count(*) FROM pragma_table_xinfo('authors') WHERE name = 'order'"), "1");
}

TEST_F(SqliteBackend, ReflectingSomeTablesReadsThemTheirReferrersAndWhatThoseReference) {
    session().exec(
        "CREATE TABLE p (id INTEGER PRIMARY KEY);"
        "CREATE TABLE t_1 (id INTEGER PRIMARY KEY, p_id INTEGER REFERENCES p (id));"
        "CREATE TABLE child (id INTEGER PRIMARY KEY, t_id INTEGER REFERENCES \"T_1\");"  // no columns: t_1's key
        "CREATE TABLE grand (id INTEGER PRIMARY KEY, child_id INTEGER REFERENCES child (id));"
        "CREATE TABLE tx1 (id INTEGER PRIMARY KEY, note TEXT DEFAULT 't_1');"
        "CREATE TABLE \"odd \"\"name\" (id INTEGER PRIMARY KEY, t_id INTEGER REFERENCES t_1 (id));");
    ReflectOptions options;
    options.tables = {"T_1"};  // SQLite's names ignore case
    Schema some = dialect().reflect(session(), options);
    std::vector<std::string> names;
    for (const auto& [name, _] : some.tables) names.push_back(name);
    EXPECT_EQ(names, (std::vector<std::string>{"child", "odd \"name", "p", "t_1"}));
    // Each table read is the table a full reflection reads.
    Schema all = reflect();
    for (const auto& [name, table] : some.tables) EXPECT_TRUE(table == *all.find_table(name)) << name;
    // A name with a quote in it is found too.
    options.tables = {"odd \"name"};
    EXPECT_EQ(dialect().reflect(session(), options).tables.size(), 2u) << "odd \"name and t_1, which it references";
}

// ---- sessions, data-only mode, parameters, errors -------------------------------------

TEST_F(SqliteBackend, DataOnlyModeRefusesSchemaChangesWithAClearMessage) {
    create_library();
    session().set_data_only(true);
    try {
        session().exec("CREATE TABLE sneaky (a INTEGER)");
        FAIL() << "expected a refusal";
    } catch (const Error& e) {
        EXPECT_EQ(e.kind(), ErrorKind::migration);
        EXPECT_NE(std::string(e.what()).find(
                      "data-only SQL tried to change the schema; declare it with sql(...).schema_effect(...) or "
                      ".opaque()"),
                  std::string::npos)
            << e.what();
        EXPECT_NE(std::string(e.what()).find("CREATE TABLE sneaky"), std::string::npos) << e.what();
        EXPECT_EQ(e.sql(), "CREATE TABLE sneaky (a INTEGER)");
    }
    EXPECT_THROW(session().connection().exec("DROP TABLE tags"), Error);
    EXPECT_THROW(session().exec("ALTER TABLE tags ADD COLUMN x INTEGER"), Error);
    EXPECT_THROW(session().exec("CREATE INDEX ix_x ON tags (name)"), Error);
    // Rows may change; TEMP tables are not part of the schema.
    session().exec("INSERT INTO tags (name) VALUES ('green'); UPDATE tags SET \"Weight\" = 1; DELETE FROM tags WHERE "
                   "name = 'blue'");
    session().exec("CREATE TEMP TABLE scratch AS SELECT name FROM tags; DROP TABLE scratch");
    EXPECT_EQ(count("tags"), 2);
    session().set_data_only(false);
    session().exec("CREATE TABLE allowed (a INTEGER)");
    EXPECT_EQ(value("SELECT count(*) FROM sqlite_master WHERE name = 'allowed'"), "1");
}

TEST_F(SqliteBackend, ConnectionBindsQuestionMarkParameters) {
    create_library();
    Connection& c = session().connection();
    EXPECT_STREQ(c.dialect(), "sqlite");
    c.exec("INSERT INTO authors (id, name, \"Mixed Case\", \"order\") VALUES (?, ?, ?, ?)", {10, "Zoë \"Z\"", nullptr, 2.5});
    EXPECT_EQ(c.changes(), 1);
    c.exec("UPDATE authors SET \"order\" = \"order\" + ? WHERE id < ?", {1, 3LL});
    EXPECT_EQ(c.changes(), 2);

    auto rows = c.query("SELECT id, name, \"Mixed Case\", \"order\" FROM authors WHERE id = ? OR name = ? ORDER BY id",
                        {10, "Ann"});
    ASSERT_TRUE(rows.next());
    EXPECT_EQ(rows.columns(), 4);
    EXPECT_EQ(rows.integer(0), 1);
    EXPECT_STREQ(rows.text(1), "Ann");
    EXPECT_EQ(rows.real(3), 2.0);
    ASSERT_TRUE(rows.next());
    EXPECT_EQ(rows.integer(0), 10);
    EXPECT_STREQ(rows.text(1), "Zoë \"Z\"");
    EXPECT_TRUE(rows.is_null(2));
    EXPECT_STREQ(rows.text(2), "");
    EXPECT_DOUBLE_EQ(rows.real(3), 2.5);
    EXPECT_FALSE(rows.next());

    try {
        c.exec("DELETE FROM authors WHERE id = ?", {1, 2});
        FAIL() << "expected a usage error";
    } catch (const Error& e) {
        EXPECT_EQ(e.kind(), ErrorKind::usage);
        EXPECT_NE(std::string(e.what()).find("1 ? placeholder(s) but 2 parameter(s)"), std::string::npos) << e.what();
    }
    c.exec("DELETE FROM tags; INSERT INTO tags (name) VALUES ('one'); INSERT INTO tags (name) VALUES ('two')");
    EXPECT_EQ(count("tags"), 2) << "without parameters several statements run";
}

TEST_F(SqliteBackend, SqliteErrorsCarryTheStatementAndTheExtendedCode) {
    create_library();
    const std::string statement = "INSERT INTO authors (id, name) VALUES (1, 'again')";
    try {
        session().exec(statement);
        FAIL() << "expected an error";
    } catch (const Error& e) {
        EXPECT_EQ(e.kind(), ErrorKind::database);
        EXPECT_EQ(e.sql(), statement);
        EXPECT_EQ(e.sqlstate(), "SQLITE_CONSTRAINT_PRIMARYKEY (1555)");
        EXPECT_NE(std::string(e.what()).find("UNIQUE constraint failed: authors.id"), std::string::npos) << e.what();
    }
    try {
        session().connection().exec("INSERT INTO books (author_id, title) VALUES (?, ?)", {77, "x"});
        FAIL() << "expected an error";
    } catch (const Error& e) {
        EXPECT_EQ(e.sqlstate(), "SQLITE_CONSTRAINT_FOREIGNKEY (787)");
    }
    try {
        session().query("SELECT nope FROM authors");
        FAIL() << "expected an error";
    } catch (const Error& e) {
        EXPECT_EQ(e.sqlstate(), "SQLITE_ERROR (1)");
        EXPECT_EQ(e.sql(), "SELECT nope FROM authors");
    }
}

TEST_F(SqliteBackend, AnUnopenablePathSaysWhyAndWhatToCheck) {
    for (const fs::path& bad : {m_dir / "no" / "such" / "dir" / "x.db", m_dir / "test.db" / "x.db"}) {
        SCOPED_TRACE(bad.string());
        try {
            retort::connect(url_of(bad));
            FAIL() << "expected an error";
        } catch (const Error& e) {
            EXPECT_EQ(e.kind(), ErrorKind::database);
            EXPECT_EQ(std::string(e.what()), "cannot open SQLite database " + bad.string() + ": unable to open database file");
            EXPECT_EQ(e.hint(), "check that the directory exists and is writable");
        }
    }
    std::ofstream(m_dir / "text.db") << "this is not a database, just some text that is long enough to have a header";
    try {
        retort::connect(url_of(m_dir / "text.db"));
        FAIL() << "expected an error";
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find("cannot open SQLite database " + (m_dir / "text.db").string() +
                                             ": file is not a database"),
                  std::string::npos)
            << e.what();
    }
}

TEST_F(SqliteBackend, OpeningAnExistingDatabaseNeverCreatesTheFile) {
    const fs::path missing = m_dir / "typo.db";
    try {
        retort::connect(url_of(missing), OpenMode::existing);
        FAIL() << "expected an error";
    } catch (const Error& e) {
        EXPECT_EQ(e.kind(), ErrorKind::database);
        EXPECT_EQ(std::string(e.what()), "SQLite database file " + missing.string() + " does not exist");
        EXPECT_NE(e.hint().find("check the URL"), std::string::npos) << e.hint();
        EXPECT_NE(e.hint().find("retort upgrade"), std::string::npos) << e.hint();
    }
    EXPECT_FALSE(fs::exists(missing)) << "no empty file is left behind";

    // A file that exists (even empty: a database with nothing in it), and memory, open.
    std::ofstream(m_dir / "empty.db").close();
    EXPECT_TRUE(
        retort::connect(url_of(m_dir / "empty.db"), OpenMode::existing)->query("SELECT 1 FROM sqlite_master").empty());
    EXPECT_EQ(retort::connect("sqlite:///:memory:", OpenMode::existing)->query("SELECT 1").size(), 1u);
    // Creating is what writers ask for.
    retort::connect(url_of(missing), OpenMode::create);
    EXPECT_TRUE(fs::exists(missing));
}

TEST_F(SqliteBackend, SessionsDescribeTransactAndOpenRelativeAndMemoryPaths) {
    EXPECT_EQ(session().describe(), "sqlite:///" + m_path.string());
    EXPECT_EQ(session().dialect().name(), "sqlite");
    EXPECT_FALSE(session().in_transaction());
    session().begin();
    EXPECT_TRUE(session().in_transaction());
    session().exec("CREATE TABLE t (a INTEGER)");
    session().rollback();
    EXPECT_FALSE(session().in_transaction());
    EXPECT_EQ(value("SELECT count(*) FROM sqlite_master WHERE name = 't'"), "0") << "DDL rolls back";
    session().rollback();  // harmless when there is no transaction

    auto memory = retort::connect("sqlite:///:memory:");
    memory->exec("CREATE TABLE m (a INTEGER)");
    EXPECT_EQ(memory->query("PRAGMA foreign_keys").at(0).at(0), "1");

    fs::path cwd = fs::current_path();
    fs::current_path(m_dir);
    auto relative = retort::connect("sqlite:///relative.db");
    relative->exec("CREATE TABLE r (a INTEGER)");
    fs::current_path(cwd);
    EXPECT_TRUE(fs::exists(m_dir / "relative.db"));
}

TEST_F(SqliteBackend, ConcurrentMigratorsWaitForTheWriteLock) {
    session().exec("CREATE TABLE counter (n INTEGER); INSERT INTO counter VALUES (0)");
    auto other = retort::connect(url_of(m_path));
    session().begin();  // BEGIN IMMEDIATE: holds the write lock
    std::atomic<bool> other_done{false};
    std::thread waiter([&] {
        other->begin();  // waits for the lock (busy timeout) instead of failing
        other->exec("UPDATE counter SET n = n * 10");
        other->commit();
        other_done = true;
    });
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    session().exec("UPDATE counter SET n = n + 1");
    session().commit();
    waiter.join();
    EXPECT_TRUE(other_done);
    EXPECT_EQ(value("SELECT n FROM counter"), "10") << "the second migrator ran after the first committed";
}

// ---- reflection of SQL written by hand --------------------------------------------------

TEST_F(SqliteBackend, ReflectionReadsHandWrittenSqlInEveryStyle) {
    session().exec(R"sql(
        CREATE TABLE [parent] (`id` INTEGER PRIMARY KEY, code TEXT NOT NULL CONSTRAINT uq_code UNIQUE);
        CREATE TABLE "Child Table" ( -- a comment, with (parentheses) and a , comma
            id INT NOT NULL,
            "parent id" INTEGER CONSTRAINT "fk child" REFERENCES parent (id) ON DELETE SET NULL ON UPDATE RESTRICT,
            other_code TEXT REFERENCES parent(code) DEFERRABLE INITIALLY IMMEDIATE,
            label VARCHAR ( 30 ) DEFAULT ('a' || 'b') CHECK (length(label) > 0),
            amount DECIMAL(8,2) CONSTRAINT ck_amount CHECK (amount >= 0) DEFAULT -0.5,
            at DATETIME DEFAULT CURRENT_TIMESTAMP,
            flag BOOL, body CLOB, data BYTEA, f FLOAT, d DOUBLE, tz TIMESTAMPTZ, n2 INT8, weird MEDIUMINT,
            /* table constraints, one without a comma before it */
            CONSTRAINT pk_child PRIMARY KEY (id)
            UNIQUE (label, amount)
            CONSTRAINT "ck ""quoted""" CHECK (amount < 1e6 AND label <> ')')
        );
        CREATE UNIQUE INDEX ix_child ON "Child Table" (lower(label) DESC, "parent id") WHERE amount > 0;
    )sql");
    Schema s = reflect();
    ASSERT_EQ(s.tables.size(), 2u);

    Table parent;
    parent.name = "parent";
    parent.columns = {column("id", integer(), false), column("code", text(), false)};
    parent.primary_key = PrimaryKey{"", {"id"}};
    parent.uniques = {UniqueConstraint{"uq_code", {"code"}}};
    EXPECT_EQ(dump(only(s.tables.at("parent"))), dump(only(parent)));

    Table child;
    child.name = "Child Table";
    Type weird;
    weird.kind = TypeKind::custom;
    weird.name = "MEDIUMINT";
    child.columns = {column("id", integer(), false),
                     column("parent id", integer()),
                     column("other_code", text()),
                     column("label", varchar(30), true, "'a' || 'b'"),
                     column("amount", numeric(8, 2), true, "-0.5"),
                     column("at", timestamp(), true, "CURRENT_TIMESTAMP"),
                     column("flag", boolean()),
                     column("body", text()),
                     column("data", blob()),
                     column("f", double_precision()),
                     column("d", double_precision()),
                     column("tz", timestamptz()),
                     column("n2", bigint()),
                     column("weird", integer())};
    child.columns.back().type = weird;
    child.primary_key = PrimaryKey{"pk_child", {"id"}};
    child.foreign_keys = {ForeignKey{"", {"other_code"}, "parent", {"code"}, Action::no_action, Action::no_action},
                          ForeignKey{"fk child", {"parent id"}, "parent", {"id"}, Action::set_null, Action::restrict}};
    child.uniques = {UniqueConstraint{"", {"label", "amount"}}};
    child.checks = {CheckConstraint{"", "length(label) > 0"}, CheckConstraint{"ck \"quoted\"", "amount < 1e6 AND label <> ')'"},
                    CheckConstraint{"ck_amount", "amount >= 0"}};
    child.indexes = {Index{"ix_child", {expression("lower(label)"), key("parent id")}, true, std::string("amount > 0")}};
    EXPECT_EQ(dump(only(s.tables.at("Child Table"))), dump(only(child)));
    EXPECT_TRUE(s.tables.at("Child Table") == child);
}

TEST_F(SqliteBackend, ReflectionLeavesOutExcludedAndInternalTables) {
    create_library();
    session().exec("CREATE TABLE retort_version (version_num TEXT)");
    ReflectOptions options;
    options.exclude_tables = {"retort_version"};
    Schema s = dialect().reflect(session(), options);
    EXPECT_EQ(s.tables.count("retort_version"), 0u);
    EXPECT_EQ(s.tables.count("sqlite_sequence"), 0u) << "books has AUTOINCREMENT, so sqlite_sequence exists";
    EXPECT_EQ(s.tables.size(), 3u);
}

// ---- reading tables from their statements ------------------------------------------
// Reflection reads a table from its CREATE TABLE / CREATE INDEX text when that text
// is in the plain subset, and through PRAGMAs otherwise; both must give the same
// schema, which these cases check statement by statement.

struct StatementCase {
    const char* name;
    const char* sql;
    bool plain;  // whether the first table's CREATE TABLE is in the plain subset
};

const StatementCase statement_cases[] = {
    {"types as written, the known ones in capitals",
     "CREATE TABLE t (a integer, b Int, c text, d varchar ( 20 ), e NUMERIC(10, 2), f unsigned big int, "
     "g double  precision, h, i blob, j real, k any, l DECIMAL(+8,-2), m INTEGER(4))", true},
    {"defaults in every plain form",
     "CREATE TABLE t (a TEXT DEFAULT 'x', b NUMERIC DEFAULT (1 + 2), c INT DEFAULT -1, d INT DEFAULT + 5, "
     "e DEFAULT CURRENT_TIMESTAMP, f TEXT DEFAULT ( 'a''b' ), g BLOB DEFAULT x'00ff', h TEXT default null, "
     "i BOOLEAN DEFAULT TRUE, j INT /* c */ default 3, k VARCHAR(10)DEFAULT(3), l REAL DEFAULT 1.5e3, "
     "m INT DEFAULT 0x1F, n DATE DEFAULT CURRENT_DATE, o TEXT DEFAULT - 2)", true},
    {"a default that is a bare word", "CREATE TABLE t (a TEXT DEFAULT abc)", false},
    {"NOT NULL, NULL and conflict clauses",
     "CREATE TABLE t (a INT NOT NULL ON CONFLICT IGNORE, b INT NULL, c INT NOT NULL UNIQUE ON CONFLICT REPLACE)", true},
    {"an INTEGER primary key is the rowid",
     "CREATE TABLE t (id INTEGER PRIMARY KEY AUTOINCREMENT, x TEXT)", true},
    {"INTEGER PRIMARY KEY DESC is not the rowid", "CREATE TABLE t (id INTEGER PRIMARY KEY DESC, x TEXT)", false},
    {"a table-level key on an integer column",
     "CREATE TABLE t (id integer, x INT, CONSTRAINT pk PRIMARY KEY (ID))", true},
    {"a key that is not the rowid", "CREATE TABLE t (id INT PRIMARY KEY ASC, x TEXT)", true},
    {"a composite key and uniques it absorbs",
     "CREATE TABLE t (a TEXT, b TEXT, c TEXT UNIQUE, UNIQUE (A, b), CONSTRAINT k PRIMARY KEY (a, b), "
     "CONSTRAINT u2 UNIQUE (c), UNIQUE (b, a))", true},
    {"a unique before the key on the same column",
     "CREATE TABLE t (a TEXT UNIQUE, b INT, PRIMARY KEY (a))", true},
    {"a unique on the rowid", "CREATE TABLE t (id INTEGER PRIMARY KEY, CONSTRAINT uq UNIQUE (id))", true},
    {"foreign keys with actions, MATCH and DEFERRABLE, declared both ways",
     "CREATE TABLE p (id INTEGER PRIMARY KEY, code TEXT UNIQUE);"
     "CREATE TABLE t (a INT REFERENCES p, b INT, c TEXT CONSTRAINT fk_c REFERENCES \"P\" (Code) ON DELETE SET NULL "
     "ON UPDATE CASCADE, d INT REFERENCES p (id) MATCH FULL DEFERRABLE INITIALLY DEFERRED, "
     "FOREIGN KEY (B) REFERENCES [p] (\"id\") ON DELETE RESTRICT ON UPDATE SET DEFAULT, "
     "CONSTRAINT two FOREIGN KEY (b, c) REFERENCES p (id, code) ON DELETE NO ACTION)", true},
    {"a foreign key to a table with a composite key",
     "CREATE TABLE t (x INT, y INT, FOREIGN KEY (x, y) REFERENCES q);"
     "CREATE TABLE q (a INT, b INT, PRIMARY KEY (a, b))", true},
    {"names in every quoting style, comments and a missing comma",
     "CREATE TABLE [my table] ( -- a comment, with (parentheses)\n `id` INT NOT NULL, \"a b\" TEXT, 'c' INT, "
     "/* x */ CONSTRAINT \"pk \"\"q\"\"\" PRIMARY KEY (id) UNIQUE (\"a b\") CHECK (\"a b\" <> ')'))", false},
    {"names in quotes, comments and a missing comma",
     "CREATE TABLE [my table] ( -- a comment, with (parentheses)\n `id` INT NOT NULL, \"a b\" TEXT, "
     "/* x */ CONSTRAINT \"pk \"\"q\"\"\" PRIMARY KEY (id) UNIQUE (\"a b\") CHECK (\"a b\" <> ')'))", true},
    {"indexes on plain columns", "CREATE TABLE t (a INT, \"B\" TEXT, c TEXT);"
     "CREATE INDEX ix_a ON t (a);"
     "CREATE UNIQUE INDEX IF NOT EXISTS \"ix b\" ON t (b DESC, A ASC) WHERE c IS NOT NULL", true},
    // The table's statement is plain; its index is not, so the PRAGMAs read the table.
    {"an expression index", "CREATE TABLE t (a INT, b TEXT); CREATE INDEX ix ON t (lower(b), a)", true},
    {"an index with a collation", "CREATE TABLE t (a INT, b TEXT); CREATE INDEX ix ON t (b COLLATE NOCASE)", true},
    {"a column named rowid", "CREATE TABLE t (rowid INT, a INT); CREATE INDEX ix ON t (ROWID)", true},
    {"a column collation", "CREATE TABLE t (a TEXT COLLATE NOCASE UNIQUE, b TEXT UNIQUE)", false},
    {"a generated column", "CREATE TABLE t (a INT, b INT GENERATED ALWAYS AS (a * 2) STORED)", false},
    {"WITHOUT ROWID", "CREATE TABLE t (a TEXT PRIMARY KEY, b INT) WITHOUT ROWID", false},
    {"STRICT", "CREATE TABLE t (a INTEGER PRIMARY KEY, b TEXT) STRICT", false},
    {"CREATE TABLE AS (stored as the columns it made)", "CREATE TABLE t AS SELECT 1 AS a, 'x' || 'y' AS \"b c\"", true},
    {"a quoted type", "CREATE TABLE t (a \"weird type\", b INT)", false},
    {"ADD COLUMN and RENAME COLUMN rewrite the statement",
     "CREATE TABLE t (a INT PRIMARY KEY, b TEXT); ALTER TABLE t ADD COLUMN c VARCHAR(5) NOT NULL DEFAULT 'x';"
     "ALTER TABLE t ADD COLUMN \"d d\" INT REFERENCES t (a); ALTER TABLE t RENAME COLUMN b TO \"B 2\";"
     "CREATE INDEX ix_t ON t (\"B 2\", c)", true},
    {"a renamed table", "CREATE TABLE old (a INT UNIQUE, b INT REFERENCES old (a)); ALTER TABLE old RENAME TO \"new one\"",
     true},
};

TEST_F(SqliteBackend, TablesReadFromTheirStatementsAreWhatThePragmasReport) {
    int n = 0;
    for (const auto& c : statement_cases) {
        open("statements-" + std::to_string(n++) + ".db");
        session().exec(c.sql);
        auto rows = session().query("SELECT sql FROM sqlite_master WHERE type = 'table' ORDER BY rowid LIMIT 1");
        ASSERT_FALSE(rows.empty()) << c.name;
        EXPECT_EQ(sqlite::detail::parse_create_table(*rows[0][0]).plain, c.plain) << c.name;
        Schema fastest = sqlite::detail::reflect_schema(session(), {});
        Schema pragmas = sqlite::detail::reflect_schema(session(), {}, sqlite::detail::ReflectPath::pragmas);
        EXPECT_EQ(dump(fastest), dump(pragmas)) << c.name;
        EXPECT_TRUE(fastest == pragmas) << c.name;
    }
}

/// A session that keeps the SQL of the queries it runs.
class RecordingSession final : public DbSession {
public:
    explicit RecordingSession(DbSession& inner) : m_inner(inner) {}
    const Dialect& dialect() const override { return m_inner.dialect(); }
    std::string describe() const override { return m_inner.describe(); }
    void exec(const std::string& sql) override {
        queries.push_back(sql);
        m_inner.exec(sql);
    }
    std::vector<Row> query(const std::string& sql) override {
        queries.push_back(sql);
        return m_inner.query(sql);
    }
    void begin() override { m_inner.begin(); }
    void commit() override { m_inner.commit(); }
    void rollback() noexcept override { m_inner.rollback(); }
    bool in_transaction() const override { return m_inner.in_transaction(); }
    void set_data_only(bool on) override { m_inner.set_data_only(on); }
    Connection& connection() override { return m_inner.connection(); }
    std::vector<std::string> queries;

private:
    DbSession& m_inner;
};

TEST_F(SqliteBackend, PlainTablesAreReadWithoutAPragmaPerTable) {
    std::string ddl;
    for (int i = 0; i < 30; ++i) {
        std::string n = std::to_string(i);
        ddl += "CREATE TABLE t" + n + " (id INTEGER PRIMARY KEY, code VARCHAR(32) NOT NULL, v TEXT DEFAULT 'x', " +
               (i ? "ref INT REFERENCES t" + std::to_string(i - 1) + " (id), " : std::string()) +
               "CONSTRAINT uq_t" + n + " UNIQUE (code)); CREATE INDEX ix_t" + n + " ON t" + n + " (v, code);";
    }
    ddl += "CREATE TABLE odd (a TEXT COLLATE NOCASE, b INT GENERATED ALWAYS AS (length(a)) VIRTUAL);";
    session().exec(ddl);
    RecordingSession recording(session());
    Schema s = dialect().reflect(recording, {});
    ASSERT_EQ(s.tables.size(), 31u);
    // The same few queries whatever the number of tables; the PRAGMAs read the
    // table that is not plain and the one table read both ways (the fullest, t1:
    // the first by name of those with a foreign key).
    EXPECT_EQ(recording.queries.size(), 5u);
    for (std::size_t i = 1; i < recording.queries.size(); ++i)
        EXPECT_NE(recording.queries[i].find("AND m.name IN ('odd', 't1')"), std::string::npos) << recording.queries[i];
    EXPECT_EQ(dump(s), dump(sqlite::detail::reflect_schema(session(), {}, sqlite::detail::ReflectPath::pragmas)));
}

TEST_F(SqliteBackend, WhenAStatementAndThePragmasDisagreeThePragmasWin) {
    // sqlite_master edited behind SQLite's back: this connection keeps the schema it
    // parsed, so its PRAGMAs report the table as created, and the statement says
    // otherwise. The one table read both ways shows it, and the PRAGMAs read all.
    session().exec("CREATE TABLE t (a INTEGER PRIMARY KEY, b TEXT NOT NULL, c INT DEFAULT 1)");
    session().exec("PRAGMA writable_schema = ON");
    session().exec("UPDATE sqlite_master SET sql = replace(sql, 'b TEXT NOT NULL', 'b VARCHAR(9)') WHERE name = 't'");
    session().exec("PRAGMA writable_schema = OFF");
    Schema s = reflect();
    const Column* b = s.tables.at("t").find_column("b");
    ASSERT_NE(b, nullptr);
    EXPECT_EQ(to_string(b->type), "text");
    EXPECT_FALSE(b->nullable);
    EXPECT_EQ(dump(s), dump(sqlite::detail::reflect_schema(session(), {}, sqlite::detail::ReflectPath::pragmas)));
}

}  // namespace

// The CLI registers the PostgreSQL backend as a loader (dlopen on first use).
TEST(DialectRegistry, ALoaderRunsOnlyWhenItsDialectIsAskedForAndItsErrorReachesTheCaller) {
    int calls = 0;
    retort::register_dialect_loader("test-unloadable", [&calls] {
        ++calls;
        throw retort::Error(retort::ErrorKind::config, "cannot load the test-unloadable backend", "install it");
    });
    auto names = retort::dialect_names();
    EXPECT_NE(std::find(names.begin(), names.end(), "test-unloadable"), names.end());
    EXPECT_TRUE(std::is_sorted(names.begin(), names.end()));
    EXPECT_EQ(calls, 0);
    try {
        retort::dialect_for(retort::Url::parse("test-unloadable://x"));
        FAIL() << "expected the loader's error";
    } catch (const retort::Error& e) {
        EXPECT_NE(std::string(e.what()).find("cannot load the test-unloadable backend"), std::string::npos);
    }
    EXPECT_EQ(calls, 1);

    int quiet_calls = 0;
    retort::register_dialect_loader("test-registers-nothing", [&quiet_calls] { ++quiet_calls; });
    EXPECT_EQ(retort::find_dialect("test-registers-nothing"), nullptr);
    EXPECT_EQ(retort::find_dialect("test-registers-nothing"), nullptr);
    EXPECT_EQ(quiet_calls, 1);  // a loader runs once

    // A loader for a name already registered is ignored.
    retort::sqlite::register_dialect();
    retort::register_dialect_loader("sqlite", [] { FAIL() << "sqlite is registered: no loader runs"; });
    ASSERT_NE(retort::find_dialect("sqlite"), nullptr);
}
