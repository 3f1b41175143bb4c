// Test fixture: the notes table as first applied (edited_v2 holds the same
// revision edited afterwards, to test that the change is detected).
#include <retort/migration.hpp>

using namespace retort;

RETORT_MIGRATION{
    .revision = "ed1700000001",
    .message = "create notes",
    .create_date = "2026-01-01 09:00:00",
    .upgrade = [](Ops& op) { op.create_table("notes", {col("id", integer()).primary_key(), col("body", text())}); },
    .downgrade = [](Ops& op) { op.drop_table("notes"); },
};
