// The PostgreSQL backend on a real server (no mocks): the one the CTest fixture of
// tests/postgres/PostgresFixture.cmake starts, or RETORT_TEST_POSTGRES_URL; every
// test in a database of its own. Every op kind runs through the dialect as the
// runtime runs it, on tables holding rows; then the database is reflected and
// compared with the replayed schema (reflect(db) == normalize(replay)), and the same
// again after the reversed ops. Then: values of PostgreSQL's types, comments,
// partial and expression indexes, awkward names, reflection of hand-written DDL in
// a constant number of queries, the search_path, the advisory lock, concurrent
// upgrades, data-only mode, parameters, transactions, and connection failures that
// say what to do without printing the password.
#include "../postgres/test_database.hpp"

#include <retort/connection.hpp>
#include <retort/dialect/dialect.hpp>
#include <retort/dialect/url.hpp>
#include <retort/error.hpp>
#include <retort/migration.hpp>
#include <retort/ops/ops.hpp>
#include <retort/postgres/postgres.hpp>
#include <retort/revision/graph.hpp>
#include <retort/runtime/migrator.hpp>

#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <future>
#include <mutex>
#include <sstream>
#include <stop_token>
#include <string>
#include <thread>
#include <vector>

// libpqxx 6.4 leaks the PGresult of a statement whose connection the server closed
// (ALostConnection... below): not Retort's memory, so LeakSanitizer ignores it.
// The hook is only read in sanitizer builds.
extern "C" const char* __lsan_default_suppressions();
extern "C" const char* __lsan_default_suppressions() { return "leak:libpqxx\n"; }

namespace {

using namespace retort;
using retort::testing::TestDatabase;

// ---- schema values -----------------------------------------------------------

Column column(std::string name, TypeSpec type, bool nullable = true, std::optional<std::string> server_default = {}) {
    Column c;
    c.name = std::move(name);
    c.type = Type::from(type);
    c.nullable = nullable;
    c.server_default = std::move(server_default);
    return c;
}

Column custom(std::string name, std::string spelling, bool nullable = true) {
    Column c;
    c.name = std::move(name);
    c.type.kind = TypeKind::custom;
    c.type.name = std::move(spelling);
    c.nullable = nullable;
    return c;
}

IndexPart key(std::string c) { return IndexPart{std::move(c), false}; }
IndexPart expression(std::string sql) { return IndexPart{std::move(sql), true}; }

Table authors_table() {
    Table t;
    t.name = "authors";
    t.columns = {column("id", integer(), false), column("name", varchar(200), false), column("Mixed Case", text()),
                 column("order", integer(), true, "0")};
    t.columns[0].identity = Identity::by_default;
    t.columns[1].comment = "as printed on the cover";
    t.primary_key = PrimaryKey{"pk_authors", {"id"}};
    t.comment = "people who write";
    return t;
}

Table books_table() {
    Table t;
    t.name = "books";
    t.columns = {column("id", integer(), false), column("author_id", integer(), false), column("title", varchar(200)),
                 column("price", numeric(10, 2), true, "0"), column("Published At", timestamptz())};
    t.columns[0].autoincrement = true;  // an identity column on PostgreSQL
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

/// Every portable type and then some, awkward names, unnamed constraints.
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
                 column("stamp tz", timestamptz(), true, "now()"),
                 column("raw", blob(), true, "'\\x00ff'"),
                 column("doc", json()),
                 column("docb", jsonb(), false, "'{}'"),
                 column("uid", uuid(), true, "gen_random_uuid()"),
                 custom("span", "INTERVAL"),
                 custom("scores", "INT[]"),
                 custom("counter", "bigserial"),
                 column("seq", bigint(), false)};
    t.columns[0].comment = "the line";
    t.columns.back().identity = Identity::always;
    t.primary_key = PrimaryKey{"pk_order_lines", {"id"}};
    t.foreign_keys = {ForeignKey{"", {"Book Id"}, "books", {"id"}, Action::set_null, Action::restrict}};
    t.uniques = {UniqueConstraint{"", {"code", "select"}}, UniqueConstraint{"uq \"quoted\"", {"uid"}}};
    t.checks = {CheckConstraint{"ck_amount", "amount IS NULL OR amount > 0"}, CheckConstraint{"", "\"select\" <> 13"},
                CheckConstraint{"ck_code", "code IN ('AB', 'CD') AND big BETWEEN -1 AND 100"}};
    t.indexes = {Index{"ix order lines", {key("Book Id"), expression("lower(\"note\")")}, true, std::string("flag")},
                 Index{"ix_doc", {expression("docb->>'kind'")}, false, std::string("docb ? 'kind'")}};
    t.comment = "one line of an order";
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

std::string test_label() {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    return info ? std::string(info->name()) : std::string("test");
}

class PostgresTest : public ::testing::Test {
protected:
    void SetUp() override {
        retort::postgres::register_dialect();
        if (retort::testing::postgres_server_url().empty()) GTEST_FAIL() << retort::testing::postgres_server_missing();
        m_db = std::make_unique<TestDatabase>(test_label());
        m_session = retort::connect(m_db->url());
        m_session->exec("SET TIME ZONE 'UTC'");
    }

    void TearDown() override {
        m_session.reset();
        m_db.reset();
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
                    session().set_data_only(true);
                    data->up(session().connection());
                    session().set_data_only(false);
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

    /// Columns by name: a column dropped and added back comes last, on PostgreSQL as in
    /// the replay; fingerprints leave column order out for that reason.
    static Schema columns_by_name(Schema s) {
        for (auto& [_, t] : s.tables)
            std::sort(t.columns.begin(), t.columns.end(),
                      [](const Column& a, const Column& b) { return a.name < b.name; });
        return s;
    }

    void expect_matches(const Schema& expected, const std::string& when, bool any_column_order = false) {
        SCOPED_TRACE(when);
        Schema live = reflect();
        Schema normal = dialect().normalize(expected);
        if (any_column_order) {
            live = columns_by_name(std::move(live));
            normal = columns_by_name(std::move(normal));
        }
        EXPECT_EQ(dump(live), dump(normal));
        EXPECT_TRUE(live == normal);
        EXPECT_TRUE(dialect().normalize(live) == live) << "normalize(reflect(db)) == reflect(db)";
    }

    void expect_matches_replay(const std::string& when) { expect_matches(m_replay, when); }

    /// The base schema (authors, books, tags) with rows.
    void create_library() {
        migrate({CreateTable{authors_table()}, CreateTable{books_table()}, CreateTable{tags_table()}});
        session().exec(
            "INSERT INTO authors (name, \"Mixed Case\", \"order\") VALUES ('Ann', 'x', 1), ('Bob', NULL, 2), "
            "('Cy', 'z', 3);"
            "INSERT INTO books (author_id, title, price, \"Published At\") VALUES "
            "(1, 'A', 10, '2020-01-01 10:00:00+00'), (1, 'B', NULL, NULL), (2, 'C', 5, NULL), "
            "(2, 'D', 0, NULL), (3, 'E', NULL, NULL);"
            "INSERT INTO tags (name, \"Weight\") VALUES ('red', 1.5), ('blue', NULL);");
    }

    long long count(const std::string& table) {
        auto rows = session().query("SELECT count(*) FROM \"" + table + "\"");
        return std::stoll(*rows.at(0).at(0));
    }

    std::string value(const std::string& sql) { return value_in(session(), sql); }

    /// The advisory locks held in this test's database, read until none is left (a
    /// closed session's backend may still be ending) or two seconds have passed.
    /// Advisory lock filter of this test's database: other tests run in parallel
    /// against the same server and take advisory locks of their own.
    static constexpr const char* this_database =
        " AND database = (SELECT oid FROM pg_database WHERE datname = current_database())";

    std::string advisory_locks() {
        std::string n;
        for (int i = 0; i < 100 && n != "0"; ++i) {
            if (i) std::this_thread::sleep_for(std::chrono::milliseconds(20));
            n = value(std::string("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'") + this_database);
        }
        return n;
    }

    static std::string value_in(DbSession& s, const std::string& sql) {
        auto rows = s.query(sql);
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
        expect_matches(start, "after the downgrade, against the schema before the upgrade", true);
    }

    std::unique_ptr<TestDatabase> m_db;
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
    cases.push_back({"create_table_with_every_type_and_awkward_names", [] {
                         return std::vector<Op>{CreateTable{awkward_table()}};
                     }});
    cases.push_back({"drop_table", [] { return std::vector<Op>{DropTable{"books", std::nullopt}}; }, false});
    cases.push_back({"rename_table_of_a_referenced_table_to_a_name_that_needs_quoting",
                     [] { return std::vector<Op>{RenameTable{"authors", "Writers of \"order\""}}; }});
    cases.push_back({"set_table_comment", [] {
                         return std::vector<Op>{SetTableComment{"books", "all the books", false, std::nullopt}};
                     }});
    cases.push_back({"add_column_nullable", [] {
                         return std::vector<Op>{AddColumn{"books", column("isbn", varchar(20)), std::nullopt}};
                     }});
    cases.push_back({"add_column_not_null_with_a_default_and_a_comment", [] {
                         Column c = column("stock", integer(), false, "7");
                         c.comment = "copies on hand";
                         return std::vector<Op>{AddColumn{"books", c, std::nullopt}};
                     }});
    cases.push_back({"add_column_with_references", [] {
                         return std::vector<Op>{AddColumn{
                             "books", column("editor_id", integer()),
                             ForeignKey{"fk_books_editor", {"editor_id"}, "authors", {"id"}, Action::set_null,
                                        Action::no_action}}};
                     }});
    cases.push_back({"add_column_identity_fills_existing_rows", [] {
                         Column c = column("serial_no", bigint(), false);
                         c.identity = Identity::always;
                         return std::vector<Op>{AddColumn{"tags", c, std::nullopt}};
                     }});
    cases.push_back({"add_column_with_an_expression_default", [] {
                         return std::vector<Op>{AddColumn{
                             "authors", column("born", date(), true, "CURRENT_DATE - 365"), std::nullopt}};
                     }});
    cases.push_back({"drop_column_of_a_plain_column",
                     [] { return std::vector<Op>{drop_column("authors", "Mixed Case")}; }});
    cases.push_back({"drop_column_with_a_unique_constraint_and_an_expression_index",
                     [] { return std::vector<Op>{drop_column("books", "title")}; }});
    cases.push_back({"drop_column_with_an_inline_foreign_key", [] {
                         return std::vector<Op>{
                             AddColumn{"books", column("editor_id", integer()),
                                       ForeignKey{"fk_books_editor", {"editor_id"}, "authors", {"id"}, Action::no_action,
                                                  Action::no_action}},
                             drop_column("books", "editor_id")};
                     }});
    cases.push_back({"alter_column_rename", [] {
                         return std::vector<Op>{rename_column("authors", "Mixed Case", "select")};
                     }});
    cases.push_back({"alter_column_rename_of_a_column_in_a_check_an_index_and_a_partial_index",
                     [] { return std::vector<Op>{rename_column("books", "price", "cost")}; }});
    cases.push_back({"alter_column_type", [] { return std::vector<Op>{alter_type("books", "title", text())}; }});
    cases.push_back({"alter_column_type_of_a_column_with_a_default_a_check_and_a_partial_index",
                     [] { return std::vector<Op>{alter_type("books", "price", integer())}; }});
    cases.push_back({"alter_column_type_of_a_referenced_key",
                     [] { return std::vector<Op>{alter_type("authors", "id", bigint())}; }});
    cases.push_back({"alter_column_not_null_with_a_default_over_existing_nulls",
                     [] {
                         Column patch;
                         patch.nullable = false;
                         return std::vector<Op>{alter("books", "price", field_nullable, patch)};
                     },
                     false});  // the NULL prices took the default, by design
    cases.push_back({"alter_column_default", [] {
                         Column patch;
                         patch.server_default = "abs(-5)";
                         return std::vector<Op>{alter("authors", "order", field_default, patch)};
                     }});
    cases.push_back({"alter_column_rename_and_type_together", [] {
                         Column patch;
                         patch.name = "title_text";
                         patch.type = Type::from(text());
                         return std::vector<Op>{alter("books", "title", field_name | field_type, patch)};
                     }});
    cases.push_back({"alter_column_comment", [] {
                         Column patch;
                         patch.comment = "shown in \\d+";
                         return std::vector<Op>{alter("books", "title", field_comment, patch)};
                     }});
    cases.push_back({"alter_column_identity_off_and_back_on", [] {
                         Column patch;
                         patch.identity = Identity::none;
                         return std::vector<Op>{alter("authors", "id", field_identity, patch)};
                     }});
    cases.push_back({"alter_column_identity_kind", [] {
                         Column patch;
                         patch.identity = Identity::always;
                         return std::vector<Op>{alter("authors", "id", field_identity, patch)};
                     }});
    cases.push_back({"create_index_unique_partial_on_an_expression", [] {
                         return std::vector<Op>{CreateIndex{
                             "authors", Index{"ix authors \"name\"", {expression("lower(name)"), key("order")}, true,
                                              std::string("\"order\" > 0")}}};
                     }});
    cases.push_back({"drop_index", [] {
                         return std::vector<Op>{DropIndex{"books", "ix_books_lower_title", std::nullopt}};
                     }});
    cases.push_back({"add_constraint_unique", [] {
                         return std::vector<Op>{AddConstraint{"authors", UniqueConstraint{"uq_authors_name", {"name"}}}};
                     }});
    cases.push_back({"add_constraint_check", [] {
                         return std::vector<Op>{
                             AddConstraint{"tags", CheckConstraint{"ck_tags_name", "length(name) > 0 AND name <> 'x'"}}};
                     }});
    cases.push_back({"add_constraint_foreign_key", [] {
                         return std::vector<Op>{
                             AddColumn{"tags", column("author_id", integer()), std::nullopt},
                             AddConstraint{"tags", ForeignKey{"fk_tags_author", {"author_id"}, "authors", {"id"},
                                                              Action::cascade, Action::cascade}}};
                     }});
    cases.push_back({"add_constraint_primary_key", [] {
                         return std::vector<Op>{AddConstraint{"tags", PrimaryKey{"pk_tags", {"name"}}}};
                     }});
    cases.push_back({"drop_constraint_check", [] {
                         return std::vector<Op>{DropConstraint{"books", "ck_books_price", std::nullopt}};
                     }});
    cases.push_back({"drop_constraint_foreign_key", [] {
                         return std::vector<Op>{DropConstraint{"books", "fk_books_author_id_authors", std::nullopt}};
                     }});
    cases.push_back({"drop_constraint_unique", [] {
                         return std::vector<Op>{DropConstraint{"books", "uq_books_title", std::nullopt}};
                     }});
    cases.push_back({"execute_data_sql", [] {
                         return std::vector<Op>{sql("UPDATE tags SET \"Weight\" = 2 WHERE name = 'blue'",
                                                    "UPDATE tags SET \"Weight\" = NULL WHERE name = 'blue'")};
                     }});
    cases.push_back({"execute_sql_for_another_dialect_is_skipped", [] {
                         return std::vector<Op>{sql("PRAGMA foreign_keys = OFF", "PRAGMA foreign_keys = ON", "sqlite")};
                     }});
    cases.push_back({"execute_sql_with_a_declared_schema_effect", [] {
                         ExecuteSql op;
                         op.up = "ALTER TABLE tags ADD COLUMN \"Note\" text DEFAULT 'n/a'";
                         op.down = "ALTER TABLE tags DROP COLUMN \"Note\"";
                         op.effect = SqlEffect::schema;
                         op.only_dialect = "postgresql";
                         op.equivalent = {AddColumn{"tags", column("Note", text(), true, "'n/a'"), std::nullopt}};
                         return std::vector<Op>{op};
                     }});
    cases.push_back({"run_data", [] {
                         RunData data;
                         data.up = &bump_prices;
                         data.down = &lower_prices;
                         return std::vector<Op>{data};
                     }});
    return cases;
}

// gtest prints a parameter in test names and failures; the case's name says it all.
void PrintTo(const OpCase& c, std::ostream* out) { *out << c.name; }

class PostgresOps : public PostgresTest, public ::testing::WithParamInterface<OpCase> {};

TEST_P(PostgresOps, RoundTripsOnTablesWithRows) {
    const OpCase& c = GetParam();
    create_library();
    expect_matches_replay("after creating the library");
    const std::string books_rows =
        "SELECT string_agg(id || ':' || author_id || ':' || coalesce(price::text, '-'), ',' ORDER BY id) FROM books";
    std::string books_before = value(books_rows);
    try {
        round_trip(c.ops());
    } catch (const Error& e) {
        FAIL() << e.describe();
    }
    EXPECT_EQ(count("authors"), 3);
    EXPECT_EQ(count("tags"), 2);
    if (c.keeps_books) {
        EXPECT_EQ(value(books_rows), books_before);
    }
}

INSTANTIATE_TEST_SUITE_P(EveryOpKind, PostgresOps, ::testing::ValuesIn(op_cases()),
                         [](const ::testing::TestParamInfo<OpCase>& param) { return std::string(param.param.name); });

// ---- special cases of ops ---------------------------------------------------------------

TEST_F(PostgresTest, NotNullGivesExistingNullsTheDefaultAsOnSqlite) {
    create_library();
    ASSERT_EQ(value("SELECT count(*) FROM books WHERE price IS NULL"), "2");
    Column patch;
    patch.nullable = false;
    std::vector<Op> ops{alter("books", "price", field_nullable, patch)};
    migrate(ops);
    EXPECT_EQ(value("SELECT string_agg(price::text, ',' ORDER BY id) FROM books"), "10.00,0.00,5.00,0.00,0.00");
    EXPECT_THROW(session().exec("INSERT INTO books (author_id, title, price) VALUES (1, 'N', NULL)"), Error);
}

TEST_F(PostgresTest, BooleanDefaultsWrittenOneAndZeroAsForSqliteWorkAndMatchTheReplay) {
    // The tutorial's col("done", boolean()).server_default("0"): SQLite's FALSE. The
    // server refuses DEFAULT 0 on a boolean; Retort writes FALSE, and normalize()
    // reads 0 as the FALSE the server then prints.
    create_library();
    Table flags;
    flags.name = "flags";
    flags.columns = {column("id", integer(), false), column("done", boolean(), false, "0"),
                     column("seen", boolean(), true, "1")};
    flags.primary_key = PrimaryKey{"pk_flags", {"id"}};
    try {
        migrate({CreateTable{flags}});
    } catch (const Error& e) {
        FAIL() << e.describe();
    }
    session().exec("INSERT INTO flags (id) VALUES (1)");
    EXPECT_EQ(value("SELECT done::text || ',' || seen::text FROM flags"), "false,true");
    expect_matches_replay("after creating flags");

    migrate({AddColumn{"books", column("hidden", boolean()), std::nullopt}});
    Column patch;
    patch.nullable = false;
    patch.server_default = "1";
    std::vector<Op> ops{alter("books", "hidden", field_nullable | field_default, patch)};
    try {
        migrate(ops);
    } catch (const Error& e) {
        FAIL() << e.describe();
    }
    EXPECT_EQ(value("SELECT string_agg(hidden::text, ',') FROM books"), "true,true,true,true,true")
        << "rows holding NULL took the default";
    expect_matches_replay("after books.hidden became NOT NULL DEFAULT 1");
}

TEST_F(PostgresTest, IdentityColumnsKeepCountingAfterTheyAreTurnedOffAndOn) {
    create_library();
    Column off;
    off.identity = Identity::none;
    std::vector<Op> ops{alter("authors", "id", field_identity, off)};
    migrate(ops);
    EXPECT_THROW(session().exec("INSERT INTO authors (name) VALUES ('no id')"), Error) << "no identity: id is NULL";
    std::vector<Op> back = reverse(ops[0]);
    migrate(back);
    session().exec("INSERT INTO authors (name) VALUES ('Dee')");
    EXPECT_EQ(value("SELECT id FROM authors WHERE name = 'Dee'"), "4") << "the sequence starts after the rows";
}

TEST_F(PostgresTest, ValuesOfPostgresTypesGoInAndComeBackAsText) {
    create_library();
    std::vector<Op> ops{CreateTable{awkward_table()}};
    migrate(ops);
    Connection& c = session().connection();
    c.exec("INSERT INTO \"Order Lines\" (id, amount, ratio, precise, docb, doc, uid, \"stamp tz\", raw, span, scores, "
           "\"at\") VALUES (?, ?, ?, ?, ?::jsonb, ?, ?, ?, decode(?, 'hex'), ?, ?, ?)",
           {1, "12.345", 0.5, 2.25, "{\"kind\": \"x\", \"n\": [1, 2]}", "{\"a\":1}",
            "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11", "2024-02-29 23:59:59.5+01", "00ff10", "1 day 02:00:00",
            "{1,2,3}", "12:30:00"});
    EXPECT_EQ(c.changes(), 1);
    auto rows = c.query(
        "SELECT id, amount, ratio, precise, docb, doc, uid, \"stamp tz\", raw, span, scores, seq, counter, flag, note, "
        "big, code, \"at\" FROM \"Order Lines\" WHERE id = ?",
        {1});
    ASSERT_TRUE(rows.next());
    EXPECT_EQ(rows.columns(), 18);
    EXPECT_EQ(rows.integer(0), 1);
    EXPECT_STREQ(rows.text(1), "12.345");
    EXPECT_DOUBLE_EQ(rows.real(2), 0.5);
    EXPECT_DOUBLE_EQ(rows.real(3), 2.25);
    EXPECT_STREQ(rows.text(4), "{\"n\": [1, 2], \"kind\": \"x\"}") << "jsonb stores its own normal form";
    EXPECT_STREQ(rows.text(5), "{\"a\":1}") << "json keeps the text";
    EXPECT_STREQ(rows.text(6), "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11");
    EXPECT_STREQ(rows.text(7), "2024-02-29 22:59:59.5+00") << "timestamptz in the session's time zone (UTC)";
    EXPECT_STREQ(rows.text(8), "\\x00ff10");
    EXPECT_STREQ(rows.text(9), "1 day 02:00:00");
    EXPECT_STREQ(rows.text(10), "{1,2,3}");
    EXPECT_EQ(rows.integer(11), 1) << "GENERATED ALWAYS AS IDENTITY";
    EXPECT_EQ(rows.integer(12), 1) << "bigserial";
    EXPECT_EQ(rows.integer(13), 0) << "booleans read as integers";
    EXPECT_STREQ(rows.text(14), "it's");
    EXPECT_EQ(rows.integer(15), -1);
    EXPECT_STREQ(rows.text(16), "AB");
    EXPECT_STREQ(rows.text(17), "12:30:00");
    EXPECT_FALSE(rows.next());
    EXPECT_THROW(c.exec("INSERT INTO \"Order Lines\" (id, seq) VALUES (2, 5)"), Error)
        << "GENERATED ALWAYS refuses explicit values";
    EXPECT_THROW(c.exec("INSERT INTO \"Order Lines\" (id, code) VALUES (3, 'ZZ')"), Error) << "the IN check holds";
}

TEST_F(PostgresTest, CommentsAreStoredAndReflected) {
    std::vector<Op> ops{CreateTable{authors_table()}};
    migrate(ops);
    EXPECT_EQ(value("SELECT obj_description('authors'::regclass, 'pg_class')"), "people who write");
    EXPECT_EQ(value("SELECT col_description('authors'::regclass, 2)"), "as printed on the cover");
    Schema live = reflect();
    EXPECT_EQ(live.tables.at("authors").comment, "people who write");
    EXPECT_EQ(live.tables.at("authors").columns[1].comment, "as printed on the cover");
    std::vector<Op> drop{SetTableComment{"authors", std::nullopt, false, std::nullopt}};
    migrate(drop);
    EXPECT_EQ(value("SELECT obj_description('authors'::regclass, 'pg_class')"), "NULL");
    expect_matches_replay("comment dropped");
}

TEST_F(PostgresTest, PartialAndExpressionIndexesAreUsedAndReflected) {
    create_library();
    std::vector<Op> ops{
        CreateIndex{"books", Index{"ix_cheap_titles", {expression("upper(title)"), key("price")}, true,
                                   std::string("price < 6 AND title IS NOT NULL")}},
        CreateIndex{"books", Index{"ix_year", {expression("date_part('year', \"Published At\" AT TIME ZONE 'UTC')")},
                                   false, std::nullopt}},
        CreateIndex{"books", Index{"ix_multi", {expression("coalesce(title, 'a, (b')"), key("id"), expression("price * 2")},
                                   false, std::nullopt}}};
    migrate(ops);
    expect_matches_replay("partial and expression indexes");
    // The unique partial index holds for the rows it covers and ignores the others.
    session().exec("INSERT INTO books (author_id, title, price) VALUES (1, 'x1', 100), (1, 'X1', 100)");
    EXPECT_THROW(session().exec("INSERT INTO books (author_id, title, price) VALUES (1, 'c', 5)"), Error)
        << "upper('c') = upper('C') at price 5 is covered";
    Schema live = reflect();
    const Index* idx = live.tables.at("books").find_index("ix_cheap_titles");
    ASSERT_NE(idx, nullptr);
    EXPECT_EQ(idx->parts.at(0).text, "upper(title)");
    EXPECT_EQ(idx->where.value_or(""), "price < 6 AND title IS NOT NULL");
}

TEST_F(PostgresTest, AwkwardNamesAreQuotedEverywhere) {
    Table t;
    t.name = "order";
    t.columns = {column("select", integer(), false), column("Group By", text()), column("user", varchar(5), true, "'u'")};
    t.primary_key = PrimaryKey{"primary", {"select"}};
    t.checks = {CheckConstraint{"check", "\"select\" > 0 AND \"user\" <> 'root'"}};
    t.indexes = {Index{"index", {key("Group By"), expression("lower(\"user\")")}, false, std::string("\"select\" < 100")}};
    t.comment = "table 'order'";
    std::vector<Op> ops{CreateTable{t}, RenameTable{"order", "Order \"Two\""},
                        AddColumn{"Order \"Two\"", column("from", integer()), std::nullopt},
                        rename_column("Order \"Two\"", "Group By", "having")};
    migrate(ops);
    expect_matches_replay("after creating and renaming");
    session().exec("INSERT INTO \"Order \"\"Two\"\"\" (\"select\", \"having\", \"from\") VALUES (1, 'a', 2)");
    EXPECT_EQ(value("SELECT \"user\" FROM \"Order \"\"Two\"\"\""), "u");
}

// ---- reflection ------------------------------------------------------------------

/// A session that counts the queries it runs (reflection must not grow with the tables).
class CountingSession final : public DbSession {
public:
    explicit CountingSession(DbSession& inner) : m_inner(inner) {}
    const Dialect& dialect() const override { return m_inner.dialect(); }
    std::string describe() const override { return m_inner.describe(); }
    void exec(const std::string& sql) override {
        ++statements;
        m_inner.exec(sql);
    }
    std::vector<Row> query(const std::string& sql) override {
        ++statements;
        return m_inner.query(sql);
    }
    void begin() override { m_inner.begin(); }
    void commit() override { m_inner.commit(); }
    void rollback() noexcept override { m_inner.rollback(); }
    bool in_transaction() const override { return m_inner.in_transaction(); }
    void set_data_only(bool on) override { m_inner.set_data_only(on); }
    Connection& connection() override { return m_inner.connection(); }
    int statements = 0;

private:
    DbSession& m_inner;
};

TEST_F(PostgresTest, ReflectionTakesTheSameFewQueriesForOneTableOrSixty) {
    create_library();
    CountingSession small(session());
    dialect().reflect(small, {});
    std::string ddl;
    for (int i = 0; i < 60; ++i) {
        std::string n = std::to_string(i);
        ddl += "CREATE TABLE t" + n + " (id integer PRIMARY KEY, ref integer REFERENCES authors (id), v text DEFAULT 'x' "
               "CHECK (v <> ''), UNIQUE (v)); CREATE INDEX ix_t" + n + " ON t" + n + " (lower(v)) WHERE id > 0;";
    }
    session().exec(ddl);
    CountingSession large(session());
    Schema s = dialect().reflect(large, {});
    EXPECT_EQ(s.tables.size(), 63u);
    EXPECT_EQ(large.statements, small.statements);
    EXPECT_LE(large.statements, 5);
    EXPECT_EQ(dump(s), dump(dialect().normalize(s)));
}

TEST_F(PostgresTest, ReflectionReadsHandWrittenSqlInEveryStyle) {
    session().exec(R"sql(
        CREATE TABLE parent (id SERIAL PRIMARY KEY, code TEXT NOT NULL CONSTRAINT uq_code UNIQUE);
        CREATE TABLE "Child Table" ( -- a comment, with (parentheses) and a , comma
            id INT4 NOT NULL,
            "parent id" INTEGER CONSTRAINT "fk child" REFERENCES parent ON DELETE SET NULL ON UPDATE RESTRICT,
            other_code TEXT REFERENCES parent(code),
            label VARCHAR ( 30 ) DEFAULT ('a' || 'b') CHECK (length(label) > 0),
            amount DECIMAL(8,2) CONSTRAINT ck_amount CHECK (amount >= 0) DEFAULT -0.5,
            at TIMESTAMP DEFAULT now(),
            flag BOOL DEFAULT 'yes', body CHARACTER VARYING, data BYTEA, f FLOAT, d DOUBLE PRECISION, tz TIMESTAMPTZ,
            n2 INT8 DEFAULT '7', tags TEXT[] DEFAULT '{}', status VARCHAR(8) DEFAULT 'new'
                CHECK (status IN ('new', 'old') AND status NOT LIKE 'x%'),
            CONSTRAINT pk_child PRIMARY KEY (id),
            UNIQUE (label, amount),
            CONSTRAINT "ck ""quoted""" CHECK (amount < 1e6 AND label <> ')' OR amount BETWEEN 1 AND 2)
        );
        CREATE UNIQUE INDEX ix_child ON "Child Table" (lower(label), "parent id") WHERE amount > 0;
        COMMENT ON TABLE "Child Table" IS 'kids';
        COMMENT ON COLUMN "Child Table".label IS 'a label';
    )sql");
    Schema s = reflect();
    ASSERT_EQ(s.tables.size(), 2u);

    // The same tables as a migration would declare them.
    Schema expected;
    Table parent;
    parent.name = "parent";
    parent.columns = {custom("id", "serial", false), column("code", text(), false)};
    parent.primary_key = PrimaryKey{"", {"id"}};
    parent.uniques = {UniqueConstraint{"uq_code", {"code"}}};
    expected.tables.emplace("parent", parent);
    Table child;
    child.name = "Child Table";
    child.columns = {column("id", integer(), false),
                     column("parent id", integer()),
                     column("other_code", text()),
                     column("label", varchar(30), true, "'a' || 'b'"),
                     column("amount", numeric(8, 2), true, "-0.5"),
                     column("at", timestamp(), true, "now()"),
                     column("flag", boolean(), true, "'yes'"),
                     column("body", varchar(0)),
                     column("data", blob()),
                     column("f", double_precision()),
                     column("d", double_precision()),
                     column("tz", timestamptz()),
                     column("n2", bigint(), true, "7"),
                     custom("tags", "text[]"),
                     column("status", varchar(8), true, "'new'")};
    child.columns[13].server_default = "'{}'";
    child.columns[3].comment = "a label";
    child.comment = "kids";
    child.primary_key = PrimaryKey{"pk_child", {"id"}};
    child.foreign_keys = {ForeignKey{"", {"other_code"}, "parent", {"code"}, Action::no_action, Action::no_action},
                          ForeignKey{"fk child", {"parent id"}, "parent", {}, Action::set_null, Action::restrict}};
    child.uniques = {UniqueConstraint{"", {"label", "amount"}}};
    child.checks = {CheckConstraint{"", "length(label) > 0"},
                    CheckConstraint{"ck \"quoted\"", "amount < 1e6 AND label <> ')' OR amount BETWEEN 1 AND 2"},
                    CheckConstraint{"ck_amount", "amount >= 0"},
                    CheckConstraint{"", "status IN ('new', 'old') AND status NOT LIKE 'x%'"}};
    child.indexes = {Index{"ix_child", {expression("lower(label)"), key("parent id")}, true, std::string("amount > 0")}};
    expected.tables.emplace("Child Table", child);
    Schema normal = dialect().normalize(expected);
    EXPECT_EQ(dump(s), dump(normal));
    EXPECT_TRUE(s == normal);
}

TEST_F(PostgresTest, ReflectionSeesOnlyTheCurrentSchemaAndLeavesOutExcludedTables) {
    create_library();
    session().exec("CREATE TABLE retort_version (version_num varchar(64) PRIMARY KEY);"
                   "CREATE SCHEMA other; CREATE TABLE other.hidden (id integer PRIMARY KEY, code integer UNIQUE);"
                   "CREATE TABLE other.books (id integer);"
                   "CREATE TABLE crossing (h integer REFERENCES other.hidden (code), "
                   "v varchar(64) REFERENCES retort_version)");
    ReflectOptions options;
    options.exclude_tables = {"retort_version"};
    Schema s = dialect().reflect(session(), options);
    EXPECT_EQ(s.tables.size(), 4u);
    EXPECT_EQ(s.tables.count("retort_version"), 0u);
    EXPECT_EQ(s.tables.count("hidden"), 0u);
    // Foreign keys to tables reflection does not read still name their columns.
    const auto& fks = s.tables.at("crossing").foreign_keys;
    ASSERT_EQ(fks.size(), 2u);
    EXPECT_EQ(fks[0].name, "crossing_h_fkey");
    EXPECT_EQ(fks[0].ref_table, "other.hidden");
    EXPECT_EQ(fks[0].ref_columns, std::vector<std::string>{"code"});
    EXPECT_EQ(fks[1].ref_table, "retort_version");
    EXPECT_EQ(fks[1].ref_columns, std::vector<std::string>{"version_num"});
    EXPECT_TRUE(dialect().table_exists(session(), "books"));
    EXPECT_TRUE(dialect().table_exists(session(), "retort_version"));
    EXPECT_FALSE(dialect().table_exists(session(), "hidden"));

    // With `other` first on the search_path, current_schema() is `other`.
    session().exec("SET search_path TO other, public");
    EXPECT_TRUE(dialect().table_exists(session(), "hidden"));
    EXPECT_FALSE(dialect().table_exists(session(), "authors"));
    Schema o = dialect().reflect(session(), {});
    EXPECT_EQ(o.tables.size(), 2u);
    EXPECT_EQ(o.tables.count("hidden"), 1u);
}

// ---- concurrency -------------------------------------------------------------------

TEST_F(PostgresTest, TheAdvisoryLockSerializesTwoSessions) {
    auto a = retort::connect(m_db->url());
    auto b = retort::connect(m_db->url());
    auto first = dialect().lock(*a, "retort_version");
    ASSERT_NE(first, nullptr);
    std::atomic<bool> b_has_lock{false};
    std::unique_ptr<RunLock> second;
    std::thread waiter([&] {
        second = dialect().lock(*b, "retort_version");  // blocks until `first` is released
        b_has_lock = true;
    });
    // Wait until the server shows b waiting for the lock (no sleeps deciding the outcome).
    bool waiting = false;
    for (int i = 0; i < 600 && !waiting; ++i) {
        waiting = value(std::string("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted") +
                        this_database) == "1";
        if (!waiting) std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    EXPECT_TRUE(waiting) << "the second session waits for the lock";
    EXPECT_FALSE(b_has_lock);
    EXPECT_EQ(value(std::string("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted") + this_database),
              "1");
    first.reset();  // releases it
    waiter.join();
    EXPECT_TRUE(b_has_lock);
    second.reset();
    EXPECT_EQ(advisory_locks(), "0");

    // Another version table is another lock: no waiting.
    auto x = dialect().lock(*a, "retort_version");
    auto y = dialect().lock(*b, "other_version");
    EXPECT_EQ(value(std::string("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted") + this_database),
              "2");
}

void create_t1(Ops& op) { op.create_table("t1", {col("id", integer()).primary_key(), col("v", text())}); }
void create_t2(Ops& op) {
    op.create_table("t2", {col("id", integer()).primary_key(), col("t1_id", integer()).references("t1", "id")});
}
void add_t2_note(Ops& op) { op.add_column("t2", col("note", varchar(40)).server_default("'-'")); }

RevisionGraph three_revisions() {
    std::vector<Revision> revisions(3);
    revisions[0].id = "aaaa00000001";
    revisions[0].message = "t1";
    revisions[0].upgrade = &create_t1;
    revisions[1].id = "aaaa00000002";
    revisions[1].down_revisions = {"aaaa00000001"};
    revisions[1].message = "t2";
    revisions[1].upgrade = &create_t2;
    revisions[2].id = "aaaa00000003";
    revisions[2].down_revisions = {"aaaa00000002"};
    revisions[2].message = "note";
    revisions[2].upgrade = &add_t2_note;
    return RevisionGraph::build(revisions);
}

TEST_F(PostgresTest, TwoUpgradersAtOnceApplyEachRevisionOnce) {
    RevisionGraph graph = three_revisions();
    std::vector<std::unique_ptr<DbSession>> sessions;
    for (int i = 0; i < 4; ++i) sessions.push_back(retort::connect(m_db->url()));
    std::vector<std::thread> threads;
    std::mutex mutex;
    std::vector<std::string> failures;
    std::vector<std::size_t> steps(sessions.size());
    for (std::size_t i = 0; i < sessions.size(); ++i) {
        threads.emplace_back([&, i] {
            try {
                Migrator m(graph, *sessions[i]);
                steps[i] = m.upgrade("head").steps.size();
            } catch (const Error& e) {
                std::lock_guard lock(mutex);
                failures.push_back(e.describe());
            }
        });
    }
    for (auto& t : threads) t.join();
    EXPECT_TRUE(failures.empty()) << (failures.empty() ? "" : failures.front());
    std::size_t total = 0;
    for (auto s : steps) total += s;
    EXPECT_EQ(total, 3u) << "every revision ran exactly once, in one of the sessions";
    EXPECT_EQ(value("SELECT string_agg(version_num, ',') FROM retort_version"), "aaaa00000003");
    EXPECT_EQ(value("SELECT string_agg(revision, ',' ORDER BY revision) FROM retort_version_history"),
              "aaaa00000001,aaaa00000002,aaaa00000003");
    Migrator m(graph, session());
    Schema replay = m.replayed_schema();
    Schema live = m.reflect();
    EXPECT_EQ(dump(live), dump(dialect().normalize(replay)));
    EXPECT_EQ(advisory_locks(), "0") << "every lock was released";

    // And down again, to base.
    m.downgrade("base");
    EXPECT_FALSE(dialect().table_exists(session(), "t1"));
    EXPECT_EQ(value("SELECT count(*) FROM retort_version"), "0");
}

TEST_F(PostgresTest, ALockTimeoutInTheUrlStopsAWaitingRunAndNamesTheHolder) {
    // A run on another database of the server holds the same version table's lock:
    // the hint's query must name this database's holder only.
    TestDatabase elsewhere("lock_elsewhere");
    auto other = retort::connect(elsewhere.url());
    auto held_elsewhere = dialect().lock(*other, "retort_version");
    auto a = retort::connect(m_db->url());
    auto b = retort::connect(m_db->url() + "?lock_timeout=200ms");
    EXPECT_EQ(value_in(*b, "SHOW lock_timeout"), "200ms");
    auto held = dialect().lock(*a, "retort_version");
    try {
        dialect().lock(*b, "retort_version");
        FAIL() << "expected the wait to time out";
    } catch (const Error& e) {
        EXPECT_EQ(e.kind(), ErrorKind::database);
        EXPECT_EQ(e.sqlstate(), "55P03");
        EXPECT_NE(std::string(e.what()).find("another migration run holds the lock on version table "
                                             "\"retort_version\""),
                  std::string::npos)
            << e.what();
        // The hint's query finds the session holding the lock.
        auto at = e.hint().find("SELECT pid");
        ASSERT_NE(at, std::string::npos) << e.hint();
        EXPECT_EQ(value("SELECT count(*) FROM (" + e.hint().substr(at) + ") holders"), "1") << e.hint();
        EXPECT_EQ(value(e.hint().substr(at)), value_in(*a, "SELECT pg_backend_pid()"));
    }
}

TEST_F(PostgresTest, ASearchPathInTheUrlPutsTablesAndVersionTablesInThatSchema) {
    session().exec("CREATE SCHEMA app");
    auto s = retort::connect(m_db->url() + "?search_path=app");
    RevisionGraph graph = three_revisions();
    Migrator m(graph, *s);
    m.upgrade("head");
    EXPECT_EQ(value("SELECT string_agg(tablename, ',' ORDER BY tablename) FROM pg_tables WHERE schemaname = 'app'"),
              "retort_version,retort_version_history,t1,t2");
    EXPECT_EQ(value("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"), "0");
    EXPECT_EQ(m.reflect().tables.size(), 2u);
    EXPECT_EQ(m.current(), std::vector<std::string>{"aaaa00000003"});
    EXPECT_TRUE(dialect().reflect(session(), {}).tables.empty()) << "the default search_path sees public only";
}

// ---- sessions, data-only mode, parameters, errors -------------------------------------

TEST_F(PostgresTest, DataOnlyModeRefusesSchemaChangesWithAClearMessage) {
    create_library();
    session().set_data_only(true);
    try {
        session().exec("UPDATE tags SET \"Weight\" = 1; CREATE TABLE sneaky (a integer)");
        FAIL() << "expected a refusal";
    } catch (const Error& e) {
        EXPECT_EQ(e.kind(), ErrorKind::migration);
        EXPECT_NE(std::string(e.what()).find(
                      "data-only SQL tried to change the schema; declare it with sql(...).schema_effect(...) or "
                      ".opaque() (it tried: CREATE TABLE sneaky)"),
                  std::string::npos)
            << e.what();
        EXPECT_EQ(e.sql(), "UPDATE tags SET \"Weight\" = 1; CREATE TABLE sneaky (a integer)");
    }
    EXPECT_EQ(value("SELECT count(*) FROM tags WHERE \"Weight\" = 1"), "0") << "nothing of it ran";
    EXPECT_THROW(session().connection().exec("DROP TABLE tags"), Error);
    EXPECT_THROW(session().exec("alter table tags add column x integer"), Error);
    EXPECT_THROW(session().exec("/* hidden */ CREATE UNIQUE INDEX ix_x ON tags (name)"), Error);
    EXPECT_THROW(session().exec("COMMENT ON TABLE tags IS 'x'"), Error);
    // Rows may change; TEMP tables are not part of the schema; text in strings is text.
    session().exec("INSERT INTO tags (name) VALUES ('green; DROP TABLE tags'); UPDATE tags SET \"Weight\" = 1; "
                   "DELETE FROM tags WHERE name = 'blue'");
    session().exec("CREATE TEMP TABLE scratch AS SELECT name FROM tags");
    EXPECT_EQ(count("tags"), 2);
    session().set_data_only(false);
    session().exec("CREATE TABLE allowed (a integer)");
    EXPECT_TRUE(dialect().table_exists(session(), "allowed"));
}

TEST_F(PostgresTest, ConnectionBindsQuestionMarkParameters) {
    create_library();
    Connection& c = session().connection();
    EXPECT_STREQ(c.dialect(), "postgresql");
    c.exec("INSERT INTO authors (id, name, \"Mixed Case\", \"order\") VALUES (?, ?, ?, ?)", {10, "Zoë \"Z\" ?", nullptr, 2});
    EXPECT_EQ(c.changes(), 1);
    c.exec("UPDATE authors SET \"order\" = \"order\" + ? WHERE id < ?", {1, 3LL});
    EXPECT_EQ(c.changes(), 2);

    auto rows = c.query(
        "SELECT id, name, \"Mixed Case\", \"order\", '?' AS q, $$?$$ AS d FROM authors WHERE id = ? OR name = ? "
        "ORDER BY id",
        {10, "Ann"});
    ASSERT_TRUE(rows.next());
    EXPECT_EQ(rows.columns(), 6);
    EXPECT_EQ(rows.integer(0), 1);
    EXPECT_STREQ(rows.text(1), "Ann");
    EXPECT_EQ(rows.real(3), 2.0);
    EXPECT_STREQ(rows.text(4), "?") << "a ? inside quotes is text";
    EXPECT_STREQ(rows.text(5), "?");
    ASSERT_TRUE(rows.next());
    EXPECT_EQ(rows.integer(0), 10);
    EXPECT_STREQ(rows.text(1), "Zoë \"Z\" ?");
    EXPECT_TRUE(rows.is_null(2));
    EXPECT_STREQ(rows.text(2), "");
    EXPECT_FALSE(rows.next());

    // ?? is the jsonb ? operator; $n placeholders work when there is no ?.
    auto j = c.query("SELECT '{\"k\": 1}'::jsonb ?? 'k', $1::int + $2::int", {2, 3});
    ASSERT_TRUE(j.next());
    EXPECT_EQ(j.integer(0), 1);
    EXPECT_EQ(j.integer(1), 5);

    try {
        c.exec("DELETE FROM authors WHERE id = ?", {1, 2});
        FAIL() << "expected a usage error";
    } catch (const Error& e) {
        EXPECT_EQ(e.kind(), ErrorKind::usage);
        EXPECT_NE(std::string(e.what()).find("1 placeholder(s) but 2 parameter(s)"), std::string::npos) << e.what();
    }
    c.exec("DELETE FROM tags; INSERT INTO tags (name) VALUES ('one'); INSERT INTO tags (name) VALUES ('two')");
    EXPECT_EQ(count("tags"), 2) << "without parameters several statements run";
}

TEST_F(PostgresTest, PostgresErrorsCarryTheStatementAndTheSqlstate) {
    create_library();
    const std::string statement = "INSERT INTO authors (id, name) VALUES (1, 'again')";
    try {
        session().exec(statement);
        FAIL() << "expected an error";
    } catch (const Error& e) {
        EXPECT_EQ(e.kind(), ErrorKind::database);
        EXPECT_EQ(e.sql(), statement);
        EXPECT_EQ(e.sqlstate(), "23505");
        EXPECT_NE(std::string(e.what()).find("duplicate key value violates unique constraint \"pk_authors\""),
                  std::string::npos)
            << e.what();
    }
    try {
        session().connection().exec("INSERT INTO books (author_id, title) VALUES (?, ?)", {77, "x"});
        FAIL() << "expected an error";
    } catch (const Error& e) {
        EXPECT_EQ(e.sqlstate(), "23503");
    }
    try {
        session().query("SELECT nope FROM authors");
        FAIL() << "expected an error";
    } catch (const Error& e) {
        EXPECT_EQ(e.sqlstate(), "42703");
        EXPECT_EQ(e.sql(), "SELECT nope FROM authors");
        EXPECT_EQ(std::string(e.what()).rfind("PostgreSQL: column \"nope\" does not exist", 0), 0u) << e.what();
    }
}

TEST_F(PostgresTest, TransactionsRollBackDdlAndAFailedOneCannotBeCommitted) {
    EXPECT_FALSE(session().in_transaction());
    session().begin();
    EXPECT_TRUE(session().in_transaction());
    session().exec("CREATE TABLE t (a integer)");
    session().rollback();
    EXPECT_FALSE(session().in_transaction());
    EXPECT_FALSE(dialect().table_exists(session(), "t")) << "DDL rolls back";
    session().rollback();  // harmless when there is no transaction

    session().begin();
    session().exec("CREATE TABLE t (a integer)");
    EXPECT_THROW(session().exec("INSERT INTO t VALUES ('not a number')"), Error);
    try {
        session().commit();
        FAIL() << "expected the commit to refuse";
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find("was rolled back: a statement in it failed earlier"), std::string::npos)
            << e.what();
    }
    EXPECT_FALSE(session().in_transaction());
    EXPECT_FALSE(dialect().table_exists(session(), "t"));
}

TEST_F(PostgresTest, StatementsMarkedOutsideTheTransactionRunInAnAutocommitBlock) {
    create_library();
    ExecuteSql op;
    op.up = "CREATE INDEX CONCURRENTLY ix_tags_weight ON tags (\"Weight\")";
    op.down = "DROP INDEX CONCURRENTLY ix_tags_weight";
    op.effect = SqlEffect::schema;
    op.equivalent = {CreateIndex{"tags", Index{"ix_tags_weight", {key("Weight")}, false, std::nullopt}}};
    op.outside_transaction = true;
    std::vector<Op> ops{AddColumn{"tags", column("x", integer()), std::nullopt}, op};
    migrate(ops);
    expect_matches_replay("after the concurrent index");
    EXPECT_EQ(value("SELECT indisvalid FROM pg_index WHERE indexrelid = 'ix_tags_weight'::regclass"), "t");
}

// ---- enum types, arrays, other schemas --------------------------------------------

TEST_F(PostgresTest, EnumTypesAndArraysRoundTripWithTheirRows) {
    create_library();
    Column mood = column("mood", enum_type("mood"), false, "'happy'");
    Column moods = column("moods", array_of(enum_type("mood")));
    Column scores = column("scores", array_of(integer()), true, "'{}'");
    Column labels = column("labels", array_of(varchar(20)));
    migrate({CreateEnum{EnumType{"mood", {"happy", "sad"}}}, AddColumn{"authors", mood, std::nullopt},
             AddColumn{"authors", moods, std::nullopt}, AddColumn{"authors", scores, std::nullopt},
             AddColumn{"authors", labels, std::nullopt},
             AddConstraint{"authors", CheckConstraint{"ck_authors_mood", "mood <> 'sad' OR name <> ''"}}});
    expect_matches_replay("after the enum and the arrays");
    session().exec("UPDATE authors SET mood = 'sad', moods = ARRAY['sad', 'happy']::mood[], scores = '{1,2}', "
                   "labels = ARRAY['a b', 'c'] WHERE name = 'Bob'");
    EXPECT_EQ(value("SELECT moods::text FROM authors WHERE name = 'Bob'"), "{sad,happy}");
    EXPECT_THROW(session().exec("UPDATE authors SET mood = 'angry'"), Error) << "the server checks the values";

    // A value added in place, another before it; then the list reordered without
    // a value nobody holds: the type is recreated and the columns converted.
    AlterEnum add;
    add.name = "mood";
    add.add_value = "meh";
    AlterEnum add_first;
    add_first.name = "mood";
    add_first.add_value = "ecstatic";
    add_first.add_before = "happy";
    migrate({add, add_first});
    expect_matches_replay("after adding values");
    EXPECT_EQ(value("SELECT string_agg(e::text, ',') FROM unnest(enum_range(NULL::mood)) e"), "ecstatic,happy,sad,meh");
    AlterEnum reorder;
    reorder.name = "mood";
    reorder.values = std::vector<std::string>{"sad", "meh", "happy"};
    std::vector<Op> ops{reorder};
    migrate(ops);
    expect_matches_replay("after removing a value");
    EXPECT_EQ(value("SELECT mood::text || ' ' || moods::text FROM authors WHERE name = 'Bob'"), "sad {sad,happy}")
        << "the rows kept their values through the conversion";
    EXPECT_EQ(value("SELECT column_default FROM information_schema.columns WHERE column_name = 'mood'"),
              "'happy'::mood");

    // Everything undone, last op first: back to the library, rows intact.
    std::vector<Op> undo = reverse(ops.front());
    migrate(undo);
    EXPECT_EQ(value("SELECT string_agg(e::text, ',') FROM unnest(enum_range(NULL::mood)) e"), "ecstatic,happy,sad,meh");
    std::vector<Op> down{DropConstraint{"authors", "ck_authors_mood", std::nullopt}, drop_column("authors", "labels"),
                         drop_column("authors", "scores"), drop_column("authors", "moods"),
                         drop_column("authors", "mood"), DropEnum{"mood", std::nullopt}};
    migrate(down);
    expect_matches_replay("after dropping them");
    EXPECT_EQ(value("SELECT count(*) FROM pg_type WHERE typname = 'mood'"), "0");
    EXPECT_EQ(count("authors"), 3);
}

TEST_F(PostgresTest, EnumsOfTheModelAreNotListedAsUnmodeled) {
    migrate({CreateEnum{EnumType{"Shelf State", {"new", "it's used"}}}});
    session().exec("CREATE DOMAIN positive AS integer CHECK (VALUE > 0)");
    auto objects = dialect().unmodeled_objects(session());
    ASSERT_EQ(objects.size(), 1u);
    EXPECT_EQ(to_string(objects[0]), "domain positive");
    Schema s = reflect();
    ASSERT_EQ(s.enums.size(), 1u);
    EXPECT_EQ(s.enums.at("Shelf State").values, (std::vector<std::string>{"new", "it's used"}));
}

TEST_F(PostgresTest, AppendedRowsKeepEveryCharacterAndNullAndAFailedCopyIsNamedAndRolledBack) {
    session().exec("CREATE TABLE notes (id bigint PRIMARY KEY, body text, tag varchar(8))");
    const std::vector<std::string> columns{"id", "body", "tag"};
    const std::vector<Row> rows{{"1", "tab\there, new\nline, cr\r, back\\slash \\N", "a"},
                                {"2", std::nullopt, std::nullopt},
                                {"3", "", "it's"},
                                {"4", "\\.", "\"quoted\""}};
    dialect().append_rows(session(), "\"notes\"", columns, rows);
    std::vector<Row> back;
    for (const auto& row : session().query("SELECT id::text, body, tag FROM notes ORDER BY id")) back.push_back(row);
    EXPECT_EQ(back, rows);

    // A value the column refuses: the error names the COPY, the transaction fails
    // as a statement's would, and the session goes on after the rollback.
    session().begin();
    try {
        dialect().append_rows(session(), "\"notes\"", columns, {{"5", "ok", "too long for eight"}});
        FAIL() << "a value longer than varchar(8) was copied";
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find("value too long"), std::string::npos) << e.what();
        EXPECT_NE(e.sql().find("COPY \"notes\" (\"id\", \"body\", \"tag\") FROM STDIN"), std::string::npos) << e.sql();
    }
    EXPECT_THROW(session().commit(), Error) << "a failed COPY fails its transaction";
    EXPECT_EQ(value("SELECT count(*) FROM notes"), "4");
}

TEST_F(PostgresTest, RowsAppendedToAMissingTableAreRefusedBeforeAnyDataAndTheSessionGoesOn) {
    try {
        dialect().append_rows(session(), "\"no_such_table\"", {"id"}, {{"1"}});
        FAIL() << "rows were appended to a table that does not exist";
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find("no_such_table"), std::string::npos) << e.what();
        EXPECT_EQ(e.sqlstate(), "42P01");
        EXPECT_EQ(e.sql(), "COPY \"no_such_table\" (\"id\") FROM STDIN");
    }
    EXPECT_EQ(value("SELECT 1"), "1") << "the session runs queries again";
}

TEST_F(PostgresTest, UnmodeledObjectsAskedForLaterAreTheSameListAndTheSessionIsFreeAfterwards) {
    session().exec("CREATE TABLE books (id integer PRIMARY KEY)");
    session().exec("CREATE VIEW all_books AS SELECT * FROM books");
    session().exec("CREATE FUNCTION one() RETURNS integer LANGUAGE sql AS 'SELECT 1'");
    auto later = dialect().unmodeled_objects_later(session());
    std::vector<std::string> listed;
    for (const auto& o : later()) listed.push_back(to_string(o));
    EXPECT_EQ(listed, (std::vector<std::string>{"function one", "view all_books"}));
    EXPECT_EQ(value("SELECT count(*) FROM books"), "0") << "the session runs queries again";
}

TEST_F(PostgresTest, UnmodeledObjectsAskedForAndNeverReadLeaveTheSessionUsable) {
    session().exec("CREATE VIEW answer AS SELECT 42 AS n");
    {
        // What an error between asking and reading leaves behind: the answer is
        // read and dropped, and the session leaves libpq's pipeline mode.
        auto later = dialect().unmodeled_objects_later(session());
    }
    EXPECT_EQ(value("SELECT n FROM answer"), "42");
    session().begin();
    session().exec("CREATE TABLE t (id integer)");
    session().rollback();
    EXPECT_EQ(value("SELECT count(*) FROM pg_class WHERE relname = 't'"), "0");
}

TEST_F(PostgresTest, TablesOfAnotherSchemaAreNamedWithIt) {
    create_library();
    session().exec("CREATE SCHEMA sales");
    Table orders;
    orders.name = "sales.orders";
    orders.columns = {column("id", integer(), false), column("author_id", integer()), column("state", enum_type("sales.state"))};
    orders.columns[0].identity = Identity::by_default;
    orders.primary_key = PrimaryKey{"", {"id"}};
    orders.foreign_keys = {ForeignKey{"", {"author_id"}, "authors", {"id"}, Action::no_action, Action::no_action}};
    orders.checks = {CheckConstraint{"", "author_id > 0"}};
    orders.indexes = {Index{"", {key("author_id")}, false, std::nullopt}};
    Table lines;
    lines.name = "sales.lines";
    lines.columns = {column("order_id", integer(), false)};
    lines.foreign_keys = {ForeignKey{"fk_lines_order", {"order_id"}, "sales.orders", {"id"}, Action::cascade,
                                     Action::no_action}};
    migrate({CreateEnum{EnumType{"sales.state", {"open", "paid"}}}, CreateTable{orders}, CreateTable{lines},
             AddColumn{"sales.orders", column("note", text()), std::nullopt},
             CreateIndex{"sales.orders", Index{"ix_orders_note", {key("note")}, false, std::nullopt}, true}});
    ReflectOptions options;
    options.schemas = {"sales"};
    Schema live = dialect().reflect(session(), options);
    EXPECT_EQ(dump(live), dump(dialect().normalize(m_replay)));
    EXPECT_TRUE(live == dialect().normalize(m_replay));
    EXPECT_EQ(live.tables.at("sales.orders").primary_key->name, "orders_pkey");
    EXPECT_TRUE(dialect().table_exists(session(), "sales.orders"));
    EXPECT_FALSE(dialect().table_exists(session(), "orders"));
    EXPECT_EQ(reflect().tables.count("sales.orders"), 0u) << "without the schema, only the current one is read";

    // (A table whose constraints PostgreSQL named is not renamed here: the server keeps
    // the old names, which only a reflection knows. Builders always name them.)
    std::vector<Op> down{DropIndex{"sales.orders", "ix_orders_note", std::nullopt, true},
                         RenameTable{"sales.lines", "sales.order_lines"}, DropTable{"sales.order_lines", {}}};
    migrate(down);
    live = dialect().reflect(session(), options);
    EXPECT_EQ(dump(live), dump(dialect().normalize(m_replay)));
}

// ---- CREATE INDEX CONCURRENTLY, offline SQL and transactions through the Migrator ----

void create_items(Ops& op) {
    op.create_table("items", {col("id", integer()).primary_key(), col("code", varchar(20))});
    op.execute(retort::sql("INSERT INTO items VALUES (1, 'a'), (2, 'a'), (3, 'b')").down("DELETE FROM items"));
}
void index_items(Ops& op) { op.create_index("items", index("ix_items_code", {"code"}).unique().concurrently()); }
void add_items_note(Ops& op) { op.add_column("items", col("note", text())); }

RevisionGraph items_graph() {
    std::vector<Revision> revisions(3);
    revisions[0].id = "cccc00000001";
    revisions[0].message = "items";
    revisions[0].upgrade = &create_items;
    revisions[1].id = "cccc00000002";
    revisions[1].down_revisions = {"cccc00000001"};
    revisions[1].message = "unique code, built concurrently";
    revisions[1].upgrade = &index_items;
    revisions[2].id = "cccc00000003";
    revisions[2].down_revisions = {"cccc00000002"};
    revisions[2].message = "note";
    revisions[2].upgrade = &add_items_note;
    return RevisionGraph::build(revisions);
}

TEST_F(PostgresTest, AFailedConcurrentIndexIsReportedWithTheCommandThatDropsIt) {
    RevisionGraph graph = items_graph();
    Migrator m(graph, session());
    // Duplicate codes: the unique index cannot be built, and CONCURRENTLY leaves it INVALID.
    try {
        m.upgrade("head");
        FAIL() << "expected the unique index to fail";
    } catch (const Error& e) {
        EXPECT_EQ(e.kind(), ErrorKind::migration);
        EXPECT_EQ(std::string(e.what()).rfind("CREATE INDEX CONCURRENTLY failed and left the INVALID index "
                                              "\"ix_items_code\" behind: PostgreSQL: could not create unique index",
                                              0),
                  0u)
            << e.what();
        EXPECT_EQ(e.hint(), "drop it with DROP INDEX CONCURRENTLY \"ix_items_code\"; then run the upgrade again "
                            "(once the cause above is fixed)");
        EXPECT_EQ(e.revision(), "cccc00000002");
    }
    EXPECT_EQ(m.current(), std::vector<std::string>{"cccc00000001"}) << "the version table stays where it was";
    EXPECT_EQ(value("SELECT indisvalid FROM pg_index WHERE indexrelid = 'ix_items_code'::regclass"), "f");
    EXPECT_EQ(m.reflect().tables.at("items").indexes.size(), 0u) << "reflection leaves the INVALID index out";
    auto objects = dialect().unmodeled_objects(session());
    ASSERT_EQ(objects.size(), 1u);
    EXPECT_EQ(to_string(objects[0]), "invalid index ix_items_code on items");

    // The next run reports the index left behind before trying again.
    session().exec("UPDATE items SET code = 'c' WHERE id = 2");
    try {
        m.upgrade("head");
        FAIL() << "expected the INVALID index to be reported";
    } catch (const Error& e) {
        EXPECT_EQ(std::string(e.what()), "the index \"ix_items_code\" exists but is INVALID: an earlier CREATE "
                                         "INDEX CONCURRENTLY of it failed");
        EXPECT_EQ(e.hint(), "drop it with DROP INDEX CONCURRENTLY \"ix_items_code\"; then run the upgrade again");
    }
    // The fix the message gives works.
    session().exec("DROP INDEX CONCURRENTLY \"ix_items_code\"");
    m.upgrade("head");
    EXPECT_EQ(m.current(), std::vector<std::string>{"cccc00000003"});
    EXPECT_EQ(value("SELECT indisvalid FROM pg_index WHERE indexrelid = 'ix_items_code'::regclass"), "t");
    EXPECT_EQ(dump(m.reflect()), dump(dialect().normalize(m.replayed_schema())));
    m.downgrade("cccc00000001");
    EXPECT_EQ(value("SELECT count(*) FROM pg_class WHERE relname = 'ix_items_code'"), "0");
}

TEST_F(PostgresTest, OfflineSqlPutsConcurrentStatementsBetweenTransactions) {
    RevisionGraph graph = items_graph();
    OfflineOptions options;
    const std::string script = offline_sql(graph, dialect(), Direction::upgrade, "head", options);
    const std::string index_part =
        "\n-- Running upgrade cccc00000001 -> cccc00000002, unique code, built concurrently\n"
        "CREATE UNIQUE INDEX CONCURRENTLY \"ix_items_code\" ON \"items\" (\"code\");\n"
        "BEGIN;\n"
        "UPDATE \"retort_version\" SET version_num = 'cccc00000002' WHERE version_num = 'cccc00000001';\n";
    EXPECT_NE(script.find(index_part), std::string::npos) << script;
    // The script runs as it is (psql would run it the same way): the statements, the
    // transactions and the version tables.
    std::string no_duplicates = script;
    for (std::size_t at = no_duplicates.find("(2, 'a')"); at != std::string::npos;
         at = no_duplicates.find("(2, 'a')", at))
        no_duplicates.replace(at, 8, "(2, 'z')");
    // One statement at a time, as psql sends them (a multi-statement string would be
    // one implicit transaction, which CREATE INDEX CONCURRENTLY refuses).
    for (std::size_t from = 0, end; (end = no_duplicates.find(";\n", from)) != std::string::npos; from = end + 2)
        session().exec(no_duplicates.substr(from, end - from + 1));
    Migrator m(graph, session());
    EXPECT_EQ(m.current(), std::vector<std::string>{"cccc00000003"});
    EXPECT_EQ(value("SELECT indisvalid FROM pg_index WHERE indexrelid = 'ix_items_code'::regclass"), "t");
    EXPECT_EQ(dump(m.reflect()), dump(dialect().normalize(m.replayed_schema())));

    // Whole-run: one transaction, broken only around the concurrent statement.
    options.tx_mode = TxMode::whole_run;
    const std::string whole = offline_sql(graph, dialect(), Direction::upgrade, "head", options);
    auto occurrences = [&](const std::string& text, const std::string& what) {
        std::size_t n = 0;
        for (std::size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
        return n;
    };
    EXPECT_EQ(occurrences(whole, "BEGIN;"), 2u) << whole;
    EXPECT_EQ(occurrences(whole, "COMMIT;"), 2u) << whole;
    EXPECT_LT(whole.find("COMMIT;\nCREATE UNIQUE INDEX CONCURRENTLY"), whole.find("ALTER TABLE \"items\" ADD COLUMN"));
}

void fail_after_table(Ops& op) {
    op.create_table("half", {col("id", integer()).primary_key()});
    op.execute(retort::sql("INSERT INTO nowhere VALUES (1)"));
}

RevisionGraph failing_third() {
    std::vector<Revision> revisions(3);
    revisions[0].id = "dddd00000001";
    revisions[0].upgrade = &create_t1;
    revisions[1].id = "dddd00000002";
    revisions[1].down_revisions = {"dddd00000001"};
    revisions[1].upgrade = &create_t2;
    revisions[2].id = "dddd00000003";
    revisions[2].down_revisions = {"dddd00000002"};
    revisions[2].message = "fails halfway";
    revisions[2].upgrade = &fail_after_table;
    return RevisionGraph::build(revisions);
}

TEST_F(PostgresTest, OneTransactionPerMigrationKeepsTheGoodOnesWhenALaterOneFails) {
    RevisionGraph graph = failing_third();
    Migrator m(graph, session());
    try {
        m.upgrade("head");
        FAIL() << "expected the third migration to fail";
    } catch (const Error& e) {
        EXPECT_EQ(e.revision(), "dddd00000003");
        EXPECT_NE(std::string(e.what()).find("relation \"nowhere\" does not exist"), std::string::npos) << e.what();
        EXPECT_EQ(e.hint(), "nothing of this migration was kept: the database is still at dddd00000002. Fix the "
                            "migration or the data, then run the command again");
    }
    EXPECT_EQ(m.current(), std::vector<std::string>{"dddd00000002"});
    EXPECT_EQ(value("SELECT string_agg(revision, ',' ORDER BY revision) FROM retort_version_history"),
              "dddd00000001,dddd00000002");
    EXPECT_FALSE(dialect().table_exists(session(), "half")) << "the failed migration's table rolled back with it";
    EXPECT_EQ(dump(m.reflect()), dump(dialect().normalize(m.replayed_schema())));
}

TEST_F(PostgresTest, AWholeRunTransactionKeepsNothingWhenAMigrationFails) {
    RevisionGraph graph = failing_third();
    MigratorOptions options;
    options.tx_mode = TxMode::whole_run;
    Migrator m(graph, session(), options);
    EXPECT_THROW(m.upgrade("head"), Error);
    EXPECT_EQ(m.current(), std::vector<std::string>{});
    EXPECT_FALSE(dialect().table_exists(session(), "t1"));
    EXPECT_FALSE(dialect().table_exists(session(), "t2"));
    EXPECT_EQ(value("SELECT count(*) FROM retort_version_history"), "0");
    // The same run without the failing migration commits all of it at once.
    m.upgrade("dddd00000002");
    EXPECT_EQ(m.current(), std::vector<std::string>{"dddd00000002"});
    EXPECT_EQ(value("SELECT count(*) FROM retort_version_history"), "2");
}

// ---- the schema load (MigratorOptions::schema_load), its statements in a pipeline -------

void create_300_tables(Ops& op) {
    for (int i = 0; i < 300; ++i) {
        char name[16];
        std::snprintf(name, sizeof name, "p%03d", i);
        op.create_table(name, {col("id", integer()).primary_key(), col("v", text())});
    }
}

RevisionGraph three_hundred_tables() {
    std::vector<Revision> revisions(2);
    revisions[0].id = "eeee00000001";
    revisions[0].upgrade = &create_300_tables;
    revisions[1].id = "eeee00000002";
    revisions[1].down_revisions = {"eeee00000001"};
    revisions[1].upgrade = &create_t1;
    return RevisionGraph::build(revisions);
}

TEST_F(PostgresTest, TheSchemaLoadBuildsWhatSteppingThroughEachRevisionBuilds) {
    RevisionGraph graph = three_revisions();
    TestDatabase stepped_db(test_label() + "_stepped");
    auto stepped = retort::connect(stepped_db.url());
    Migrator step(graph, *stepped);
    step.upgrade("head");
    MigratorOptions options;
    options.schema_load = true;
    Migrator load(graph, session(), options);
    EXPECT_EQ(load.upgrade("head").steps.size(), 3u);
    EXPECT_EQ(dump(load.reflect()), dump(step.reflect()));
    EXPECT_EQ(load.current(), std::vector<std::string>{"aaaa00000003"});
    EXPECT_EQ(value("SELECT string_agg(revision || ' ' || how, ',' ORDER BY seq) FROM retort_version_history"),
              "aaaa00000001 load,aaaa00000002 load,aaaa00000003 load");
}

TEST_F(PostgresTest, AFailingStatementOfTheSchemaLoadIsNamedWithItsOpAndNothingIsKept) {
    // The load sends its statements in batches: one failing early in a batch, and one
    // in a batch after the first (the 301 tables need two), are each reported with
    // their own op and statement, and every table made before them rolls back.
    RevisionGraph graph = three_hundred_tables();
    for (const std::string table : {"p001", "p280"}) {
        SCOPED_TRACE(table);
        TestDatabase db(test_label() + "_" + table);
        auto s = retort::connect(db.url());
        s->exec("CREATE TABLE " + table + " (made_by_hand integer)");
        MigratorOptions options;
        options.schema_load = true;
        Migrator m(graph, *s, options);
        try {
            m.upgrade("head");
            ADD_FAILURE() << "the schema load ran over an existing table";
        } catch (const Error& e) {
            EXPECT_NE(std::string(e.what()).find("relation \"" + table + "\" already exists"), std::string::npos)
                << e.describe();
            EXPECT_EQ(e.sqlstate(), "42P07");
            EXPECT_EQ(e.op(), "create_table " + table) << e.describe();
            EXPECT_EQ(e.sql().rfind("CREATE TABLE \"" + table + "\"", 0), 0u) << e.describe();
            EXPECT_NE(e.hint().find("without --schema-load"), std::string::npos) << e.describe();
        }
        EXPECT_TRUE(m.current().empty());
        EXPECT_EQ(retort::postgres::dialect()->table_exists(*s, "p000"), false);
        EXPECT_EQ(retort::postgres::dialect()->table_exists(*s, "p299"), false);
        EXPECT_EQ(retort::postgres::dialect()->table_exists(*s, table), true) << "the table made by hand stays";
        // The session is usable again: the load rolled back, the pipeline ended.
        EXPECT_EQ(s->query("SELECT 1").size(), 1u);
    }
}

TEST_F(PostgresTest, TheVersionTablesChangeInTheMigrationsTransaction) {
    // The history row is written last, in the migration's transaction: make writing
    // it fail, and the schema change and the version table roll back with it.
    RevisionGraph graph = three_revisions();
    Migrator m(graph, session());
    m.upgrade("aaaa00000001");
    session().exec(R"sql(
        CREATE FUNCTION refuse_history() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF NEW.revision = 'aaaa00000002' THEN RAISE EXCEPTION 'history refused'; END IF;
            RETURN NEW;
        END $$;
        CREATE TRIGGER refuse BEFORE INSERT ON retort_version_history
            FOR EACH ROW EXECUTE FUNCTION refuse_history();)sql");
    try {
        m.upgrade("head");
        FAIL() << "expected the history write to fail";
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find("history refused"), std::string::npos) << e.what();
    }
    EXPECT_EQ(m.current(), std::vector<std::string>{"aaaa00000001"});
    EXPECT_FALSE(dialect().table_exists(session(), "t2")) << "the migration rolled back with its history row";
    session().exec("DROP TRIGGER refuse ON retort_version_history");
    m.upgrade("head");
    EXPECT_EQ(m.current(), std::vector<std::string>{"aaaa00000003"});
}

TEST_F(PostgresTest, ALostConnectionFailsClearlyAndNeverContinuesOnANewOne) {
    session().begin();
    session().exec("CREATE TABLE half (a integer)");
    std::string pid = value("SELECT pg_backend_pid()");
    auto admin = retort::connect(m_db->url());
    admin->query("SELECT pg_terminate_backend(" + pid + ")");
    try {
        session().exec("CREATE TABLE other_half (a integer)");
        FAIL() << "expected an error";
    } catch (const Error& e) {
        EXPECT_EQ(e.kind(), ErrorKind::database);
        EXPECT_NE(std::string(e.what()).find("lost the connection to PostgreSQL at "), std::string::npos) << e.what();
        EXPECT_NE(e.hint().find("rolled back the open transaction"), std::string::npos) << e.hint();
    }
    EXPECT_FALSE(session().in_transaction());
    EXPECT_THROW(session().exec("SELECT 1"), Error) << "no silent reconnection";
    EXPECT_FALSE(dialect().table_exists(*admin, "half")) << "the server rolled the transaction back";
}

// ---- URLs and connection failures ------------------------------------------------------

int free_port() {
    int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = 0;
    ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
    socklen_t len = sizeof addr;
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
    int port = ntohs(addr.sin_port);
    ::close(fd);
    return port;
}

std::string connect_error(const std::string& url) {
    try {
        retort::connect(url);
    } catch (const Error& e) {
        return e.describe();
    }
    return "(connected)";
}

TEST_F(PostgresTest, ConnectionRefusedSaysWhereTheServerShouldBe) {
    const int port = free_port();
    const std::string url = "postgresql://someone:s3cret-pw@127.0.0.1:" + std::to_string(port) + "/db";
    try {
        retort::connect(url);
        FAIL() << "expected an error";
    } catch (const Error& e) {
        EXPECT_EQ(e.kind(), ErrorKind::database);
        EXPECT_EQ(std::string(e.what()), "cannot connect to PostgreSQL at postgresql://someone:***@127.0.0.1:" +
                                             std::to_string(port) + "/db: connection refused: is the server running on "
                                             "127.0.0.1:" + std::to_string(port) + "?");
        EXPECT_NE(e.hint().find("start PostgreSQL"), std::string::npos);
        EXPECT_EQ(e.describe().find("s3cret-pw"), std::string::npos);
    }
}

/// A port on 127.0.0.1 where connections are accepted (the kernel completes them:
/// the socket listens) and never answered: a server that hangs.
class SilentServer {
public:
    SilentServer() {
        m_fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        sockaddr_in addr{};
        addr.sin_family = AF_INET;
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        ::bind(m_fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
        ::listen(m_fd, 16);
        socklen_t len = sizeof addr;
        ::getsockname(m_fd, reinterpret_cast<sockaddr*>(&addr), &len);
        m_port = ntohs(addr.sin_port);
    }
    SilentServer(const SilentServer&) = delete;
    SilentServer& operator=(const SilentServer&) = delete;
    ~SilentServer() { close(); }
    int port() const { return m_port; }
    /// Resets the connections waiting on it: a client still waiting gets an error.
    void close() {
        if (m_fd >= 0) ::close(m_fd);
        m_fd = -1;
    }

private:
    int m_fd = -1;
    int m_port = 0;
};

TEST_F(PostgresTest, AConnectionAttemptToAServerThatNeverAnswersIsGivenUpWhenStopped) {
    SilentServer server;
    // connect_timeout=0: libpq would wait for an answer forever.
    const std::string url =
        "postgresql://app:pw-silent-1@127.0.0.1:" + std::to_string(server.port()) + "/shop?connect_timeout=0";
    std::stop_source stop;
    std::promise<std::string> outcome;
    std::future<std::string> result = outcome.get_future();
    std::thread attempt([&] {
        try {
            retort::connect(url, OpenMode::existing, stop.get_token());
            outcome.set_value("(connected)");
        } catch (const Error& e) {
            outcome.set_value(e.describe());
        }
    });
    EXPECT_EQ(result.wait_for(std::chrono::milliseconds(100)), std::future_status::timeout) << "still waiting";
    stop.request_stop();
    // Only a hang detector: without the stop the attempt never ends, so after a
    // minute the server goes away to end it (and the test fails).
    const bool stopped = result.wait_for(std::chrono::seconds(60)) == std::future_status::ready;
    if (!stopped) server.close();
    attempt.join();
    ASSERT_TRUE(stopped) << "the attempt did not stop when asked";
    const std::string error = result.get();
    EXPECT_NE(error.find("gave up connecting to PostgreSQL"), std::string::npos) << error;
    EXPECT_EQ(error.find("pw-silent-1"), std::string::npos) << error;
}

TEST_F(PostgresTest, AServerThatNeverAnswersIsGivenUpAfterConnectTimeoutAlsoWhenTheAttemptCanBeStopped) {
    // libpq leaves connect_timeout to whoever polls the connection, as a stoppable
    // attempt does: it keeps it as PQconnectdb does.
    SilentServer server;
    const std::string port = std::to_string(server.port());
    const std::string url = "postgresql://app:pw-silent-2@127.0.0.1:" + port + "/shop?connect_timeout=1";
    std::stop_source stop;
    for (bool stoppable : {false, true}) {
        SCOPED_TRACE(stoppable ? "stoppable" : "not stoppable");
        try {
            if (stoppable)
                retort::connect(url, OpenMode::existing, stop.get_token());
            else
                retort::connect(url, OpenMode::existing);
            ADD_FAILURE() << "connected to a server that never answers";
        } catch (const Error& e) {
            EXPECT_EQ(std::string(e.what()), "cannot connect to PostgreSQL at postgresql://app:***@127.0.0.1:" + port +
                                                 "/shop?connect_timeout=1: no answer from 127.0.0.1:" + port +
                                                 " (connect_timeout expired)");
        }
    }
}

TEST_F(PostgresTest, AWrongPasswordIsReportedWithoutThePassword) {
    Url url = Url::parse(m_db->url());
    url.password = "wrong-secret-4242";
    const std::string text = connect_error(url.str());
    if (text == "(connected)") GTEST_SKIP() << "this server does not check passwords (trust authentication)";
    EXPECT_NE(text.find("cannot connect to PostgreSQL at "), std::string::npos) << text;
    EXPECT_NE(text.find("password authentication failed for user \"" + url.user + "\""), std::string::npos) << text;
    EXPECT_NE(text.find(":***@"), std::string::npos) << text;
    EXPECT_EQ(text.find("wrong-secret-4242"), std::string::npos) << text;
    EXPECT_NE(text.find("check the password"), std::string::npos) << text;
}

TEST_F(PostgresTest, AMissingDatabaseSaysHowToCreateIt) {
    const std::string name = "retort_missing_" + std::to_string(::getpid());
    const std::string text = connect_error(retort::testing::url_with_database(m_db->server_url(), name));
    EXPECT_NE(text.find("database \"" + name + "\" does not exist; create it with createdb " + name), std::string::npos)
        << text;
    Url url = Url::parse(m_db->server_url());
    if (!url.password.empty()) {
        EXPECT_EQ(text.find(url.password), std::string::npos) << text;
    }
}

TEST_F(PostgresTest, AnUnknownRoleAndABadUrlOptionSayWhatIsWrong) {
    Url url = Url::parse(m_db->url());
    url.user = "nobody_here";
    url.password.clear();
    std::string text = connect_error(url.str());
    EXPECT_TRUE(text.find("role \"nobody_here\" does not exist") != std::string::npos ||
                text.find("password") != std::string::npos)
        << text;  // with password authentication the server may ask for one first

    try {
        retort::connect(m_db->url() + "?no_such_option=1");
        FAIL() << "expected an error";
    } catch (const Error& e) {
        EXPECT_EQ(e.kind(), ErrorKind::config);
        EXPECT_NE(std::string(e.what()).find("invalid connection option \"no_such_option\""), std::string::npos)
            << e.what();
    }
}

TEST_F(PostgresTest, SessionsDescribeThemselvesWithoutThePassword) {
    Url url = Url::parse(m_db->url());
    EXPECT_EQ(session().describe(), url.masked());
    if (!url.password.empty()) {
        EXPECT_EQ(session().describe().find(url.password), std::string::npos);
    }
    EXPECT_EQ(session().dialect().name(), "postgresql");
    EXPECT_EQ(value("SELECT current_setting('application_name')"), "retort");
}

/// The socket form of the fixture's server, when the suite started one.
std::string socket_url() {
    const char* file = std::getenv("RETORT_TEST_POSTGRES_URL_FILE");
    if (!file || std::getenv("RETORT_TEST_POSTGRES_URL")) return {};
    std::ifstream in(std::filesystem::path(file).parent_path() / "socket-url");
    std::string url;
    std::getline(in, url);
    return url;
}

TEST_F(PostgresTest, UnixSocketUrlsInBothForms) {
    const std::string base = socket_url();
    if (base.empty()) GTEST_SKIP() << "an external server: no socket to test";
    Url u = Url::parse(base);
    u.database = m_db->name();
    // postgresql://user@/db?host=/dir&port=N
    auto a = retort::connect(u.str());
    EXPECT_EQ(value_in(*a, "SELECT current_database()"), m_db->name());
    EXPECT_EQ(value_in(*a, "SELECT inet_server_addr() IS NULL"), "t") << "a unix socket has no address";
    // postgresql://user@%2Fdir:N/db
    std::string dir = u.query.at("host");
    std::string encoded;
    for (char c : dir) encoded += c == '/' ? std::string("%2F") : std::string(1, c);
    auto b = retort::connect("postgresql://" + u.user + "@" + encoded + ":" + u.query.at("port") + "/" + m_db->name());
    EXPECT_EQ(value_in(*b, "SELECT current_database()"), m_db->name());
}

TEST_F(PostgresTest, PgEnvironmentVariablesFillWhatTheUrlLeavesOut) {
    Url server = Url::parse(m_db->url());
    struct Env {
        const char* name;
        std::string value;
    };
    std::vector<Env> env = {{"PGHOST", server.host},
                            {"PGPORT", server.port ? std::to_string(server.port) : std::string()},
                            {"PGUSER", server.user},
                            {"PGPASSWORD", server.password}};
    for (const auto& e : env)
        if (!e.value.empty()) ::setenv(e.name, e.value.c_str(), 1);
    std::string text;
    try {
        auto s = retort::connect("postgresql:///" + m_db->name());
        text = value_in(*s, "SELECT current_database() || ' ' || current_user");
        EXPECT_EQ(s->describe(), "postgresql:///" + m_db->name());
    } catch (const Error& e) {
        text = e.describe();
    }
    for (const auto& e : env) ::unsetenv(e.name);
    EXPECT_EQ(text, m_db->name() + " " + server.user);
}

}  // namespace
