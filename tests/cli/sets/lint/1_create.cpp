// Test fixture: users and orders, nothing to lint.
#include <retort/migration.hpp>

using namespace retort;

RETORT_MIGRATION{
    .revision = "11a700000001",
    .message = "create users and orders",
    .create_date = "2026-01-01 09:00:00",
    .upgrade = [](Ops& op) {
        op.create_table("users", {col("id", integer()).primary_key(), col("name", varchar(200)), col("age", integer())});
        op.create_table("orders", {col("id", integer()).primary_key(), col("user_id", integer()).references("users")});
    },
    .downgrade = [](Ops& op) {
        op.drop_table("orders");
        op.drop_table("users");
    },
};
