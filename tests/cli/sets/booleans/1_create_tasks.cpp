// Test fixture: the tutorial's tasks table, a boolean defaulting to 0 (SQLite's FALSE).
#include <retort/migration.hpp>

using namespace retort;

RETORT_MIGRATION{
    .revision = "b001b001b001",
    .message = "create tasks",
    .create_date = "2026-11-01 00:00:00",
    .upgrade = [](Ops& op) {
        op.create_table("tasks", {
            col("id", integer()).primary_key(),
            col("done", boolean()).not_null().server_default("0"),
            col("starred", boolean()).server_default("1"),
        });
    },
    .downgrade = [](Ops& op) { op.drop_table("tasks"); },
};
