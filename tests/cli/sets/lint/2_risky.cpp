// Test fixture: risky ops at known lines (the CLI test checks file:line).
#include <retort/migration.hpp>

using namespace retort;

RETORT_MIGRATION{
    .revision = "11a700000002",
    .down_revision = "11a700000001",
    .message = "risky changes",
    .create_date = "2026-01-02 09:00:00",
    .upgrade = [](Ops& op) {
        // op.drop_table("users");  (a comment: not an op)
        op.drop_column("users", "age");
        op.alter_column("users", "name", change().type(varchar(50)));
        op.add_column("users", col("email", text()).not_null());
        op.execute(sql("UPDATE users SET name = lower(name)"));
    },
    .acknowledge = {"RT105"},
};
