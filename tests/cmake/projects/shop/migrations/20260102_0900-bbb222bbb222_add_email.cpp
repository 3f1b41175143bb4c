// add email
//
// Revision ID: bbb222bbb222
// Revises: aaa111aaa111
// Create Date: 2026-01-02 09:00:00
#include <retort/migration.hpp>

using namespace retort;

RETORT_MIGRATION{
    .revision = "bbb222bbb222",
    .down_revision = "aaa111aaa111",
    .message = "add email",
    .create_date = "2026-01-02 09:00:00",
    .upgrade = [](Ops& op) {
        op.add_column("customers", col("email", varchar(200)));
        op.create_index("customers", index("ix_customers_email", {"email"}));
    },
    .downgrade = [](Ops& op) {
        op.drop_index("customers", "ix_customers_email");
        op.drop_column("customers", "email");
    },
};
