// Test fixture: 2_oneway.cpp
#include <retort/migration.hpp>

using namespace retort;

RETORT_MIGRATION{
    .revision = "e2e2e2e2e2e2",
    .down_revision = "e1e1e1e1e1e1",
    .message = "2_oneway.cpp",
    .create_date = "2026-11-01 00:00:00",
    .upgrade = [](Ops& op) { op.add_column("items", col("legacy", text())); },
    .irreversible = true,
};
