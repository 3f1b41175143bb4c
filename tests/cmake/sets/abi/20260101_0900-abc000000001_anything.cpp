// A migration for the plugin built with another plugin ABI (the ABI-mismatch test).
#include <retort/migration.hpp>

using namespace retort;

RETORT_MIGRATION{
    .revision = "abc000000001",
    .message = "anything",
    .upgrade = [](Ops& op) { op.create_table("t", {retort::col("id", integer()).primary_key()}); },
    .downgrade = [](Ops& op) { op.drop_table("t"); },
};
