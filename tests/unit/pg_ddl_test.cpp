// The models as PostgreSQL DDL (retort::pg_ddl): what PostgreSQL's own parser
// reads from CREATE TABLE, ALTER TABLE, CREATE INDEX and COMMENT ON, with each
// expression's text as written; errors with their line. No server.
#include <retort/autogen/pg_ddl.hpp>
#include <retort/error.hpp>

#include <gtest/gtest.h>

#ifdef RETORT_TEST_HAVE_POSTGRES
#include <retort/autogen/compare.hpp>
#include <retort/dialect/dialect.hpp>
#include <nlohmann/json.hpp>
#include <retort/models.hpp>
#include <retort/ops/builder_data.hpp>
#include <retort/postgres/postgres.hpp>
#endif

namespace {

using namespace retort;

const char* bookshop_sql = R"sql(
-- The bookshop, as a PostgreSQL schema dump would write it.
CREATE EXTENSION IF NOT EXISTS citext;

CREATE TABLE public.authors (
    id integer NOT NULL,
    name character varying(200) NOT NULL,
    born date,
    handle citext,
    CONSTRAINT pk_authors PRIMARY KEY (id)
);

CREATE TABLE books (
    id serial PRIMARY KEY,
    author_id integer NOT NULL REFERENCES authors (id) ON DELETE CASCADE,
    title varchar(300) NOT NULL DEFAULT 'untitled'::text,
    price numeric(10, 2) DEFAULT (0 + 1) * 2 NOT NULL CHECK (price >= 0),
    tags text[],
    added timestamp with time zone DEFAULT now(),
    isbn varchar(20),
    CONSTRAINT uq_books_title_author UNIQUE (title, author_id),
    CHECK (price < 1000 AND title <> '')
);

ALTER TABLE ONLY books
    ADD CONSTRAINT fk_books_editor FOREIGN KEY (author_id) REFERENCES authors(id) ON UPDATE SET NULL,
    ADD COLUMN slug varchar(300),
    ALTER COLUMN slug SET DEFAULT lower(('x' || 'y')),
    ALTER COLUMN isbn SET NOT NULL;

CREATE UNIQUE INDEX uq_books_isbn ON books USING btree (isbn) WHERE (isbn IS NOT NULL);
CREATE INDEX ix_books_lower ON public.books (lower(title), ((price * 2)), author_id);
CREATE INDEX ON books (added);

COMMENT ON TABLE books IS 'what we sell';
COMMENT ON COLUMN public.books.title IS 'as printed, it''s';

CREATE VIEW cheap_books AS SELECT * FROM books WHERE price < 5;
CREATE FUNCTION touch() RETURNS trigger AS $$ BEGIN RETURN NEW; END $$ LANGUAGE plpgsql;
)sql";

TEST(PgDdl, reads_tables_columns_and_types) {
    auto r = pg_ddl::read(bookshop_sql);
    ASSERT_EQ(r.schema.tables.size(), 2u);
    const Table& authors = r.schema.tables.at("authors");
    ASSERT_EQ(authors.columns.size(), 4u);
    EXPECT_EQ(to_string(authors.columns[0].type), "integer");
    EXPECT_FALSE(authors.columns[0].nullable);
    EXPECT_EQ(to_string(authors.columns[1].type), "varchar(200)");
    EXPECT_EQ(to_string(authors.columns[2].type), "date");
    EXPECT_EQ(authors.columns[3].type.kind, TypeKind::custom);
    EXPECT_EQ(authors.columns[3].type.name, "citext");
    ASSERT_TRUE(authors.primary_key);
    EXPECT_EQ(authors.primary_key->name, "pk_authors");
    EXPECT_EQ(authors.primary_key->columns, std::vector<std::string>{"id"});

    const Table& books = r.schema.tables.at("books");
    EXPECT_EQ(books.find_column("id")->type.name, "serial");
    EXPECT_FALSE(books.find_column("id")->nullable);
    EXPECT_EQ(to_string(books.find_column("price")->type), "numeric(10,2)");
    EXPECT_EQ(books.find_column("tags")->type.name, "text[]");
    EXPECT_EQ(books.find_column("added")->type.kind, TypeKind::timestamptz);
    EXPECT_FALSE(books.find_column("isbn")->nullable);  // ALTER COLUMN ... SET NOT NULL
}

TEST(PgDdl, keeps_each_expression_as_written) {
    const Schema schema = pg_ddl::read_schema(bookshop_sql);
    const Table& books = schema.tables.at("books");
    EXPECT_EQ(books.find_column("title")->server_default, "'untitled'::text");
    EXPECT_EQ(books.find_column("price")->server_default, "(0 + 1) * 2");
    EXPECT_EQ(books.find_column("added")->server_default, "now()");
    EXPECT_EQ(books.find_column("slug")->server_default, "lower(('x' || 'y'))");
    ASSERT_EQ(books.checks.size(), 2u);
    EXPECT_EQ(books.checks[0].name, "");
    EXPECT_EQ(books.checks[0].expression, "price >= 0");
    EXPECT_EQ(books.checks[1].expression, "price < 1000 AND title <> ''");
}

TEST(PgDdl, reads_keys_and_foreign_keys_with_their_actions) {
    const Schema schema = pg_ddl::read_schema(bookshop_sql);
    const Table& books = schema.tables.at("books");
    ASSERT_TRUE(books.primary_key);
    EXPECT_EQ(books.primary_key->name, "");  // the server names it: normalize() does too
    ASSERT_EQ(books.uniques.size(), 1u);
    EXPECT_EQ(books.uniques[0].name, "uq_books_title_author");
    EXPECT_EQ(books.uniques[0].columns, (std::vector<std::string>{"title", "author_id"}));
    ASSERT_EQ(books.foreign_keys.size(), 2u);
    EXPECT_EQ(books.foreign_keys[0].columns, std::vector<std::string>{"author_id"});
    EXPECT_EQ(books.foreign_keys[0].ref_table, "authors");
    EXPECT_EQ(books.foreign_keys[0].on_delete, Action::cascade);
    EXPECT_EQ(books.foreign_keys[0].on_update, Action::no_action);
    EXPECT_EQ(books.foreign_keys[1].name, "fk_books_editor");
    EXPECT_EQ(books.foreign_keys[1].on_update, Action::set_null);
}

TEST(PgDdl, reads_indexes_with_expressions_and_predicates) {
    const Schema schema = pg_ddl::read_schema(bookshop_sql);
    const Table& books = schema.tables.at("books");
    ASSERT_EQ(books.indexes.size(), 3u);
    const Index& isbn = books.indexes[0];
    EXPECT_EQ(isbn.name, "uq_books_isbn");
    EXPECT_TRUE(isbn.unique);
    EXPECT_EQ(isbn.parts, (std::vector<IndexPart>{{"isbn", false}}));
    EXPECT_EQ(isbn.where, "(isbn IS NOT NULL)");
    const Index& lower = books.indexes[1];
    EXPECT_EQ(lower.parts, (std::vector<IndexPart>{{"lower(title)", true}, {"(price * 2)", true}, {"author_id", false}}));
    EXPECT_FALSE(lower.where);
    EXPECT_EQ(books.indexes[2].name, "");  // the server names it
}

TEST(PgDdl, reads_comments_and_lists_the_statements_it_skips) {
    auto r = pg_ddl::read(bookshop_sql);
    const Table& books = r.schema.tables.at("books");
    EXPECT_EQ(books.comment, "what we sell");
    EXPECT_EQ(books.find_column("title")->comment, "as printed, it's");
    EXPECT_EQ(r.skipped, (std::vector<std::string>{"CREATE EXTENSION citext (line 3)", "CREATE VIEW cheap_books (line 38)",
                                                   "CREATE FUNCTION touch (line 39)"}));
}

TEST(PgDdl, identity_columns_are_not_null) {
    auto s = pg_ddl::read_schema("CREATE TABLE t (id bigint GENERATED BY DEFAULT AS IDENTITY, v int "
                                 "GENERATED ALWAYS AS IDENTITY);");
    const Table& t = s.tables.at("t");
    EXPECT_EQ(t.columns[0].identity, Identity::by_default);
    EXPECT_EQ(t.columns[1].identity, Identity::always);
    EXPECT_FALSE(t.columns[0].nullable);
}

struct ErrorCase {
    const char* name;
    const char* sql;
    const char* message;
};

TEST(PgDdl, refuses_what_it_cannot_hold_naming_the_line) {
    const ErrorCase cases[] = {
        {"syntax error", "CREATE TABLE t (id int);\nCREATE TABLE u (id int,, x int);",
         "line 2, column 24: syntax error at or near \",\""},
        {"another schema", "CREATE TABLE audit.events (id int);", "line 1: table audit.events is in schema audit"},
        {"unknown table", "CREATE TABLE t (id int);\n\nCREATE INDEX ix ON missing (id);",
         "line 3: table \"missing\" is not created earlier in the script"},
        {"exclusion constraint", "CREATE TABLE r (during tsrange, EXCLUDE USING gist (during WITH &&));",
         "has an exclusion constraint"},
        {"generated column", "CREATE TABLE g (a int, b int GENERATED ALWAYS AS (a * 2) STORED);",
         "\"b\" of \"g\" is a generated column"},
        {"drop column", "CREATE TABLE t (id int, x int);\nALTER TABLE t DROP COLUMN x;",
         "line 2: ALTER TABLE \"t\": DropColumn is not supported"},
        {"descending index", "CREATE TABLE t (id int);\nCREATE INDEX ix ON t (id DESC);", "ASC/DESC"},
        {"gin index", "CREATE TABLE t (doc jsonb);\nCREATE INDEX ix ON t USING gin (doc);", "uses gin"},
    };
    for (const auto& c : cases) {
        try {
            pg_ddl::read(c.sql);
            ADD_FAILURE() << c.name << ": no error";
        } catch (const Error& e) {
            EXPECT_EQ(e.kind(), ErrorKind::config) << c.name;
            EXPECT_NE(std::string(e.what()).find(c.message), std::string::npos) << c.name << ": " << e.what();
        }
    }
}

#ifdef RETORT_TEST_HAVE_POSTGRES
TEST(PgDdl, normalized_by_the_postgresql_dialect_it_equals_the_same_models_in_cpp) {
    const Dialect& pg = *retort::postgres::dialect();
    Schema from_sql = pg_ddl::read_schema(R"sql(
        CREATE TABLE authors (id serial CONSTRAINT pk_authors PRIMARY KEY, name varchar(200) NOT NULL, born date);
        CREATE TABLE books (
            id integer CONSTRAINT pk_books PRIMARY KEY,
            author_id integer NOT NULL
                CONSTRAINT fk_books_author_id_authors REFERENCES authors ON DELETE CASCADE,
            title varchar(300) NOT NULL,
            price numeric(10, 2) NOT NULL DEFAULT 0,
            CONSTRAINT ck_books_price CHECK (price >= 0)
        );
        CREATE UNIQUE INDEX ix_books_title ON books (lower(title)) WHERE price > 0;
    )sql");
    MetaData meta;
    meta.table("authors", {col("id", sql_type("serial")).primary_key(), col("name", varchar(200)).not_null(),
                           col("born", date())});
    meta.table("books", {col("id", integer()).primary_key(),
                         col("author_id", integer()).not_null().references("authors").on_delete(Action::cascade),
                         col("title", varchar(300)).not_null(),
                         col("price", numeric(10, 2)).not_null().server_default("0"), check("ck_books_price", "price >= 0"),
                         index("ix_books_title", {expr("lower(title)")}).unique().where("price > 0")});
    auto d = autogen::describe_diff(pg.normalize(meta.impl().schema), pg.normalize(from_sql));
    EXPECT_TRUE(d.empty()) << autogen::to_json(d).dump(2);
}

TEST(PgDdl, enum_types_and_arrays_read_from_sql_equal_the_same_models_in_cpp) {
    const Dialect& pg = *retort::postgres::dialect();
    Schema from_sql = pg_ddl::read_schema(R"sql(
        CREATE TYPE public.mood AS ENUM ('happy', 'it''s complicated');
        CREATE TABLE people (id integer PRIMARY KEY, mood mood NOT NULL DEFAULT 'happy', moods mood[],
                             scores int4[]);
    )sql");
    ASSERT_EQ(from_sql.enums.size(), 1u);
    EXPECT_EQ(from_sql.enums.at("mood").values, (std::vector<std::string>{"happy", "it's complicated"}));
    MetaData meta;
    meta.enum_type("mood", {"happy", "it's complicated"});
    meta.table("people", {col("id", integer()).primary_key(), col("mood", enum_type("mood")).not_null().server_default("'happy'"),
                          col("moods", array_of(enum_type("mood"))), col("scores", array_of(integer()))});
    auto d = autogen::describe_diff(pg.normalize(meta.impl().schema), pg.normalize(from_sql));
    EXPECT_TRUE(d.empty()) << autogen::to_json(d).dump(2);
}
#endif

}  // namespace
