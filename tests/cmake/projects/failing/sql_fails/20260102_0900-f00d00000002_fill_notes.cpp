#include <retort/migration.hpp>

using namespace retort;

// The table is misspelt: the statement fails on a real database.
RETORT_MIGRATION{
    .revision = "f00d00000002",
    .down_revision = "f00d00000001",
    .message = "fill notes",
    .upgrade = [](Ops& op) { op.execute("INSERT INTO notez (body) VALUES ('hello')", "DELETE FROM notez"); },
};
