// Golden SQL and normal forms of the PostgreSQL dialect, without a server: for each
// op kind the exact statements render() gives; for expressions, that what a
// migration writes and what pg_get_expr() prints for it (captured from PostgreSQL
// 15) normalize to the same text; types, serial columns, unnamed constraints and
// identifiers as the server stores them. tests/integration/postgres_backend_test.cpp
// runs the same against a real server.
#include <retort/dialect/dialect.hpp>
#include <retort/error.hpp>
#include <retort/ops/ops.hpp>
#include <retort/postgres/postgres.hpp>

// The backend's internal helpers, tested directly (the library exports them).
#include "../../modules/postgres/connection.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <string>
#include <vector>

namespace {

using namespace retort;

const Dialect& pg() { return *retort::postgres::dialect(); }

Column column(std::string name, TypeSpec type, bool nullable = true, std::optional<std::string> server_default = {}) {
    Column c;
    c.name = std::move(name);
    c.type = Type::from(type);
    c.nullable = nullable;
    c.server_default = std::move(server_default);
    return c;
}

Column custom(std::string name, std::string spelling) {
    Column c;
    c.name = std::move(name);
    c.type.kind = TypeKind::custom;
    c.type.name = std::move(spelling);
    return c;
}

IndexPart key(std::string c) { return IndexPart{std::move(c), false}; }
IndexPart expression(std::string sql) { return IndexPart{std::move(sql), true}; }

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
    books.foreign_keys = {
        ForeignKey{"fk_books_author", {"author_id"}, "authors", {"id"}, Action::cascade, Action::no_action}};
    books.uniques = {UniqueConstraint{"uq_books_title", {"title"}}};
    books.checks = {CheckConstraint{"ck_books_price", "price >= 0"}};
    books.indexes = {Index{"ix_books_author", {key("author_id")}, false, std::nullopt}};
    s.tables.emplace("books", books);
    return s;
}

std::vector<std::string> sql_of(Op op, const Schema& before) {
    resolve(op, before);
    std::vector<std::string> out;
    for (const auto& st : pg().render(op, before)) out.push_back(st.sql);
    return out;
}

Op alter(std::string table, std::string name, unsigned fields, Column patch) {
    AlterColumn op;
    op.table = std::move(table);
    op.column = std::move(name);
    op.fields = fields;
    op.patch = std::move(patch);
    return op;
}

// ---- golden SQL ------------------------------------------------------------------

struct SqlCase {
    const char* name;
    std::function<Op()> op;
    std::vector<std::string> sql;
};

TEST(PostgresDdl, EveryOpKindRendersNativeStatements) {
    Column with_comment = column("note", text(), true, "'n/a'");
    with_comment.comment = "free text";
    Column ident = column("seq", bigint(), false);
    ident.identity = Identity::always;
    Table t;
    t.name = "Order Lines";
    t.columns = {column("id", integer(), false), ident, column("order", varchar(20), true, "'draft'"),
                 column("at", timestamptz(), false, "now()"), column("doc", jsonb(), true, "'{}'::jsonb"),
                 column("uid", uuid()), column("raw", blob()), column("price", numeric(12, 3), true, "-1"),
                 custom("email", "CITEXT")};
    t.columns[0].autoincrement = true;
    t.primary_key = PrimaryKey{"", {"id"}};
    t.foreign_keys = {ForeignKey{"fk lines", {"id"}, "books", {}, Action::set_null, Action::restrict}};
    t.uniques = {UniqueConstraint{"", {"order", "uid"}}};
    t.checks = {CheckConstraint{"ck", "\"order\" IN ('a', 'b')"}};
    t.indexes = {Index{"ix lines", {expression("lower(\"order\")"), key("uid")}, true, std::string("price > 0")}};
    t.comment = "it's a table";
    t.columns[2].comment = "the order";

    Column ac = column("isbn", varchar(20), false, "''");
    ac.comment = "book number";
    Column patch_type;
    patch_type.type = Type::from(text());
    Column patch_all = column("title_text", varchar(300), false, "upper('x') || 'y'");
    Column patch_identity;
    patch_identity.identity = Identity::by_default;
    Column patch_comment;
    patch_comment.comment = "shown in \\d+";

    std::vector<SqlCase> cases = {
        {"create_table with every kind of column and constraint",
         [&] { return Op{CreateTable{t}}; },
         {"CREATE TABLE \"Order Lines\" (\n"
          "    \"id\" INTEGER GENERATED BY DEFAULT AS IDENTITY NOT NULL,\n"
          "    \"seq\" BIGINT GENERATED ALWAYS AS IDENTITY NOT NULL,\n"
          "    \"order\" VARCHAR(20) DEFAULT 'draft',\n"
          "    \"at\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT (now()),\n"
          "    \"doc\" JSONB DEFAULT ('{}'::jsonb),\n"
          "    \"uid\" UUID,\n"
          "    \"raw\" BYTEA,\n"
          "    \"price\" NUMERIC(12, 3) DEFAULT -1,\n"
          "    \"email\" CITEXT,\n"
          "    PRIMARY KEY (\"id\"),\n"
          "    CONSTRAINT \"fk lines\" FOREIGN KEY (\"id\") REFERENCES \"books\" ON DELETE SET NULL ON UPDATE RESTRICT,\n"
          "    UNIQUE (\"order\", \"uid\"),\n"
          "    CONSTRAINT \"ck\" CHECK (\"order\" IN ('a', 'b'))\n"
          ")",
          "CREATE UNIQUE INDEX \"ix lines\" ON \"Order Lines\" ((lower(\"order\")), \"uid\") WHERE price > 0",
          "COMMENT ON TABLE \"Order Lines\" IS 'it''s a table'",
          "COMMENT ON COLUMN \"Order Lines\".\"order\" IS 'the order'"}},
        {"drop_table", [] { return Op{DropTable{"books", std::nullopt}}; }, {"DROP TABLE \"books\""}},
        {"rename_table", [] { return Op{RenameTable{"authors", "Writers"}}; },
         {"ALTER TABLE \"authors\" RENAME TO \"Writers\""}},
        {"set_table_comment", [] { return Op{SetTableComment{"books", "all books", false, std::nullopt}}; },
         {"COMMENT ON TABLE \"books\" IS 'all books'"}},
        {"drop the table comment", [] { return Op{SetTableComment{"books", std::nullopt, false, std::nullopt}}; },
         {"COMMENT ON TABLE \"books\" IS NULL"}},
        {"add_column NOT NULL with a default and a comment",
         [&] { return Op{AddColumn{"books", ac, std::nullopt}}; },
         {"ALTER TABLE \"books\" ADD COLUMN \"isbn\" VARCHAR(20) NOT NULL DEFAULT ''",
          "COMMENT ON COLUMN \"books\".\"isbn\" IS 'book number'"}},
        {"add_column with REFERENCES",
         [] {
             return Op{AddColumn{"books", column("editor_id", integer()),
                                 ForeignKey{"fk_editor", {"editor_id"}, "authors", {"id"}, Action::no_action,
                                            Action::cascade}}};
         },
         {"ALTER TABLE \"books\" ADD COLUMN \"editor_id\" INTEGER CONSTRAINT \"fk_editor\" REFERENCES \"authors\" "
          "(\"id\") ON UPDATE CASCADE"}},
        {"drop_column", [] { return Op{DropColumn{"books", "title", {}, {}, {}, {}}}; },
         {"ALTER TABLE \"books\" DROP COLUMN \"title\""}},
        {"alter_column type of a column with a default: the default is set again after",
         [&] { return alter("books", "price", field_type, patch_type); },
         {"ALTER TABLE \"books\" ALTER COLUMN \"price\" DROP DEFAULT",
          "ALTER TABLE \"books\" ALTER COLUMN \"price\" TYPE TEXT USING \"price\"::TEXT",
          "ALTER TABLE \"books\" ALTER COLUMN \"price\" SET DEFAULT 0"}},
        {"alter_column name, type, NOT NULL and default at once",
         [&] { return alter("books", "title", field_name | field_type | field_nullable | field_default, patch_all); },
         {"ALTER TABLE \"books\" RENAME COLUMN \"title\" TO \"title_text\"",
          "ALTER TABLE \"books\" ALTER COLUMN \"title_text\" TYPE VARCHAR(300) USING \"title_text\"::VARCHAR(300)",
          "UPDATE \"books\" SET \"title_text\" = (upper('x') || 'y') WHERE \"title_text\" IS NULL",
          "ALTER TABLE \"books\" ALTER COLUMN \"title_text\" SET NOT NULL",
          "ALTER TABLE \"books\" ALTER COLUMN \"title_text\" SET DEFAULT (upper('x') || 'y')"}},
        {"alter_column drop NOT NULL and the default",
         [] {
             Column patch;
             patch.nullable = true;
             return alter("authors", "name", field_nullable | field_default, patch);
         },
         {"ALTER TABLE \"authors\" ALTER COLUMN \"name\" DROP NOT NULL"}},
        {"alter_column drops a default",
         [] { return alter("books", "price", field_default, Column{}); },
         {"ALTER TABLE \"books\" ALTER COLUMN \"price\" DROP DEFAULT"}},
        {"alter_column adds an identity and moves its sequence past the rows",
         [&] { return alter("books", "author_id", field_identity, patch_identity); },
         {"ALTER TABLE \"books\" ALTER COLUMN \"author_id\" ADD GENERATED BY DEFAULT AS IDENTITY",
          "SELECT setval(pg_get_serial_sequence('\"books\"', 'author_id'), coalesce(max(\"author_id\"), 0) + 1, "
          "false) FROM \"books\""}},
        {"alter_column comment", [&] { return alter("books", "title", field_comment, patch_comment); },
         {"COMMENT ON COLUMN \"books\".\"title\" IS E'shown in \\\\d+'"}},
        {"create_index unique, partial, on an expression",
         [] {
             return Op{CreateIndex{"authors", Index{"ix_lower", {expression("lower(name)"), key("Mixed Case")}, true,
                                                    std::string("\"Mixed Case\" IS NOT NULL")}}};
         },
         {"CREATE UNIQUE INDEX \"ix_lower\" ON \"authors\" ((lower(name)), \"Mixed Case\") WHERE \"Mixed Case\" IS "
          "NOT NULL"}},
        {"drop_index", [] { return Op{DropIndex{"books", "ix_books_author", std::nullopt}}; },
         {"DROP INDEX \"ix_books_author\""}},
        {"add_constraint check",
         [] { return Op{AddConstraint{"authors", CheckConstraint{"ck_name", "length(name) > 0"}}}; },
         {"ALTER TABLE \"authors\" ADD CONSTRAINT \"ck_name\" CHECK (length(name) > 0)"}},
        {"add_constraint unique", [] { return Op{AddConstraint{"authors", UniqueConstraint{"uq", {"name"}}}}; },
         {"ALTER TABLE \"authors\" ADD CONSTRAINT \"uq\" UNIQUE (\"name\")"}},
        {"drop_constraint", [] { return Op{DropConstraint{"books", "fk_books_author", std::nullopt}}; },
         {"ALTER TABLE \"books\" DROP CONSTRAINT \"fk_books_author\""}},
    };
    const Schema before = library();
    for (const auto& c : cases) {
        SCOPED_TRACE(c.name);
        try {
            EXPECT_EQ(sql_of(c.op(), before), c.sql);
        } catch (const Error& e) {
            ADD_FAILURE() << e.describe();
        }
    }
}

TEST(PostgresDdl, BooleanDefaultsOfOneAndZeroAreWrittenTrueAndFalse) {
    // SQLite stores TRUE as 1: migrations written for it (the tutorial's
    // server_default("0")) and autogenerate from a SQLite database say 1 / 0, which
    // PostgreSQL refuses on a boolean ("default expression is of type integer").
    Schema before = library();
    Table flags;
    flags.name = "flags";
    flags.columns = {column("id", integer(), false), column("done", boolean(), false, "0"),
                     column("seen", boolean(), true, " 1 "), column("quoted", boolean(), true, "'1'"),
                     column("count", integer(), true, "1"), column("wrapped", boolean(), true, "(1)"),
                     column("twice", boolean(), true, " ( (0) ) "), column("sum", boolean(), true, "(1) + (0)")};
    EXPECT_EQ(sql_of(CreateTable{flags}, before),
              std::vector<std::string>{"CREATE TABLE \"flags\" (\n"
                                       "    \"id\" INTEGER NOT NULL,\n"
                                       "    \"done\" BOOLEAN NOT NULL DEFAULT FALSE,\n"
                                       "    \"seen\" BOOLEAN DEFAULT TRUE,\n"
                                       "    \"quoted\" BOOLEAN DEFAULT '1',\n"
                                       "    \"count\" INTEGER DEFAULT 1,\n"
                                       "    \"wrapped\" BOOLEAN DEFAULT TRUE,\n"
                                       "    \"twice\" BOOLEAN DEFAULT FALSE,\n"
                                       "    \"sum\" BOOLEAN DEFAULT ((1) + (0))\n"
                                       ")"});
    EXPECT_EQ(sql_of(AddColumn{"books", column("hidden", boolean(), false, "0"), std::nullopt}, before),
              std::vector<std::string>{"ALTER TABLE \"books\" ADD COLUMN \"hidden\" BOOLEAN NOT NULL DEFAULT FALSE"});
    before.tables.at("books").columns.push_back(column("hidden", boolean()));
    Column patch;
    patch.nullable = false;
    patch.server_default = "1";
    EXPECT_EQ(sql_of(alter("books", "hidden", field_nullable | field_default, patch), before),
              (std::vector<std::string>{
                  "UPDATE \"books\" SET \"hidden\" = TRUE WHERE \"hidden\" IS NULL",
                  "ALTER TABLE \"books\" ALTER COLUMN \"hidden\" SET NOT NULL",
                  "ALTER TABLE \"books\" ALTER COLUMN \"hidden\" SET DEFAULT TRUE"}));
}

TEST(PostgresDdl, ExecuteSqlRunsOnlyForPostgresAndKeepsOutsideTransaction) {
    ExecuteSql mine;
    mine.up = "CREATE INDEX CONCURRENTLY ix ON books (title)";
    mine.only_dialect = "postgresql";
    mine.outside_transaction = true;
    auto st = pg().render(mine, library());
    ASSERT_EQ(st.size(), 1u);
    EXPECT_EQ(st[0].sql, mine.up);
    EXPECT_TRUE(st[0].outside_transaction);

    ExecuteSql other;
    other.up = "VACUUM";
    other.only_dialect = "sqlite";
    EXPECT_TRUE(pg().render(other, library()).empty());

    RunData data;
    EXPECT_TRUE(pg().render(data, library()).empty());
}

Schema with_moods() {
    Schema s = library();
    s.enums.emplace("mood", EnumType{"mood", {"happy", "sad"}});
    Table& authors = s.tables.at("authors");
    authors.columns.push_back(column("mood", enum_type("mood"), true, "'happy'"));
    authors.columns.push_back(column("moods", array_of(enum_type("mood"))));
    return s;
}

TEST(PostgresDdl, EnumTypesAreCreatedAlteredAndDroppedNatively) {
    const Schema s = with_moods();
    EXPECT_EQ(sql_of(CreateEnum{EnumType{"Shelf State", {"new", "it's used"}}}, s),
              std::vector<std::string>{"CREATE TYPE \"Shelf State\" AS ENUM ('new', 'it''s used')"});
    Schema unused = s;
    unused.enums.emplace("genre", EnumType{"genre", {"novel"}});
    EXPECT_EQ(sql_of(DropEnum{"genre", std::nullopt}, unused), std::vector<std::string>{"DROP TYPE \"genre\""});

    AlterEnum add_last;
    add_last.name = "mood";
    add_last.add_value = "meh";
    EXPECT_EQ(sql_of(add_last, s), std::vector<std::string>{"ALTER TYPE \"mood\" ADD VALUE 'meh'"});
    AlterEnum add_before = add_last;
    add_before.add_before = "happy";
    EXPECT_EQ(sql_of(add_before, s), std::vector<std::string>{"ALTER TYPE \"mood\" ADD VALUE 'meh' BEFORE 'happy'"});
    AlterEnum several;
    several.name = "mood";
    several.values = std::vector<std::string>{"ecstatic", "happy", "calm", "sad", "gloomy"};
    EXPECT_EQ(sql_of(several, s), (std::vector<std::string>{
                                      "ALTER TYPE \"mood\" ADD VALUE 'ecstatic' BEFORE 'happy'",
                                      "ALTER TYPE \"mood\" ADD VALUE 'calm' AFTER 'happy'",
                                      "ALTER TYPE \"mood\" ADD VALUE 'gloomy'",
                                  }));
    // A value removed: the type is recreated and its columns (arrays too) converted.
    AlterEnum removed;
    removed.name = "mood";
    removed.values = std::vector<std::string>{"sad", "happy"};
    EXPECT_EQ(sql_of(removed, s), (std::vector<std::string>{
                                      "ALTER TYPE \"mood\" RENAME TO \"mood__retort_old\"",
                                      "CREATE TYPE \"mood\" AS ENUM ('sad', 'happy')",
                                      "ALTER TABLE \"authors\" ALTER COLUMN \"mood\" DROP DEFAULT",
                                      "ALTER TABLE \"authors\" ALTER COLUMN \"mood\" TYPE \"mood\" USING "
                                      "\"mood\"::text::\"mood\"",
                                      "ALTER TABLE \"authors\" ALTER COLUMN \"mood\" SET DEFAULT 'happy'",
                                      "ALTER TABLE \"authors\" ALTER COLUMN \"moods\" TYPE \"mood\"[] USING "
                                      "\"moods\"::text[]::\"mood\"[]",
                                      "DROP TYPE \"mood__retort_old\"",
                                  }));
    EXPECT_EQ(pg().type_sql(Type::from(enum_type("Mood"))), "\"Mood\"");
    EXPECT_EQ(pg().type_sql(Type::from(array_of(varchar(20)))), "VARCHAR(20)[]");
    EXPECT_EQ(pg().type_sql(Type::from(array_of(enum_type("mood")))), "\"mood\"[]");
}

TEST(PostgresDdl, ConcurrentIndexesRunOutsideTheTransaction) {
    const Schema s = library();
    CreateIndex create{"books", Index{"ix_title", {key("title")}, true, std::string("price > 0")}, true};
    auto st = pg().render(create, s);
    ASSERT_EQ(st.size(), 1u);
    EXPECT_EQ(st[0].sql, "CREATE UNIQUE INDEX CONCURRENTLY \"ix_title\" ON \"books\" (\"title\") WHERE price > 0");
    EXPECT_TRUE(st[0].outside_transaction);
    DropIndex drop{"books", "ix_books_author", std::nullopt, true};
    st = pg().render(drop, s);
    ASSERT_EQ(st.size(), 1u);
    EXPECT_EQ(st[0].sql, "DROP INDEX CONCURRENTLY \"ix_books_author\"");
    EXPECT_TRUE(st[0].outside_transaction);
    // Without CONCURRENTLY, in the transaction as before.
    st = pg().render(CreateIndex{"books", Index{"ix_t", {key("title")}, false, std::nullopt}}, s);
    EXPECT_FALSE(st.at(0).outside_transaction);
}

TEST(PostgresDdl, QualifiedNamesAreTablesOfAnotherSchema) {
    Schema s;
    Table orders;
    orders.name = "sales.orders";
    orders.columns = {column("id", integer(), false), column("total", numeric(10, 2))};
    orders.primary_key = PrimaryKey{"", {"id"}};
    orders.indexes = {Index{"ix_orders_total", {key("total")}, false, std::nullopt}};
    EXPECT_EQ(sql_of(CreateTable{orders}, s),
              (std::vector<std::string>{"CREATE TABLE \"sales\".\"orders\" (\n    \"id\" INTEGER NOT NULL,\n    "
                                        "\"total\" NUMERIC(10, 2),\n    PRIMARY KEY (\"id\")\n)",
                                        "CREATE INDEX \"ix_orders_total\" ON \"sales\".\"orders\" (\"total\")"}));
    s.tables.emplace(orders.name, orders);
    EXPECT_EQ(sql_of(DropIndex{"sales.orders", "ix_orders_total", std::nullopt}, s),
              std::vector<std::string>{"DROP INDEX \"sales\".\"ix_orders_total\""});
    EXPECT_EQ(sql_of(RenameTable{"sales.orders", "sales.purchases"}, s),
              std::vector<std::string>{"ALTER TABLE \"sales\".\"orders\" RENAME TO \"purchases\""});
    try {
        sql_of(RenameTable{"sales.orders", "orders"}, s);
        ADD_FAILURE() << "a move to another schema renders";
    } catch (const Error& e) {
        EXPECT_EQ(std::string(e.what()), "rename_table sales.orders -> orders moves the table to another schema");
    }
    // Names the server makes up come from the table's own name.
    Schema n = pg().normalize(s);
    EXPECT_EQ(n.tables.at("sales.orders").primary_key->name, "orders_pkey");
}

TEST(PostgresNormalize, EnumAndArrayTypesAsTheServerStoresThem) {
    Schema s = with_moods();
    Table& authors = s.tables.at("authors");
    authors.columns.push_back(custom("by_name", "mood"));          // sql_type("mood") names the enum
    authors.columns.push_back(custom("ints", "INT4[]"));            // an array of integer
    authors.columns.push_back(custom("nested", "varchar(5)[][]"));  // dimensions are not told apart
    Schema n = pg().normalize(s);
    const Table& t = n.tables.at("authors");
    EXPECT_EQ(t.find_column("by_name")->type, Type::from(enum_type("mood")));
    EXPECT_EQ(t.find_column("ints")->type, Type::from(array_of(integer())));
    EXPECT_EQ(t.find_column("nested")->type, Type::from(array_of(varchar(5))));
    EXPECT_EQ(t.find_column("moods")->type, Type::from(array_of(enum_type("mood"))));
    EXPECT_EQ(*t.find_column("mood")->server_default, "'happy'");
    EXPECT_EQ(n.enums.at("mood").values, (std::vector<std::string>{"happy", "sad"}));
    EXPECT_EQ(pg().normalize(n), n);
}

TEST(PostgresNormalize, NormalizeConsumingGivesWhatNormalizeGives) {
    // REFERENCES without columns (the referenced table's key, read before the
    // tables are moved out), to a table before it, after it and itself.
    Schema s = with_moods();
    auto table = [&](std::string name, std::string ref) {
        Table t;
        t.name = name;
        t.columns = {column("id", integer(), false), column("ref", integer())};
        t.primary_key = PrimaryKey{"", {"id"}};
        t.foreign_keys = {ForeignKey{"", {"ref"}, ref, {}, Action::no_action, Action::no_action}};
        t.indexes = {Index{"", {IndexPart{"lower(ref::text)", true}}, false, std::string("ref > 0")}};
        s.tables.emplace(name, t);
    };
    table("a_first", "m_middle");
    table("m_middle", "m_middle");
    table("z_last", "m_middle");
    table("b_second", "z_last");
    const Schema kept = s;
    Schema n = pg().normalize_consuming(std::move(s));
    EXPECT_EQ(n, pg().normalize(kept));
    EXPECT_EQ(n.tables.at("b_second").foreign_keys.at(0).ref_columns, std::vector<std::string>{"id"});
    EXPECT_EQ(n.tables.at("m_middle").foreign_keys.at(0).ref_columns, std::vector<std::string>{"id"});
}

TEST(PostgresDdl, TypesUseThePostgresSpelling) {
    struct Case {
        TypeSpec type;
        const char* sql;
    };
    for (const auto& c : std::vector<Case>{{integer(), "INTEGER"},
                                           {smallint(), "SMALLINT"},
                                           {bigint(), "BIGINT"},
                                           {boolean(), "BOOLEAN"},
                                           {text(), "TEXT"},
                                           {varchar(12), "VARCHAR(12)"},
                                           {numeric(10, 2), "NUMERIC(10, 2)"},
                                           {numeric(), "NUMERIC"},
                                           {real(), "REAL"},
                                           {double_precision(), "DOUBLE PRECISION"},
                                           {date(), "DATE"},
                                           {time(), "TIME"},
                                           {timestamp(), "TIMESTAMP"},
                                           {timestamptz(), "TIMESTAMP WITH TIME ZONE"},
                                           {blob(), "BYTEA"},
                                           {json(), "JSON"},
                                           {jsonb(), "JSONB"},
                                           {uuid(), "UUID"},
                                           {sql_type("CITEXT"), "CITEXT"}})
        EXPECT_EQ(pg().type_sql(Type::from(c.type)), c.sql);
    EXPECT_EQ(pg().quote_identifier("we\"ird"), "\"we\"\"ird\"");
    EXPECT_EQ(pg().quote_literal("it's"), "'it''s'");
    EXPECT_EQ(pg().quote_literal("C:\\dir"), "E'C:\\\\dir'");
    EXPECT_EQ(pg().name(), "postgresql");
    EXPECT_TRUE(pg().capabilities().transactional_ddl);
    EXPECT_TRUE(pg().capabilities().table_comments);
    EXPECT_TRUE(pg().capabilities().native_alter_column);
}

// ---- normal forms ----------------------------------------------------------------

/// A table whose columns give expressions their types (varchar needs casts to text,
/// integer to numeric, ...).
Table typed_table() {
    Table t;
    t.name = "t";
    t.columns = {column("a", varchar(20)),  column("b", text()),           column("qty", integer()),
                 column("price", numeric()), column("j", jsonb()),          column("i", timestamptz()),
                 column("g", date()),        column("h", timestamp()),      column("Mixed", text()),
                 column("order", integer()), custom("x", "int[]"),          column("status", varchar(10))};
    return t;
}

std::string normal_check(const std::string& expression) {
    Schema s;
    Table t = typed_table();
    t.checks = {CheckConstraint{"c", expression}};
    s.tables.emplace(t.name, t);
    return pg().normalize(s).tables.at("t").checks.at(0).expression;
}

std::string normal_default(TypeSpec type, const std::string& expression) {
    Schema s;
    Table t = typed_table();
    t.columns.push_back(column("d", type, true, expression));
    s.tables.emplace(t.name, t);
    return *pg().normalize(s).tables.at("t").columns.back().server_default;
}

struct SameCase {
    const char* written;  // as a migration writes it
    const char* server;   // as pg_get_expr(..., true) prints it (PostgreSQL 15)
};

TEST(PostgresNormalize, ChecksAsWrittenAndAsTheServerPrintsThemAgree) {
    const std::vector<SameCase> cases = {
        {"price >= 0", "price >= 0::numeric"},
        {"qty > 1.5", "qty::numeric > 1.5"},
        {"status in ('a','b')", "status::text = ANY (ARRAY['a'::character varying, 'b'::character varying]::text[])"},
        {"status not in ('a','b')",
         "status::text <> ALL (ARRAY['a'::character varying, 'b'::character varying]::text[])"},
        {"b in ('x')", "b = 'x'::text"},
        {"qty between 1 and 10", "qty >= 1 AND qty <= 10"},
        {"b like 'a%'", "b ~~ 'a%'::text"},
        {"b ilike 'a%' and a not like 'b%'", "b ~~* 'a%'::text AND a::text !~~ 'b%'::text"},
        {"(qty > 0) and (price > 0) or b is null", "qty > 0 AND price > 0::numeric OR b IS NULL"},
        {"qty > 0 and (price > 0 or b is null)", "qty > 0 AND (price > 0::numeric OR b IS NULL)"},
        {"length(b) > 0", "length(b) > 0"},
        {"LOWER(A) = 'x'", "lower(a::text) = 'x'::text"},
        {"\"Mixed\" <> '' and \"order\" > 0", "\"Mixed\" <> ''::text AND \"order\" > 0"},
        {"coalesce(qty, 0) >= 0", "COALESCE(qty, 0) >= 0"},
        {"case when qty > 0 then true else false end", "\nCASE\n    WHEN qty > 0 THEN true\n    ELSE false\nEND"},
        {"a || b <> ''", "(a::text || b) <> ''::text"},
        {"j ? 'k'", "j ? 'k'::text"},
        {"j->>'x' is not null", "(j ->> 'x'::text) IS NOT NULL"},
        {"i > '2020-01-01'::date", "i > '2020-01-01'::date"},
        {"not (qty = 3)", "NOT qty = 3"},
        {"qty is distinct from 5", "qty IS DISTINCT FROM 5"},
        {"extract(year from g) > 2000", "EXTRACT(year FROM g) > 2000::numeric"},
        {"substring(b, 1, 2) <> 'zz'", "\"substring\"(b, 1, 2) <> 'zz'::text"},
        {"-qty < 5", "(- qty) < 5"},
        {"qty::numeric > 0.5", "qty::numeric > 0.5"},
        {"x[1] > 0", "x[1] > 0"},
        {"price * 2 + 1 > qty", "(price * 2::numeric + 1::numeric) > qty::numeric"},
        {"a = b AND (b = 'x' AND qty = 1)", "a::text = b AND b = 'x'::text AND qty = 1"},
        {"qty IS NOT DISTINCT FROM 5", "NOT qty IS DISTINCT FROM 5"},
        {"h::date > DATE '2020-01-01'", "h::date > '2020-01-01'::date"},
        {"CAST(qty AS bigint) > 2", "qty::bigint > 2"},
        {"qty != 4 -- a comment", "qty <> 4"},
        {"b = E'it\\'s'", "b = 'it''s'::text"},
        {"b = $$x$$", "b = 'x'::text"},
    };
    for (const auto& c : cases) {
        SCOPED_TRACE(c.written);
        EXPECT_EQ(normal_check(c.written), normal_check(c.server));
    }
    // The normal form itself: fewest parentheses, casts the server adds removed,
    // keywords in capitals, names quoted only when needed.
    EXPECT_EQ(normal_check("status::text = ANY (ARRAY['a'::character varying, 'b'::character varying]::text[])"),
              "status = ANY (ARRAY['a', 'b'])");
    EXPECT_EQ(normal_check("(price * 2::numeric + 1::numeric) > qty::numeric"), "price * 2 + 1 > qty");
    EXPECT_EQ(normal_check("\"Mixed\" <> ''::text AND \"order\" > 0"), "\"Mixed\" <> '' AND \"order\" > 0");
    EXPECT_EQ(normal_check("h::date > '2020-01-01'::date"), "h::date > '2020-01-01'")
        << "a cast the server would not add is kept";
    EXPECT_EQ(normal_check("qty - (2 - 1) > 0"), "qty - (2 - 1) > 0") << "parentheses that matter stay";
}

TEST(PostgresNormalize, DefaultsAsWrittenAndAsTheServerPrintsThemAgree) {
    struct Case {
        TypeSpec type;
        const char* written;
        const char* server;
        const char* normal;
    };
    const std::vector<Case> cases = {
        {varchar(20), "'draft'", "'draft'::character varying", "'draft'"},
        {text(), "'x'", "'x'::text", "'x'"},
        {bigint(), "-1", "'-1'::integer", "-1"},
        {numeric(10, 2), "0", "0", "0"},
        {double_precision(), "1.5e3", "'1500'::numeric", "1500"},
        {double_precision(), "-1.5e3", "'-1500'::numeric", "-1500"},
        {boolean(), "FALSE", "false", "FALSE"},
        {boolean(), "'t'", "true", "TRUE"},
        {boolean(), "0", "false", "FALSE"},  // SQLite's FALSE; rendered FALSE here
        {boolean(), "1", "true", "TRUE"},
        {boolean(), "(1)", "true", "TRUE"},
        {boolean(), "'1'", "true", "TRUE"},
        {boolean(), "1::boolean", "(1)::boolean", "TRUE"},
        {integer(), "1", "1", "1"},
        {date(), "CURRENT_DATE", "CURRENT_DATE", "CURRENT_DATE"},
        {timestamp(), "current_timestamp", "CURRENT_TIMESTAMP", "CURRENT_TIMESTAMP"},
        {timestamptz(), "now()", "now()", "now()"},
        {jsonb(), "'{}'", "'{}'::jsonb", "'{}'"},
        {uuid(), "gen_random_uuid()", "gen_random_uuid()", "gen_random_uuid()"},
        {integer(), "'42'", "42", "42"},
        {text(), "0", "0", "0"},
        {varchar(5), "NULL", "NULL::character varying", "NULL"},
        {numeric(), "-0.5", "'-0.5'::numeric", "-0.5"},
        {blob(), "'\\x00ff'", "'\\x00ff'::bytea", "'\\x00ff'"},
        {integer(), "(1+2)", "1 + 2", "1 + 2"},
        {text(), "'it''s'", "'it''s'::text", "'it''s'"},
        {text(), "E'a\\nb'", "'a\nb'::text", "'a\nb'"},
    };
    for (const auto& c : cases) {
        SCOPED_TRACE(c.written);
        EXPECT_EQ(normal_default(c.type, c.written), c.normal);
        EXPECT_EQ(normal_default(c.type, c.server), c.normal);
    }
}

TEST(PostgresNormalize, IndexExpressionsAndPredicates) {
    Schema s;
    Table t = typed_table();
    t.indexes = {Index{"ix1", {expression("lower(a)")}, false, std::nullopt},
                 Index{"ix2", {expression("(j->>'x')")}, false, std::nullopt},
                 Index{"ix3", {key("a"), expression("qty+1")}, false, std::string("price > 0 and b is not null")},
                 Index{"ix4", {expression("(h::date)")}, false, std::nullopt},
                 Index{"ix5", {expression("\"order\"")}, false, std::nullopt}};
    s.tables.emplace("t", t);
    Table n = pg().normalize(s).tables.at("t");
    ASSERT_EQ(n.indexes.size(), 5u);
    EXPECT_EQ(n.indexes[0].parts[0].text, "lower(a)");
    EXPECT_EQ(n.indexes[1].parts[0].text, "j ->> 'x'");
    EXPECT_EQ(n.indexes[2].parts[1].text, "qty + 1");
    EXPECT_EQ(*n.indexes[2].where, "price > 0 AND b IS NOT NULL");
    EXPECT_EQ(n.indexes[3].parts[0].text, "h::date");
    EXPECT_FALSE(n.indexes[4].parts[0].expression) << "an expression that is a column is that column";
    EXPECT_EQ(n.indexes[4].parts[0].text, "order");

    // What the server prints for the same indexes.
    Table server = typed_table();
    server.indexes = {Index{"ix1", {expression("lower(a::text)")}, false, std::nullopt},
                      Index{"ix2", {expression("(j ->> 'x'::text)")}, false, std::nullopt},
                      Index{"ix3", {key("a"), expression("(qty + 1)")}, false,
                            std::string("price > 0::numeric AND b IS NOT NULL")},
                      Index{"ix4", {expression("(h::date)")}, false, std::nullopt},
                      Index{"ix5", {key("order")}, false, std::nullopt}};
    Schema s2;
    s2.tables.emplace("t", server);
    EXPECT_TRUE(pg().normalize(s2).tables.at("t") == n);
}

TEST(PostgresNormalize, TypesSerialIdentityAndKeysAsTheServerStoresThem) {
    Schema s;
    Table t;
    t.name = "things";
    t.columns = {custom("id", "serial"), custom("big", "BIGSERIAL"),  custom("n", "INT4"),
                 custom("c", "character varying(7)"), custom("v", "varchar"), custom("ts", "timestamptz"),
                 custom("f", "float"), custom("f4", "float(10)"), custom("arr", "int[]"), custom("ch", "char"),
                 custom("e", "CITEXT"), custom("tm", "TIMESTAMP(3) WITH TIME ZONE"), column("auto", integer()),
                 custom("m", "\"Mood\"")};
    t.columns[12].autoincrement = true;
    t.primary_key = PrimaryKey{"", {"n"}};
    t.comment = "";
    s.tables.emplace("things", t);
    Table n = pg().normalize(s).tables.at("things");
    auto type_of = [&](const char* name) { return to_string(n.find_column(name)->type); };
    EXPECT_EQ(type_of("id"), "integer");
    EXPECT_EQ(*n.find_column("id")->server_default, "nextval('things_id_seq')");
    EXPECT_FALSE(n.find_column("id")->nullable);
    EXPECT_EQ(type_of("big"), "bigint");
    EXPECT_EQ(*n.find_column("big")->server_default, "nextval('things_big_seq')");
    EXPECT_EQ(n.find_column("n")->type.kind, TypeKind::integer);
    EXPECT_FALSE(n.find_column("n")->nullable) << "primary-key columns are NOT NULL";
    EXPECT_EQ(n.find_column("c")->type.kind, TypeKind::varchar);
    EXPECT_EQ(n.find_column("c")->type.length, 7);
    EXPECT_EQ(n.find_column("v")->type.kind, TypeKind::varchar);
    EXPECT_EQ(n.find_column("ts")->type.kind, TypeKind::timestamptz);
    EXPECT_EQ(n.find_column("f")->type.kind, TypeKind::double_precision);
    EXPECT_EQ(n.find_column("f4")->type.kind, TypeKind::real);
    EXPECT_EQ(type_of("arr"), "integer[]");
    EXPECT_EQ(type_of("ch"), "character(1)");
    EXPECT_EQ(type_of("e"), "citext");
    EXPECT_EQ(type_of("tm"), "timestamp(3) with time zone");
    EXPECT_EQ(type_of("m"), "\"Mood\"");
    EXPECT_EQ(n.find_column("auto")->identity, Identity::by_default) << "autoincrement() is an identity column";
    EXPECT_FALSE(n.find_column("auto")->nullable);
    EXPECT_FALSE(n.find_column("auto")->autoincrement);
    EXPECT_EQ(n.primary_key->name, "things_pkey");
    EXPECT_FALSE(n.comment.has_value()) << "COMMENT ... IS '' drops the comment";
}

TEST(PostgresNormalize, UnnamedConstraintsGetTheServersNames) {
    Schema s;
    Table parent;
    parent.name = "parent";
    parent.columns = {column("id", integer(), false)};
    parent.primary_key = PrimaryKey{"", {"id"}};
    s.tables.emplace("parent", parent);
    Table t;
    t.name = "t";
    t.columns = {column("a", integer()), column("b", integer()), column("p", integer())};
    t.foreign_keys = {ForeignKey{"", {"p"}, "parent", {}, Action::no_action, Action::no_action}};
    t.uniques = {UniqueConstraint{"", {"a", "b"}}, UniqueConstraint{"", {"a", "b"}}};
    t.checks = {CheckConstraint{"", "a > 0"}, CheckConstraint{"", "a < b"}, CheckConstraint{"", "b > 0 AND a > 0"},
                CheckConstraint{"", "a <> 5"}};
    t.indexes = {Index{"", {key("a"), expression("lower(b::text)")}, false, std::nullopt}};
    s.tables.emplace("t", t);
    Table n = pg().normalize(s).tables.at("t");
    std::vector<std::string> checks;
    for (const auto& c : n.checks) checks.push_back(c.name);
    EXPECT_EQ(checks, (std::vector<std::string>{"t_a_check", "t_a_check1", "t_check", "t_check1"}));
    EXPECT_EQ(n.uniques.at(0).name, "t_a_b_key");
    EXPECT_EQ(n.uniques.at(1).name, "t_a_b_key1");
    EXPECT_EQ(n.foreign_keys.at(0).name, "t_p_fkey");
    EXPECT_EQ(n.foreign_keys.at(0).ref_columns, std::vector<std::string>{"id"}) << "REFERENCES parent: its key";
    EXPECT_EQ(n.indexes.at(0).name, "t_a_lower_idx");
    EXPECT_EQ(pg().normalize(s).tables.at("parent").primary_key->name, "parent_pkey");
}

TEST(PostgresNormalize, LongNamesAreCutAt63BytesAsTheServerCutsThem) {
    const std::string long_name(70, 'x');
    Schema s;
    Table t;
    t.name = long_name;
    t.columns = {column(long_name + "col", integer())};
    t.checks = {CheckConstraint{"", "\"" + long_name + "col\" > 0"}};
    s.tables.emplace(long_name, t);
    Schema n = pg().normalize(s);
    ASSERT_EQ(n.tables.size(), 1u);
    const Table& nt = n.tables.begin()->second;
    EXPECT_EQ(nt.name, std::string(63, 'x'));
    EXPECT_EQ(nt.columns[0].name, std::string(63, 'x'));
    // makeObjectName: both parts shortened, the longer first, to fit "_check".
    EXPECT_EQ(nt.checks[0].name.size(), 63u);
    EXPECT_EQ(nt.checks[0].name.substr(nt.checks[0].name.size() - 6), "_check");
}

TEST(PostgresNormalize, NormalizeIsIdempotent) {
    Schema s = library();
    s.tables.at("books").checks.push_back(CheckConstraint{"", "title IN ('a', 'b') AND price BETWEEN 1 AND 2"});
    s.tables.at("books").indexes.push_back(Index{"ix_e", {expression("upper(title)")}, false, std::string("id > 3")});
    Schema once = pg().normalize(s);
    EXPECT_TRUE(pg().normalize(once) == once);
}

// ---- URLs, placeholders and the data-only check ------------------------------------

TEST(PostgresSession, TheConnectionStringHoldsOnlyWhatTheUrlGives) {
    using retort::postgres::detail::connection_string;
    ::unsetenv("PGCONNECT_TIMEOUT");
    ::unsetenv("PGAPPNAME");
    EXPECT_EQ(connection_string(Url::parse("postgresql://")),
              "connect_timeout='10' fallback_application_name='retort'")
        << "libpq takes the rest from PG* variables, ~/.pgpass and its defaults";
    EXPECT_EQ(connection_string(Url::parse("postgresql://app:p'w%5Cx@db.internal:5433/shop?sslmode=require")),
              "connect_timeout='10' dbname='shop' fallback_application_name='retort' host='db.internal' "
              "password='p\\'w\\\\x' port='5433' sslmode='require' user='app'");
    EXPECT_EQ(connection_string(Url::parse("postgresql://app@%2Frun%2Fpg/shop")),
              "connect_timeout='10' dbname='shop' fallback_application_name='retort' host='/run/pg' user='app'");
    EXPECT_EQ(connection_string(Url::parse("postgres:///shop?host=/tmp/s&port=6000&connect_timeout=3&application_name=x")),
              "application_name='x' connect_timeout='3' dbname='shop' host='/tmp/s' port='6000'");
    EXPECT_EQ(connection_string(Url::parse(
                  "postgresql:///shop?lock_timeout=5s&statement_timeout=10min&search_path=app,public&options=-c%20x%3Dy")),
              "connect_timeout='10' dbname='shop' fallback_application_name='retort' "
              "options='-c x=y -c lock_timeout=5s -c search_path=app,public -c statement_timeout=10min'")
        << "session settings travel in options";
}

TEST(PostgresSession, QuestionMarksBecomeNumberedPlaceholdersOutsideQuotes) {
    using retort::postgres::detail::number_placeholders;
    struct Case {
        const char* sql;
        const char* out;
        int count;
    };
    for (const auto& c : std::vector<Case>{
             {"SELECT ?", "SELECT $1", 1},
             {"UPDATE t SET a = ?, b = '?' WHERE c = ? AND \"we?rd\" = ?", "UPDATE t SET a = $1, b = '?' WHERE c = $2 AND \"we?rd\" = $3", 3},
             {"SELECT $$ ? $$, $tag$ ? $tag$, E'\\' ?', ? -- ?\n/* ? /* ? */ */", "SELECT $$ ? $$, $tag$ ? $tag$, E'\\' ?', $1 -- ?\n/* ? /* ? */ */", 1},
             {"SELECT doc ?? 'k' FROM t WHERE id = ?", "SELECT doc ? 'k' FROM t WHERE id = $1", 1},
             {"SELECT $1::int + $2", "SELECT $1::int + $2", 2},
             {"SELECT 'it''s ?'", "SELECT 'it''s ?'", 0},
         }) {
        int count = -1;
        EXPECT_EQ(number_placeholders(c.sql, count), c.out) << c.sql;
        EXPECT_EQ(count, c.count) << c.sql;
    }
}

TEST(PostgresSession, TheDataOnlyCheckFindsSchemaChangesByTheirLeadingWords) {
    using retort::postgres::detail::schema_change;
    EXPECT_EQ(schema_change("UPDATE t SET a = 1; create table x (a int)"), "create table x");
    EXPECT_EQ(schema_change("/* note */ ALTER TABLE t ADD COLUMN b int"), "ALTER TABLE t ADD COLUMN b");
    EXPECT_EQ(schema_change("DROP INDEX ix"), "DROP INDEX ix");
    EXPECT_EQ(schema_change("COMMENT ON TABLE t IS 'x'"), "COMMENT ON TABLE t IS 'x'");
    EXPECT_EQ(schema_change("GRANT SELECT ON t TO public"), "GRANT SELECT ON t TO public");
    EXPECT_EQ(schema_change("CREATE UNIQUE INDEX CONCURRENTLY ix ON t (a)"), "CREATE UNIQUE INDEX CONCURRENTLY ix ON");
    for (const char* data : {"INSERT INTO t VALUES ('x; DROP TABLE t')", "UPDATE t SET a = 1; DELETE FROM t",
                             "CREATE TEMP TABLE s AS SELECT 1", "create local temporary table s (a int)",
                             "WITH d AS (DELETE FROM t RETURNING *) SELECT count(*) FROM d", "TRUNCATE t",
                             "SELECT $$ DROP TABLE t $$", "-- DROP TABLE t\nSELECT 1", "SET search_path TO x", ""})
        EXPECT_EQ(schema_change(data), std::nullopt) << data;
}

}  // namespace
