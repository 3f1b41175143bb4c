// drop debug events
//
// Revision ID: eee555eee555
// Revises: ddd444ddd444
// Create Date: 2026-01-02 09:00:00
#include <retort/migration.hpp>

using namespace retort;

// Deleted rows cannot come back: the revision is irreversible. Its stairway is
// listed but disabled, and up_down_full comes back down only to it.
RETORT_MIGRATION{
    .revision = "eee555eee555",
    .down_revision = "ddd444ddd444",
    .message = "drop debug events",
    .create_date = "2026-01-02 09:00:00",
    .upgrade = [](Ops& op) { op.execute(sql("DELETE FROM events WHERE kind = 'debug'").irreversible()); },
    .irreversible = true,
};
