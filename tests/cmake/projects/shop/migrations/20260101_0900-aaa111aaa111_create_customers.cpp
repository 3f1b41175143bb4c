// create customers
//
// Revision ID: aaa111aaa111
// Revises:
// Create Date: 2026-01-01 09:00:00
#include <retort/migration.hpp>

using namespace retort;

RETORT_MIGRATION{
    .revision = "aaa111aaa111",
    .message = "create customers",
    .create_date = "2026-01-01 09:00:00",
    .upgrade = [](Ops& op) {
        op.create_table("customers", {
            col("id", integer()).primary_key(),
            col("name", varchar(100)).not_null(),
        });
    },
    .downgrade = [](Ops& op) { op.drop_table("customers"); },
};
