#include <retort/migration.hpp>

using namespace retort;

RETORT_MIGRATION{
    .revision = "a00000000002",
    .down_revision = "a00000000001",
    .message = "add name",
    .create_date = "2026-01-01 09:00:00",
    .upgrade = [](Ops& op) { op.add_column("items", col("name", text())); },
};
