// create reviews
//
// Revision ID: 6f7a8b9c0d1e
// Revises: 2b3c4d5e6f7a
// Create Date: 2026-11-06 14:00:00
#include <retort/migration.hpp>

using namespace retort;

// Starts the "reviews" branch from 2b3c4d5e6f7a, developed beside the main line;
// 7a8b9c0d1e2f merges it back. Its downgrade is derived from the upgrade.
RETORT_MIGRATION{
    .revision = "6f7a8b9c0d1e",
    .down_revision = "2b3c4d5e6f7a",
    .branch_labels = "reviews",
    .message = "create reviews",
    .create_date = "2026-11-06 14:00:00",
    .upgrade = [](Ops& op) {
        op.create_table("reviews", {
            col("id", integer()).primary_key(),
            col("book_id", integer()).not_null().references("books", "id").on_delete(Action::cascade),
            col("rating", smallint()).not_null(),
            col("body", text()),
            col("created_at", timestamp()).not_null().server_default("CURRENT_TIMESTAMP"),
            check("ck_reviews_rating", "rating BETWEEN 1 AND 5"),
            index("ix_reviews_book_id", {"book_id"}),
        });
    },
};
