// Test fixture: a lossy data step: its down cannot tell where a merged name split.
#include <retort/migration.hpp>

using namespace retort;

RETORT_MIGRATION{
    .revision = "1055e0000002",
    .down_revision = "1055e0000001",
    .message = "merge first and last names",
    .create_date = "2026-01-02 09:00:00",
    .upgrade = [](Ops& op) {
        op.run(data([](Connection& db) { db.exec("UPDATE people SET first = first || ' ' || last, last = NULL"); })
                   .down([](Connection& db) { db.exec("UPDATE people SET last = ''"); })
                   .lossy());
    },
    .downgrade = [](Ops& op) {
        op.run(data([](Connection& db) { db.exec("UPDATE people SET last = ''"); }).lossy());
    },
};
