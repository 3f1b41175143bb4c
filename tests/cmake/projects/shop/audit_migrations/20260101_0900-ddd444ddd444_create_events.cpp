// create events
//
// Revision ID: ddd444ddd444
// Revises:
// Create Date: 2026-01-01 09:00:00
#include <retort/migration.hpp>

using namespace retort;

RETORT_MIGRATION{
    .revision = "ddd444ddd444",
    .message = "create events",
    .create_date = "2026-01-01 09:00:00",
    .upgrade = [](Ops& op) {
        op.create_table("events", {
            col("id", integer()).primary_key(),
            col("kind", text()).not_null(),
        });
    },
    .downgrade = [](Ops& op) { op.drop_table("events"); },
};
