#include <retort/migration.hpp>

using namespace retort;

RETORT_MIGRATION{
    .revision = "d41f00000001",
    .message = "create accounts",
    .upgrade = [](Ops& op) {
        op.create_table("accounts", {col("id", integer()).primary_key(), col("name", varchar(100)).not_null()});
    },
    .downgrade = [](Ops& op) { op.drop_table("accounts"); },
};
