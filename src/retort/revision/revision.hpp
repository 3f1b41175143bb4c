// A revision: one migration's identity, its place in the graph and its bodies.
#pragma once

#include <retort/migration.hpp>

#include <string>
#include <vector>

namespace retort {

struct Revision {
    std::string id;
    std::vector<std::string> down_revisions;  // parents; several for a merge, none for a base
    std::vector<std::string> branch_labels;
    std::vector<std::string> depends_on;  // must be applied first, but are not parents
    std::string message;
    std::string create_date;
    std::string source_file;  // as the compiler saw it (__FILE__)
    OpsFn upgrade = nullptr;
    OpsFn downgrade = nullptr;  // nullptr: derived by reversing the upgrade
    bool irreversible = false;
    std::vector<std::string> acknowledge;  // lint codes
};

/// The migrations registered for a set (by RETORT_MIGRATION), in registration order.
const std::vector<Revision>& registered_revisions(std::string_view set);
/// The names of the sets that have registered migrations, sorted.
std::vector<std::string> registered_sets();

}  // namespace retort
