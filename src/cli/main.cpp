#include "commands.hpp"

#include <retort/sqlite/sqlite.hpp>

#include <malloc.h>

int main(int argc, char** argv) {
    // Grow and trim the heap 4 MiB at a time. By default glibc gives memory back
    // as soon as 128 KiB at the top are free, and SQLite frees and allocates again
    // around every statement it parses: each round trip faulted the same pages in
    // again (10 us a fault on the VM of docs/performance.md; 400 of them in a
    // 1000-revision upgrade). A command lives for seconds at most: keeping the
    // pages costs nothing, and the peak is unchanged.
    mallopt(M_TOP_PAD, 4 << 20);
    // No global mutex around each of SQLite's allocations (a seventh of a long
    // upgrade); nothing here reads SQLite's memory statistics.
    retort::sqlite::disable_memory_statistics();
    return retort::cli::run(argc, argv);
}
