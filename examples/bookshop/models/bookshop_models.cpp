// The bookshop's schema as it should be: what `retort check` compares the
// migrations with, and what `retort revision --autogenerate` writes migrations
// towards. Change the schema here first, then autogenerate the migration.
#include <retort/models.hpp>

using namespace retort;

RETORT_MODELS(meta) {
    meta.table("authors", {
        col("id", integer()).primary_key(),
        col("name", varchar(200)).not_null(),
        col("born", date()),
    });
    meta.table("books", {
        col("id", integer()).primary_key(),
        col("author_id", integer()).not_null().references("authors", "id").on_delete(Action::cascade),
        col("title", varchar(300)).not_null(),
        col("price", numeric(10, 2)).not_null().server_default("0"),
        col("published", date()),
        col("isbn", varchar(20)),
        col("slug", varchar(300)),
        index("ix_books_author_id", {"author_id"}),
        // Unique among the books that have one.
        index("uq_books_isbn", {"isbn"}).unique().where("isbn IS NOT NULL"),
    });
    meta.table("reviews", {
        col("id", integer()).primary_key(),
        col("book_id", integer()).not_null().references("books", "id").on_delete(Action::cascade),
        col("rating", smallint()).not_null(),
        col("body", text()),
        col("created_at", timestamp()).not_null().server_default("CURRENT_TIMESTAMP"),
        check("ck_reviews_rating", "rating BETWEEN 1 AND 5"),
        index("ix_reviews_book_id", {"book_id"}),
    });
}
