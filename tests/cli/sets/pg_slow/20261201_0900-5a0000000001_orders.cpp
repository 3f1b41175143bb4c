// Test fixture (tests/cli/postgres_cli_test.cpp): the first of three PostgreSQL migrations.
#include <retort/migration.hpp>

using namespace retort;

RETORT_MIGRATION{
    .revision = "5a0000000001",
    .message = "orders",
    .create_date = "2026-12-01 09:00:00",
    .upgrade = [](Ops& op) {
        op.create_enum("order_state", {"open", "paid"});
        op.create_table("orders", {
            col("id", integer()).primary_key(),
            col("state", enum_type("order_state")).not_null().server_default("'open'"),
            col("tags", array_of(text())),
        });
        op.execute(sql("INSERT INTO orders (id) VALUES (1), (2)").down("DELETE FROM orders"));
    },
};
