#include <retort/plugin/loader.hpp>

#include <retort/error.hpp>
#include <retort/migration.hpp>
#include <retort/models.hpp>
#include <retort/ops/builder_data.hpp>
#include <retort/plugin/abi.h>
#include <retort/schema/fingerprint.hpp>

#include <dlfcn.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
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
    for (unsigned long i = 0; i < p->file_count; ++i) {
        info.files.push_back({str(p->files[i].name), str(p->files[i].sha256)});
        // The hashes of what was compiled: the checksums of applied migrations use them.
        detail::register_source_file(p->set, p->files[i].name, p->files[i].sha256);
    }
    // The plugin stays loaded: the registry holds pointers to its functions.
    return plugin;
}

const std::vector<Revision>& Plugin::revisions() const { return registered_revisions(m_info.set); }

std::string Plugin::rebuild_hint() const {
    if (!m_info.build_dir.empty()) return "rebuild: cmake --build " + m_info.build_dir;
    return "rebuild the migrations plugin";
}

std::vector<std::string> migration_files(const std::string& dir) {
    std::vector<std::string> out;
    std::error_code ec;
    for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
        if (it->path().extension() != ".cpp") continue;
        std::error_code fec;
        if (!it->is_regular_file(fec)) continue;
        out.push_back(it->path().filename().string());
    }
    std::sort(out.begin(), out.end());
    return out;
}

void Plugin::check_fresh(const std::string& migrations_dir) const {
    const std::string dir = migrations_dir.empty() ? m_info.source_dir : migrations_dir;
    if (dir.empty()) return;
    std::error_code ec;
    if (!fs::is_directory(dir, ec))
        throw Error(ErrorKind::config, "the migrations folder " + dir + " does not exist",
                    "create it, or set `migrations` in retort.toml");
    std::map<std::string, const SourceFile*> built;
    for (const auto& f : m_info.files) built[f.name] = &f;
    auto on_disk = migration_files(dir);
    std::vector<std::string> missing, changed, removed;
    const auto plugin_time = fs::last_write_time(m_info.path, ec);
    for (const auto& name : on_disk) {
        auto it = built.find(name);
        if (it == built.end()) {
            missing.push_back(name);
            continue;
        }
        // Hash only what changed after the plugin was built: cheap on big histories.
        std::error_code tec;
        auto t = fs::last_write_time(fs::path(dir) / name, tec);
        if (!ec && !tec && t <= plugin_time) continue;
        if (file_sha256(fs::path(dir) / name) != it->second->sha256) changed.push_back(name);
    }
    for (const auto& [name, _] : built)
        if (!std::binary_search(on_disk.begin(), on_disk.end(), name)) removed.push_back(name);
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
    Schema schema = meta.impl().schema;
    if (schema.tables.empty())
        throw Error(ErrorKind::config, "the models in " + path + " declare no tables: is the models library linked?",
                    "check that the library defining RETORT_MODELS(meta) is part of the models target");
    return schema;
}

}  // namespace retort
