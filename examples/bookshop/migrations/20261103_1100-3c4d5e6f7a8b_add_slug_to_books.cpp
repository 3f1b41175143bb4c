// add slug to books
//
// Revision ID: 3c4d5e6f7a8b
// Revises: 2b3c4d5e6f7a
// Create Date: 2026-11-03 11:00:00
#include <retort/migration.hpp>

using namespace retort;

// Schema only: the next revision fills the column (schema and data changes apart).
RETORT_MIGRATION{
    .revision = "3c4d5e6f7a8b",
    .down_revision = "2b3c4d5e6f7a",
    .message = "add slug to books",
    .create_date = "2026-11-03 11:00:00",
    .upgrade = [](Ops& op) {
        op.add_column("books", col("slug", varchar(300)));
    },
    .downgrade = [](Ops& op) {
        op.drop_column("books", "slug");
    },
};
