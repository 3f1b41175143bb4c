// add isbn to books
//
// Revision ID: 2b3c4d5e6f7a
// Revises: 1a2b3c4d5e6f
// Create Date: 2026-11-02 10:00:00
#include <retort/migration.hpp>

using namespace retort;

RETORT_MIGRATION{
    .revision = "2b3c4d5e6f7a",
    .down_revision = "1a2b3c4d5e6f",
    .message = "add isbn to books",
    .create_date = "2026-11-02 10:00:00",
    .upgrade = [](Ops& op) {
        op.add_column("books", col("isbn", varchar(20)));
        // Unique among the books that have one.
        op.create_index("books", index("uq_books_isbn", {"isbn"}).unique().where("isbn IS NOT NULL"));
    },
    .downgrade = [](Ops& op) {
        op.drop_index("books", "uq_books_isbn");
        op.drop_column("books", "isbn");
    },
};
