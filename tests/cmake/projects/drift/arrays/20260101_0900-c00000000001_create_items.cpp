// An array column: PostgreSQL has it, SQLite does not. With DIALECTS sqlite
// postgresql the build fails naming this op.
#include <retort/migration.hpp>

using namespace retort;

RETORT_MIGRATION{
    .revision = "c00000000001",
    .message = "create items",
    .create_date = "2026-01-01 09:00:00",
    .upgrade = [](Ops& op) {
        op.create_table("items", {col("id", integer()).primary_key(), col("tags", array_of(text()))});
    },
};
