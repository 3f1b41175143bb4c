// backfill book slugs
//
// Revision ID: 4d5e6f7a8b9c
// Revises: 3c4d5e6f7a8b
// Create Date: 2026-11-04 12:00:00
#include <retort/migration.hpp>

#include <cctype>
#include <string>

using namespace retort;

namespace {

// "The Left Hand of Darkness" -> "the-left-hand-of-darkness"
std::string slugify(const char* title) {
    std::string out;
    for (const char* p = title; *p; ++p) {
        unsigned char c = static_cast<unsigned char>(*p);
        if (std::isalnum(c)) {
            out += static_cast<char>(std::tolower(c));
        } else if (!out.empty() && out.back() != '-') {
            out += '-';
        }
    }
    while (!out.empty() && out.back() == '-') out.pop_back();
    return out;
}

}  // namespace

// A data migration in C++: computes each book's slug from its title.
RETORT_MIGRATION{
    .revision = "4d5e6f7a8b9c",
    .down_revision = "3c4d5e6f7a8b",
    .message = "backfill book slugs",
    .create_date = "2026-11-04 12:00:00",
    .upgrade = [](Ops& op) {
        op.run(data([](Connection& db) {
                   auto rows = db.query("SELECT id, title FROM books WHERE slug IS NULL");
                   while (rows.next()) {
                       std::string slug = slugify(rows.text(1));
                       db.exec("UPDATE books SET slug = ? WHERE id = ?", {slug.c_str(), rows.integer(0)});
                   }
               }).down([](Connection& db) { db.exec("UPDATE books SET slug = NULL"); }));
    },
    .downgrade = [](Ops& op) {
        op.run(data([](Connection& db) { db.exec("UPDATE books SET slug = NULL"); }));
    },
};
