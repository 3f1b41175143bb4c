// Test fixture: b.cpp
#include <retort/migration.hpp>

using namespace retort;

RETORT_MIGRATION{
    .revision = "c0c0c0c0c0c2",
    .down_revision = "c0c0c0c0c0c1",
    .message = "b.cpp",
    .create_date = "2026-11-01 00:00:00",

    .upgrade = [](Ops& op) { op.create_table("b", {col("id", integer()).primary_key()}); },
    .downgrade = [](Ops& op) { op.drop_table("b"); },
};
