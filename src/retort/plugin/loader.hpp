// Loading migrations and models built as MODULE libraries (dlopen), with the ABI
// check and the check that the plugin is not older than the migration files.
#pragma once

#include <retort/revision/revision.hpp>
#include <retort/schema/schema.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace retort {

/// One migration file as the plugin was built from it: views of the plugin's
/// constant data (the plugin stays loaded while the process runs).
struct SourceFile {
    std::string_view name;
    std::string_view sha256;
};

struct PluginInfo {
    std::string path;
    std::string retort_version;
    std::string set;
    std::string source_dir;
    std::string build_dir;
    std::string default_url;
    std::string version_table;
    std::vector<SourceFile> files;
};

class Plugin {
public:
    /// Loads a migrations plugin. Throws retort::Error (kind build_state) when the
    /// file is missing, is not a Retort plugin, or was built for another ABI.
    static Plugin load(const std::string& path);

    const PluginInfo& info() const { return m_info; }
    /// The migrations the plugin registered, moved out of the registry when it was
    /// loaded (not copied: thousands of revisions are worth not copying at start-up).
    const std::vector<Revision>& revisions() const { return m_revisions; }
    /// The same, moved out of the plugin (to build the graph); revisions() is then empty.
    std::vector<Revision> release_revisions() { return std::move(m_revisions); }

    /// Throws retort::Error (kind build_state) naming the files, with the command
    /// to rebuild, when `migrations_dir` (default: the folder the plugin was built
    /// from) holds migration files the plugin lacks, lacks files it has, or holds
    /// files changed since it was built.
    void check_fresh(const std::string& migrations_dir = {}) const;

    /// "cmake --build <build dir>" or a generic hint.
    std::string rebuild_hint() const;

private:
    PluginInfo m_info;
    std::vector<Revision> m_revisions;
};

/// Loads a models module (a library defining RETORT_MODELS) and builds its schema.
/// Throws retort::Error (build_state) when it cannot be loaded, (config) when it
/// declares no table ("is the models library linked?").
Schema load_models(const std::string& path);

/// The migration files (*.cpp) of a folder, sorted by name.
std::vector<std::string> migration_files(const std::string& dir);

}  // namespace retort
