#include <retort/embed.hpp>

#include <retort/error.hpp>
#include <retort/runtime/migrator.hpp>

namespace retort {

namespace {

std::string pick_set(const std::string& wanted) {
    auto sets = registered_sets();
    if (!wanted.empty()) {
        for (const auto& s : sets)
            if (s == wanted) return s;
        throw Error(ErrorKind::config, "no migrations of set \"" + wanted + "\" are linked into this program",
                    "link the " + wanted + "_migrations library made by retort_add_migrations(" + wanted + " ...)");
    }
    if (sets.size() == 1) return sets.front();
    if (sets.empty())
        throw Error(ErrorKind::config, "no migrations are linked into this program",
                    "link the <name>_migrations library made by retort_add_migrations(<name> ...)");
    std::string list;
    for (const auto& s : sets) list += (list.empty() ? "" : ", ") + s;
    throw Error(ErrorKind::config, "several migration sets are linked (" + list + "): name one in EmbedOptions::set");
}

MigratorOptions migrator_options(const EmbedOptions& o) {
    MigratorOptions m;
    m.version_table = o.version_table;
    m.tx_mode = o.whole_run ? TxMode::whole_run : TxMode::per_migration;
    return m;
}

}  // namespace

std::vector<std::string> upgrade_to_head(const std::string& url, const EmbedOptions& options) {
    RevisionGraph graph = RevisionGraph::build(registered_revisions(pick_set(options.set)));
    auto session = connect(url);
    Migrator migrator(graph, *session, migrator_options(options));
    return migrator.upgrade("heads").heads_after;
}

std::vector<std::string> current_revision(const std::string& url, const EmbedOptions& options) {
    RevisionGraph graph = RevisionGraph::build(registered_revisions(pick_set(options.set)));
    auto session = connect(url, OpenMode::existing);  // reading never creates the database
    Migrator migrator(graph, *session, migrator_options(options));
    return migrator.current();
}

std::size_t linked_migration_count(const std::string& set) { return registered_revisions(pick_set(set)).size(); }

}  // namespace retort
