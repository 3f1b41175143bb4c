// Test fixture: 1_left.cpp
#include <retort/migration.hpp>

using namespace retort;

RETORT_MIGRATION{
    .revision = "b1b1b1b1b1b1",
    .down_revision = "b0b0b0b0b0b0",
    .message = "1_left.cpp",
    .create_date = "2026-11-01 00:00:00",

    .upgrade = [](Ops& op) { op.add_column("a", col("left", text())); },
    .downgrade = [](Ops& op) { op.drop_column("a", "left"); },
};
