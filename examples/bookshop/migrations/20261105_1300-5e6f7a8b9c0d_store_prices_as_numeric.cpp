// store prices as numeric
//
// Revision ID: 5e6f7a8b9c0d
// Revises: 4d5e6f7a8b9c
// Create Date: 2026-11-05 13:00:00
#include <retort/migration.hpp>

using namespace retort;

// SQLite cannot ALTER a column's type: Retort rebuilds the table (12-step
// procedure), keeping its rows, indexes and the rows of tables referencing it.
//
// Lint RT103 (narrow-type): numeric(10, 2) keeps 8 digits before the point, an
// integer up to 10. No book costs 100 million, so the warning is acknowledged.
RETORT_MIGRATION{
    .revision = "5e6f7a8b9c0d",
    .down_revision = "4d5e6f7a8b9c",
    .message = "store prices as numeric",
    .create_date = "2026-11-05 13:00:00",
    .upgrade = [](Ops& op) {
        op.alter_column("books", "price", change().type(numeric(10, 2)));
    },
    .downgrade = [](Ops& op) {
        op.alter_column("books", "price", change().type(integer()));
    },
    .acknowledge = {"RT103"},
};
