// Test fixture: 0_base.cpp
#include <retort/migration.hpp>

using namespace retort;

RETORT_MIGRATION{
    .revision = "b0b0b0b0b0b0",

    .message = "0_base.cpp",
    .create_date = "2026-11-01 00:00:00",

    .upgrade = [](Ops& op) { op.create_table("a", {col("id", integer()).primary_key()}); },
    .downgrade = [](Ops& op) { op.drop_table("a"); },
};
