// Test fixture: people with a first and a last name.
#include <retort/migration.hpp>

using namespace retort;

RETORT_MIGRATION{
    .revision = "1055e0000001",
    .message = "create people",
    .create_date = "2026-01-01 09:00:00",
    .upgrade = [](Ops& op) {
        op.create_table("people", {col("id", integer()).primary_key(), col("first", text()), col("last", text())});
    },
    .downgrade = [](Ops& op) { op.drop_table("people"); },
};
