// create orders
//
// Revision ID: ccc333ccc333
// Revises: bbb222bbb222
// Create Date: 2026-01-03 09:00:00
#include <retort/migration.hpp>

using namespace retort;

// No downgrade body: Retort derives it (drop the table).
RETORT_MIGRATION{
    .revision = "ccc333ccc333",
    .down_revision = "bbb222bbb222",
    .message = "create orders",
    .create_date = "2026-01-03 09:00:00",
    .upgrade = [](Ops& op) {
        op.create_table("orders", {
            col("id", integer()).primary_key(),
            col("customer_id", integer()).not_null().references("customers", "id"),
            col("total", numeric(10, 2)).not_null().server_default("0"),
        });
    },
};
