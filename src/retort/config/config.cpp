#include <retort/config/config.hpp>

#include <retort/dialect/url.hpp>
#include <retort/error.hpp>

#include <toml++/toml.h>

#include <cstdlib>
#include <filesystem>
#include <set>

namespace fs = std::filesystem;

namespace retort {

namespace {

std::string where(const std::string& path, const toml::node& node) {
    const auto& src = node.source();
    return path + ":" + std::to_string(src.begin.line);
}

[[noreturn]] void fail(const std::string& at, const std::string& message, std::string hint = {}) {
    throw Error(ErrorKind::config, at + ": " + message, std::move(hint));
}

std::string get_string(const std::string& path, const toml::node& node, const std::string& key) {
    if (auto v = node.value<std::string>()) return *v;
    fail(where(path, node), "\"" + key + "\" must be a string");
}

bool get_bool(const std::string& path, const toml::node& node, const std::string& key) {
    if (auto v = node.value<bool>()) return *v;
    fail(where(path, node), "\"" + key + "\" must be true or false");
}

std::vector<std::string> get_string_list(const std::string& path, const toml::node& node, const std::string& key) {
    const auto* array = node.as_array();
    if (!array) fail(where(path, node), "\"" + key + "\" must be a list of strings, like [\"tmp_*\"]");
    std::vector<std::string> out;
    for (const auto& item : *array) {
        auto v = item.value<std::string>();
        if (!v) fail(where(path, item), "\"" + key + "\" must hold strings only");
        out.push_back(*v);
    }
    return out;
}

void check_keys(const std::string& path, const toml::table& table, const std::set<std::string>& allowed,
                const std::string& section) {
    for (const auto& [key, node] : table) {
        if (allowed.count(std::string(key.str()))) continue;
        std::string list;
        for (const auto& a : allowed) list += (list.empty() ? "" : ", ") + a;
        fail(where(path, node), "unknown key \"" + std::string(key.str()) + "\" in " + section,
             "the keys of " + section + " are: " + list);
    }
}

}  // namespace

Config Config::load(const std::string& path) {
    Config cfg;
    cfg.path = path;
    cfg.dir = fs::absolute(path).parent_path().string();
    toml::table root;
    try {
        root = toml::parse_file(path);
    } catch (const toml::parse_error& e) {
        const auto& src = e.source();
        throw Error(ErrorKind::config,
                    path + ":" + std::to_string(src.begin.line) + ":" + std::to_string(src.begin.column) +
                        ": malformed retort.toml: " + std::string(e.description()),
                    "fix the TOML syntax (see docs/cli.md for the file's keys)");
    }
    check_keys(path, root, {"retort", "environments"}, "the top level");
    if (auto* section = root["retort"].as_table()) {
        check_keys(path, *section,
                   {"migrations", "plugin", "models", "models_sql", "exclude_tables", "version_table", "environment",
                    "transaction"},
                   "[retort]");
        for (const auto& [key, node] : *section) {
            std::string k(key.str());
            if (k == "exclude_tables") {
                cfg.exclude_tables = get_string_list(path, node, k);
                continue;
            }
            std::string v = get_string(path, node, k);
            if (k == "migrations") cfg.migrations = cfg.resolve_path(v);
            if (k == "plugin") cfg.plugin = cfg.resolve_path(v);
            if (k == "models") cfg.models = cfg.resolve_path(v);
            if (k == "models_sql") cfg.models_sql = cfg.resolve_path(v);
            if (k == "version_table") cfg.version_table = v;
            if (k == "environment") cfg.environment = v;
            if (k == "transaction") {
                if (v != "per-migration" && v != "whole-run")
                    fail(where(path, node), "transaction must be \"per-migration\" or \"whole-run\", not \"" + v + "\"");
                cfg.transaction = v;
            }
        }
    } else if (root.contains("retort")) {
        fail(where(path, *root.get("retort")), "[retort] must be a table");
    }
    if (auto* envs = root["environments"].as_table()) {
        for (const auto& [name, node] : *envs) {
            const auto* env = node.as_table();
            if (!env) fail(where(path, node), "environments." + std::string(name.str()) + " must be a table");
            std::string section = "[environments." + std::string(name.str()) + "]";
            check_keys(path, *env, {"url", "allow_downgrade", "lock_timeout", "statement_timeout"}, section);
            Environment e;
            e.name = std::string(name.str());
            if (const auto* url = env->get("url")) {
                e.url = get_string(path, *url, "url");
                try {
                    Url::parse(e.url);
                } catch (const Error& err) {
                    fail(where(path, *url), err.what(), err.hint());
                }
                e.url = anchor_sqlite_url(e.url, cfg.dir);
            } else {
                fail(where(path, node), section + " has no url");
            }
            // Session settings for the migration run: added to the URL's query (where
            // PostgreSQL's URL already takes them), unless the URL sets them itself.
            for (const char* key : {"lock_timeout", "statement_timeout"}) {
                const auto* value = env->get(key);
                if (!value) continue;
                Url u = Url::parse(e.url);
                if (!u.query.count(key)) u.query[key] = get_string(path, *value, key);
                e.url = u.str();
            }
            if (const auto* allow = env->get("allow_downgrade"))
                e.allow_downgrade = get_bool(path, *allow, "allow_downgrade");
            cfg.environments[e.name] = std::move(e);
        }
    } else if (root.contains("environments")) {
        fail(where(path, *root.get("environments")), "[environments] must hold tables, like [environments.dev]");
    }
    if (!cfg.models.empty() && !cfg.models_sql.empty())
        fail(path, "[retort] sets both models and models_sql", "keep one: the models come from one place");
    if (!cfg.environment.empty() && !cfg.environments.count(cfg.environment))
        fail(path, "the default environment \"" + cfg.environment + "\" has no [environments." + cfg.environment +
                       "] section");
    return cfg;
}

Config Config::find(const std::string& explicit_path) {
    if (!explicit_path.empty()) {
        std::error_code ec;
        if (!fs::exists(explicit_path, ec))
            throw Error(ErrorKind::config, "config file " + explicit_path + " does not exist",
                        "create one with `retort init`, or leave out --config");
        return load(explicit_path);
    }
    if (const char* env = std::getenv("RETORT_CONFIG"); env && *env) return find(env);
    std::error_code ec;
    if (fs::exists("retort.toml", ec)) return load("retort.toml");
    return Config{};
}

const Environment* Config::select(const std::string& name) const {
    if (!name.empty()) {
        auto it = environments.find(name);
        if (it == environments.end()) {
            std::string known;
            for (const auto& [n, _] : environments) known += (known.empty() ? "" : ", ") + n;
            throw Error(ErrorKind::config,
                        "environment \"" + name + "\" is not defined" + (path.empty() ? "" : " in " + path),
                        known.empty() ? "add an [environments." + name + "] section with a url"
                                      : "known environments: " + known);
        }
        return &it->second;
    }
    if (!environment.empty()) return &environments.at(environment);
    if (environments.size() == 1) return &environments.begin()->second;
    return nullptr;
}

std::string Config::resolve_path(const std::string& p) const {
    if (p.empty() || fs::path(p).is_absolute()) return p;
    return (fs::path(dir) / p).lexically_normal().string();
}

std::string anchor_sqlite_url(const std::string& url, const std::string& dir) {
    Url u = Url::parse(url);
    if (u.scheme != "sqlite" || u.database == ":memory:" || fs::path(u.database).is_absolute() || dir.empty())
        return url;
    return "sqlite:///" + (fs::path(dir) / u.database).lexically_normal().string();
}

}  // namespace retort
