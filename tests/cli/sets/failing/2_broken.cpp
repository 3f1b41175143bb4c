// Test fixture: 2_broken.cpp
#include <retort/migration.hpp>

using namespace retort;

RETORT_MIGRATION{
    .revision = "f2f2f2f2f2f2",
    .down_revision = "f1f1f1f1f1f1",
    .message = "2_broken.cpp",
    .create_date = "2026-11-01 00:00:00",

    .upgrade = [](Ops& op) { op.add_column("items", col("price", integer())); op.execute(sql("UPDATE missing_table SET price = 1").down("SELECT 1")); },
    .downgrade = [](Ops& op) { op.drop_column("items", "price"); },
};
