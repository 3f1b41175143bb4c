// Test fixture: an index on an existing table (RT201 on PostgreSQL only).
#include <retort/migration.hpp>

using namespace retort;

RETORT_MIGRATION{
    .revision = "11a700000003",
    .down_revision = "11a700000002",
    .message = "index user names",
    .create_date = "2026-01-03 09:00:00",
    .upgrade = [](Ops& op) { op.create_index("users", index("ix_users_name", {"name"})); },
};
