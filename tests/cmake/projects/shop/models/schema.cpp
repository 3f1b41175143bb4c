// The schema the shop migrations must reach.
#include <retort/models.hpp>

using namespace retort;

RETORT_MODELS(meta) {
    meta.table("customers", {
        col("id", integer()).primary_key(),
        col("name", varchar(100)).not_null(),
        col("email", varchar(200)),
        index("ix_customers_email", {"email"}),
    });
    meta.table("orders", {
        col("id", integer()).primary_key(),
        col("customer_id", integer()).not_null().references("customers", "id"),
        col("total", numeric(10, 2)).not_null().server_default("0"),
    });
}
