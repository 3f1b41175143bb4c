#include "context.hpp"

#include <retort/error.hpp>

#include <cstdlib>
#include <filesystem>

namespace fs = std::filesystem;

namespace retort::cli {

namespace {
std::string env_var(const char* name) {
    const char* v = std::getenv(name);
    return v ? std::string(v) : std::string();
}
}  // namespace

void add_global_options(CLI::App& app, GlobalOptions& o) {
    app.add_option("-c,--config", o.config, "retort.toml to read (default: ./retort.toml, or $RETORT_CONFIG)");
    app.add_option("--url", o.url, "database URL (default: $RETORT_DATABASE_URL, the environment's, the build's)");
    app.add_option("-e,--env", o.env, "environment of retort.toml to use");
    app.add_option("--plugin", o.plugin, "migrations plugin to load (default: $RETORT_PLUGIN, retort.toml)");
    app.add_option("--migrations", o.migrations, "migrations folder (default: retort.toml, the plugin's)");
    app.add_option("--version-table", o.version_table, "version table name (default: retort_version)");
    app.add_flag("--whole-run", o.whole_run, "one transaction for the whole run instead of one per migration");
    app.add_flag("-q,--quiet", o.quiet, "print only errors");
    app.add_flag("--no-color", o.no_color, "no colors (also: NO_COLOR, or output not a terminal)");
}

const Config& Context::config() {
    if (!m_config) m_config = Config::find(m_options.config);
    return *m_config;
}

std::string Context::plugin_path() {
    if (!m_options.plugin.empty()) return m_options.plugin;
    if (auto p = env_var("RETORT_PLUGIN"); !p.empty()) return p;
    return config().plugin;
}

const Plugin& Context::plugin() {
    if (m_plugin) return *m_plugin;
    std::string path = plugin_path();
    if (path.empty())
        throw Error(ErrorKind::config, "no migrations plugin: give --plugin, set RETORT_PLUGIN, or set `plugin` in retort.toml",
                    "the plugin is built by retort_add_migrations() in CMake: lib<name>_retort_plugin.so in the build tree");
    m_plugin = Plugin::load(path);
    std::string dir = !m_options.migrations.empty() ? m_options.migrations : config().migrations;
    m_plugin->check_fresh(dir);
    return *m_plugin;
}

std::string Context::migrations_dir() {
    if (!m_options.migrations.empty()) return m_options.migrations;
    if (!config().migrations.empty()) return config().migrations;
    if (!plugin_path().empty()) {
        std::error_code ec;
        if (fs::exists(plugin_path(), ec)) return plugin().info().source_dir;
    }
    return "migrations";
}

const RevisionGraph& Context::graph() {
    if (m_graph) return *m_graph;
    std::string path = plugin_path();
    std::error_code ec;
    const bool explicit_plugin = !m_options.plugin.empty() || !env_var("RETORT_PLUGIN").empty();
    if (explicit_plugin && !fs::exists(path, ec)) plugin();  // throws: names the missing file
    if (path.empty() || !fs::exists(path, ec)) {
        // No plugin built yet (a project fresh from `retort init`): fine while there
        // is no migration to build.
        std::string dir = !m_options.migrations.empty() ? m_options.migrations : config().migrations;
        if (dir.empty()) dir = "migrations";
        if (migration_files(dir).empty()) {
            m_graph = RevisionGraph::build({});
            return *m_graph;
        }
        if (path.empty()) plugin();  // throws: no plugin configured
        throw Error(ErrorKind::build_state, "migrations plugin " + path + " does not exist, but " + dir +
                                                " holds migration files",
                    "build it first: cmake --build <build dir>");
    }
    plugin();
    m_graph = RevisionGraph::build(m_plugin->release_revisions());
    return *m_graph;
}

std::optional<std::string> Context::given_url() {
    if (!m_options.url.empty()) return m_options.url;
    if (auto u = env_var("RETORT_DATABASE_URL"); !u.empty()) return u;
    if (const Environment* env = config().select(m_options.env)) return env->url;
    return std::nullopt;
}

std::optional<std::string> Context::find_url() {
    if (auto u = given_url()) return u;
    if (!plugin_path().empty()) {
        std::error_code ec;
        if (fs::exists(plugin_path(), ec) && !plugin().info().default_url.empty()) return plugin().info().default_url;
    }
    return std::nullopt;
}

std::string Context::url() {
    if (auto u = find_url()) return *u;
    throw Error(ErrorKind::config, "no database URL",
                "give --url, set RETORT_DATABASE_URL, add an [environments.<name>] url to retort.toml, or "
                "configure DATABASE in retort_add_migrations()");
}

std::string Context::version_table() {
    if (!m_options.version_table.empty()) return m_options.version_table;
    if (!config().version_table.empty()) return config().version_table;
    if (!plugin_path().empty()) {
        std::error_code ec;
        if (fs::exists(plugin_path(), ec) && !plugin().info().version_table.empty())
            return plugin().info().version_table;
    }
    return "retort_version";
}

TxMode Context::tx_mode() {
    if (m_options.whole_run) return TxMode::whole_run;
    return config().transaction == "whole-run" ? TxMode::whole_run : TxMode::per_migration;
}

bool Context::allow_downgrade() {
    if (!m_options.url.empty() || !env_var("RETORT_DATABASE_URL").empty()) {
        // An explicit URL still honours the named environment's rule.
        if (m_options.env.empty()) return true;
    }
    const Environment* env = config().select(m_options.env);
    return !env || env->allow_downgrade;
}

PendingSession::PendingSession(std::string url, OpenMode mode) : m_mode(mode) {
    std::promise<std::unique_ptr<DbSession>> session;
    m_session = session.get_future();
    m_thread = std::jthread([url = std::move(url), mode, session = std::move(session)](std::stop_token stop) mutable {
        try {
            session.set_value(retort::connect(url, mode, stop));
        } catch (...) {
            session.set_exception(std::current_exception());
        }
    });
}

std::unique_ptr<DbSession> Context::connect(OpenMode mode) {
    if (m_connecting && m_connecting->mode() == mode) {
        auto pending = std::move(m_connecting);
        return pending->get();
    }
    return retort::connect(url(), mode);
}

void Context::start_connecting(OpenMode mode) {
    if (m_connecting) return;
    std::optional<std::string> url = given_url();
    if (!url) return;
    if (mode == OpenMode::create && url->starts_with("sqlite:")) return;
    m_connecting = std::make_unique<PendingSession>(std::move(*url), mode);
}

MigratorOptions Context::migrator_options() {
    MigratorOptions o;
    o.version_table = version_table();
    o.tx_mode = tx_mode();
    return o;
}

std::string Context::offline_script(Direction direction, const std::string& range, bool skip_data_steps) {
    OfflineOptions o;
    o.version_table = version_table();
    o.tx_mode = tx_mode();
    o.skip_data_steps = skip_data_steps;
    return offline_sql(graph(), dialect_for(Url::parse(url())), direction, range, o);
}

}  // namespace retort::cli
