#include <retort/migration.hpp>
using namespace retort;

RETORT_MIGRATION{
    .revision = "b1a700000001",
    .message = "create users",
    .create_date = "2026-01-01 09:00:00",
    .upgrade = [](Ops& op) { op.create_table("users", {col("id", integer()).primary_key(), col("age", integer())}); },
    .downgrade = [](Ops& op) { op.drop_table("users"); },
};
