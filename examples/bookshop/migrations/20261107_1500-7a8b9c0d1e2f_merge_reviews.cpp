// merge reviews into the main line
//
// Revision ID: 7a8b9c0d1e2f
// Revises: 5e6f7a8b9c0d, 6f7a8b9c0d1e
// Create Date: 2026-11-07 15:00:00
#include <retort/migration.hpp>

using namespace retort;

RETORT_MIGRATION{
    .revision = "7a8b9c0d1e2f",
    .down_revision = {"5e6f7a8b9c0d", "6f7a8b9c0d1e"},
    .message = "merge reviews into the main line",
    .create_date = "2026-11-07 15:00:00",
    .upgrade = [](Ops& op) {},
    .downgrade = [](Ops& op) {},
};
