// Test fixture: 1_create.cpp
#include <retort/migration.hpp>

using namespace retort;

RETORT_MIGRATION{
    .revision = "e1e1e1e1e1e1",

    .message = "1_create.cpp",
    .create_date = "2026-11-01 00:00:00",

    .upgrade = [](Ops& op) { op.create_table("items", {col("id", integer()).primary_key(), col("name", text())}); },
    .downgrade = [](Ops& op) { op.drop_table("items"); },
};
