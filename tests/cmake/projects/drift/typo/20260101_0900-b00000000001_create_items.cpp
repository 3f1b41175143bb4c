#include <retort/migration.hpp>

using namespace retort;

RETORT_MIGRATION{
    .revision = "b00000000001",

    .message = "create items",
    .create_date = "2026-01-01 09:00:00",
    .upgrade = [](Ops& op) { op.create_table("items", {col("id", integer()).primary_key(), col("name", text())}); },
};
