#include <retort/migration.hpp>

using namespace retort;

// The downgrade drops `name` too: the column, and its values, the parent had.
RETORT_MIGRATION{
    .revision = "10550000000b",
    .down_revision = "10550000000a",
    .message = "add email",
    .upgrade = [](Ops& op) { op.add_column("users", col("email", varchar(200))); },
    .downgrade = [](Ops& op) {
        op.drop_column("users", "email");
        op.drop_column("users", "name");
    },
};
