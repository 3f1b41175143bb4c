// Golden SQL of the SQLite dialect: for each op kind, the exact statements render()
// gives against a known schema, including a whole table rebuild, and the quoting of
// awkward names. No database: tests/integration/sqlite_backend_test.cpp runs them.
#include <retort/dialect/dialect.hpp>
#include <retort/error.hpp>
#include <retort/ops/ops.hpp>
#include <retort/sqlite/sqlite.hpp>

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace {

using namespace retort;

const Dialect& sqlite_dialect() { return *retort::sqlite::dialect(); }

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

/// authors(id, name, "Mixed Case") and books(id, author_id -> authors, title, price)
/// with an index, a unique and a check constraint.
Schema library() {
    Schema s;
    Table authors;
    authors.name = "authors";
    authors.columns = {column("id", integer(), false), column("name", varchar(200), false),
                       column("Mixed Case", text())};
    authors.primary_key = PrimaryKey{"pk_authors", {"id"}};
    s.tables.emplace("authors", authors);

    Table books;
    books.name = "books";
    books.columns = {column("id", integer(), false), column("author_id", integer(), false),
                     column("title", varchar(200)), column("price", numeric(10, 2), true, "0")};
    books.primary_key = PrimaryKey{"pk_books", {"id"}};
    books.foreign_keys = {ForeignKey{"fk_books_author_id_authors", {"author_id"}, "authors", {"id"}, Action::cascade,
                                     Action::no_action}};
    books.uniques = {UniqueConstraint{"uq_books_title", {"title"}}};
    books.checks = {CheckConstraint{"ck_books_price", "price >= 0"}};
    books.indexes = {Index{"ix_books_author_id", {key("author_id")}, false, std::nullopt}};
    s.tables.emplace("books", books);
    return s;
}

/// Renders `op` against `before`, after resolving it the way the runtime does.
std::vector<std::string> render(Op op, const Schema& before) {
    Schema after = before;
    apply(op, after);
    std::vector<std::string> out;
    for (const auto& st : sqlite_dialect().render(op, before)) out.push_back(st.sql);
    return out;
}

const std::vector<std::string> books_rebuild_tail = {
    "DROP TABLE \"books\"",
    "PRAGMA legacy_alter_table = ON",
    "ALTER TABLE \"_retort_new_books\" RENAME TO \"books\"",
    "PRAGMA legacy_alter_table = OFF",
    "CREATE INDEX \"ix_books_author_id\" ON \"books\" (\"author_id\")",
};

std::vector<std::string> rebuild_of_books(std::string create, std::string insert) {
    std::vector<std::string> out{std::move(create), std::move(insert)};
    out.insert(out.end(), books_rebuild_tail.begin(), books_rebuild_tail.end());
    return out;
}

struct GoldenCase {
    const char* name;
    Op op;
    std::vector<std::string> sql;
};

std::vector<GoldenCase> golden_cases() {
    Table order;
    order.name = "order";
    order.columns = {column("id", integer(), false), column("Customer Name", varchar(100), false, "'anonymous'"),
                     column("total", numeric(10, 2), false, "0"), column("placed_at", timestamp(), true, "CURRENT_TIMESTAMP"),
                     column("code", text(), true, "lower(hex(randomblob(4)))"), column("ratio", double_precision(), true, "-1.5"),
                     column("author_id", integer())};
    order.columns[0].autoincrement = true;
    order.columns[1].comment = "not stored by SQLite";
    order.comment = "nor this";
    order.primary_key = PrimaryKey{"pk_order", {"id"}};
    order.foreign_keys = {ForeignKey{"fk_order_author", {"author_id"}, "authors", {"id"}, Action::set_null, Action::cascade}};
    order.uniques = {UniqueConstraint{"uq_order_code", {"code"}}};
    order.checks = {CheckConstraint{"ck_order_total", "total >= 0"}};
    order.indexes = {Index{"ix_order_name", {expression("lower(\"Customer Name\")"), key("id")}, false, std::nullopt},
                     Index{"uq_order_open", {key("author_id")}, true, std::string("total > 0")}};

    Table plain;  // unnamed constraints, composite key, no AUTOINCREMENT
    plain.name = "Line Items";
    plain.columns = {column("order_id", integer(), false), column("line", smallint(), false), column("sku", varchar(20))};
    plain.primary_key = PrimaryKey{"", {"order_id", "line"}};
    plain.uniques = {UniqueConstraint{"", {"sku"}}};

    AlterColumn rename;
    rename.table = "authors";
    rename.column = "Mixed Case";
    rename.fields = field_name;
    rename.patch.name = "select";

    AlterColumn comment_only;
    comment_only.table = "books";
    comment_only.column = "title";
    comment_only.fields = field_comment;
    comment_only.patch.comment = "the title";

    AlterColumn retype;
    retype.table = "books";
    retype.column = "title";
    retype.fields = field_type;
    retype.patch.type = Type::from(text());

    AlterColumn not_null;
    not_null.table = "books";
    not_null.column = "price";
    not_null.fields = field_nullable | field_name;
    not_null.patch.nullable = false;
    not_null.patch.name = "unit_price";

    AlterColumn same_storage;  // jsonb and json are both JSON to SQLite
    same_storage.table = "authors";
    same_storage.column = "Mixed Case";
    same_storage.fields = field_type;
    same_storage.patch.type = Type::from(text());

    ExecuteSql data_sql;
    data_sql.up = "UPDATE books SET price = 0 WHERE price IS NULL";
    ExecuteSql pg_only;
    pg_only.up = "CREATE EXTENSION citext";
    pg_only.only_dialect = "postgresql";
    ExecuteSql vacuum;
    vacuum.up = "VACUUM";
    vacuum.only_dialect = "sqlite";
    vacuum.outside_transaction = true;

    const std::string books_create_text_title =
        "CREATE TABLE \"_retort_new_books\" (\n"
        "    \"id\" INTEGER NOT NULL,\n"
        "    \"author_id\" INTEGER NOT NULL,\n"
        "    \"title\" TEXT,\n"
        "    \"price\" NUMERIC(10, 2) DEFAULT 0,\n"
        "    CONSTRAINT \"pk_books\" PRIMARY KEY (\"id\"),\n"
        "    CONSTRAINT \"fk_books_author_id_authors\" FOREIGN KEY (\"author_id\") REFERENCES \"authors\" (\"id\") "
        "ON DELETE CASCADE,\n"
        "    CONSTRAINT \"uq_books_title\" UNIQUE (\"title\"),\n"
        "    CONSTRAINT \"ck_books_price\" CHECK (price >= 0)\n"
        ")";
    const std::string copy_all =
        "INSERT INTO \"_retort_new_books\" (\"id\", \"author_id\", \"title\", \"price\") "
        "SELECT \"id\", \"author_id\", \"title\", \"price\" FROM \"books\"";

    std::vector<GoldenCase> cases;
    cases.push_back({"create_table with every column and table feature", CreateTable{order},
                     {"CREATE TABLE \"order\" (\n"
                      "    \"id\" INTEGER NOT NULL CONSTRAINT \"pk_order\" PRIMARY KEY AUTOINCREMENT,\n"
                      "    \"Customer Name\" VARCHAR(100) NOT NULL DEFAULT 'anonymous',\n"
                      "    \"total\" NUMERIC(10, 2) NOT NULL DEFAULT 0,\n"
                      "    \"placed_at\" TIMESTAMP DEFAULT CURRENT_TIMESTAMP,\n"
                      "    \"code\" TEXT DEFAULT (lower(hex(randomblob(4)))),\n"
                      "    \"ratio\" DOUBLE PRECISION DEFAULT -1.5,\n"
                      "    \"author_id\" INTEGER,\n"
                      "    CONSTRAINT \"fk_order_author\" FOREIGN KEY (\"author_id\") REFERENCES \"authors\" (\"id\") "
                      "ON DELETE SET NULL ON UPDATE CASCADE,\n"
                      "    CONSTRAINT \"uq_order_code\" UNIQUE (\"code\"),\n"
                      "    CONSTRAINT \"ck_order_total\" CHECK (total >= 0)\n"
                      ")",
                      "CREATE INDEX \"ix_order_name\" ON \"order\" (lower(\"Customer Name\"), \"id\")",
                      "CREATE UNIQUE INDEX \"uq_order_open\" ON \"order\" (\"author_id\") WHERE total > 0"}});
    cases.push_back({"create_table with unnamed constraints and a composite key", CreateTable{plain},
                     {"CREATE TABLE \"Line Items\" (\n"
                      "    \"order_id\" INTEGER NOT NULL,\n"
                      "    \"line\" SMALLINT NOT NULL,\n"
                      "    \"sku\" VARCHAR(20),\n"
                      "    PRIMARY KEY (\"order_id\", \"line\"),\n"
                      "    UNIQUE (\"sku\")\n"
                      ")"}});
    cases.push_back({"drop_table", DropTable{"books", std::nullopt}, {"DROP TABLE \"books\""}});
    cases.push_back({"rename_table", RenameTable{"books", "Book \"List\""},
                     {"ALTER TABLE \"books\" RENAME TO \"Book \"\"List\"\"\""}});
    cases.push_back({"set_table_comment renders nothing", SetTableComment{"books", "Books", false, std::nullopt}, {}});
    cases.push_back({"add_column nullable is native", AddColumn{"books", column("isbn", varchar(20)), std::nullopt},
                     {"ALTER TABLE \"books\" ADD COLUMN \"isbn\" VARCHAR(20)"}});
    cases.push_back({"add_column NOT NULL with a constant default is native",
                     AddColumn{"books", column("stock", integer(), false, "0"), std::nullopt},
                     {"ALTER TABLE \"books\" ADD COLUMN \"stock\" INTEGER NOT NULL DEFAULT 0"}});
    cases.push_back({"add_column with REFERENCES is native",
                     AddColumn{"books", column("editor_id", integer()),
                               ForeignKey{"fk_books_editor", {"editor_id"}, "authors", {"id"}, Action::set_null,
                                          Action::no_action}},
                     {"ALTER TABLE \"books\" ADD COLUMN \"editor_id\" INTEGER CONSTRAINT \"fk_books_editor\" "
                      "REFERENCES \"authors\" (\"id\") ON DELETE SET NULL"}});
    cases.push_back({"add_column with CURRENT_TIMESTAMP default rebuilds",
                     AddColumn{"books", column("added", timestamp(), false, "CURRENT_TIMESTAMP"), std::nullopt},
                     rebuild_of_books(
                         "CREATE TABLE \"_retort_new_books\" (\n"
                         "    \"id\" INTEGER NOT NULL,\n"
                         "    \"author_id\" INTEGER NOT NULL,\n"
                         "    \"title\" VARCHAR(200),\n"
                         "    \"price\" NUMERIC(10, 2) DEFAULT 0,\n"
                         "    \"added\" TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,\n"
                         "    CONSTRAINT \"pk_books\" PRIMARY KEY (\"id\"),\n"
                         "    CONSTRAINT \"fk_books_author_id_authors\" FOREIGN KEY (\"author_id\") REFERENCES "
                         "\"authors\" (\"id\") ON DELETE CASCADE,\n"
                         "    CONSTRAINT \"uq_books_title\" UNIQUE (\"title\"),\n"
                         "    CONSTRAINT \"ck_books_price\" CHECK (price >= 0)\n"
                         ")",
                         copy_all)});
    cases.push_back({"add_column NOT NULL without a default rebuilds",
                     AddColumn{"authors", column("born", date(), false), std::nullopt},
                     {"CREATE TABLE \"_retort_new_authors\" (\n"
                      "    \"id\" INTEGER NOT NULL,\n"
                      "    \"name\" VARCHAR(200) NOT NULL,\n"
                      "    \"Mixed Case\" TEXT,\n"
                      "    \"born\" DATE NOT NULL,\n"
                      "    CONSTRAINT \"pk_authors\" PRIMARY KEY (\"id\")\n"
                      ")",
                      "INSERT INTO \"_retort_new_authors\" (\"id\", \"name\", \"Mixed Case\") "
                      "SELECT \"id\", \"name\", \"Mixed Case\" FROM \"authors\"",
                      "DROP TABLE \"authors\"", "PRAGMA legacy_alter_table = ON",
                      "ALTER TABLE \"_retort_new_authors\" RENAME TO \"authors\"", "PRAGMA legacy_alter_table = OFF"}});
    cases.push_back({"drop_column of a plain column is native", DropColumn{"authors", "Mixed Case", {}, {}, {}, {}},
                     {"ALTER TABLE \"authors\" DROP COLUMN \"Mixed Case\""}});
    cases.push_back({"drop_column of an indexed column rebuilds", DropColumn{"books", "author_id", {}, {}, {}, {}},
                     {"CREATE TABLE \"_retort_new_books\" (\n"
                      "    \"id\" INTEGER NOT NULL,\n"
                      "    \"title\" VARCHAR(200),\n"
                      "    \"price\" NUMERIC(10, 2) DEFAULT 0,\n"
                      "    CONSTRAINT \"pk_books\" PRIMARY KEY (\"id\"),\n"
                      "    CONSTRAINT \"uq_books_title\" UNIQUE (\"title\"),\n"
                      "    CONSTRAINT \"ck_books_price\" CHECK (price >= 0)\n"
                      ")",
                      "INSERT INTO \"_retort_new_books\" (\"id\", \"title\", \"price\") "
                      "SELECT \"id\", \"title\", \"price\" FROM \"books\"",
                      "DROP TABLE \"books\"", "PRAGMA legacy_alter_table = ON",
                      "ALTER TABLE \"_retort_new_books\" RENAME TO \"books\"", "PRAGMA legacy_alter_table = OFF"}});
    cases.push_back({"alter_column rename only is native", rename,
                     {"ALTER TABLE \"authors\" RENAME COLUMN \"Mixed Case\" TO \"select\""}});
    cases.push_back({"alter_column comment only renders nothing", comment_only, {}});
    cases.push_back({"alter_column to a type with the same SQLite spelling renders nothing", same_storage, {}});
    cases.push_back({"alter_column type rebuilds", retype, rebuild_of_books(books_create_text_title, copy_all)});
    auto renamed_then_rebuilt = [&](std::vector<std::string> rebuild) {
        rebuild.insert(rebuild.begin(), "ALTER TABLE \"books\" RENAME COLUMN \"price\" TO unit_price");
        return rebuild;
    };
    cases.push_back({"alter_column NOT NULL and rename renames natively, then rebuilds with NULLs taking the default",
                     not_null,
                     renamed_then_rebuilt(rebuild_of_books(
                         "CREATE TABLE \"_retort_new_books\" (\n"
                         "    \"id\" INTEGER NOT NULL,\n"
                         "    \"author_id\" INTEGER NOT NULL,\n"
                         "    \"title\" VARCHAR(200),\n"
                         "    \"unit_price\" NUMERIC(10, 2) NOT NULL DEFAULT 0,\n"
                         "    CONSTRAINT \"pk_books\" PRIMARY KEY (\"id\"),\n"
                         "    CONSTRAINT \"fk_books_author_id_authors\" FOREIGN KEY (\"author_id\") REFERENCES "
                         "\"authors\" (\"id\") ON DELETE CASCADE,\n"
                         "    CONSTRAINT \"uq_books_title\" UNIQUE (\"title\"),\n"
                         "    CONSTRAINT \"ck_books_price\" CHECK (unit_price >= 0)\n"
                         ")",
                         "INSERT INTO \"_retort_new_books\" (\"id\", \"author_id\", \"title\", \"unit_price\") "
                         "SELECT \"id\", \"author_id\", \"title\", coalesce(\"unit_price\", 0) FROM \"books\""))});
    cases.push_back({"create_index, unique and partial",
                     CreateIndex{"books", Index{"ix_books_lower_title", {expression("lower(title)")}, true,
                                                std::string("price > 0")}},
                     {"CREATE UNIQUE INDEX \"ix_books_lower_title\" ON \"books\" (lower(title)) WHERE price > 0"}});
    cases.push_back({"drop_index", DropIndex{"books", "ix_books_author_id", std::nullopt},
                     {"DROP INDEX \"ix_books_author_id\""}});
    cases.push_back({"add_constraint rebuilds",
                     AddConstraint{"authors", UniqueConstraint{"uq_authors_name", {"name"}}},
                     {"CREATE TABLE \"_retort_new_authors\" (\n"
                      "    \"id\" INTEGER NOT NULL,\n"
                      "    \"name\" VARCHAR(200) NOT NULL,\n"
                      "    \"Mixed Case\" TEXT,\n"
                      "    CONSTRAINT \"pk_authors\" PRIMARY KEY (\"id\"),\n"
                      "    CONSTRAINT \"uq_authors_name\" UNIQUE (\"name\")\n"
                      ")",
                      "INSERT INTO \"_retort_new_authors\" (\"id\", \"name\", \"Mixed Case\") "
                      "SELECT \"id\", \"name\", \"Mixed Case\" FROM \"authors\"",
                      "DROP TABLE \"authors\"", "PRAGMA legacy_alter_table = ON",
                      "ALTER TABLE \"_retort_new_authors\" RENAME TO \"authors\"", "PRAGMA legacy_alter_table = OFF"}});
    cases.push_back({"drop_constraint rebuilds", DropConstraint{"books", "ck_books_price", std::nullopt},
                     rebuild_of_books(
                         "CREATE TABLE \"_retort_new_books\" (\n"
                         "    \"id\" INTEGER NOT NULL,\n"
                         "    \"author_id\" INTEGER NOT NULL,\n"
                         "    \"title\" VARCHAR(200),\n"
                         "    \"price\" NUMERIC(10, 2) DEFAULT 0,\n"
                         "    CONSTRAINT \"pk_books\" PRIMARY KEY (\"id\"),\n"
                         "    CONSTRAINT \"fk_books_author_id_authors\" FOREIGN KEY (\"author_id\") REFERENCES "
                         "\"authors\" (\"id\") ON DELETE CASCADE,\n"
                         "    CONSTRAINT \"uq_books_title\" UNIQUE (\"title\")\n"
                         ")",
                         copy_all)});
    cases.push_back({"execute for every dialect", data_sql, {"UPDATE books SET price = 0 WHERE price IS NULL"}});
    cases.push_back({"execute for another dialect renders nothing", pg_only, {}});
    cases.push_back({"execute for sqlite", vacuum, {"VACUUM"}});
    cases.push_back({"run data renders nothing", RunData{}, {}});
    return cases;
}

TEST(SqliteDdl, RendersEachOpKindAsGoldenSql) {
    for (auto& c : golden_cases()) {
        SCOPED_TRACE(c.name);
        EXPECT_EQ(render(c.op, library()), c.sql);
    }
}

TEST(SqliteDdl, StatementsOutsideTheTransactionAreMarked) {
    ExecuteSql vacuum;
    vacuum.up = "VACUUM";
    vacuum.outside_transaction = true;
    auto st = sqlite_dialect().render(Op{vacuum}, library());
    ASSERT_EQ(st.size(), 1u);
    EXPECT_TRUE(st[0].outside_transaction);
    auto create = sqlite_dialect().render(Op{DropTable{"books", std::nullopt}}, library());
    ASSERT_EQ(create.size(), 1u);
    EXPECT_FALSE(create[0].outside_transaction);
}

TEST(SqliteDdl, AutoincrementKeepsTheSequenceAcrossARebuild) {
    Schema s;
    Table t;
    t.name = "events";
    t.columns = {column("id", integer(), false), column("kind", text())};
    t.columns[0].autoincrement = true;
    t.primary_key = PrimaryKey{"pk_events", {"id"}};
    s.tables.emplace("events", t);
    AlterColumn op;
    op.table = "events";
    op.column = "kind";
    op.fields = field_nullable;
    op.patch.nullable = false;
    EXPECT_EQ(render(op, s), (std::vector<std::string>{
                                 "CREATE TABLE \"_retort_new_events\" (\n"
                                 "    \"id\" INTEGER NOT NULL CONSTRAINT \"pk_events\" PRIMARY KEY AUTOINCREMENT,\n"
                                 "    \"kind\" TEXT NOT NULL\n"
                                 ")",
                                 "INSERT INTO \"_retort_new_events\" (\"id\", \"kind\") SELECT \"id\", \"kind\" FROM "
                                 "\"events\"",
                                 "DELETE FROM sqlite_sequence WHERE name = '_retort_new_events'",
                                 "INSERT INTO sqlite_sequence (name, seq) SELECT '_retort_new_events', seq FROM "
                                 "sqlite_sequence WHERE name = 'events'",
                                 "DROP TABLE \"events\"",
                                 "PRAGMA legacy_alter_table = ON",
                                 "ALTER TABLE \"_retort_new_events\" RENAME TO \"events\"",
                                 "PRAGMA legacy_alter_table = OFF",
                             }));
}

TEST(SqliteDdl, AutoincrementOnAColumnThatIsNotTheIntegerKeyIsRefusedWithTheReason) {
    Table t;
    t.name = "tags";
    t.columns = {column("id", bigint(), false)};
    t.columns[0].autoincrement = true;
    t.primary_key = PrimaryKey{"pk_tags", {"id"}};
    try {
        render(CreateTable{t}, Schema{});
        FAIL() << "expected an error";
    } catch (const Error& e) {
        EXPECT_EQ(e.kind(), ErrorKind::migration);
        EXPECT_NE(std::string(e.what()).find("\"tags.id\" has AUTOINCREMENT"), std::string::npos) << e.what();
        EXPECT_NE(std::string(e.what()).find("INTEGER primary-key"), std::string::npos) << e.what();
        EXPECT_EQ(e.op(), "create_table tags");
    }
}

TEST(SqliteDdl, AnOpThatDoesNotFitTheSchemaIsReportedLikeReplay) {
    try {
        render(AddConstraint{"nowhere", UniqueConstraint{"uq", {"x"}}}, library());
        FAIL() << "expected an error";
    } catch (const Error& e) {
        EXPECT_EQ(e.kind(), ErrorKind::migration);
        EXPECT_NE(std::string(e.what()).find("there is no table \"nowhere\""), std::string::npos) << e.what();
    }
}

TEST(SqliteDdl, TypesUseSqliteSpellings) {
    struct Case {
        TypeSpec type;
        const char* sql;
    };
    const Case cases[] = {
        {integer(), "INTEGER"},
        {smallint(), "SMALLINT"},
        {bigint(), "BIGINT"},
        {boolean(), "BOOLEAN"},
        {text(), "TEXT"},
        {varchar(100), "VARCHAR(100)"},
        {numeric(10, 2), "NUMERIC(10, 2)"},
        {numeric(), "NUMERIC"},
        {real(), "REAL"},
        {double_precision(), "DOUBLE PRECISION"},
        {date(), "DATE"},
        {time(), "TIME"},
        {timestamp(), "TIMESTAMP"},
        {timestamptz(), "TIMESTAMP WITH TIME ZONE"},
        {blob(), "BLOB"},
        {json(), "JSON"},
        {jsonb(), "JSON"},
        {uuid(), "UUID"},
        {sql_type("CITEXT"), "CITEXT"},
    };
    for (const auto& c : cases) EXPECT_EQ(sqlite_dialect().type_sql(Type::from(c.type)), c.sql);
}

TEST(SqliteDdl, EnumColumnsAreTextAndEnumTypesNeedNoSql) {
    Schema s = library();
    s.enums.emplace("mood", EnumType{"mood", {"happy", "sad"}});
    EXPECT_TRUE(render(CreateEnum{EnumType{"genre", {"novel"}}}, s).empty());
    AlterEnum add;
    add.name = "mood";
    add.add_value = "meh";
    EXPECT_TRUE(render(add, s).empty());
    EXPECT_EQ(render(AddColumn{"books", column("mood", enum_type("mood"), true, "'happy'"), std::nullopt}, s),
              std::vector<std::string>{"ALTER TABLE \"books\" ADD COLUMN \"mood\" TEXT DEFAULT 'happy'"});
    // Reflection reads TEXT columns and no types: normalize says the same.
    s.tables.at("books").columns.push_back(column("mood", enum_type("mood")));
    Schema n = sqlite_dialect().normalize(s);
    EXPECT_TRUE(n.enums.empty());
    EXPECT_EQ(n.tables.at("books").find_column("mood")->type, Type::from(text()));
}

TEST(SqliteDdl, ArraysAreRefusedNamingTheOp) {
    try {
        render(AddColumn{"books", column("tags", array_of(text())), std::nullopt}, library());
        FAIL() << "expected an error";
    } catch (const Error& e) {
        EXPECT_EQ(e.kind(), ErrorKind::migration);
        EXPECT_EQ(std::string(e.what()), "SQLite has no array types (text[])");
        EXPECT_EQ(e.op(), "add_column books.tags text[]");
    }
    // CONCURRENTLY is PostgreSQL's: here a plain index in the transaction.
    auto st = sqlite_dialect().render(CreateIndex{"books", Index{"ix_t", {key("title")}, false, std::nullopt}, true},
                                      library());
    ASSERT_EQ(st.size(), 1u);
    EXPECT_EQ(st[0].sql, "CREATE INDEX \"ix_t\" ON \"books\" (\"title\")");
    EXPECT_FALSE(st[0].outside_transaction);
}

TEST(SqliteDdl, IdentifiersAreAlwaysDoubleQuoted) {
    EXPECT_EQ(sqlite_dialect().quote_identifier("order"), "\"order\"");
    EXPECT_EQ(sqlite_dialect().quote_identifier("Mixed Case"), "\"Mixed Case\"");
    EXPECT_EQ(sqlite_dialect().quote_identifier("say \"hi\""), "\"say \"\"hi\"\"\"");
    EXPECT_EQ(sqlite_dialect().quote_literal("it's"), "'it''s'");
}

TEST(SqliteDdl, NormalizeSpellsTheSchemaAsSqliteReflectsIt) {
    Schema s;
    Table t;
    t.name = "docs";
    t.columns = {column("id", integer(), true), column("body", jsonb()), column("meta", sql_type("integer")),
                 column("at", timestamptz(), true, "  CURRENT_TIMESTAMP "), column("n", numeric(10))};
    t.columns[1].comment = "dropped";
    t.columns[1].identity = Identity::always;
    t.primary_key = PrimaryKey{"pk_docs", {"id"}};
    t.comment = "dropped too";
    t.checks = {CheckConstraint{"ck_b", " n > 0 "}, CheckConstraint{"ck_a", "n < 10"}};
    t.indexes = {Index{"ix_z", {expression(" lower(body) ")}, false, std::string(" n > 1 ")},
                 Index{"ix_a", {expression("\"n\"")}, false, std::nullopt}};
    s.tables.emplace("docs", t);

    Table n = sqlite_dialect().normalize(s).tables.at("docs");
    EXPECT_FALSE(n.comment);
    EXPECT_FALSE(n.columns[0].nullable) << "primary-key columns are NOT NULL";
    EXPECT_EQ(n.columns[1].type, Type::from(json()));
    EXPECT_FALSE(n.columns[1].comment);
    EXPECT_EQ(n.columns[1].identity, Identity::none);
    EXPECT_EQ(n.columns[2].type, Type::from(integer())) << "a custom spelling SQLite knows becomes the portable type";
    EXPECT_EQ(n.columns[3].server_default, "CURRENT_TIMESTAMP");
    EXPECT_EQ(n.columns[4].type, Type::from(numeric(10, 0)));
    ASSERT_EQ(n.checks.size(), 2u);
    EXPECT_EQ(n.checks[0], (CheckConstraint{"ck_a", "n < 10"})) << "sorted by name";
    EXPECT_EQ(n.checks[1], (CheckConstraint{"ck_b", "n > 0"}));
    ASSERT_EQ(n.indexes.size(), 2u);
    EXPECT_EQ(n.indexes[0].name, "ix_a");
    EXPECT_EQ(n.indexes[0].parts[0], key("n")) << "a quoted column written as an expression is a column";
    EXPECT_EQ(n.indexes[1].parts[0], expression("lower(body)"));
    EXPECT_EQ(n.indexes[1].where, "n > 1");
    EXPECT_EQ(sqlite_dialect().normalize(sqlite_dialect().normalize(s)), sqlite_dialect().normalize(s))
        << "normalize is idempotent";
    Schema given_away = s;
    given_away.tables.emplace("lib", library().tables.at("books"));
    Schema kept = given_away;
    EXPECT_EQ(sqlite_dialect().normalize_consuming(std::move(given_away)), sqlite_dialect().normalize(kept))
        << "normalize_consuming gives what normalize gives";
}

TEST(SqliteDdl, BooleanDefaultsTrueAndOneFalseAndZeroAreEqual) {
    struct Case {
        TypeSpec type;
        std::optional<std::string> current;
        std::optional<std::string> target;
        bool equal;
    };
    const std::vector<Case> cases = {
        {boolean(), "1", "TRUE", true},
        {boolean(), " 0 ", "false", true},
        {boolean(), "True", "1", true},
        {boolean(), "1", "0", false},
        {boolean(), "'1'", "1", false},  // a string, compared as written
        {boolean(), "'t'", "TRUE", false},  // SQLite stores the text 't'
        {boolean(), std::nullopt, "0", false},
        {integer(), "1", "TRUE", false},  // only on a boolean column
    };
    for (const auto& c : cases) {
        SCOPED_TRACE(c.current.value_or("(none)") + " vs " + c.target.value_or("(none)"));
        EXPECT_EQ(sqlite_dialect().defaults_equal(c.current, c.target, column("c", c.type)), c.equal);
        EXPECT_EQ(sqlite_dialect().defaults_equal(c.target, c.current, column("c", c.type)), c.equal);
    }
}

TEST(SqliteDdl, CapabilitiesDescribeWhatSqliteStores) {
    const auto& caps = sqlite_dialect().capabilities();
    EXPECT_TRUE(caps.transactional_ddl);
    EXPECT_FALSE(caps.table_comments);
    EXPECT_FALSE(caps.native_alter_column);
    EXPECT_FALSE(caps.native_constraints);
    EXPECT_EQ(sqlite_dialect().name(), "sqlite");
}

}  // namespace
