#include <retort/plugin/loader.hpp>

#include <retort/error.hpp>
#include <retort/migration.hpp>
#include <retort/models.hpp>
#include <retort/ops/builder_data.hpp>
#include <retort/plugin/abi.h>
#include <retort/schema/fingerprint.hpp>

#include <dirent.h>
#include <dlfcn.h>
#include <sys/stat.h>

#include <algorithm>
#include <bit>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>

namespace fs = std::filesystem;

namespace retort {

namespace {

std::string str(const char* s) { return s ? std::string(s) : std::string(); }

void* open_library(const std::string& path, std::string_view what, std::string_view hint) {
    std::error_code ec;
    if (!fs::exists(path, ec))
        throw Error(ErrorKind::build_state, std::string(what) + " " + path + " does not exist", std::string(hint));
    // RTLD_NOW: resolve everything now, so a library built against another
    // libretort_core fails here with a clear message rather than later.
    void* handle = dlopen(fs::absolute(path).c_str(), RTLD_NOW | RTLD_LOCAL);
    if (!handle) {
        std::string why = str(dlerror());
        if (why.find("register_migration_abi") != std::string::npos || why.find("undefined symbol") != std::string::npos)
            throw Error(ErrorKind::build_state,
                        std::string(what) + " " + path + " was built against another version of Retort (" + why + ")",
                        "rebuild it with this Retort (" RETORT_VERSION_STRING ")");
        throw Error(ErrorKind::build_state, "cannot load " + std::string(what) + " " + path + ": " + why,
                    std::string(hint));
    }
    return handle;
}

std::string file_sha256(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    return sha256_hex(ss.str());
}

/// The positions of the plugin's files by name, in an open-addressing table: no
/// node per file, and no comparison of the long prefixes migration file names share
/// (a sorted search compares them a dozen times per lookup).
class FileIndex {
public:
    static constexpr std::size_t none = static_cast<std::size_t>(-1);

    explicit FileIndex(const std::vector<SourceFile>& files)
        : m_files(files), m_slots(std::bit_ceil(2 * files.size() + 1), none), m_mask(m_slots.size() - 1) {
        for (std::size_t i = 0; i < files.size(); ++i) {
            std::size_t h = slot_of(files[i].name);
            while (m_slots[h] != none) h = (h + 1) & m_mask;
            m_slots[h] = i;
        }
    }

    /// The position of the file called `name`, or `none`.
    std::size_t find(std::string_view name) const {
        for (std::size_t h = slot_of(name); m_slots[h] != none; h = (h + 1) & m_mask)
            if (m_files[m_slots[h]].name == name) return m_slots[h];
        return none;
    }

private:
    std::size_t slot_of(std::string_view name) const { return std::hash<std::string_view>{}(name) & m_mask; }

    const std::vector<SourceFile>& m_files;
    std::vector<std::size_t> m_slots;
    std::size_t m_mask;
};

}  // namespace

Plugin Plugin::load(const std::string& path) {
    void* handle = open_library(path, "migrations plugin",
                                "build it (cmake --build <build dir>), or point --plugin, RETORT_PLUGIN or "
                                "retort.toml's `plugin` at it");
    auto entry = reinterpret_cast<retort_plugin_fn>(dlsym(handle, "retort_plugin"));
    if (!entry)
        throw Error(ErrorKind::build_state, path + " is not a Retort migrations plugin (no retort_plugin entry point)",
                    "build it with retort_add_migrations() in CMake");
    const retort_plugin_v1* p = entry();
    if (!p || p->abi != RETORT_PLUGIN_ABI)
        throw Error(ErrorKind::build_state,
                    "migrations plugin " + path + " was built for plugin ABI " + std::to_string(p ? p->abi : 0) +
                        ", but this retort speaks ABI " + std::to_string(RETORT_PLUGIN_ABI),
                    "rebuild the plugin with this Retort (" RETORT_VERSION_STRING "): cmake --build <build dir>");
    Plugin plugin;
    PluginInfo& info = plugin.m_info;
    info.path = path;
    info.retort_version = str(p->retort_version);
    info.set = str(p->set);
    info.source_dir = str(p->source_dir);
    info.build_dir = str(p->build_dir);
    info.default_url = str(p->default_url);
    info.version_table = str(p->version_table);
    info.files.reserve(p->file_count);
    for (unsigned long i = 0; i < p->file_count; ++i) {
        if (!p->files[i].name || !p->files[i].sha256) continue;
        info.files.push_back({p->files[i].name, p->files[i].sha256});
    }
    auto by_name = [](const SourceFile& a, const SourceFile& b) { return a.name < b.name; };
    if (!std::is_sorted(info.files.begin(), info.files.end(), by_name))
        std::sort(info.files.begin(), info.files.end(), by_name);
    // The revisions its static initializers registered, with the hashes of what was
    // compiled (the checksums of applied migrations use them).
    plugin.m_revisions = detail::take_registered_revisions(info.set);
    const FileIndex files(info.files);
    for (Revision& r : plugin.m_revisions) {
        // A view of the plugin's constant data, which stays loaded.
        if (auto i = files.find(source_file_name(r.source_file)); i != FileIndex::none)
            r.source_sha256 = StaticText(info.files[i].sha256);
    }
    // The plugin stays loaded: the revisions hold pointers to its functions.
    return plugin;
}

std::string Plugin::rebuild_hint() const {
    if (!m_info.build_dir.empty()) return "rebuild: cmake --build " + m_info.build_dir;
    return "rebuild the migrations plugin";
}

namespace {

/// A directory opened for reading its entries and stat-ing them relative to it: no
/// path strings built per file (std::filesystem built and split one for each of
/// thousands of files, most of a read-only command's allocations).
class Dir {
public:
    explicit Dir(const std::string& path) : m_dir(opendir(path.c_str())) {}
    ~Dir() {
        if (m_dir) closedir(m_dir);
    }
    Dir(const Dir&) = delete;
    Dir& operator=(const Dir&) = delete;
    explicit operator bool() const { return m_dir != nullptr; }

    /// The regular files (symbolic links to them included) whose name ends in `.cpp`,
    /// in the directory's order.
    std::vector<std::string> cpp_files() {
        std::vector<std::string> out;
        while (const dirent* e = readdir(m_dir)) {
            std::string_view name(e->d_name);
            if (name.size() <= 4 || !name.ends_with(".cpp")) continue;
            if (e->d_type != DT_REG) {
                struct stat st {};
                if (e->d_type != DT_LNK && e->d_type != DT_UNKNOWN) continue;
                if (fstatat(dirfd(m_dir), e->d_name, &st, 0) != 0 || !S_ISREG(st.st_mode)) continue;
            }
            out.emplace_back(name);
        }
        return out;
    }

    /// The modification time of a file in the directory, or nullopt.
    std::optional<timespec> mtime(const std::string& name) const {
        struct stat st {};
        if (fstatat(dirfd(m_dir), name.c_str(), &st, 0) != 0) return std::nullopt;
        return st.st_mtim;
    }

private:
    DIR* m_dir;
};

bool later(const timespec& a, const timespec& b) {
    return a.tv_sec != b.tv_sec ? a.tv_sec > b.tv_sec : a.tv_nsec > b.tv_nsec;
}

}  // namespace

std::vector<std::string> migration_files(const std::string& dir) {
    Dir d(dir);
    if (!d) return {};
    std::vector<std::string> files = d.cpp_files();
    std::sort(files.begin(), files.end());
    return files;
}

void Plugin::check_fresh(const std::string& migrations_dir) const {
    const std::string dir = migrations_dir.empty() ? m_info.source_dir : migrations_dir;
    if (dir.empty()) return;
    Dir d(dir);
    if (!d)
        throw Error(ErrorKind::config, "the migrations folder " + dir + " does not exist",
                    "create it, or set `migrations` in retort.toml");
    const std::vector<SourceFile>& built = m_info.files;  // sorted by name (load())
    // The folder's files in its own order, matched by hash: sorting thousands of
    // names that share a long prefix cost more than reading them.
    const std::vector<std::string> on_disk = d.cpp_files();
    const FileIndex built_index(built);
    std::vector<bool> found(built.size(), false);
    struct stat plugin_st {};
    const bool plugin_time_known = ::stat(m_info.path.c_str(), &plugin_st) == 0;
    std::vector<std::string> missing, changed, removed;
    for (const auto& name : on_disk) {
        const std::size_t b = built_index.find(name);
        if (b == FileIndex::none) {
            missing.push_back(name);
            continue;
        }
        found[b] = true;
        const SourceFile& file = built[b];
        // Hash only what changed after the plugin was built: cheap on big histories.
        auto t = d.mtime(name);
        if (plugin_time_known && t && !later(*t, plugin_st.st_mtim)) continue;
        if (file_sha256(fs::path(dir) / name) != file.sha256) changed.push_back(name);
    }
    for (std::size_t i = 0; i < built.size(); ++i)
        if (!found[i]) removed.emplace_back(built[i].name);
    std::sort(missing.begin(), missing.end());
    std::sort(changed.begin(), changed.end());
    if (missing.empty() && changed.empty() && removed.empty()) return;
    std::string what = "the migrations plugin " + m_info.path + " is older than the migration files in " + dir + ":";
    for (const auto& n : missing) what += "\n  not in the plugin: " + n;
    for (const auto& n : changed) what += "\n  changed since the plugin was built: " + n;
    for (const auto& n : removed) what += "\n  in the plugin but no longer in the folder: " + n;
    throw Error(ErrorKind::build_state, what, rebuild_hint());
}

Schema load_models(const std::string& path) {
    void* handle = open_library(path, "models module", "build it (cmake --build <build dir>), or point --models at it");
    using Entry = const retort_models_v1* (*)();
    auto entry = reinterpret_cast<Entry>(dlsym(handle, "retort_models"));
    if (!entry)
        throw Error(ErrorKind::build_state, path + " has no retort_models entry point",
                    "define the models with RETORT_MODELS(meta) { ... } in the models library");
    const retort_models_v1* m = entry();
    if (!m || m->abi != RETORT_MODELS_ABI)
        throw Error(ErrorKind::build_state,
                    "models module " + path + " was built for models ABI " + std::to_string(m ? m->abi : 0) +
                        ", but this retort speaks ABI " + std::to_string(RETORT_MODELS_ABI),
                    "rebuild it with this Retort");
    MetaData meta;
    m->build(meta);
    Schema schema = std::move(meta.impl().schema);  // the MetaData goes: moved, not copied
    if (schema.tables.empty())
        throw Error(ErrorKind::config, "the models in " + path + " declare no tables: is the models library linked?",
                    "check that the library defining RETORT_MODELS(meta) is part of the models target");
    return schema;
}

}  // namespace retort
