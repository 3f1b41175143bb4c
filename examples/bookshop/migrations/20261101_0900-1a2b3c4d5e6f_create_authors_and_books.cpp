// create authors and books
//
// Revision ID: 1a2b3c4d5e6f
// Revises:
// Create Date: 2026-11-01 09:00:00
#include <retort/migration.hpp>

using namespace retort;

RETORT_MIGRATION{
    .revision = "1a2b3c4d5e6f",
    .message = "create authors and books",
    .create_date = "2026-11-01 09:00:00",
    .upgrade = [](Ops& op) {
        op.create_table("authors", {
            col("id", integer()).primary_key(),
            col("name", varchar(200)).not_null(),
            col("born", date()),
        });
        op.create_table("books", {
            col("id", integer()).primary_key(),
            col("author_id", integer()).not_null().references("authors", "id").on_delete(Action::cascade),
            col("title", varchar(300)).not_null(),
            col("price", integer()).not_null().server_default("0"),
            col("published", date()),
            index("ix_books_author_id", {"author_id"}),
        });
    },
    .downgrade = [](Ops& op) {
        op.drop_table("books");
        op.drop_table("authors");
    },
};
