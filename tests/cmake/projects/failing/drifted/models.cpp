// The models have a column no migration adds.
#include <retort/models.hpp>

using namespace retort;

RETORT_MODELS(meta) {
    meta.table("accounts", {
        col("id", integer()).primary_key(),
        col("name", varchar(100)).not_null(),
        col("email", varchar(200)),
    });
}
