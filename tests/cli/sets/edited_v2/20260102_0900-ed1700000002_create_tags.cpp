// Test fixture: a new migration after the edited one; it must not run while the
// edit stands.
#include <retort/migration.hpp>

using namespace retort;

RETORT_MIGRATION{
    .revision = "ed1700000002",
    .down_revision = "ed1700000001",
    .message = "create tags",
    .create_date = "2026-01-02 09:00:00",
    .upgrade = [](Ops& op) { op.create_table("tags", {col("id", integer()).primary_key(), col("label", text())}); },
    .downgrade = [](Ops& op) { op.drop_table("tags"); },
};
