#include <retort/dialect/dialect.hpp>

#include <retort/error.hpp>

#include <algorithm>
#include <map>
#include <mutex>

namespace retort {

DbSession::~DbSession() = default;
RunLock::~RunLock() = default;
MigrationGuard::~MigrationGuard() = default;
void MigrationGuard::check(DbSession&) {}
Dialect::~Dialect() = default;

void Dialect::execute(DbSession& session, const Op& op, const Schema& before) const {
    for (const auto& st : render(op, before)) {
        try {
            session.exec(st.sql);
        } catch (Error& e) {
            if (e.sql().empty()) e.with_sql(st.sql);
            throw;
        }
    }
}

void Dialect::append_rows(DbSession& session, const std::string& table, const std::vector<std::string>& columns,
                          const std::vector<Row>& rows) const {
    std::string head = "INSERT INTO " + table + " (";
    for (std::size_t c = 0; c < columns.size(); ++c) head += (c ? ", " : "") + quote_identifier(columns[c]);
    head += ") VALUES ";
    // A statement is parsed whole: a few hundred rows each keeps it cheap to parse.
    constexpr std::size_t rows_per_statement = 200;
    std::string sql;
    for (std::size_t i = 0; i < rows.size(); ++i) {
        sql += i % rows_per_statement == 0 ? head : std::string(", ");
        sql += '(';
        for (std::size_t c = 0; c < rows[i].size(); ++c) {
            if (c) sql += ", ";
            sql += rows[i][c] ? quote_literal(*rows[i][c]) : std::string("NULL");
        }
        sql += ')';
        if ((i + 1) % rows_per_statement == 0 || i + 1 == rows.size()) {
            session.exec(sql);
            sql.clear();
        }
    }
}

void Dialect::execute_all(DbSession& session, std::vector<Op>& ops, Schema& schema) const {
    for (Op& op : ops) {
        resolve(op, schema);
        execute(session, op, schema);
        apply(op, schema);
    }
}

std::unique_ptr<DbSession> Dialect::connect_stoppable(const Url& url, OpenMode mode, std::stop_token) const {
    return connect(url, mode);
}

std::unique_ptr<MigrationGuard> Dialect::prepare(DbSession&, std::span<const Op>) const {
    return std::make_unique<MigrationGuard>();
}

ScriptGuard Dialect::script_guard(std::span<const Op>) const { return {}; }

bool Dialect::defaults_equal(const std::optional<std::string>&, const std::optional<std::string>&,
                             const Column&) const {
    return false;
}

Schema Dialect::normalize_consuming(Schema&& schema) const { return normalize(schema); }

bool Dialect::table_exists(DbSession& session, std::string_view table) const {
    return reflect(session, {}).find_table(table) != nullptr;
}

std::string to_string(const UnmodeledObject& object) {
    std::string out = object.kind + " " + object.name;
    if (!object.table.empty()) out += " on " + object.table;
    return out;
}

std::vector<UnmodeledObject> Dialect::unmodeled_objects(DbSession&) const { return {}; }

std::function<std::vector<UnmodeledObject>()> Dialect::unmodeled_objects_later(DbSession& session) const {
    return [objects = unmodeled_objects(session)]() mutable { return std::move(objects); };
}

Schema Dialect::schema_from_ddl(std::string_view) const {
    throw Error(ErrorKind::config,
                "the " + std::string(name()) + " backend cannot read models from a SQL file",
                "declare the models in C++ with RETORT_MODELS(meta) { ... } and give the module with --models");
}

std::unique_ptr<RunLock> Dialect::lock(DbSession&, std::string_view) const { return nullptr; }

std::optional<std::string> Dialect::rebuilt_table(const Op&, const Schema&) const { return std::nullopt; }

std::string Dialect::quote_identifier(std::string_view name) const {
    std::string out = "\"";
    for (char c : name) {
        if (c == '"') out += '"';
        out += c;
    }
    return out + "\"";
}

std::string Dialect::quote_table(std::string_view name) const { return quote_identifier(name); }

std::string Dialect::quote_literal(std::string_view value) const {
    std::string out = "'";
    for (char c : value) {
        if (c == '\'') out += '\'';
        out += c;
    }
    return out + "'";
}

namespace {

struct Dialects {
    std::mutex mutex;
    std::map<std::string, std::shared_ptr<const Dialect>, std::less<>> by_name;
    std::map<std::string, std::function<void()>, std::less<>> loaders;  // not loaded yet
};

Dialects& dialects() {
    static Dialects d;
    return d;
}

}  // namespace

void register_dialect(std::shared_ptr<const Dialect> dialect) {
    auto& d = dialects();
    std::lock_guard lock(d.mutex);
    std::string name(dialect->name());
    d.by_name.try_emplace(std::move(name), std::move(dialect));
}

void register_dialect_loader(std::string name, std::function<void()> load) {
    auto& d = dialects();
    std::lock_guard lock(d.mutex);
    if (!d.by_name.contains(name)) d.loaders.insert_or_assign(std::move(name), std::move(load));
}

const Dialect* find_dialect(std::string_view name) {
    auto& d = dialects();
    std::function<void()> load;
    {
        std::lock_guard lock(d.mutex);
        if (auto it = d.by_name.find(name); it != d.by_name.end()) return it->second.get();
        auto loader = d.loaders.find(name);
        if (loader == d.loaders.end()) return nullptr;
        load = loader->second;
    }
    load();  // registers the dialect (outside the lock: it calls register_dialect) or throws
    std::lock_guard lock(d.mutex);
    if (auto loader = d.loaders.find(name); loader != d.loaders.end()) d.loaders.erase(loader);
    auto it = d.by_name.find(name);
    return it == d.by_name.end() ? nullptr : it->second.get();
}

std::vector<std::string> dialect_names() {
    auto& d = dialects();
    std::lock_guard lock(d.mutex);
    std::vector<std::string> out;
    for (const auto& [name, _] : d.by_name) out.push_back(name);
    for (const auto& [name, _] : d.loaders)
        if (!d.by_name.contains(name)) out.push_back(name);
    std::sort(out.begin(), out.end());
    return out;
}

const Dialect& dialect_for(const Url& url) {
    if (const Dialect* d = find_dialect(url.scheme)) return *d;
    std::string known;
    for (const auto& n : dialect_names()) known += (known.empty() ? "" : ", ") + n;
    throw Error(ErrorKind::config,
                "database URL " + url.masked() + ": no backend for \"" + url.scheme + "\" in this build",
                "use one of: " + (known.empty() ? std::string("(none registered)") : known));
}

std::unique_ptr<DbSession> connect(const std::string& url, OpenMode mode) {
    Url parsed = Url::parse(url);
    return dialect_for(parsed).connect(parsed, mode);
}

std::unique_ptr<DbSession> connect(const std::string& url, OpenMode mode, std::stop_token stop) {
    Url parsed = Url::parse(url);
    return dialect_for(parsed).connect_stoppable(parsed, mode, std::move(stop));
}

}  // namespace retort
