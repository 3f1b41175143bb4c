// What every verb needs: the config, the plugin and its revision graph, the
// database URL and a session, resolved once from the global options.
#pragma once

#include <retort/config/config.hpp>
#include <retort/dialect/dialect.hpp>
#include <retort/plugin/loader.hpp>
#include <retort/revision/graph.hpp>
#include <retort/runtime/migrator.hpp>

#include <CLI/CLI.hpp>

#include <future>
#include <memory>
#include <optional>
#include <string>

namespace retort::cli {

struct GlobalOptions {
    std::string config;
    std::string url;
    std::string env;
    std::string plugin;
    std::string version_table;
    std::string migrations;
    bool whole_run = false;
    bool quiet = false;
    bool no_color = false;
};

class Context {
public:
    explicit Context(const GlobalOptions& options) : m_options(options) {}
    Context(const Context&) = delete;
    Context& operator=(const Context&) = delete;

    const GlobalOptions& options() const { return m_options; }
    const Config& config();
    /// The plugin path from --plugin, $RETORT_PLUGIN or retort.toml; empty when none.
    std::string plugin_path();
    /// Loads the plugin and checks it is not older than the migration files.
    const Plugin& plugin();
    /// The revision graph of the plugin's migrations. When there is no plugin and
    /// the migrations folder has no file yet, an empty graph.
    const RevisionGraph& graph();
    /// The migrations folder: --migrations, retort.toml, the plugin's, or ./migrations.
    std::string migrations_dir();
    /// --url, then $RETORT_DATABASE_URL, then retort.toml's environment, then the
    /// URL the build configured. Throws retort::Error (config) when there is none.
    std::string url();
    /// The same, or nullopt when none is given anywhere (verbs that can work without one).
    std::optional<std::string> find_url();
    std::string version_table();
    TxMode tx_mode();
    /// Whether the selected environment allows downgrades.
    bool allow_downgrade();
    /// A session on url(); the one start_connecting() opened, if any. Verbs that
    /// only read pass OpenMode::existing: a mistyped SQLite URL is then an error
    /// naming the file, not a new empty one.
    std::unique_ptr<DbSession> connect(OpenMode mode);
    /// Opens the database in the background, to overlap loading the plugin, when the
    /// URL is known without the plugin and names a SQLite file: opening one parses its
    /// whole schema, tens of milliseconds for a big one. (Not PostgreSQL: an
    /// unreachable server would hold up the exit of a command that failed meanwhile.)
    /// connect(mode) waits for it and reports its error, if any, then.
    void start_connecting(OpenMode mode);
    MigratorOptions migrator_options();
    /// `upgrade --sql` / `downgrade --sql`: the offline script for `range`, in the
    /// dialect of the URL (no database is opened).
    std::string offline_script(Direction direction, const std::string& range, bool skip_data_steps);

private:
    const GlobalOptions& m_options;  // filled by the parser
    std::optional<Config> m_config;
    std::optional<Plugin> m_plugin;
    std::optional<RevisionGraph> m_graph;
    OpenMode m_connecting_mode{};
    std::future<std::unique_ptr<DbSession>> m_connecting;  // last: waited for first

    /// The URL from --url, the environment or retort.toml (not the plugin's).
    std::optional<std::string> given_url();
};

/// Adds the global options to the app.
void add_global_options(CLI::App& app, GlobalOptions& options);

}  // namespace retort::cli
