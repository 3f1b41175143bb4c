// The one header a migration file includes. It declares; the library defines.
// Keep it that way: compile time per migration is a product metric.
//
//     #include <retort/migration.hpp>
//     using namespace retort;
//
//     RETORT_MIGRATION{
//         .revision = "3f2a9c1b7d4e",
//         .down_revision = "a1b2c3d4e5f6",
//         .message = "add orders",
//         .create_date = "2026-11-22 15:30:00",
//         .upgrade = [](Ops& op) {
//             op.create_table("orders", {
//                 col("id", integer()).primary_key(),
//                 col("total", numeric(10, 2)).not_null().server_default("0"),
//             });
//         },
//         .downgrade = [](Ops& op) { op.drop_table("orders"); },
//     };
#pragma once

#include <retort/builders.hpp>
#include <retort/connection.hpp>

#include <cstddef>
#include <initializer_list>

/// Bumped whenever anything that crosses the plugin boundary changes.
#define RETORT_PLUGIN_ABI 2

namespace retort {

namespace detail {
class OpSink;
struct SqlData;
struct DataData;
}  // namespace detail

class Ops;
using OpsFn = void (*)(Ops&);
using DataFn = void (*)(Connection&);

/// Raw SQL: `sql("UPDATE books SET price = 0 WHERE price IS NULL").down("...")`.
/// By default a statement is data-only (on SQLite, DDL inside it is refused);
/// declare its schema effect with schema_effect() so replay can follow it.
class SqlStep {
public:
    explicit SqlStep(const char* up_sql);
    SqlStep(const SqlStep& other);
    SqlStep& operator=(const SqlStep& other);
    ~SqlStep();

    /// The SQL that undoes it.
    SqlStep& down(const char* down_sql);
    /// It cannot be undone; downgrading past it is refused.
    SqlStep& irreversible();
    /// It changes the schema exactly as these ops would (used for replay and checks).
    SqlStep& schema_effect(OpsFn equivalent_ops);
    /// It changes the schema in a way Retort cannot follow: replay stops here with a warning.
    SqlStep& opaque();
    /// Run only on this dialect ("sqlite", "postgresql"); skipped elsewhere.
    SqlStep& only(const char* dialect);
    /// Run outside the migration's transaction (e.g. CREATE INDEX CONCURRENTLY).
    SqlStep& outside_transaction();

    const detail::SqlData& data() const { return *m_data; }

private:
    detail::SqlData* m_data;
};

inline SqlStep sql(const char* up_sql) { return SqlStep(up_sql); }

/// A data step in C++: `data([](Connection& c) { ... }).down([](Connection& c) { ... })`.
class DataStep {
public:
    explicit DataStep(DataFn up);
    DataStep(const DataStep& other);
    DataStep& operator=(const DataStep& other);
    ~DataStep();

    DataStep& down(DataFn down_fn);
    /// Its downgrade cannot restore everything (e.g. a merge of two columns).
    DataStep& lossy();
    DataStep& only(const char* dialect);

    const detail::DataData& data() const { return *m_data; }

private:
    detail::DataData* m_data;
};

inline DataStep data(DataFn up) { return DataStep(up); }

/// Records the operations of a migration's upgrade or downgrade. Nothing runs
/// while recording: the runtime renders and executes the ops afterwards.
class Ops {
public:
    explicit Ops(detail::OpSink& sink) : m_sink(&sink) {}
    Ops(const Ops&) = delete;
    Ops& operator=(const Ops&) = delete;

    void create_table(const char* name, Elements elements);
    void drop_table(const char* name);
    void rename_table(const char* from, const char* to);
    void set_table_comment(const char* table, const char* comment);  // nullptr drops it

    void add_column(const char* table, const ColumnDef& column);
    void drop_column(const char* table, const char* column);
    void alter_column(const char* table, const char* column, const ColumnChange& change);
    void rename_column(const char* table, const char* from, const char* to);

    void create_index(const char* table, const IndexDef& index);
    void drop_index(const char* table, const char* name, IndexMode mode = IndexMode::transactional);

    void add_constraint(const char* table, const ConstraintDef& constraint);
    void drop_constraint(const char* table, const char* name);

    /// An enum type: `op.create_enum("mood", {"happy", "sad"})`, then columns of
    /// `enum_type("mood")`. PostgreSQL: CREATE TYPE ... AS ENUM; SQLite: nothing (its
    /// enum columns are TEXT).
    void create_enum(const char* name, Names values);
    void drop_enum(const char* name);
    /// Adds a value, last or before `before`: ALTER TYPE ... ADD VALUE on PostgreSQL.
    void add_enum_value(const char* name, const char* value, const char* before = nullptr);
    /// Sets the whole list of values. Values only added: ALTER TYPE ... ADD VALUE;
    /// values removed or reordered: the type is recreated and its columns converted
    /// (a row holding a removed value makes it fail).
    void alter_enum(const char* name, Names values);

    void execute(const SqlStep& step);
    void execute(const char* up_sql, const char* down_sql);
    void run(const DataStep& step);

private:
    detail::OpSink* m_sink;
};

/// Revision ids: one (`"a1b2"`), several (`{"a1b2", "c3d4"}` for a merge) or none.
class RevisionList {
public:
    constexpr RevisionList() = default;
    constexpr RevisionList(decltype(nullptr)) {}
    constexpr RevisionList(const char* one) : m_one(one), m_size(one ? 1 : 0) {}
    // The list's array lives until the end of the RETORT_MIGRATION statement, which
    // is as long as registration needs it.
    constexpr RevisionList(std::initializer_list<const char*> many) : m_many(many), m_size(many.size()) {}

    constexpr std::size_t size() const { return m_size; }
    constexpr const char* operator[](std::size_t i) const { return m_size == 1 && m_one ? m_one : m_many.begin()[i]; }

private:
    const char* m_one = nullptr;
    std::initializer_list<const char*> m_many{};
    std::size_t m_size = 0;
};

/// Everything a migration file declares. Field order matters for designated initializers.
struct MigrationDef {
    const char* revision = nullptr;
    RevisionList down_revision{};
    RevisionList branch_labels{};
    RevisionList depends_on{};
    const char* message = "";
    const char* create_date = "";
    OpsFn upgrade = nullptr;
    /// Omitted: derived by reversing the upgrade ops against the schema before them.
    OpsFn downgrade = nullptr;
    /// The migration cannot be undone: downgrading past it is refused.
    bool irreversible = false;
    /// Lint codes this migration acknowledges (e.g. "RT101"), so they are not reported.
    RevisionList acknowledge{};
};

namespace detail {
struct Registered {};
struct Registrar {
    const char* set;
    const char* file;
};
/// Records the migration in the registry of its set. The ABI version is part of
/// the name so that a plugin built against another ABI fails to load cleanly.
Registered register_migration_abi2(const char* set, const char* file, const MigrationDef& def);
inline Registered operator%(Registrar r, const MigrationDef& def) {
    return register_migration_abi2(r.set, r.file, def);
}
}  // namespace detail

}  // namespace retort

#ifndef RETORT_MIGRATION_SET
#define RETORT_MIGRATION_SET "default"
#endif

#define RETORT_DETAIL_CAT2(a, b) a##b
#define RETORT_DETAIL_CAT(a, b) RETORT_DETAIL_CAT2(a, b)

/// Declares and registers a migration: `RETORT_MIGRATION{ .revision = "...", ... };`
#define RETORT_MIGRATION                                                                   \
    [[maybe_unused]] static const ::retort::detail::Registered RETORT_DETAIL_CAT(          \
        retort_migration_, __LINE__) = ::retort::detail::Registrar{RETORT_MIGRATION_SET,   \
                                                                   __FILE__} %             \
                                       ::retort::MigrationDef
