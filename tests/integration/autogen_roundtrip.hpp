// The autogenerate corpus (tests/unit/autogen_corpus.hpp) through real migrations on
// a real database, whatever the dialect: autogen_sqlite_test.cpp and
// autogen_postgres_test.cpp each give a Backend (what their SQL spells
// differently) and a database, and run round_trip() on every case. For a case,
// the initial migration autogenerate writes for "before" and the migration it
// writes from the replayed "before" to "after" are rendered as C++ (exactly what
// `retort revision --autogenerate` writes), compiled into one module with the
// compiler that built the tests, loaded, and run by the Migrator with two rows in
// every table. The reflected database must equal normalize(after) after the
// upgrade and normalize(before) after the downgrade, autogenerate against the
// upgraded database must find nothing, and the rows stay where the change keeps
// them. Changes that cannot run on a table holding rows (and say so in a REVIEW
// notice) must fail cleanly, leaving the database at its revision with its rows;
// they then run on empty tables.
#pragma once

#include "../unit/autogen_corpus.hpp"

#include <retort/autogen/compare.hpp>
#include <retort/autogen/render_cpp.hpp>
#include <retort/dialect/dialect.hpp>
#include <retort/error.hpp>
#include <retort/revision/graph.hpp>
#include <retort/runtime/migrator.hpp>
#include <retort/schema/fingerprint.hpp>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <cstring>
#include <dlfcn.h>
#include <filesystem>
#include <fstream>
#include <map>
#include <span>
#include <string>
#include <string_view>
#include <unistd.h>
#include <vector>

#ifndef RETORT_SOURCE_DIR
#error "define RETORT_SOURCE_DIR: the folder holding retort/migration.hpp"
#endif
#ifndef RETORT_CXX_COMPILER
#define RETORT_CXX_COMPILER "c++"
#endif
#ifndef RETORT_AUTOGEN_WORK_DIR
#define RETORT_AUTOGEN_WORK_DIR "/tmp/retort_autogen_corpus"
#endif

namespace autogen_roundtrip {

using namespace retort;
using autogen_corpus::ChangeCase;
namespace fs = std::filesystem;

/// What a dialect spells its own way when the fixture rows go in and come out.
class Backend {
public:
    virtual ~Backend() = default;
    virtual const Dialect& dialect() const = 0;
    /// The literal row `i` (1 or 2) gets in a column of `type`: common_literal()
    /// for the types every dialect reads alike.
    virtual std::string literal(const Schema& schema, const Type& type, int i) const = 0;
    /// Foreign keys unchecked (`on` false) while rows go in or go, whatever the
    /// order of the tables (they may reference each other), then checked again.
    virtual void enforce_foreign_keys(DbSession& session, bool on) const = 0;
    /// Whether every row of `schema`'s tables satisfies its foreign keys.
    virtual bool foreign_keys_hold(DbSession& session, const Schema& schema) const = 0;
    /// The ORDER BY expression a column's values are read in.
    virtual std::string order_by(const std::string& quoted_column) const = 0;
};

/// The literal of row `i` for the types every dialect reads alike; nullopt for
/// booleans, blobs, enums and arrays, whose spelling is the dialect's.
inline std::optional<std::string> common_literal(const Type& type, int i) {
    const std::string n = std::to_string(i);
    switch (type.kind) {
    case TypeKind::integer:
    case TypeKind::smallint:
    case TypeKind::bigint: return n;
    case TypeKind::numeric:
    case TypeKind::real:
    case TypeKind::double_precision: return n + ".5";
    case TypeKind::date: return "'2020-01-0" + n + "'";
    case TypeKind::time: return "'10:00:0" + n + "'";
    case TypeKind::timestamp:
    case TypeKind::timestamptz: return "'2020-01-01 10:00:0" + n + "'";
    case TypeKind::json:
    case TypeKind::jsonb: return "'{\"n\": " + n + "}'";
    case TypeKind::uuid: return "'00000000-0000-0000-0000-00000000000" + n + "'";
    // Short, so that a narrowed varchar still holds it, and a valid integer-free text.
    case TypeKind::text:
    case TypeKind::varchar:
    case TypeKind::custom: return "'v" + n + "'";
    case TypeKind::boolean:
    case TypeKind::blob:
    case TypeKind::enumeration:
    case TypeKind::array: break;
    }
    return std::nullopt;
}

inline Schema without_excluded(Schema schema, const autogen::CompareOptions& options) {
    for (auto it = schema.tables.begin(); it != schema.tables.end();)
        it = autogen::is_excluded(options, it->first) ? schema.tables.erase(it) : std::next(it);
    return schema;
}

inline std::vector<Op> plain(const std::vector<autogen::PlannedOp>& planned) {
    std::vector<Op> out;
    for (const auto& p : planned) out.push_back(p.op);
    return out;
}

// ---- rows --------------------------------------------------------------------

/// The value row `i` (1 or 2) gets in a column: distinct per row, never NULL, a
/// foreign key column taking the referenced column's value of the same row.
inline std::string value_sql(const Backend& backend, const Schema& schema, const Table& table, const Column& column,
                             int i, int depth = 0) {
    for (const auto& fk : table.foreign_keys) {
        auto at = std::find(fk.columns.begin(), fk.columns.end(), column.name);
        if (at == fk.columns.end() || depth > 4) continue;
        const Table* parent = schema.find_table(fk.ref_table);
        std::string ref = fk.ref_columns.empty() ? std::string() : fk.ref_columns[at - fk.columns.begin()];
        if (parent)
            if (const Column* ref_column = parent->find_column(ref))
                return value_sql(backend, schema, *parent, *ref_column, i, depth + 1);
    }
    return backend.literal(schema, column.type, i);
}

inline std::string quote(const Backend& backend, std::string_view name) {
    return backend.dialect().quote_identifier(name);
}

inline long long count_rows(const Backend& backend, DbSession& session, const std::string& table) {
    return std::stoll(*session.query("SELECT count(*) FROM " + quote(backend, table)).at(0).at(0));
}

/// Two rows in every table (`only_empty`: in every empty table), foreign keys
/// unchecked while inserting and checked after.
inline void insert_rows(const Backend& backend, DbSession& session, const Schema& schema, bool only_empty = false) {
    backend.enforce_foreign_keys(session, false);
    for (const auto& [name, table] : schema.tables) {
        if (only_empty && count_rows(backend, session, name) > 0) continue;
        std::string columns, values1, values2;
        for (const auto& c : table.columns) {
            columns += (columns.empty() ? "" : ", ") + quote(backend, c.name);
            values1 += (values1.empty() ? "" : ", ") + value_sql(backend, schema, table, c, 1);
            values2 += (values2.empty() ? "" : ", ") + value_sql(backend, schema, table, c, 2);
        }
        session.exec("INSERT INTO " + quote(backend, name) + " (" + columns + ") VALUES (" + values1 + "), (" +
                     values2 + ")");
    }
    EXPECT_TRUE(backend.foreign_keys_hold(session, schema)) << "the fixture rows break a foreign key";
    backend.enforce_foreign_keys(session, true);
}

inline void delete_rows(const Backend& backend, DbSession& session, const Schema& schema) {
    backend.enforce_foreign_keys(session, false);
    for (const auto& [name, _] : schema.tables) session.exec("DELETE FROM " + quote(backend, name));
    backend.enforce_foreign_keys(session, true);
}

/// Every value of a column, in the backend's order, as text.
inline std::vector<std::string> column_values(const Backend& backend, DbSession& session, const std::string& table,
                                              const std::string& column) {
    std::vector<std::string> out;
    const std::string quoted = quote(backend, column);
    for (const auto& row :
         session.query("SELECT " + quoted + " FROM " + quote(backend, table) + " ORDER BY " + backend.order_by(quoted)))
        out.push_back(row.at(0) ? *row.at(0) : std::string("NULL"));
    return out;
}

/// The table's name after the case's rename hints.
inline std::string renamed_table(const autogen::CompareOptions& o, const std::string& table) {
    for (const auto& r : o.rename_tables)
        if (r.from == table) return r.to;
    return table;
}

inline std::string renamed_column(const autogen::CompareOptions& o, const std::string& table,
                                  const std::string& column) {
    const std::string to_table = renamed_table(o, table);
    for (const auto& r : o.rename_columns)
        if ((r.table == table || r.table == to_table) && r.from == column) return r.to;
    return column;
}

/// The values of every column of `from` that `to` keeps under the same (or hinted)
/// name and an unchanged type, per table, for the tables both hold.
using Snapshot = std::map<std::string, std::vector<std::string>>;

inline Snapshot kept_values(const Backend& backend, DbSession& session, const Schema& from, const Schema& to,
                            const autogen::CompareOptions& o, bool forward) {
    Snapshot out;
    for (const auto& [name, table] : from.tables) {
        const std::string other_name = forward ? renamed_table(o, name) : name;
        const Table* other = to.find_table(other_name);
        if (!other) continue;
        out[name + ".count"] = {std::to_string(count_rows(backend, session, name))};
        for (const auto& c : table.columns) {
            const Column* oc = other->find_column(forward ? renamed_column(o, name, c.name) : c.name);
            if (oc && oc->type == c.type) out[name + "." + c.name] = column_values(backend, session, name, c.name);
        }
    }
    return out;
}

/// The same values read under the names of `to`.
inline Snapshot values_now(const Backend& backend, DbSession& session, const Snapshot& before,
                           const autogen::CompareOptions& o) {
    Snapshot out;
    for (const auto& [key, _] : before) {
        auto dot = key.find('.');
        std::string table = key.substr(0, dot), column = key.substr(dot + 1);
        const std::string now_table = renamed_table(o, table);
        out[key] = column == "count" ? std::vector<std::string>{std::to_string(count_rows(backend, session, now_table))}
                                     : column_values(backend, session, now_table, renamed_column(o, table, column));
    }
    return out;
}

inline long long all_rows(const Backend& backend, DbSession& session, const Schema& schema) {
    long long n = 0;
    for (const auto& [name, _] : schema.tables) n += count_rows(backend, session, name);
    return n;
}

// ---- expectations ------------------------------------------------------------

/// A change that cannot run on a table holding rows. Autogenerate says why in a
/// REVIEW notice; the migration must fail and leave the database as it was.
struct RowsRefusal {
    const char* name;
    bool upgrade;
    bool downgrade;
    const char* message;  // a substring of the error
    /// The notice that warns about it, on the refused direction's ops.
    autogen::NoticeKind notice = autogen::NoticeKind::not_null_column_added;
};

inline const RowsRefusal* refusal_for(const ChangeCase& c, std::span<const RowsRefusal> refusals) {
    for (const auto& r : refusals)
        if (std::strcmp(r.name, c.name) == 0) return &r;
    return nullptr;
}

/// The schema as compared: a table has one primary key, matched by its columns
/// whatever its name (a renamed table keeps `pk_<old name>`; no op renames it).
inline std::string comparable(Schema schema) {
    for (auto& [_, t] : schema.tables)
        if (t.primary_key) t.primary_key->name.clear();
    return canonical_json(schema);
}

// ---- the migrations, rendered and compiled ---------------------------------------

/// What autogenerate writes for a case, from the models alone (no database): the
/// initial migration of "before", then the migration from the replayed "before"
/// to "after" — as `retort revision --autogenerate` computes them.
struct Generated {
    Schema before;  // normalize(replay of the initial migration)
    Schema after;   // normalize(after)
    autogen::SchemaDiff diff;
    autogen::MigrationBodies initial;
    autogen::MigrationBodies change;
};

inline Generated generate(const ChangeCase& c, const Dialect& dialect) {
    const autogen::CompareOptions options = autogen_corpus::options_for(c);
    Generated g;
    const Schema before_models = dialect.normalize(autogen_corpus::models(c.before));
    g.initial = autogen::render_initial(before_models, options);
    Schema replayed;
    for (auto& op : plain(autogen::diff(Schema{}, before_models, options).ops)) apply(op, replayed);
    g.before = dialect.normalize(replayed);
    g.after = dialect.normalize(autogen_corpus::models(c.after));
    g.diff = autogen::diff(g.before, g.after, options);
    if (!g.diff.empty()) g.change = autogen::render_bodies(g.before, g.diff.ops, options);
    return g;
}

inline std::string shell_quote(const std::string& s) {
    std::string out = "'";
    for (char ch : s) out += ch == '\'' ? std::string("'\\''") : std::string(1, ch);
    return out + "'";
}

/// Every case's two migrations for one dialect as C++ functions, compiled into one
/// module. Make one per process (a function-local static).
class CompiledCorpus {
public:
    /// `generated(c)`: whether the dialect takes the case's models (false: no
    /// migration is generated for it).
    CompiledCorpus(const Dialect& dialect, bool (*generated)(const ChangeCase&)) {
        // CTest runs each case in a process of its own: the module is compiled once
        // per source text and kept in RETORT_AUTOGEN_WORK_DIR (written under a
        // temporary name, then renamed, so parallel cases never load half a file).
        std::string source = "// Generated by the autogenerate round trip on " + std::string(dialect.name()) +
                             ": each corpus case's migrations.\n"
                             "#include <retort/migration.hpp>\n\nusing namespace retort;\n\n";
        const auto& corpus = autogen_corpus::change_corpus();
        for (std::size_t i = 0; i < corpus.size(); ++i) {
            if (!generated(corpus[i])) continue;
            Generated g = generate(corpus[i], dialect);
            const std::string n = std::to_string(i);
            source += "// " + std::string(corpus[i].name) + "\n";
            auto function = [&](const char* which, const std::string& body) {
                source += "extern \"C\" void retort_case_" + n + "_" + which + "([[maybe_unused]] Ops& op) {\n" + body +
                          "}\n";
            };
            function("before_up", g.initial.upgrade);
            function("before_down", g.initial.downgrade);
            function("up", g.change.upgrade);
            function("down", g.change.downgrade);
            source += "\n";
        }
        const fs::path dir = RETORT_AUTOGEN_WORK_DIR;
        fs::create_directories(dir);
        const std::string stem = "corpus_" + std::string(dialect.name()) + "_" +
                                 std::to_string(std::hash<std::string>{}(source));
        const fs::path module = dir / (stem + ".so");
        if (!fs::exists(module)) {
            const std::string tmp = stem + "." + std::to_string(getpid());
            const fs::path file = dir / (tmp + ".cpp"), built = dir / (tmp + ".so"), log = dir / (tmp + ".log");
            std::ofstream(file) << source;
            std::string cmd = shell_quote(RETORT_CXX_COMPILER) +
                              " -std=c++20 -Wall -Wextra -Wpedantic -Wshadow -Werror -shared -fPIC -I" +
                              shell_quote(RETORT_SOURCE_DIR) + " -o " + shell_quote(built.string()) + " " +
                              shell_quote(file.string()) + " > " + shell_quote(log.string()) + " 2>&1";
            if (std::system(cmd.c_str()) != 0) {
                std::ifstream in(log);
                m_error = "the generated migrations do not compile (" + file.string() + "):\n" +
                          std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
                return;
            }
            fs::rename(built, module);
            fs::remove(file);
            fs::remove(log);
        }
        // The module's builder calls resolve against the retort core already loaded.
        m_handle = dlopen(module.c_str(), RTLD_NOW | RTLD_LOCAL);
        if (!m_handle) m_error = dlerror();
    }
    ~CompiledCorpus() {
        if (m_handle) dlclose(m_handle);
    }
    CompiledCorpus(const CompiledCorpus&) = delete;
    CompiledCorpus& operator=(const CompiledCorpus&) = delete;

    const std::string& error() const { return m_error; }
    OpsFn function(std::size_t i, const char* which) const {
        if (!m_handle) return nullptr;
        return reinterpret_cast<OpsFn>(dlsym(m_handle, ("retort_case_" + std::to_string(i) + "_" + which).c_str()));
    }

private:
    void* m_handle = nullptr;
    std::string m_error;
};

inline Revision revision(std::string id, std::vector<std::string> parents, OpsFn up, OpsFn down,
                         const char* message) {
    Revision r;
    r.id = std::move(id);
    r.down_revisions = std::move(parents);
    r.message = message;
    r.source_file = "corpus_migrations.cpp";
    r.upgrade = up;
    r.downgrade = down;
    return r;
}

// ---- the round trip ----------------------------------------------------------

/// Upgrades or downgrades to `target`. With a refusal, it must first fail on the
/// rows with that message and leave the database at its revision, schema and rows
/// unchanged, and then run once the tables are emptied.
inline void migrate(const Backend& backend, Migrator& m, DbSession& session, bool up, const std::string& target,
                    const RowsRefusal* refusal, const char* step) {
    auto run = [&] {
        if (up)
            m.upgrade(target);
        else
            m.downgrade(target);
    };
    if (!refusal) {
        ASSERT_NO_THROW(run()) << step;
        return;
    }
    const auto heads = m.current();
    const Schema schema = m.reflect();
    const std::string before = canonical_json(schema);
    const long long rows = all_rows(backend, session, schema);
    try {
        run();
        ADD_FAILURE() << step << " ran on tables holding rows, but should have been refused";
    } catch (const Error& e) {
        EXPECT_NE(e.describe().find(refusal->message), std::string::npos) << e.describe();
    }
    EXPECT_EQ(m.current(), heads) << step << ": the failed migration moved the version table";
    EXPECT_EQ(canonical_json(m.reflect()), before) << step << ": the failed migration changed the schema";
    EXPECT_EQ(all_rows(backend, session, schema), rows) << step << ": the failed migration changed rows";
    delete_rows(backend, session, schema);
    ASSERT_NO_THROW(run()) << step << " on empty tables";
}

/// Case `i` of the corpus through its real migrations on `session`'s empty
/// database: "before" through its initial migration, rows in every table, up
/// through the generated migration (reflect == after, rows kept, autogenerate
/// against the database finds nothing), down through its downgrade (reflect ==
/// before, rows kept), and up again. A case the corpus plans no op for runs too:
/// its migration is empty.
inline void round_trip(const Backend& backend, const CompiledCorpus& compiled, std::size_t i, DbSession& session,
                       const RowsRefusal* refusal) {
    const ChangeCase& c = autogen_corpus::change_corpus().at(i);
    ASSERT_EQ(compiled.error(), "");
    const Dialect& dialect = backend.dialect();
    const autogen::CompareOptions options = autogen_corpus::options_for(c);
    const Generated g = generate(c, dialect);
    ASSERT_EQ(g.diff.empty(), std::string_view(c.ops).empty())
        << "the ops planned differ from the corpus's:\n" << autogen::to_json(g.diff).dump(2);

    // A change refused on rows says so in a REVIEW notice.
    auto warns_about_rows = [&](const std::vector<autogen::PlannedOp>& ops) {
        for (const auto& p : ops)
            for (const auto& n : p.notices)
                if (n.kind == refusal->notice) return true;
        return false;
    };
    if (refusal && refusal->upgrade) {
        EXPECT_TRUE(warns_about_rows(g.diff.ops)) << autogen::to_json(g.diff).dump(2);
    }
    if (refusal && refusal->downgrade) {
        EXPECT_TRUE(warns_about_rows(autogen::downgrade(g.before, g.diff.ops, options)));
    }

    RevisionGraph graph = RevisionGraph::build({
        revision("a00000000001", {}, compiled.function(i, "before_up"), compiled.function(i, "before_down"),
                 "before"),
        revision("b00000000002", {"a00000000001"}, compiled.function(i, "up"), compiled.function(i, "down"),
                 "autogenerated"),
    });
    Migrator m(graph, session);

    // The database at "before", through its initial migration; rows in every table.
    ASSERT_NO_THROW(m.upgrade("a00000000001"));
    const Schema before = without_excluded(g.before, options);
    ASSERT_EQ(canonical_json(m.reflect()), canonical_json(before));
    insert_rows(backend, session, before);

    // Upgrade through the generated migration.
    Snapshot kept = kept_values(backend, session, before, g.after, options, true);
    migrate(backend, m, session, true, "head", refusal && refusal->upgrade ? refusal : nullptr, "upgrade");
    if (::testing::Test::HasFatalFailure()) return;
    EXPECT_EQ(m.current(), std::vector<std::string>{"b00000000002"});
    EXPECT_EQ(comparable(m.reflect()), comparable(without_excluded(g.after, options)));
    EXPECT_EQ(comparable(dialect.normalize(m.replayed_schema())), comparable(without_excluded(g.after, options)));
    if (!refusal || !refusal->upgrade) {
        EXPECT_EQ(values_now(backend, session, kept, options), kept);
    }
    // Nothing left to do: autogenerate against the upgraded database finds nothing.
    const autogen::SchemaDiff left = autogen::diff(dialect.normalize(m.reflect()), g.after, options);
    EXPECT_TRUE(left.empty()) << autogen::to_json(left).dump(2);

    // Downgrade through the generated migration's downgrade.
    const Schema after_now = m.reflect();
    insert_rows(backend, session, after_now, true);  // new tables, and tables a refused upgrade emptied
    Snapshot kept_back = kept_values(backend, session, after_now, before, options, false);
    migrate(backend, m, session, false, "a00000000001", refusal && refusal->downgrade ? refusal : nullptr,
            "downgrade");
    if (::testing::Test::HasFatalFailure()) return;
    EXPECT_EQ(m.current(), std::vector<std::string>{"a00000000001"});
    EXPECT_EQ(canonical_json(m.reflect()), canonical_json(before));
    if (!refusal || !refusal->downgrade) {
        // Rows of the tables both sides hold stay; renamed tables read under their old name again.
        Snapshot now;
        for (const auto& [key, values] : kept_back) {
            auto dot = key.find('.');
            std::string table = key.substr(0, dot), column = key.substr(dot + 1);
            std::string old_table = table, old_column = column;
            for (const auto& r : options.rename_tables)
                if (r.to == table) old_table = r.from;
            for (const auto& r : options.rename_columns)
                if ((r.table == old_table || r.table == table) && r.to == column) old_column = r.from;
            if (!before.find_table(old_table)) continue;
            now[key] = column == "count"
                           ? std::vector<std::string>{std::to_string(count_rows(backend, session, old_table))}
                           : column_values(backend, session, old_table, old_column);
        }
        for (const auto& [key, values] : now) EXPECT_EQ(values, kept_back.at(key)) << key;
    }

    // And up again: the generated migration runs a second time on the same database.
    if (refusal && refusal->upgrade) delete_rows(backend, session, m.reflect());
    ASSERT_NO_THROW(m.upgrade("head")) << "second upgrade";
    EXPECT_EQ(comparable(m.reflect()), comparable(without_excluded(g.after, options)));
}

// ---- the test parameters -------------------------------------------------------

inline std::vector<std::size_t> corpus_indices() {
    std::vector<std::size_t> out;
    for (std::size_t i = 0; i < autogen_corpus::change_corpus().size(); ++i) out.push_back(i);
    return out;
}

/// The case's name as a test name: "adds a table" -> adds_a_table.
inline std::string case_name(const ::testing::TestParamInfo<std::size_t>& info) {
    std::string out;
    for (char ch : std::string(autogen_corpus::change_corpus().at(info.param).name))
        out += std::isalnum(static_cast<unsigned char>(ch)) ? ch : '_';
    return out;
}

}  // namespace autogen_roundtrip
