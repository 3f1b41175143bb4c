// Test fixture: 1_create.cpp
#include <retort/migration.hpp>

using namespace retort;

RETORT_MIGRATION{
    .revision = "f1f1f1f1f1f1",

    .message = "1_create.cpp",
    .create_date = "2026-11-01 00:00:00",

    .upgrade = [](Ops& op) { op.create_table("items", {col("id", integer()).primary_key(), col("name", text())}); op.execute(sql("INSERT INTO items (id, name) VALUES (1, 'a'), (2, 'b')").down("DELETE FROM items")); },
    .downgrade = [](Ops& op) { op.drop_table("items"); },
};
