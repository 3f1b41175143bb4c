// The autogenerate corpus: pairs of models (before, after), one change kind each,
// shared by autogen_compare_test.cpp (planned ops, notices, ordering, reverse) and
// autogen_render_test.cpp (the rendered C++ compiled and replayed).
#pragma once

#include <retort/autogen/compare.hpp>
#include <retort/models.hpp>
#include <retort/ops/builder_data.hpp>

#include <vector>

namespace autogen_corpus {

using namespace retort;

using ModelsFn = void (*)(MetaData&);

/// The schema a models function declares.
inline Schema models(ModelsFn fn) {
    MetaData meta;
    if (fn) fn(meta);
    return meta.impl().schema;
}

struct ChangeCase {
    const char* name;
    ModelsFn before;
    ModelsFn after;
    /// describe() of each planned op, one per line.
    const char* ops;
    /// The notice kinds of the planned ops in order, space-separated ("" for none).
    const char* notices = "";
    /// A substring one of the warnings must hold; nullptr: no warnings at all.
    const char* warning = nullptr;
    void (*configure)(autogen::CompareOptions&) = nullptr;
};

inline autogen::CompareOptions options_for(const ChangeCase& c) {
    autogen::CompareOptions o;
    if (c.configure) c.configure(o);
    return o;
}

// ---- building blocks ---------------------------------------------------------

inline void authors(MetaData& m) {
    m.table("authors", {
                           col("id", integer()).primary_key(),
                           col("name", varchar(200)).not_null(),
                           col("born", date()),
                       });
}

inline void books(MetaData& m) {
    m.table("books", {
                         col("id", integer()).primary_key(),
                         col("author_id", integer()).not_null().references("authors", "id"),
                         col("title", varchar(300)).not_null(),
                         col("price", numeric(10, 2)).not_null().server_default("0"),
                         col("notes", text()),
                         index("ix_books_title", {"title"}),
                     });
}

inline void bookshop(MetaData& m) {
    authors(m);
    books(m);
}

inline void tags(MetaData& m) {
    m.table("tags", {
                        col("id", integer()).primary_key(),
                        col("label", varchar(50)).not_null(),
                    });
}

inline void items(MetaData& m, TypeSpec qty, bool qty_nullable, const char* qty_default) {
    ColumnDef q = col("qty", qty);
    if (!qty_nullable) q.not_null();
    if (qty_default) q.server_default(qty_default);
    m.table("items", {col("id", integer()).primary_key(), q, col("label", text())});
}

// ---- the corpus ----------------------------------------------------------------

inline const std::vector<ChangeCase>& change_corpus() {
    static const std::vector<ChangeCase> cases = {
        {"adds a table", authors, [](MetaData& m) { authors(m); tags(m); },
         "create_table tags"},
        {"drops a table", [](MetaData& m) { authors(m); tags(m); }, authors,
         "drop_table tags", "drop_table"},
        {"adds a nullable column", authors,
         [](MetaData& m) {
             m.table("authors", {col("id", integer()).primary_key(), col("name", varchar(200)).not_null(),
                                 col("born", date()), col("email", varchar(255))});
         },
         "add_column authors.email varchar(255)"},
        // `true`, not SQLite's 1: PostgreSQL refuses an integer default on a boolean column.
        {"adds a NOT NULL column with a server default", authors,
         [](MetaData& m) {
             m.table("authors", {col("id", integer()).primary_key(), col("name", varchar(200)).not_null(),
                                 col("born", date()), col("active", boolean()).not_null().server_default("true")});
         },
         "add_column authors.active boolean"},
        {"adds a NOT NULL integer column without a default through the safe pattern", authors,
         [](MetaData& m) {
             m.table("authors", {col("id", integer()).primary_key(), col("name", varchar(200)).not_null(),
                                 col("born", date()), col("rank", integer()).not_null()});
         },
         "add_column authors.rank integer\n"
         "alter_column authors.rank (drop default)",
         "not_null_column_added"},
        {"adds a NOT NULL text column without a default through the safe pattern", authors,
         [](MetaData& m) {
             m.table("authors", {col("id", integer()).primary_key(), col("name", varchar(200)).not_null(),
                                 col("born", date()), col("bio", text()).not_null()});
         },
         "add_column authors.bio text\n"
         "alter_column authors.bio (drop default)",
         "not_null_column_added"},
        {"adds a NOT NULL column of a custom type without a default and says why not safely", authors,
         [](MetaData& m) {
             m.table("authors", {col("id", integer()).primary_key(), col("name", varchar(200)).not_null(),
                                 col("born", date()), col("handle", sql_type("CITEXT")).not_null()});
         },
         "add_column authors.handle CITEXT", "not_null_column_added"},
        {"adds a NOT NULL foreign key column without a default and says why not safely",
         [](MetaData& m) { authors(m); tags(m); },
         [](MetaData& m) {
             authors(m);
             m.table("tags", {col("id", integer()).primary_key(), col("label", varchar(50)).not_null(),
                              col("author_id", integer()).not_null().references("authors")});
         },
         "add_column tags.author_id integer", "not_null_column_added"},
        {"adds a NOT NULL unique column without a default and says why not safely", tags,
         [](MetaData& m) {
             m.table("tags", {col("id", integer()).primary_key(), col("label", varchar(50)).not_null(),
                              col("code", varchar(10)).not_null().unique()});
         },
         "add_column tags.code varchar(10)\n"
         "add_constraint tags.uq_tags_code (unique constraint)",
         "not_null_column_added"},
        {"drops a column", bookshop,
         [](MetaData& m) {
             authors(m);
             m.table("books", {
                                  col("id", integer()).primary_key(),
                                  col("author_id", integer()).not_null().references("authors", "id"),
                                  col("title", varchar(300)).not_null(),
                                  col("price", numeric(10, 2)).not_null().server_default("0"),
                                  index("ix_books_title", {"title"}),
                              });
         },
         "drop_column books.notes", "drop_column"},
        {"widens a varchar", [](MetaData& m) { items(m, varchar(20), true, nullptr); },
         [](MetaData& m) { items(m, varchar(40), true, nullptr); },
         "alter_column items.qty (type varchar(40))"},
        {"narrows a varchar", [](MetaData& m) { items(m, varchar(200), true, nullptr); },
         [](MetaData& m) { items(m, varchar(50), true, nullptr); },
         "alter_column items.qty (type varchar(50))", "type_narrowing"},
        {"narrows bigint to integer", [](MetaData& m) { items(m, bigint(), true, nullptr); },
         [](MetaData& m) { items(m, integer(), true, nullptr); },
         "alter_column items.qty (type integer)", "type_narrowing"},
        {"widens integer to bigint", [](MetaData& m) { items(m, integer(), true, nullptr); },
         [](MetaData& m) { items(m, bigint(), true, nullptr); },
         "alter_column items.qty (type bigint)"},
        {"narrows numeric precision", [](MetaData& m) { items(m, numeric(12, 4), true, nullptr); },
         [](MetaData& m) { items(m, numeric(10, 2), true, nullptr); },
         "alter_column items.qty (type numeric(10,2))", "type_narrowing"},
        {"narrows text to varchar", [](MetaData& m) { items(m, text(), true, nullptr); },
         [](MetaData& m) { items(m, varchar(32), true, nullptr); },
         "alter_column items.qty (type varchar(32))", "type_narrowing"},
        {"converts text to integer", [](MetaData& m) { items(m, text(), true, nullptr); },
         [](MetaData& m) { items(m, integer(), true, nullptr); },
         "alter_column items.qty (type integer)", "type_conversion"},
        {"makes a column NOT NULL", [](MetaData& m) { items(m, integer(), true, nullptr); },
         [](MetaData& m) { items(m, integer(), false, nullptr); },
         "alter_column items.qty (not null)", "not_null_existing_rows"},
        {"makes a column nullable", [](MetaData& m) { items(m, integer(), false, nullptr); },
         [](MetaData& m) { items(m, integer(), true, nullptr); },
         "alter_column items.qty (nullable)"},
        {"adds a server default", [](MetaData& m) { items(m, integer(), true, nullptr); },
         [](MetaData& m) { items(m, integer(), true, "1"); },
         "alter_column items.qty (default 1)"},
        {"changes a server default", [](MetaData& m) { items(m, integer(), true, "1"); },
         [](MetaData& m) { items(m, integer(), true, "2"); },
         "alter_column items.qty (default 2)"},
        {"drops a server default", [](MetaData& m) { items(m, integer(), true, "1"); },
         [](MetaData& m) { items(m, integer(), true, nullptr); },
         "alter_column items.qty (drop default)"},
        {"changes type, nullability and default in one alter_column", [](MetaData& m) { items(m, integer(), true, nullptr); },
         [](MetaData& m) { items(m, bigint(), false, "0"); },
         "alter_column items.qty (type bigint, not null, default 0)", "not_null_existing_rows"},
        {"adds a foreign key with actions",
         [](MetaData& m) {
             authors(m);
             m.table("books", {col("id", integer()).primary_key(), col("author_id", integer())});
         },
         [](MetaData& m) {
             authors(m);
             m.table("books", {col("id", integer()).primary_key(),
                               col("author_id", integer())
                                   .references("authors", "id")
                                   .on_delete(Action::cascade)
                                   .on_update(Action::set_null)});
         },
         "add_constraint books.fk_books_author_id_authors (foreign key)"},
        {"drops a foreign key",
         [](MetaData& m) {
             authors(m);
             m.table("books", {col("id", integer()).primary_key(), col("author_id", integer()).references("authors")});
         },
         [](MetaData& m) {
             authors(m);
             m.table("books", {col("id", integer()).primary_key(), col("author_id", integer())});
         },
         "drop_constraint books.fk_books_author_id_authors"},
        {"changes the ON DELETE action of a foreign key", bookshop,
         [](MetaData& m) {
             authors(m);
             m.table("books", {
                                  col("id", integer()).primary_key(),
                                  col("author_id", integer()).not_null().references("authors", "id").on_delete(
                                      Action::restrict),
                                  col("title", varchar(300)).not_null(),
                                  col("price", numeric(10, 2)).not_null().server_default("0"),
                                  col("notes", text()),
                                  index("ix_books_title", {"title"}),
                              });
         },
         "drop_constraint books.fk_books_author_id_authors\n"
         "add_constraint books.fk_books_author_id_authors (foreign key)"},
        {"adds a unique constraint", tags,
         [](MetaData& m) {
             m.table("tags", {col("id", integer()).primary_key(), col("label", varchar(50)).not_null().unique()});
         },
         "add_constraint tags.uq_tags_label (unique constraint)"},
        {"drops a unique constraint",
         [](MetaData& m) {
             m.table("tags", {col("id", integer()).primary_key(), col("label", varchar(50)).not_null(),
                              unique("uq_tags_label", {"label"})});
         },
         tags, "drop_constraint tags.uq_tags_label"},
        {"adds a check constraint", [](MetaData& m) { items(m, integer(), true, nullptr); },
         [](MetaData& m) {
             m.table("items", {col("id", integer()).primary_key(), col("qty", integer()), col("label", text()),
                               check("ck_items_qty", "qty >= 0")});
         },
         "add_constraint items.ck_items_qty (check constraint)"},
        {"drops a check constraint",
         [](MetaData& m) {
             m.table("items", {col("id", integer()).primary_key(), col("qty", integer()), col("label", text()),
                               check("ck_items_qty", "qty >= 0")});
         },
         [](MetaData& m) { items(m, integer(), true, nullptr); }, "drop_constraint items.ck_items_qty"},
        {"changes a check expression",
         [](MetaData& m) {
             m.table("items", {col("id", integer()).primary_key(), col("qty", integer()), col("label", text()),
                               check("ck_items_qty", "qty >= 0")});
         },
         [](MetaData& m) {
             m.table("items", {col("id", integer()).primary_key(), col("qty", integer()), col("label", text()),
                               check("ck_items_qty", "qty > 0 AND label <> 'it''s \"x\"'")});
         },
         "drop_constraint items.ck_items_qty\n"
         "add_constraint items.ck_items_qty (check constraint)"},
        {"adds an index", tags,
         [](MetaData& m) {
             m.table("tags", {col("id", integer()).primary_key(), col("label", varchar(50)).not_null(),
                              index("ix_tags_label", {"label"})});
         },
         "create_index ix_tags_label on tags (label)"},
        {"drops an index", bookshop,
         [](MetaData& m) {
             authors(m);
             m.table("books", {
                                  col("id", integer()).primary_key(),
                                  col("author_id", integer()).not_null().references("authors", "id"),
                                  col("title", varchar(300)).not_null(),
                                  col("price", numeric(10, 2)).not_null().server_default("0"),
                                  col("notes", text()),
                              });
         },
         "drop_index ix_books_title"},
        {"changes the column order of an index",
         [](MetaData& m) {
             m.table("items", {col("id", integer()).primary_key(), col("qty", integer()), col("label", text()),
                               index("ix_items_multi", {"qty", "label"})});
         },
         [](MetaData& m) {
             m.table("items", {col("id", integer()).primary_key(), col("qty", integer()), col("label", text()),
                               index("ix_items_multi", {"label", "qty"})});
         },
         "drop_index ix_items_multi\n"
         "create_index ix_items_multi on items (label, qty)"},
        {"makes an index unique and partial",
         [](MetaData& m) {
             m.table("items", {col("id", integer()).primary_key(), col("qty", integer()), col("label", text()),
                               index("ix_items_label", {"label"})});
         },
         [](MetaData& m) {
             m.table("items", {col("id", integer()).primary_key(), col("qty", integer()), col("label", text()),
                               index("ix_items_label", {"label"}).unique().where("label IS NOT NULL")});
         },
         "drop_index ix_items_label\n"
         "create_unique_index ix_items_label on items (label)"},
        {"adds an expression index", [](MetaData& m) { items(m, integer(), true, nullptr); },
         [](MetaData& m) {
             m.table("items", {col("id", integer()).primary_key(), col("qty", integer()), col("label", text()),
                               index("ix_items_lower_label", {expr("lower(label)"), "qty"})});
         },
         "create_index ix_items_lower_label on items (lower(label), qty)"},
        {"changes a composite primary key",
         [](MetaData& m) {
             m.table("lines", {col("order_id", integer()).not_null(), col("line", integer()).not_null(),
                               col("sku", varchar(20)).not_null(), primary_key({"order_id", "line"})});
         },
         [](MetaData& m) {
             m.table("lines", {col("order_id", integer()).not_null(), col("line", integer()).not_null(),
                               col("sku", varchar(20)).not_null(), primary_key({"order_id", "sku"})});
         },
         "drop_constraint lines.pk_lines\n"
         "add_constraint lines.pk_lines (primary key)"},
        {"adds a primary key to a table without one",
         [](MetaData& m) { m.table("logs", {col("id", integer()), col("line", text())}); },
         [](MetaData& m) { m.table("logs", {col("id", integer()).primary_key(), col("line", text())}); },
         "alter_column logs.id (not null)\n"
         "add_constraint logs.pk_logs (primary key)",
         "not_null_existing_rows"},
        {"replaces a key a foreign key depends on",
         [](MetaData& m) {
             m.table("codes", {col("id", integer()).primary_key(), col("code", varchar(10)).not_null(),
                               unique("uq_codes_code", {"code"})});
             m.table("uses", {col("id", integer()).primary_key(),
                              col("code", varchar(10)).references("codes", "code", "fk_uses_code")});
         },
         [](MetaData& m) {
             m.table("codes", {col("id", integer()).primary_key(), col("code", varchar(10)).not_null(),
                               unique("uq_codes_code_v2", {"code"})});
             m.table("uses", {col("id", integer()).primary_key(),
                              col("code", varchar(10)).references("codes", "code", "fk_uses_code")});
         },
         "drop_constraint uses.fk_uses_code\n"
         "drop_constraint codes.uq_codes_code\n"
         "add_constraint codes.uq_codes_code_v2 (unique constraint)\n"
         "add_constraint uses.fk_uses_code (foreign key)"},
        {"renames a referenced table through a hint", bookshop,
         [](MetaData& m) {
             m.table("writers", {
                                    col("id", integer()).primary_key(),
                                    col("name", varchar(200)).not_null(),
                                    col("born", date()),
                                });
             m.table("books", {
                                  col("id", integer()).primary_key(),
                                  col("author_id", integer()).not_null().references("writers", "id",
                                                                                    "fk_books_author_id_authors"),
                                  col("title", varchar(300)).not_null(),
                                  col("price", numeric(10, 2)).not_null().server_default("0"),
                                  col("notes", text()),
                                  index("ix_books_title", {"title"}),
                              });
         },
         "rename_table authors -> writers", "", nullptr,
         [](autogen::CompareOptions& o) { o.rename_tables.push_back({"authors", "writers"}); }},
        {"renames an indexed column through a hint", bookshop,
         [](MetaData& m) {
             authors(m);
             m.table("books", {
                                  col("id", integer()).primary_key(),
                                  col("author_id", integer()).not_null().references("authors", "id"),
                                  col("name", varchar(300)).not_null(),
                                  col("price", numeric(10, 2)).not_null().server_default("0"),
                                  col("notes", text()),
                                  index("ix_books_title", {"name"}),
                              });
         },
         "alter_column books.title (rename to name)", "", nullptr,
         [](autogen::CompareOptions& o) { o.rename_columns.push_back({"books", "title", "name"}); }},
        {"renames a table and one of its columns through hints", tags,
         [](MetaData& m) {
             m.table("labels", {col("id", integer()).primary_key(), col("text", varchar(50)).not_null()});
         },
         "rename_table tags -> labels\n"
         "alter_column labels.label (rename to text)",
         "", nullptr,
         [](autogen::CompareOptions& o) {
             o.rename_tables.push_back({"tags", "labels"});
             o.rename_columns.push_back({"tags", "label", "text"});
         }},
        {"warns when a dropped and an added column look like a rename", tags,
         [](MetaData& m) {
             m.table("tags", {col("id", integer()).primary_key(), col("name", varchar(50)).not_null()});
         },
         "add_column tags.name varchar(50)\n"
         "alter_column tags.name (drop default)\n"
         "drop_column tags.label",
         "not_null_column_added possible_rename drop_column possible_rename",
         "--rename-column tags.label=name"},
        {"warns when a dropped and an added table look like a rename", tags,
         [](MetaData& m) {
             m.table("labels", {col("id", integer()).primary_key(), col("label", varchar(50)).not_null()});
         },
         "drop_table tags\n"
         "create_table labels",
         "drop_table possible_rename possible_rename", "--rename-table tags=labels"},
        {"creates a new table referencing another new table, parent first", nullptr, bookshop,
         "create_table authors\n"
         "create_table books"},
        {"drops a referenced table together with its referencing table, children first", bookshop, nullptr,
         "drop_table books\n"
         "drop_table authors",
         "drop_table drop_table"},
        {"creates two tables referencing each other, one foreign key after both", nullptr,
         [](MetaData& m) {
             m.table("a_nodes", {col("id", integer()).primary_key(), col("b_id", integer()).references("b_nodes")});
             m.table("b_nodes", {col("id", integer()).primary_key(), col("a_id", integer()).references("a_nodes")});
         },
         "create_table b_nodes\n"
         "create_table a_nodes\n"
         "add_constraint b_nodes.fk_b_nodes_a_id_a_nodes (foreign key)"},
        {"drops two tables referencing each other, the cycle's foreign key first",
         [](MetaData& m) {
             m.table("a_nodes", {col("id", integer()).primary_key(), col("b_id", integer()).references("b_nodes")});
             m.table("b_nodes", {col("id", integer()).primary_key(), col("a_id", integer()).references("a_nodes")});
         },
         nullptr,
         "drop_constraint b_nodes.fk_b_nodes_a_id_a_nodes\n"
         "drop_table a_nodes\n"
         "drop_table b_nodes",
         "drop_table drop_table"},
        {"adds a column referencing a new table, the table first", tags,
         [](MetaData& m) {
             m.table("tags", {col("id", integer()).primary_key(), col("label", varchar(50)).not_null(),
                              col("group_id", integer()).references("groups").on_delete(Action::set_null)});
             m.table("groups", {col("id", integer()).primary_key(), col("name", text())});
         },
         "create_table groups\n"
         "add_column tags.group_id integer"},
        {"adds a self-referencing column", tags,
         [](MetaData& m) {
             m.table("tags", {col("id", integer()).primary_key(), col("label", varchar(50)).not_null(),
                              col("parent_id", integer()).references("tags", "id").on_delete(Action::cascade)});
         },
         "add_column tags.parent_id integer"},
        {"drops a column's index and constraints before the column",
         [](MetaData& m) {
             m.table("items", {col("id", integer()).primary_key(), col("qty", integer()).unique(),
                               col("label", text()), check("ck_items_qty", "qty >= 0"),
                               index("ix_items_qty_label", {"qty", "label"})});
         },
         [](MetaData& m) { m.table("items", {col("id", integer()).primary_key(), col("label", text())}); },
         "drop_index ix_items_qty_label\n"
         "drop_constraint items.uq_items_qty\n"
         "drop_constraint items.ck_items_qty\n"
         "drop_column items.qty",
         "drop_column"},
        {"drops the foreign key referencing a column before the column",
         [](MetaData& m) {
             m.table("codes", {col("id", integer()).primary_key(), col("code", varchar(10)).not_null().unique()});
             m.table("uses", {col("id", integer()).primary_key(), col("code", varchar(10)).references("codes", "code")});
         },
         [](MetaData& m) {
             m.table("codes", {col("id", integer()).primary_key()});
             m.table("uses", {col("id", integer()).primary_key(), col("code", varchar(10))});
         },
         "drop_constraint uses.fk_uses_code_codes\n"
         "drop_constraint codes.uq_codes_code\n"
         "drop_column codes.code",
         "drop_column"},
        {"changes table and column comments",
         [](MetaData& m) {
             m.table("tags", {col("id", integer()).primary_key(), col("label", varchar(50)).not_null().comment("old"),
                              table_comment("what we tag")});
         },
         [](MetaData& m) {
             m.table("tags", {col("id", integer()).primary_key(),
                              col("label", varchar(50)).not_null().comment("shown to \"users\"\nsecond line"),
                              col("note", text()).comment("new")});
         },
         "add_column tags.note text\n"
         "alter_column tags.label (comment)\n"
         "drop_table_comment tags"},
        {"adds an identity to a column",
         [](MetaData& m) { m.table("seqs", {col("id", bigint()).not_null(), col("v", text())}); },
         [](MetaData& m) { m.table("seqs", {col("id", bigint()).identity(), col("v", text())}); },
         "alter_column seqs.id (identity)"},
        {"handles names that need quoting: mixed case, spaces and keywords", nullptr,
         [](MetaData& m) {
             m.table("Order Items", {col("order", integer()).primary_key(), col("Select", varchar(20)).not_null(),
                                     col("group by", text()).server_default("'it''s'"),
                                     check("ck \"quoted\"", "\"Select\" <> ''"),
                                     index("Ix Mixed", {"Select", expr("lower(\"group by\")")})});
             m.table("user", {col("id", integer()).primary_key(),
                              col("Order", integer()).references("Order Items", "order")});
         },
         "create_table Order Items\n"
         "create_table user"},
        {"changes quoted names in place",
         [](MetaData& m) {
             m.table("Order Items", {col("order", integer()).primary_key(), col("Select", varchar(20)).not_null()});
         },
         [](MetaData& m) {
             m.table("Order Items", {col("order", integer()).primary_key(), col("Select", varchar(40)),
                                     col("from", text()), index("Ix Select", {"Select"})});
         },
         "add_column Order Items.from text\n"
         "alter_column Order Items.Select (type varchar(40), nullable)\n"
         "create_index Ix Select on Order Items (Select)"},
        {"ignores excluded tables",
         [](MetaData& m) {
             authors(m);
             m.table("retort_version", {col("version_num", varchar(32)).not_null()});
             m.table("tmp_a", {col("x", integer())});
         },
         [](MetaData& m) {
             authors(m);
             m.table("tmp_b", {col("y", integer())});
         },
         "", "", nullptr, [](autogen::CompareOptions& o) { o.exclude_tables = {"retort_version", "tmp_*"}; }},
        {"adds an enum type before the table that uses it", authors,
         [](MetaData& m) {
             authors(m);
             m.enum_type("mood", {"happy", "sad"});
             m.table("moods", {col("id", integer()).primary_key(), col("mood", enum_type("mood")).not_null(),
                               col("history", array_of(enum_type("mood")))});
         },
         "create_enum mood (happy, sad)\n"
         "create_table moods"},
        {"adds an enum value and a column using the type",
         [](MetaData& m) {
             m.enum_type("mood", {"happy", "sad"});
             m.table("moods", {col("id", integer()).primary_key(), col("mood", enum_type("mood"))});
         },
         [](MetaData& m) {
             m.enum_type("mood", {"happy", "meh", "sad"});
             m.table("moods", {col("id", integer()).primary_key(), col("mood", enum_type("mood")),
                               col("tags", array_of(varchar(20)))});
         },
         "alter_enum mood (happy, meh, sad)\n"
         "add_column moods.tags varchar(20)[]"},
        {"drops an enum type after the column that used it",
         [](MetaData& m) {
             m.enum_type("mood", {"happy", "sad"});
             m.table("moods", {col("id", integer()).primary_key(), col("mood", enum_type("mood"))});
         },
         [](MetaData& m) { m.table("moods", {col("id", integer()).primary_key()}); },
         "drop_column moods.mood\n"
         "drop_enum mood",
         "drop_column"},
        {"removes an enum value, which a reviewer must check",
         [](MetaData& m) {
             m.enum_type("mood", {"happy", "meh", "sad"});
             m.table("moods", {col("id", integer()).primary_key(), col("mood", enum_type("mood"))});
         },
         [](MetaData& m) {
             m.enum_type("mood", {"happy", "sad"});
             m.table("moods", {col("id", integer()).primary_key(), col("mood", enum_type("mood"))});
         },
         "alter_enum mood (happy, sad)", "type_conversion"},
    };
    return cases;
}

}  // namespace autogen_corpus
