// index event kind
//
// Revision ID: fff666fff666
// Revises: eee555eee555
// Create Date: 2026-01-03 09:00:00
#include <retort/migration.hpp>

using namespace retort;

RETORT_MIGRATION{
    .revision = "fff666fff666",
    .down_revision = "eee555eee555",
    .message = "index event kind",
    .create_date = "2026-01-03 09:00:00",
    .upgrade = [](Ops& op) { op.create_index("events", index("ix_events_kind", {"kind"})); },
    .downgrade = [](Ops& op) { op.drop_index("events", "ix_events_kind"); },
};
