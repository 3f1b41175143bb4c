#include <retort/migration.hpp>

using namespace retort;

RETORT_MIGRATION{
    .revision = "b00000000002",
    .down_revision = "b00000000001",
    .message = "drop nmae",
    .create_date = "2026-01-01 09:00:00",
    .upgrade = [](Ops& op) { op.drop_column("items", "nmae"); },
};
