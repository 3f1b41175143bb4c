#include <retort/migration.hpp>

using namespace retort;

RETORT_MIGRATION{
    .revision = "10550000000a",
    .message = "create users",
    .upgrade = [](Ops& op) {
        op.create_table("users", {col("id", integer()).primary_key(), col("name", varchar(100)).not_null()});
    },
    .downgrade = [](Ops& op) { op.drop_table("users"); },
};
