// Test fixture: second.cpp
#include <retort/migration.hpp>

using namespace retort;

RETORT_MIGRATION{
    .revision = "d0d0d0d0d0d1",

    .message = "second.cpp",
    .create_date = "2026-11-01 00:00:00",

    .upgrade = [](Ops& op) { op.create_table("b", {col("id", integer()).primary_key()}); },
    .downgrade = [](Ops& op) { op.drop_table("b"); },
};
