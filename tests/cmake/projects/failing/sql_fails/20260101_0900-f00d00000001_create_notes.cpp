#include <retort/migration.hpp>

using namespace retort;

RETORT_MIGRATION{
    .revision = "f00d00000001",
    .message = "create notes",
    .upgrade = [](Ops& op) { op.create_table("notes", {col("id", integer()).primary_key(), col("body", text())}); },
    .downgrade = [](Ops& op) { op.drop_table("notes"); },
};
