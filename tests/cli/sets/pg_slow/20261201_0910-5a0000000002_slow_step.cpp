// Test fixture: a migration that sleeps in a data step as long as the session
// setting retort_test.sleep says (URL ?options=-c retort_test.sleep=60), so that
// a test can kill its server process in the middle of it.
#include <retort/migration.hpp>

using namespace retort;

RETORT_MIGRATION{
    .revision = "5a0000000002",
    .down_revision = "5a0000000001",
    .message = "slow step",
    .create_date = "2026-12-01 09:10:00",
    .upgrade = [](Ops& op) {
        op.create_table("payments", {col("id", integer()).primary_key(), col("order_id", integer()).references("orders")});
        op.execute(sql("SELECT pg_sleep(coalesce(nullif(current_setting('retort_test.sleep', true), ''), '0')::float8)")
                       .down("SELECT 1")
                       .only("postgresql"));
    },
};
