// Test fixture: 3_sql.cpp
#include <retort/migration.hpp>

using namespace retort;

RETORT_MIGRATION{
    .revision = "e3e3e3e3e3e3",
    .down_revision = "e2e2e2e2e2e2",
    .message = "3_sql.cpp",
    .create_date = "2026-11-01 00:00:00",

    .upgrade = [](Ops& op) { op.execute(sql("UPDATE items SET name = upper(name)")); },
};
