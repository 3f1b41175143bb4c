#include <retort/migration.hpp>

using namespace retort;

RETORT_MIGRATION{
    .revision = "a00000000003",
    .down_revision = "a00000000001",
    .message = "add price",
    .create_date = "2026-01-01 09:00:00",
    .upgrade = [](Ops& op) { op.add_column("items", col("price", integer())); },
};
