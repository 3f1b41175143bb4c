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
#include <stop_token>
#include <string>
#include <thread>

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

/// A session being opened on another thread. Destroying it before get() gives the
/// attempt up: a PostgreSQL connection still waiting for its server stops waiting,
/// and the destructor returns once the thread has (it is joined, never left running
/// into the exit of the process).
class PendingSession {
public:
    PendingSession(std::string url, OpenMode mode);
    PendingSession(const PendingSession&) = delete;
    PendingSession& operator=(const PendingSession&) = delete;

    OpenMode mode() const { return m_mode; }
    /// Waits for the session; throws what connecting threw.
    std::unique_ptr<DbSession> get() { return m_session.get(); }

private:
    OpenMode m_mode;
    std::future<std::unique_ptr<DbSession>> m_session;
    std::jthread m_thread;  // last: asked to stop and joined first
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
    /// URL is known without the plugin: opening a SQLite file parses its whole schema,
    /// tens of milliseconds for a big one; a PostgreSQL session loads libpq and its
    /// libraries and takes a few round trips to the server. connect(mode) waits for it
    /// and reports its error, if any, then. A command that fails before that gives the
    /// attempt up (PendingSession): an unreachable server does not hold up its exit.
    /// With OpenMode::create, not for SQLite: a command that failed meanwhile would
    /// leave a new empty file behind.
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
    std::unique_ptr<PendingSession> m_connecting;  // last: given up first

    /// The URL from --url, the environment or retort.toml (not the plugin's).
    std::optional<std::string> given_url();
};

/// Adds the global options to the app.
void add_global_options(CLI::App& app, GlobalOptions& options);

}  // namespace retort::cli
