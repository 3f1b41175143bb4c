#include <retort/migration.hpp>
using namespace retort;

RETORT_MIGRATION{
    .revision = "b1a700000002",
    .down_revision = "b1a700000001",
    .message = "drop age",
    .create_date = "2026-01-02 09:00:00",
    .upgrade = [](Ops& op) {
        // The ages go, on purpose: acknowledged below.
        op.drop_column("users", "age");
    },
    .acknowledge = {"RT102"},
};
