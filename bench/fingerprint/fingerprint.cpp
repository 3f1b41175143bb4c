// retort_bench_fingerprint URL [--json]: the fingerprint of a live database's schema,
// reflected and normalized by its dialect, the version tables of Retort and Alembic
// left out. bench/run compares the database Alembic built with the one Retort built.
#include <retort/dialect/dialect.hpp>
#include <retort/schema/fingerprint.hpp>
#include <retort/sqlite/sqlite.hpp>
#ifdef BENCH_WITH_POSTGRES
#include <retort/postgres/postgres.hpp>
#endif

#include <cstring>
#include <exception>
#include <iostream>

int main(int argc, char** argv) {
    if (argc < 2 || argc > 3 || (argc == 3 && std::strcmp(argv[2], "--json") != 0)) {
        std::cerr << "usage: retort_bench_fingerprint URL [--json]\n";
        return 2;
    }
    try {
        retort::sqlite::register_dialect();
#ifdef BENCH_WITH_POSTGRES
        retort::postgres::register_dialect();
#endif
        auto session = retort::connect(argv[1]);
        const retort::Dialect& dialect = session->dialect();
        retort::ReflectOptions options;
        options.exclude_tables = {"retort_version", "retort_version_history", "alembic_version"};
        retort::Schema schema = dialect.normalize(dialect.reflect(*session, options));
        std::cout << (argc == 3 ? retort::canonical_json(schema) : retort::fingerprint(schema)) << "\n";
        return 0;
    } catch (const std::exception& e) {
        std::cerr << "retort_bench_fingerprint: " << e.what() << "\n";
        return 1;
    }
}
