// Test fixture: the third migration.
#include <retort/migration.hpp>

using namespace retort;

RETORT_MIGRATION{
    .revision = "5a0000000003",
    .down_revision = "5a0000000002",
    .message = "note",
    .create_date = "2026-12-01 09:20:00",
    .upgrade = [](Ops& op) { op.add_column("orders", col("note", text())); },
};
