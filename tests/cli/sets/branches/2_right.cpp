// Test fixture: 2_right.cpp
#include <retort/migration.hpp>

using namespace retort;

RETORT_MIGRATION{
    .revision = "b2b2b2b2b2b2",
    .down_revision = "b0b0b0b0b0b0",
    .message = "2_right.cpp",
    .create_date = "2026-11-01 00:00:00",

    .upgrade = [](Ops& op) { op.add_column("a", col("right", text())); },
    .downgrade = [](Ops& op) { op.drop_column("a", "right"); },
};
