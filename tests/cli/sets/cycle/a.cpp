// Test fixture: a.cpp
#include <retort/migration.hpp>

using namespace retort;

RETORT_MIGRATION{
    .revision = "c0c0c0c0c0c1",
    .down_revision = "c0c0c0c0c0c2",
    .message = "a.cpp",
    .create_date = "2026-11-01 00:00:00",

    .upgrade = [](Ops& op) { op.create_table("a", {col("id", integer()).primary_key()}); },
    .downgrade = [](Ops& op) { op.drop_table("a"); },
};
