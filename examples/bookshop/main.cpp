// bookshop: a small application that keeps its schema in Retort migrations and
// upgrades its database to head every time it starts.
//
//     bookshop [database file]      (default: bookshop.db)
#include <retort/embed.hpp>
#include <retort/error.hpp>

#include <SQLiteCpp/SQLiteCpp.h>

#include <cstdio>
#include <string>

namespace {

void stock_the_shelves(SQLite::Database& db) {
    if (db.execAndGet("SELECT count(*) FROM authors").getInt() > 0) return;
    SQLite::Transaction tx(db);
    db.exec("INSERT INTO authors (id, name, born) VALUES (1, 'Ursula K. Le Guin', '1929-10-21')");
    db.exec("INSERT INTO books (author_id, title, price, isbn, slug) VALUES "
            "(1, 'The Left Hand of Darkness', 9.99, '9780441478125', 'the-left-hand-of-darkness'), "
            "(1, 'The Dispossessed', 10.50, '9780060512750', 'the-dispossessed')");
    db.exec("INSERT INTO reviews (book_id, rating, body) VALUES (1, 5, 'A classic.')");
    tx.commit();
}

}  // namespace

int main(int argc, char** argv) {
    const std::string path = argc > 1 ? argv[1] : "bookshop.db";
    try {
        // One call: every migration linked into this program, applied up to head.
        auto heads = retort::upgrade_to_head("sqlite:///" + path);
        std::string revision;
        for (const auto& h : heads) revision += (revision.empty() ? "" : ", ") + h;
        std::printf("bookshop: %s is at revision %s (%zu migrations linked)\n", path.c_str(), revision.c_str(),
                    retort::linked_migration_count());

        SQLite::Database db(path, SQLite::OPEN_READWRITE);
        stock_the_shelves(db);
        SQLite::Statement books(db,
                                "SELECT b.title, b.price, b.slug, count(r.id) FROM books b "
                                "LEFT JOIN reviews r ON r.book_id = b.id GROUP BY b.id ORDER BY b.id");
        while (books.executeStep())
            std::printf("  %-28s %6.2f  /%s  (%d review%s)\n", books.getColumn(0).getText(),
                        books.getColumn(1).getDouble(), books.getColumn(2).getText(), books.getColumn(3).getInt(),
                        books.getColumn(3).getInt() == 1 ? "" : "s");
        return 0;
    } catch (const retort::Error& e) {
        std::fprintf(stderr, "bookshop: cannot migrate its database: %s\n", e.describe().c_str());
        return 1;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "bookshop: %s\n", e.what());
        return 1;
    }
}
