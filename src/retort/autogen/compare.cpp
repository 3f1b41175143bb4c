// Autogenerate: schema comparison, op planning and ordering, review notices.
#include <retort/autogen/compare.hpp>

#include <retort/error.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <map>
#include <set>
#include <utility>

namespace retort::autogen {

namespace {

using Json = nlohmann::json;
using NameSet = std::set<std::string, std::less<>>;

// ---- small text helpers ----------------------------------------------------

std::string join(const std::vector<std::string>& items, std::string_view sep = ", ") {
    std::string out;
    for (const auto& s : items) {
        if (!out.empty()) out += sep;
        out += s;
    }
    return out;
}

std::string paren(const std::vector<std::string>& columns) { return "(" + join(columns) + ")"; }

std::string shown(const std::optional<std::string>& value) { return value ? *value : std::string("none"); }
std::string quoted(const std::optional<std::string>& value) {
    return value ? "'" + *value + "'" : std::string("none");
}
std::string display_name(const std::string& name) { return name.empty() ? std::string("(unnamed)") : name; }

std::string_view identity_text(Identity identity) {
    switch (identity) {
    case Identity::none: return "none";
    case Identity::by_default: return "by default";
    case Identity::always: return "always";
    }
    return "none";
}

std::string column_spec(const Column& c) {
    std::string out = to_string(c.type);
    if (!c.nullable) out += " NOT NULL";
    if (c.server_default) out += " DEFAULT " + *c.server_default;
    if (c.identity != Identity::none) out += " IDENTITY " + std::string(identity_text(c.identity));
    if (c.autoincrement) out += " AUTOINCREMENT";
    return out;
}

std::string definition(const PrimaryKey& pk) { return paren(pk.columns); }
std::string definition(const ForeignKey& fk) {
    std::string out = paren(fk.columns) + " REFERENCES " + fk.ref_table + " " + paren(fk.ref_columns);
    if (fk.on_delete != Action::no_action) out += " ON DELETE " + std::string(to_string(fk.on_delete));
    if (fk.on_update != Action::no_action) out += " ON UPDATE " + std::string(to_string(fk.on_update));
    return out;
}
std::string definition(const UniqueConstraint& u) { return paren(u.columns); }
std::string definition(const CheckConstraint& c) { return "CHECK (" + c.expression + ")"; }
std::string definition(const Index& i) {
    std::vector<std::string> parts;
    for (const auto& p : i.parts) parts.push_back(p.text);
    std::string out = (i.unique ? "UNIQUE " : "") + paren(parts);
    if (i.where) out += " WHERE " + *i.where;
    return out;
}

std::string_view kind_name(const PrimaryKey&) { return "primary key"; }
std::string_view kind_name(const ForeignKey&) { return "foreign key"; }
std::string_view kind_name(const UniqueConstraint&) { return "unique constraint"; }
std::string_view kind_name(const CheckConstraint&) { return "check constraint"; }

// ---- equivalence -----------------------------------------------------------

class Equivalence {
public:
    explicit Equivalence(const CompareOptions& options) : m_options(options) {}

    bool types(const Type& a, const Type& b) const {
        return a == b || (m_options.types_equal && m_options.types_equal(a, b));
    }
    bool defaults(const Column& current, const Column& target) const {
        if (current.server_default == target.server_default) return true;
        return m_options.defaults_equal &&
               m_options.defaults_equal(current.server_default, target.server_default, target);
    }
    bool expressions(std::string_view a, std::string_view b) const {
        return a == b || (m_options.expressions_equal && m_options.expressions_equal(a, b));
    }

    bool same(const PrimaryKey& a, const PrimaryKey& b) const { return a.columns == b.columns; }
    bool same(const ForeignKey& a, const ForeignKey& b) const {
        return a.columns == b.columns && a.ref_table == b.ref_table && a.ref_columns == b.ref_columns &&
               a.on_delete == b.on_delete && a.on_update == b.on_update;
    }
    bool same(const UniqueConstraint& a, const UniqueConstraint& b) const { return a.columns == b.columns; }
    bool same(const CheckConstraint& a, const CheckConstraint& b) const {
        return expressions(a.expression, b.expression);
    }
    bool same(const Index& a, const Index& b) const {
        if (a.unique != b.unique || a.parts.size() != b.parts.size()) return false;
        if (a.where.has_value() != b.where.has_value()) return false;
        if (a.where && !expressions(*a.where, *b.where)) return false;
        for (std::size_t i = 0; i < a.parts.size(); ++i) {
            const auto& p = a.parts[i];
            const auto& q = b.parts[i];
            if (p.expression != q.expression) return false;
            if (p.expression ? !expressions(p.text, q.text) : p.text != q.text) return false;
        }
        return true;
    }

private:
    const CompareOptions& m_options;
};

// ---- matching constraints and indexes ----------------------------------------

template <class T>
struct Matched {
    std::vector<std::pair<T, T>> changed;  // (current, target): same name, different definition
    std::vector<T> removed;
    std::vector<T> added;
};

/// Named items are matched by name; an unnamed one (reflected from a hand-made
/// database) by its definition.
template <class T>
Matched<T> match(const std::vector<T>& current, const std::vector<T>& target, const Equivalence& eq) {
    Matched<T> out;
    std::vector<char> cur_used(current.size(), 0);
    std::vector<char> tgt_used(target.size(), 0);
    for (std::size_t j = 0; j < target.size(); ++j) {
        if (target[j].name.empty()) continue;
        for (std::size_t i = 0; i < current.size(); ++i) {
            if (cur_used[i] || current[i].name != target[j].name) continue;
            cur_used[i] = tgt_used[j] = 1;
            if (!eq.same(current[i], target[j])) out.changed.emplace_back(current[i], target[j]);
            break;
        }
    }
    for (std::size_t j = 0; j < target.size(); ++j) {
        if (tgt_used[j]) continue;
        for (std::size_t i = 0; i < current.size(); ++i) {
            if (cur_used[i]) continue;
            if ((current[i].name.empty() || target[j].name.empty()) && eq.same(current[i], target[j])) {
                cur_used[i] = tgt_used[j] = 1;
                break;
            }
        }
    }
    for (std::size_t i = 0; i < current.size(); ++i)
        if (!cur_used[i]) out.removed.push_back(current[i]);
    for (std::size_t j = 0; j < target.size(); ++j)
        if (!tgt_used[j]) out.added.push_back(target[j]);
    return out;
}

/// A table has one primary key: matched by its columns whatever the names (a
/// renamed table keeps `pk_<old name>`, and no op renames a constraint).
Matched<PrimaryKey> match_primary_keys(const std::optional<PrimaryKey>& current,
                                       const std::optional<PrimaryKey>& target, const Equivalence& eq) {
    Matched<PrimaryKey> out;
    if (current && target) {
        if (!eq.same(*current, *target)) out.changed.emplace_back(*current, *target);
    } else if (current) {
        out.removed.push_back(*current);
    } else if (target) {
        out.added.push_back(*target);
    }
    return out;
}

// ---- per-table comparison ------------------------------------------------------

struct ColumnDelta {
    Column from;
    Column to;
    unsigned fields = 0;  // ColumnField mask the alter_column op carries
    bool autoincrement = false;  // changed; no op expresses it
};

struct TablePlan {
    std::string table;
    std::vector<Column> added_columns;    // target order
    std::vector<Column> dropped_columns;  // current order
    std::vector<ColumnDelta> changed_columns;
    Matched<PrimaryKey> pk;
    Matched<ForeignKey> fks;
    Matched<UniqueConstraint> uniques;
    Matched<CheckConstraint> checks;
    Matched<Index> indexes;
    bool comment_changed = false;
    std::optional<std::string> comment_from;
    std::optional<std::string> comment_to;
};

TablePlan plan_table(const Table& cur, const Table& tgt, const Equivalence& eq) {
    TablePlan p;
    p.table = tgt.name;
    for (const auto& c : tgt.columns) {
        const Column* old = cur.find_column(c.name);
        if (!old) {
            p.added_columns.push_back(c);
            continue;
        }
        ColumnDelta d;
        if (!eq.types(old->type, c.type)) d.fields |= field_type;
        if (old->nullable != c.nullable) d.fields |= field_nullable;
        if (!eq.defaults(*old, c)) d.fields |= field_default;
        if (old->comment != c.comment) d.fields |= field_comment;
        if (old->identity != c.identity) d.fields |= field_identity;
        d.autoincrement = old->autoincrement != c.autoincrement;
        if (d.fields || d.autoincrement) {
            d.from = *old;
            d.to = c;
            p.changed_columns.push_back(std::move(d));
        }
    }
    for (const auto& c : cur.columns)
        if (!tgt.find_column(c.name)) p.dropped_columns.push_back(c);
    p.pk = match_primary_keys(cur.primary_key, tgt.primary_key, eq);
    p.fks = match(cur.foreign_keys, tgt.foreign_keys, eq);
    p.uniques = match(cur.uniques, tgt.uniques, eq);
    p.checks = match(cur.checks, tgt.checks, eq);
    p.indexes = match(cur.indexes, tgt.indexes, eq);
    if (cur.comment != tgt.comment) {
        p.comment_changed = true;
        p.comment_from = cur.comment;
        p.comment_to = tgt.comment;
    }
    return p;
}

/// The tables of both schemas, split; excluded tables left out.
struct TableSets {
    std::vector<std::string> kept;     // sorted
    std::vector<std::string> added;    // sorted
    std::vector<std::string> dropped;  // sorted
};

TableSets table_sets(const Schema& cur, const Schema& tgt, const CompareOptions& options) {
    TableSets s;
    for (const auto& [name, _] : tgt.tables) {
        if (is_excluded(options, name)) continue;
        (cur.find_table(name) ? s.kept : s.added).push_back(name);
    }
    for (const auto& [name, _] : cur.tables)
        if (!is_excluded(options, name) && !tgt.find_table(name)) s.dropped.push_back(name);
    return s;
}

// ---- differences -------------------------------------------------------------

int rank(DifferenceKind kind) {
    switch (kind) {
    case DifferenceKind::table_added:
    case DifferenceKind::table_removed:
    case DifferenceKind::table_renamed: return 0;
    case DifferenceKind::table_comment_changed: return 1;
    case DifferenceKind::column_added:
    case DifferenceKind::column_removed:
    case DifferenceKind::column_renamed:
    case DifferenceKind::column_changed: return 2;
    case DifferenceKind::constraint_added:
    case DifferenceKind::constraint_removed:
    case DifferenceKind::constraint_changed: return 3;
    case DifferenceKind::index_added:
    case DifferenceKind::index_removed:
    case DifferenceKind::index_changed: return 4;
    case DifferenceKind::enum_added:
    case DifferenceKind::enum_removed:
    case DifferenceKind::enum_changed: return 5;
    }
    return 6;
}

/// Constraints: primary key, foreign keys, unique, check.
int constraint_rank(const Difference& d) {
    if (rank(d.kind) != 3) return 0;
    if (d.field == "primary key") return 0;
    if (d.field == "foreign key") return 1;
    if (d.field == "unique constraint") return 2;
    return 3;
}

void sort_differences(std::vector<Difference>& diffs) {
    std::stable_sort(diffs.begin(), diffs.end(), [](const Difference& a, const Difference& b) {
        if (a.table != b.table) return a.table < b.table;
        if (rank(a.kind) != rank(b.kind)) return rank(a.kind) < rank(b.kind);
        if (constraint_rank(a) != constraint_rank(b)) return constraint_rank(a) < constraint_rank(b);
        return a.object < b.object;
    });
}

Difference make(DifferenceKind kind, std::string table, std::string object, std::string field,
                std::optional<std::string> from, std::optional<std::string> to, std::string text) {
    return Difference{kind, std::move(table), std::move(object), std::move(field), std::move(from), std::move(to),
                      std::move(text)};
}

template <class T>
void constraint_differences(const std::string& table, const Matched<T>& m, std::vector<Difference>& out) {
    for (const auto& c : m.removed) {
        std::string field(kind_name(c));
        out.push_back(make(DifferenceKind::constraint_removed, table, c.name, field, definition(c), std::nullopt,
                           "removed " + field + " " + display_name(c.name) + " on " + table + ": " + definition(c)));
    }
    for (const auto& c : m.added) {
        std::string field(kind_name(c));
        out.push_back(make(DifferenceKind::constraint_added, table, c.name, field, std::nullopt, definition(c),
                           "added " + field + " " + display_name(c.name) + " on " + table + ": " + definition(c)));
    }
    for (const auto& [from, to] : m.changed) {
        std::string field(kind_name(to));
        out.push_back(make(DifferenceKind::constraint_changed, table, to.name, field, definition(from),
                           definition(to),
                           "changed " + field + " " + display_name(to.name) + " on " + table + ": " +
                               definition(from) + " -> " + definition(to)));
    }
}

void plan_differences(const TablePlan& p, std::vector<Difference>& out) {
    const std::string& t = p.table;
    if (p.comment_changed)
        out.push_back(make(DifferenceKind::table_comment_changed, t, "", "comment", p.comment_from, p.comment_to,
                           "table " + t + ": comment " + quoted(p.comment_from) + " -> " + quoted(p.comment_to)));
    for (const auto& c : p.added_columns)
        out.push_back(make(DifferenceKind::column_added, t, c.name, "", std::nullopt, column_spec(c),
                           "added column " + t + "." + c.name + " " + column_spec(c)));
    for (const auto& c : p.dropped_columns)
        out.push_back(make(DifferenceKind::column_removed, t, c.name, "", column_spec(c), std::nullopt,
                           "removed column " + t + "." + c.name));
    for (const auto& d : p.changed_columns) {
        const std::string where = "column " + t + "." + d.to.name + ": ";
        auto add = [&](const char* field, std::string from, std::string to, std::string text) {
            out.push_back(make(DifferenceKind::column_changed, t, d.to.name, field, std::move(from), std::move(to),
                               where + std::move(text)));
        };
        if (d.fields & field_type) {
            auto a = to_string(d.from.type);
            auto b = to_string(d.to.type);
            add("type", a, b, "type " + a + " -> " + b);
        }
        if (d.fields & field_nullable) {
            std::string a = d.from.nullable ? "nullable" : "not null";
            std::string b = d.to.nullable ? "nullable" : "not null";
            add("nullable", a, b, a + " -> " + b);
        }
        if (d.fields & field_default) {
            Difference diff = make(DifferenceKind::column_changed, t, d.to.name, "default", d.from.server_default,
                                   d.to.server_default,
                                   where + "default " + shown(d.from.server_default) + " -> " +
                                       shown(d.to.server_default));
            out.push_back(std::move(diff));
        }
        if (d.fields & field_comment)
            out.push_back(make(DifferenceKind::column_changed, t, d.to.name, "comment", d.from.comment, d.to.comment,
                               where + "comment " + quoted(d.from.comment) + " -> " + quoted(d.to.comment)));
        if (d.fields & field_identity) {
            std::string a(identity_text(d.from.identity));
            std::string b(identity_text(d.to.identity));
            add("identity", a, b, "identity " + a + " -> " + b);
        }
        if (d.autoincrement) {
            std::string a = d.from.autoincrement ? "on" : "off";
            std::string b = d.to.autoincrement ? "on" : "off";
            add("autoincrement", a, b, "autoincrement " + a + " -> " + b);
        }
    }
    constraint_differences(t, p.pk, out);
    constraint_differences(t, p.fks, out);
    constraint_differences(t, p.uniques, out);
    constraint_differences(t, p.checks, out);
    for (const auto& i : p.indexes.removed)
        out.push_back(make(DifferenceKind::index_removed, t, i.name, "", definition(i), std::nullopt,
                           "removed index " + display_name(i.name) + " on " + t + ": " + definition(i)));
    for (const auto& i : p.indexes.added)
        out.push_back(make(DifferenceKind::index_added, t, i.name, "", std::nullopt, definition(i),
                           "added index " + display_name(i.name) + " on " + t + ": " + definition(i)));
    for (const auto& [from, to] : p.indexes.changed)
        out.push_back(make(DifferenceKind::index_changed, t, to.name, "", definition(from), definition(to),
                           "changed index " + display_name(to.name) + " on " + t + ": " + definition(from) + " -> " +
                               definition(to)));
}

std::string values_text(const std::vector<std::string>& values) {
    std::string out;
    for (const auto& v : values) out += (out.empty() ? "'" : ", '") + v + "'";
    return "(" + out + ")";
}

void enum_differences(const Schema& cur, const Schema& tgt, std::vector<Difference>& out) {
    for (const auto& [name, e] : tgt.enums) {
        const EnumType* old = cur.find_enum(name);
        if (!old)
            out.push_back(make(DifferenceKind::enum_added, "", name, "", std::nullopt, values_text(e.values),
                               "added enum type " + name + " " + values_text(e.values)));
        else if (old->values != e.values)
            out.push_back(make(DifferenceKind::enum_changed, "", name, "values", values_text(old->values),
                               values_text(e.values),
                               "changed enum type " + name + ": " + values_text(old->values) + " -> " +
                                   values_text(e.values)));
    }
    for (const auto& [name, e] : cur.enums)
        if (!tgt.find_enum(name))
            out.push_back(make(DifferenceKind::enum_removed, "", name, "", values_text(e.values), std::nullopt,
                               "removed enum type " + name));
}

std::vector<Difference> compute_differences(const Schema& cur, const Schema& tgt, const CompareOptions& options) {
    Equivalence eq(options);
    TableSets sets = table_sets(cur, tgt, options);
    std::vector<Difference> out;
    enum_differences(cur, tgt, out);
    for (const auto& name : sets.added)
        out.push_back(make(DifferenceKind::table_added, name, "", "", std::nullopt, std::nullopt, "added table " + name));
    for (const auto& name : sets.dropped)
        out.push_back(
            make(DifferenceKind::table_removed, name, "", "", std::nullopt, std::nullopt, "removed table " + name));
    for (const auto& name : sets.kept)
        plan_differences(plan_table(*cur.find_table(name), *tgt.find_table(name), eq), out);
    return out;
}

// ---- keys, names and zero values --------------------------------------------

bool same_set(std::vector<std::string> a, std::vector<std::string> b) {
    std::sort(a.begin(), a.end());
    std::sort(b.begin(), b.end());
    return a == b;
}

/// Whether `t` has a primary key, unique constraint or full unique index on exactly these columns.
bool has_key(const Table& t, const std::vector<std::string>& columns) {
    if (t.primary_key && same_set(t.primary_key->columns, columns)) return true;
    for (const auto& u : t.uniques)
        if (same_set(u.columns, columns)) return true;
    for (const auto& i : t.indexes) {
        if (!i.unique || i.where) continue;
        std::vector<std::string> cols;
        bool plain = true;
        for (const auto& p : i.parts) {
            if (p.expression) plain = false;
            cols.push_back(p.text);
        }
        if (plain && same_set(cols, columns)) return true;
    }
    return false;
}

bool name_taken(const Table& t, std::string_view name) {
    return t.find_constraint(name).has_value() || t.find_index(name) != nullptr;
}

/// A check constraint needs a name to be declared: `ck_<table>_<n>`, the first free one.
std::string free_check_name(const Table& t) {
    for (int n = 1;; ++n) {
        std::string name = "ck_" + t.name + "_" + std::to_string(n);
        if (!name_taken(t, name)) return name;
    }
}

/// Names an unnamed constraint as the builders would (SQLAlchemy's convention).
Constraint named(const Table& t, Constraint c) {
    std::visit(
        [&](auto& v) {
            using T = std::decay_t<decltype(v)>;
            if (!v.name.empty()) return;
            if constexpr (std::is_same_v<T, PrimaryKey>) {
                v.name = default_pk_name(t.name);
            } else if constexpr (std::is_same_v<T, ForeignKey>) {
                v.name = default_fk_name(t.name, v.columns, v.ref_table);
            } else if constexpr (std::is_same_v<T, UniqueConstraint>) {
                v.name = default_unique_name(t.name, v.columns);
            } else {
                v.name = free_check_name(t);
            }
        },
        c);
    return c;
}

Index named(const Table& t, Index i) {
    if (i.name.empty()) i.name = default_index_name(t.name, i.parts);
    return i;
}

/// The table with every unnamed constraint and index named, so create_table can declare it.
Table named_table(const Table& source) {
    Table t = source;
    t.checks.clear();
    if (t.primary_key) t.primary_key = std::get<PrimaryKey>(named(t, *t.primary_key));
    for (auto& fk : t.foreign_keys) fk = std::get<ForeignKey>(named(t, fk));
    for (auto& u : t.uniques) u = std::get<UniqueConstraint>(named(t, u));
    for (const auto& c : source.checks) t.checks.push_back(std::get<CheckConstraint>(named(t, c)));
    for (auto& i : t.indexes) i = named(t, i);
    return t;
}

bool needs_value(const Column& c, bool table_may_hold_rows) {
    return table_may_hold_rows && !c.nullable && !c.server_default && c.identity == Identity::none &&
           !c.autoincrement;
}

bool contains(const std::vector<std::string>& names, const std::string& name) {
    return std::find(names.begin(), names.end(), name) != names.end();
}

/// Why one temporary zero default cannot fill `column` of `t` (the table as it
/// will be), or "" when it can: every row would get the same value.
std::string why_no_zero_default(const Table& t, const std::string& column) {
    for (const auto& fk : t.foreign_keys)
        if (contains(fk.columns, column))
            return "a zero default would break foreign key " + fk.name + " unless " + fk.ref_table +
                   " has that key";
    if (t.primary_key && contains(t.primary_key->columns, column))
        return "every row would get the same value in primary key " + t.primary_key->name;
    for (const auto& u : t.uniques)
        if (contains(u.columns, column)) return "every row would get the same value in unique constraint " + u.name;
    for (const auto& i : t.indexes) {
        if (!i.unique) continue;
        for (const auto& part : i.parts)
            if (!part.expression && part.text == column)
                return "every row would get the same value in unique index " + i.name;
    }
    return {};
}

/// The notice for a NOT NULL column added without a default when the safe pattern
/// does not apply, with the reason.
Notice no_safe_pattern(const AddColumn& op, const std::string& reason) {
    return {NoticeKind::not_null_column_added,
            "adds NOT NULL column " + op.table + "." + op.column.name + " without a server default: it fails if " +
                op.table + " holds rows; add it nullable, fill it, then make it NOT NULL (" + reason + ")"};
}

/// A NOT NULL column without a default on a table that may hold rows: added with a
/// zero default (which fills the existing rows), then the default is dropped.
std::vector<PlannedOp> safe_add_column(const AddColumn& op) {
    std::string zero = *zero_default(op.column.type);
    AddColumn add = op;
    add.column.server_default = zero;
    AlterColumn drop;
    drop.table = op.table;
    drop.column = op.column.name;
    drop.fields = field_default;
    drop.patch = op.column;
    drop.patch.server_default.reset();
    Notice n{NoticeKind::not_null_column_added,
             op.table + "." + op.column.name + " is NOT NULL without a server default and " + op.table +
                 " may hold rows: it is added with DEFAULT " + zero +
                 ", which fills the existing rows, and the default is dropped right after; "
                 "if " + zero + " is not the right value, backfill the rows with a data step in between"};
    std::vector<PlannedOp> out;
    out.push_back(PlannedOp{Op{std::move(add)}, {std::move(n)}});
    out.push_back(PlannedOp{Op{std::move(drop)}, {}});
    return out;
}

void append(std::vector<Notice>& to, const std::vector<Notice>& more) {
    for (const auto& n : more)
        if (std::find(to.begin(), to.end(), n) == to.end()) to.push_back(n);
}

/// The op's own notices, each replaced by a more specific one of the same kind from `context`.
std::vector<Notice> merge_notices(std::vector<Notice> intrinsic, const std::vector<Notice>& context) {
    std::vector<Notice> out;
    for (auto& n : intrinsic) {
        bool replaced = std::any_of(context.begin(), context.end(), [&](const Notice& c) {
            return c.kind == n.kind && c.kind != NoticeKind::possible_rename;
        });
        if (!replaced) out.push_back(std::move(n));
    }
    append(out, context);
    return out;
}

/// Adds `op`, a column that may need the safe pattern, to `out` through `push`.
/// `table_after` is the table as it will be (for the keys the column joins).
template <class Push>
void add_column_with_care(const AddColumn& op, bool table_may_hold_rows, const Table* table_after,
                          const CompareOptions& options, std::vector<Notice> extra, Push push) {
    const Column& c = op.column;
    if (!needs_value(c, table_may_hold_rows) || !options.safe_not_null) {
        push(Op{op}, std::move(extra));
        return;
    }
    std::string reason;
    if (!zero_default(c.type)) reason = "type " + to_string(c.type) + " has no zero value to use as a temporary default";
    if (reason.empty() && op.foreign_key) reason = "a zero default would break foreign key " + op.foreign_key->name;
    if (reason.empty() && table_after) reason = why_no_zero_default(*table_after, c.name);
    if (!reason.empty()) {
        append(extra, {no_safe_pattern(op, reason)});
        push(Op{op}, std::move(extra));
        return;
    }
    auto steps = safe_add_column(op);
    append(steps.front().notices, extra);
    for (auto& step : steps) push(std::move(step.op), std::move(step.notices));
}

// ---- the generator -------------------------------------------------------------

class Generator {
public:
    Generator(const Schema& current, const Schema& target, const CompareOptions& options)
        : m_target(target), m_options(options), m_eq(options), m_working(current) {}

    SchemaDiff run() {
        renames();
        TableSets sets = table_sets(m_working, m_target, m_options);
        std::map<std::string, TablePlan, std::less<>> plans;
        for (const auto& name : sets.kept)
            plans.emplace(name, plan_table(*m_working.find_table(name), *m_target.find_table(name), m_eq));

        // The differences, from the schema after the renames.
        for (const auto& name : sets.added)
            m_diffs.push_back(
                make(DifferenceKind::table_added, name, "", "", std::nullopt, std::nullopt, "added table " + name));
        for (const auto& name : sets.dropped)
            m_diffs.push_back(make(DifferenceKind::table_removed, name, "", "", std::nullopt, std::nullopt,
                                   "removed table " + name));
        for (const auto& [_, p] : plans) plan_differences(p, m_diffs);
        enum_differences(m_working, m_target, m_diffs);
        sort_differences(m_diffs);

        if (m_options.detect_renames) look_for_renames(sets, plans);
        drop_foreign_keys(plans);
        drop_keys_and_indexes(plans);
        drop_tables(sets.dropped);
        create_and_alter_enums();  // before the columns that use them
        create_tables(sets.added);
        add_columns(plans);
        drop_columns(plans);
        alter_columns(plans);
        drop_enums();  // once no column uses them
        add_constraints_and_indexes();
        set_comments(plans);
        report_leftovers();

        m_out.differences = std::move(m_diffs);
        return std::move(m_out);
    }

private:
    // -- emitting --

    bool may_hold_rows(std::string_view table) const { return !m_created.count(table); }

    void emit(Op op, const std::vector<Notice>& extra = {}) {
        try {
            apply(op, m_working);
        } catch (const Error& e) {
            throw Error(ErrorKind::migration,
                        "autogenerate produced an op that does not apply: " + describe(op) + ": " + e.what(),
                        "name the constraints and indexes involved, or write this migration by hand; "
                        "please report it with both schemas");
        }
        std::vector<Notice> notices = merge_notices(review(op, may_hold_rows(op_table(op))), extra);
        m_out.ops.push_back(PlannedOp{std::move(op), std::move(notices)});
    }

    /// Whether a drop by this name removes exactly this item (unnamed items:
    /// apply() takes the first unnamed one).
    bool droppable(const std::string& table, const Constraint& c) const {
        if (!constraint_name(c).empty()) return true;
        const Table* t = m_working.find_table(table);
        if (!t) return false;
        Table copy = *t;
        auto removed = copy.remove_constraint("");
        return removed && *removed == c;
    }

    void drop_constraint(const std::string& table, const Constraint& c) {
        if (!droppable(table, c)) return;  // left to drop_column, or reported as not generated
        emit(DropConstraint{table, constraint_name(c), std::nullopt});
    }

    void drop_index(const std::string& table, const Index& i) {
        const Table* t = m_working.find_table(table);
        if (i.name.empty()) {
            const Index* first = t ? t->find_index("") : nullptr;
            if (!first || !(*first == i)) return;
        }
        emit(DropIndex{table, i.name, std::nullopt});
    }

    // -- phases --

    void renames() {
        for (const auto& h : m_options.rename_tables) {
            std::string hint = "rename hint " + h.from + "=" + h.to + " ignored: ";
            if (is_excluded(m_options, h.from) || is_excluded(m_options, h.to)) {
                warn(hint + "the table is excluded");
            } else if (!m_working.find_table(h.from)) {
                warn(hint + "the current schema has no table " + h.from);
            } else if (!m_target.find_table(h.to)) {
                warn(hint + "the target schema has no table " + h.to);
            } else if (m_working.find_table(h.to)) {
                warn(hint + "table " + h.to + " exists already");
            } else if (m_target.find_table(h.from)) {
                warn(hint + "the target schema still has table " + h.from);
            } else {
                emit(RenameTable{h.from, h.to});
                m_diffs.push_back(make(DifferenceKind::table_renamed, h.to, "", "", h.from, h.to,
                                       "renamed table " + h.from + " -> " + h.to));
                m_renamed_tables[h.from] = h.to;
            }
        }
        for (const auto& h : m_options.rename_columns) {
            std::string table = h.table;
            if (!m_working.find_table(table))
                if (auto it = m_renamed_tables.find(table); it != m_renamed_tables.end()) table = it->second;
            std::string hint = "rename hint " + h.table + "." + h.from + "=" + h.to + " ignored: ";
            const Table* cur = m_working.find_table(table);
            const Table* tgt = m_target.find_table(table);
            if (!cur || !tgt || is_excluded(m_options, table)) {
                warn(hint + "table " + h.table + " is not in both schemas");
            } else if (!cur->find_column(h.from)) {
                warn(hint + "the current table " + table + " has no column " + h.from);
            } else if (!tgt->find_column(h.to)) {
                warn(hint + "the target table " + table + " has no column " + h.to);
            } else if (cur->find_column(h.to)) {
                warn(hint + "column " + table + "." + h.to + " exists already");
            } else if (tgt->find_column(h.from)) {
                warn(hint + "the target table " + table + " still has column " + h.from);
            } else {
                AlterColumn op;
                op.table = table;
                op.column = h.from;
                op.fields = field_name;
                op.patch = *cur->find_column(h.from);
                op.patch.name = h.to;
                emit(std::move(op));
                m_diffs.push_back(make(DifferenceKind::column_renamed, table, h.to, "", h.from, h.to,
                                       "renamed column " + table + "." + h.from + " -> " + h.to));
            }
        }
    }

    void look_for_renames(const TableSets& sets, const std::map<std::string, TablePlan, std::less<>>& plans) {
        for (const auto& [table, p] : plans) {
            for (const auto& dropped : p.dropped_columns) {
                std::vector<std::string> candidates;
                for (const auto& added : p.added_columns)
                    if (m_eq.types(dropped.type, added.type)) candidates.push_back(added.name);
                if (candidates.empty()) continue;
                std::vector<std::string> qualified;
                for (const auto& c : candidates) qualified.push_back(table + "." + c);
                std::string message = table + "." + dropped.name + " is dropped and " + join(qualified, " or ") +
                                      " added with the same type " + to_string(dropped.type) +
                                      ": if it is a rename, generate again with --rename-column " + table + "." +
                                      dropped.name + "=" + candidates.front() + " to keep the data";
                warn(message);
                Notice n{NoticeKind::possible_rename, message};
                m_drop_column_notices[{table, dropped.name}].push_back(n);
                for (const auto& c : candidates) m_add_column_notices[{table, c}].push_back(n);
            }
        }
        for (const auto& dropped : sets.dropped) {
            const Table& d = *m_working.find_table(dropped);
            for (const auto& added : sets.added) {
                const Table& a = *m_target.find_table(added);
                if (d.columns.size() != a.columns.size()) continue;
                bool same = std::all_of(d.columns.begin(), d.columns.end(), [&](const Column& c) {
                    const Column* other = a.find_column(c.name);
                    return other && m_eq.types(c.type, other->type);
                });
                if (!same) continue;
                std::string message = "table " + dropped + " is dropped and table " + added +
                                      " is added with the same columns: if it is a rename, generate again with "
                                      "--rename-table " +
                                      dropped + "=" + added + " to keep the data";
                warn(message);
                Notice n{NoticeKind::possible_rename, message};
                m_drop_table_notices[dropped].push_back(n);
                m_create_table_notices[added].push_back(n);
            }
        }
    }

    /// Keys (primary, unique, full unique index) of `table` that this diff drops.
    std::vector<std::vector<std::string>> replaced_keys(const TablePlan& p) const {
        std::vector<std::vector<std::string>> keys;
        for (const auto& pk : p.pk.removed) keys.push_back(pk.columns);
        for (const auto& [pk, _] : p.pk.changed) keys.push_back(pk.columns);
        for (const auto& u : p.uniques.removed) keys.push_back(u.columns);
        for (const auto& [u, _] : p.uniques.changed) keys.push_back(u.columns);
        auto index_key = [&](const Index& i) {
            if (!i.unique || i.where) return;
            std::vector<std::string> cols;
            for (const auto& part : i.parts) {
                if (part.expression) return;
                cols.push_back(part.text);
            }
            keys.push_back(std::move(cols));
        };
        for (const auto& i : p.indexes.removed) index_key(i);
        for (const auto& [i, _] : p.indexes.changed) index_key(i);
        return keys;
    }

    void drop_foreign_keys(const std::map<std::string, TablePlan, std::less<>>& plans) {
        std::vector<std::pair<std::string, ForeignKey>> drops;
        for (const auto& [table, p] : plans) {
            for (const auto& fk : p.fks.removed) drops.emplace_back(table, fk);
            for (const auto& [fk, _] : p.fks.changed) drops.emplace_back(table, fk);
        }
        // A foreign key that stays but references a key this diff drops must go
        // first (PostgreSQL refuses to drop a key a foreign key depends on); the
        // final phase adds it back.
        for (const auto& [table, p] : plans) {
            const Table& t = *m_working.find_table(table);
            for (const auto& fk : t.foreign_keys) {
                auto ref = plans.find(fk.ref_table);
                if (ref == plans.end()) continue;
                bool dropped = std::any_of(drops.begin(), drops.end(),
                                           [&](const auto& d) { return d.first == table && d.second == fk; });
                if (dropped) continue;
                for (const auto& key : replaced_keys(ref->second)) {
                    if (same_set(key, fk.ref_columns)) {
                        drops.emplace_back(table, fk);
                        break;
                    }
                }
            }
        }
        std::stable_sort(drops.begin(), drops.end(), [](const auto& a, const auto& b) {
            return a.first != b.first ? a.first < b.first : a.second.name < b.second.name;
        });
        for (const auto& [table, fk] : drops) drop_constraint(table, fk);
    }

    void drop_keys_and_indexes(const std::map<std::string, TablePlan, std::less<>>& plans) {
        for (const auto& [table, p] : plans) {
            std::vector<Index> indexes = p.indexes.removed;
            for (const auto& [i, _] : p.indexes.changed) indexes.push_back(i);
            std::sort(indexes.begin(), indexes.end(), [](const Index& a, const Index& b) { return a.name < b.name; });
            for (const auto& i : indexes) drop_index(table, i);

            std::vector<Constraint> constraints;
            auto collect = [&](const auto& m) {
                std::vector<Constraint> some;
                for (const auto& c : m.removed) some.emplace_back(c);
                for (const auto& [c, _] : m.changed) some.emplace_back(c);
                std::stable_sort(some.begin(), some.end(), [](const Constraint& a, const Constraint& b) {
                    return constraint_name(a) < constraint_name(b);
                });
                constraints.insert(constraints.end(), some.begin(), some.end());
            };
            // The primary key first: an unnamed constraint is dropped by the name "",
            // which takes the first unnamed one (primary key, then unique, then check).
            collect(p.pk);
            collect(p.uniques);
            collect(p.checks);
            for (const auto& c : constraints) drop_constraint(table, c);
        }
    }

    void drop_tables(const std::vector<std::string>& dropped) {
        if (dropped.empty()) return;
        NameSet gone(dropped.begin(), dropped.end());
        // Children first: the reverse of the order that creates parents first.
        std::vector<std::string> order;
        for (const auto& name : m_working.dependency_order())
            if (gone.count(name)) order.push_back(name);
        std::reverse(order.begin(), order.end());
        std::map<std::string, std::size_t, std::less<>> position;
        for (std::size_t i = 0; i < order.size(); ++i) position[order[i]] = i;
        // A cycle: a foreign key to a table dropped before its own table goes first.
        for (const auto& name : order) {
            const Table& t = *m_working.find_table(name);
            std::vector<ForeignKey> back;
            for (const auto& fk : t.foreign_keys) {
                auto ref = position.find(fk.ref_table);
                if (fk.ref_table != name && ref != position.end() && ref->second < position[name]) back.push_back(fk);
            }
            for (const auto& fk : back) drop_constraint(name, fk);
        }
        for (const auto& name : order) emit(DropTable{name, std::nullopt}, m_drop_table_notices[name]);
    }

    /// Whether a foreign key can be declared now: the referenced table, columns and
    /// key exist (or the key exists in neither schema, which SQLite accepts).
    /// `creating` is the table being created, whose own keys come with it.
    bool reference_ready(const ForeignKey& fk, const Table* creating) const {
        if (creating && fk.ref_table == creating->name) return true;
        const Table* ref = m_working.find_table(fk.ref_table);
        if (!ref) return false;
        for (const auto& c : fk.ref_columns)
            if (!ref->find_column(c)) return false;
        if (has_key(*ref, fk.ref_columns)) return true;
        const Table* later = m_target.find_table(fk.ref_table);
        return !(later && has_key(*later, fk.ref_columns));
    }

    void create_tables(const std::vector<std::string>& added) {
        if (added.empty()) return;
        NameSet fresh(added.begin(), added.end());
        for (const auto& name : m_target.dependency_order()) {
            if (!fresh.count(name)) continue;
            Table t = named_table(*m_target.find_table(name));
            std::vector<ForeignKey> inline_fks;
            for (const auto& fk : t.foreign_keys)
                if (reference_ready(fk, &t)) inline_fks.push_back(fk);  // the rest: added after every table exists
            t.foreign_keys = std::move(inline_fks);
            m_created.insert(name);
            emit(CreateTable{std::move(t)}, m_create_table_notices[name]);
        }
    }

    void add_columns(const std::map<std::string, TablePlan, std::less<>>& plans) {
        for (const auto& [table, p] : plans) {
            const Table& target = *m_target.find_table(table);
            for (const auto& column : p.added_columns) {
                AddColumn op{table, column, std::nullopt};
                for (const auto& fk : target.foreign_keys) {
                    if (fk.columns.size() != 1 || fk.columns.front() != column.name || fk.ref_columns.size() != 1)
                        continue;
                    if (fk.ref_table == table) {
                        // A self-reference: the key may be the column itself, added below.
                        const Table& now = *m_working.find_table(table);
                        if (!now.find_column(fk.ref_columns.front()) || !has_key(now, fk.ref_columns)) continue;
                    } else if (!reference_ready(fk, nullptr)) {
                        continue;
                    }
                    op.foreign_key = std::get<ForeignKey>(named(*m_working.find_table(table), fk));
                    break;
                }
                add_column_with_care(op, may_hold_rows(table), &target, m_options,
                                     m_add_column_notices[{table, column.name}],
                                     [&](Op o, const std::vector<Notice>& notices) { emit(std::move(o), notices); });
            }
        }
    }

    void drop_columns(const std::map<std::string, TablePlan, std::less<>>& plans) {
        for (const auto& [table, p] : plans)
            for (const auto& column : p.dropped_columns) {
                DropColumn op;
                op.table = table;
                op.name = column.name;
                emit(std::move(op), m_drop_column_notices[{table, column.name}]);
            }
    }

    void alter_columns(const std::map<std::string, TablePlan, std::less<>>& plans) {
        for (const auto& [table, p] : plans)
            for (const auto& d : p.changed_columns) {
                if (!d.fields) continue;  // autoincrement alone: no op expresses it
                AlterColumn op;
                op.table = table;
                op.column = d.to.name;
                op.fields = d.fields;
                op.patch = d.to;
                emit(std::move(op));
            }
    }

    /// What the target still has that the working schema lacks, table by table:
    /// keys and checks first, then foreign keys (they need the keys), then indexes.
    void add_constraints_and_indexes() {
        std::vector<TablePlan> plans;
        for (const auto& [name, t] : m_target.tables) {
            if (is_excluded(m_options, name)) continue;
            if (const Table* now = m_working.find_table(name)) plans.push_back(plan_table(*now, t, m_eq));
        }
        auto add = [&](const std::string& table, const Constraint& c) {
            emit(AddConstraint{table, named(*m_working.find_table(table), c)});
        };
        for (const auto& p : plans) {
            if (!m_working.find_table(p.table)->primary_key)
                for (const auto& pk : p.pk.added) add(p.table, pk);
            for (const auto& u : p.uniques.added) add(p.table, u);
            for (const auto& c : p.checks.added) add(p.table, c);
        }
        for (const auto& p : plans)
            for (const auto& fk : p.fks.added) add(p.table, fk);
        for (const auto& p : plans)
            for (const auto& i : p.indexes.added) emit(CreateIndex{p.table, named(*m_working.find_table(p.table), i)});
    }

    void create_and_alter_enums() {
        for (const auto& [name, e] : m_target.enums) {
            const EnumType* now = m_working.find_enum(name);
            if (!now) {
                emit(CreateEnum{e});
            } else if (now->values != e.values) {
                AlterEnum op;
                op.name = name;
                op.values = e.values;
                emit(std::move(op));
            }
        }
    }

    void drop_enums() {
        std::vector<std::string> gone;
        for (const auto& [name, _] : m_working.enums)
            if (!m_target.find_enum(name)) gone.push_back(name);
        for (const auto& name : gone) {
            // A column the comparison leaves alone (an excluded table) may still use it.
            if (!m_working.enum_users(name).empty()) continue;
            emit(DropEnum{name, std::nullopt});
        }
    }

    void set_comments(const std::map<std::string, TablePlan, std::less<>>& plans) {
        for (const auto& [table, p] : plans) {
            if (!p.comment_changed) continue;
            SetTableComment op;
            op.table = table;
            op.comment = p.comment_to;
            emit(std::move(op));
        }
    }

    void report_leftovers() {
        for (const auto& d : compute_differences(m_working, m_target, m_options)) {
            std::string why;
            bool named_object = rank(d.kind) == 3 || rank(d.kind) == 4;
            if (d.kind == DifferenceKind::column_changed && d.field == "autoincrement")
                why = " (no op changes AUTOINCREMENT: write this change by hand)";
            else if (named_object && d.object.empty())
                why = " (unnamed objects are dropped by name: give it a name, or write this change by hand)";
            warn("not generated: " + d.text + why);
        }
    }

    void warn(std::string message) { m_out.warnings.push_back(std::move(message)); }

    const Schema& m_target;
    const CompareOptions& m_options;
    Equivalence m_eq;
    Schema m_working;
    NameSet m_created;
    SchemaDiff m_out;
    std::vector<Difference> m_diffs;
    std::map<std::string, std::string, std::less<>> m_renamed_tables;
    std::map<std::string, std::vector<Notice>, std::less<>> m_drop_table_notices;
    std::map<std::string, std::vector<Notice>, std::less<>> m_create_table_notices;
    std::map<std::pair<std::string, std::string>, std::vector<Notice>> m_drop_column_notices;
    std::map<std::pair<std::string, std::string>, std::vector<Notice>> m_add_column_notices;
};

std::pair<std::string, std::string> split_once(std::string_view s, char sep) {
    auto pos = s.find(sep);
    if (pos == std::string_view::npos) return {std::string(s), std::string()};
    return {std::string(s.substr(0, pos)), std::string(s.substr(pos + 1))};
}

int integer_rank(TypeKind k) {
    switch (k) {
    case TypeKind::smallint: return 1;
    case TypeKind::integer: return 2;
    case TypeKind::bigint: return 3;
    default: return 0;
    }
}

int integer_digits(TypeKind k) {
    switch (k) {
    case TypeKind::smallint: return 5;
    case TypeKind::integer: return 10;
    case TypeKind::bigint: return 19;
    default: return 0;
    }
}

bool is_text(TypeKind k) { return k == TypeKind::text || k == TypeKind::varchar; }

}  // namespace

// ---- public API ----------------------------------------------------------------

TableRename parse_table_rename(std::string_view hint) {
    auto [from, to] = split_once(hint, '=');
    if (from.empty() || to.empty() || hint.find('=') == std::string_view::npos)
        throw Error(ErrorKind::usage, "bad table rename hint \"" + std::string(hint) + "\"",
                    "write it as old=new, e.g. --rename-table authors=writers");
    return {from, to};
}

ColumnRename parse_column_rename(std::string_view hint) {
    auto [left, to] = split_once(hint, '=');
    auto dot = left.rfind('.');
    if (hint.find('=') == std::string_view::npos || to.empty() || dot == std::string::npos || dot == 0 ||
        dot + 1 == left.size())
        throw Error(ErrorKind::usage, "bad column rename hint \"" + std::string(hint) + "\"",
                    "write it as table.old=new, e.g. --rename-column books.title=name");
    return {left.substr(0, dot), left.substr(dot + 1), to};
}

bool glob_match(std::string_view pattern, std::string_view name) {
    // Iterative wildcard matching with one backtrack point (the last '*').
    std::size_t p = 0, n = 0, star = std::string_view::npos, mark = 0;
    while (n < name.size()) {
        if (p < pattern.size() && (pattern[p] == '?' || pattern[p] == name[n])) {
            ++p;
            ++n;
        } else if (p < pattern.size() && pattern[p] == '*') {
            star = p++;
            mark = n;
        } else if (star != std::string_view::npos) {
            p = star + 1;
            n = ++mark;
        } else {
            return false;
        }
    }
    while (p < pattern.size() && pattern[p] == '*') ++p;
    return p == pattern.size();
}

bool is_excluded(const CompareOptions& options, std::string_view table) {
    return std::any_of(options.exclude_tables.begin(), options.exclude_tables.end(),
                       [&](const std::string& pattern) { return glob_match(pattern, table); });
}

std::string_view to_string(NoticeKind kind) {
    switch (kind) {
    case NoticeKind::drop_table: return "drop_table";
    case NoticeKind::drop_column: return "drop_column";
    case NoticeKind::type_narrowing: return "type_narrowing";
    case NoticeKind::type_conversion: return "type_conversion";
    case NoticeKind::not_null_existing_rows: return "not_null_existing_rows";
    case NoticeKind::not_null_column_added: return "not_null_column_added";
    case NoticeKind::possible_rename: return "possible_rename";
    }
    return "unknown";
}

std::string_view to_string(DifferenceKind kind) {
    switch (kind) {
    case DifferenceKind::table_added: return "table_added";
    case DifferenceKind::table_removed: return "table_removed";
    case DifferenceKind::table_renamed: return "table_renamed";
    case DifferenceKind::table_comment_changed: return "table_comment_changed";
    case DifferenceKind::column_added: return "column_added";
    case DifferenceKind::column_removed: return "column_removed";
    case DifferenceKind::column_renamed: return "column_renamed";
    case DifferenceKind::column_changed: return "column_changed";
    case DifferenceKind::constraint_added: return "constraint_added";
    case DifferenceKind::constraint_removed: return "constraint_removed";
    case DifferenceKind::constraint_changed: return "constraint_changed";
    case DifferenceKind::index_added: return "index_added";
    case DifferenceKind::index_removed: return "index_removed";
    case DifferenceKind::index_changed: return "index_changed";
    case DifferenceKind::enum_added: return "enum_added";
    case DifferenceKind::enum_removed: return "enum_removed";
    case DifferenceKind::enum_changed: return "enum_changed";
    }
    return "unknown";
}

TypeChange classify_type_change(const Type& from, const Type& to) {
    if (from == to) return TypeChange::same;
    const TypeKind a = from.kind;
    const TypeKind b = to.kind;
    if (integer_rank(a) && integer_rank(b))
        return integer_rank(b) > integer_rank(a) ? TypeChange::widening : TypeChange::narrowing;
    if (integer_rank(a) && b == TypeKind::numeric)
        return to.length <= 0 || to.length - to.scale >= integer_digits(a) ? TypeChange::widening
                                                                             : TypeChange::narrowing;
    if (a == TypeKind::numeric && integer_rank(b)) return TypeChange::narrowing;
    if (a == TypeKind::numeric && b == TypeKind::numeric) {
        if (to.length <= 0) return TypeChange::widening;
        if (from.length <= 0) return TypeChange::narrowing;
        return to.length - to.scale >= from.length - from.scale && to.scale >= from.scale ? TypeChange::widening
                                                                                         : TypeChange::narrowing;
    }
    if (a == TypeKind::real && b == TypeKind::double_precision) return TypeChange::widening;
    if (a == TypeKind::double_precision && b == TypeKind::real) return TypeChange::narrowing;
    if (is_text(a) && is_text(b)) {
        auto limit = [](const Type& t) { return t.kind == TypeKind::varchar ? t.length : 0; };  // 0: unbounded
        int x = limit(from);
        int y = limit(to);
        if (y == 0) return TypeChange::widening;
        if (x == 0 || y < x) return TypeChange::narrowing;
        return TypeChange::widening;
    }
    if (a == TypeKind::date && (b == TypeKind::timestamp || b == TypeKind::timestamptz)) return TypeChange::widening;
    if ((a == TypeKind::timestamp || a == TypeKind::timestamptz) && b == TypeKind::date) return TypeChange::narrowing;
    return TypeChange::conversion;
}

std::vector<Notice> review(const Op& op, bool table_may_hold_rows) {
    std::vector<Notice> out;
    if (const auto* drop = std::get_if<DropTable>(&op.variant())) {
        out.push_back({NoticeKind::drop_table, "drops table " + drop->name + " and every row in it"});
    } else if (const auto* dc = std::get_if<DropColumn>(&op.variant())) {
        out.push_back({NoticeKind::drop_column, "drops column " + dc->table + "." + dc->name + " and its data"});
    } else if (const auto* alter = std::get_if<AlterColumn>(&op.variant())) {
        const std::string where = alter->table + "." + (alter->to ? alter->to->name : alter->column);
        if ((alter->fields & field_type) && alter->from && alter->to) {
            const std::string a = to_string(alter->from->type);
            const std::string b = to_string(alter->to->type);
            switch (classify_type_change(alter->from->type, alter->to->type)) {
            case TypeChange::narrowing:
                out.push_back({NoticeKind::type_narrowing,
                               "narrows " + where + " from " + a + " to " + b +
                                   ": values that do not fit make it fail, or are cut"});
                break;
            case TypeChange::conversion:
                out.push_back({NoticeKind::type_conversion,
                               "converts " + where + " from " + a + " to " + b + ": every stored value must convert"});
                break;
            case TypeChange::same:
            case TypeChange::widening: break;
            }
        }
        if ((alter->fields & field_nullable) && alter->from && alter->to && alter->from->nullable &&
            !alter->to->nullable && table_may_hold_rows) {
            std::string message = "makes " + where + " NOT NULL: it fails if a row holds NULL there; fill them first";
            if (alter->to->server_default) message += " (the server default does not fill existing rows)";
            out.push_back({NoticeKind::not_null_existing_rows, std::move(message)});
        }
    } else if (const auto* alter_enum = std::get_if<AlterEnum>(&op.variant())) {
        if (alter_enum->from && alter_enum->to) {
            std::vector<std::string> removed;
            for (const auto& v : *alter_enum->from)
                if (std::find(alter_enum->to->begin(), alter_enum->to->end(), v) == alter_enum->to->end())
                    removed.push_back(v);
            if (!removed.empty())
                out.push_back({NoticeKind::type_conversion,
                               "removes value(s) " + values_text(removed) + " of enum type " + alter_enum->name +
                                   ": PostgreSQL recreates the type and converts its columns, which fails if a row "
                                   "holds a removed value; update those rows first"});
        }
    } else if (const auto* add = std::get_if<AddColumn>(&op.variant())) {
        const Column& c = add->column;
        if (!c.nullable && !c.server_default && c.identity == Identity::none && !c.autoincrement &&
            table_may_hold_rows) {
            std::string message = "adds NOT NULL column " + add->table + "." + c.name +
                                  " without a server default: it fails if " + add->table +
                                  " holds rows; add it nullable, fill it, then make it NOT NULL";
            if (!zero_default(c.type))
                message += " (type " + to_string(c.type) + " has no zero value to use as a temporary default)";
            out.push_back({NoticeKind::not_null_column_added, std::move(message)});
        }
    }
    return out;
}

std::optional<std::string> zero_default(const Type& type) {
    switch (type.kind) {
    case TypeKind::integer:
    case TypeKind::smallint:
    case TypeKind::bigint:
    case TypeKind::numeric:
    case TypeKind::real:
    case TypeKind::double_precision: return "0";
    case TypeKind::boolean: return "false";
    case TypeKind::text:
    case TypeKind::varchar:
    case TypeKind::blob: return "''";
    case TypeKind::date: return "'1970-01-01'";
    case TypeKind::time: return "'00:00:00'";
    case TypeKind::timestamp: return "'1970-01-01 00:00:00'";
    case TypeKind::timestamptz: return "'1970-01-01 00:00:00+00'";
    case TypeKind::json:
    case TypeKind::jsonb: return "'{}'";
    case TypeKind::uuid: return "'00000000-0000-0000-0000-000000000000'";
    case TypeKind::custom: return std::nullopt;
    case TypeKind::enumeration: return std::nullopt;  // its values are not known here
    case TypeKind::array: return "'{}'";
    }
    return std::nullopt;
}

std::vector<Op> SchemaDiff::plain_ops() const {
    std::vector<Op> out;
    out.reserve(ops.size());
    for (const auto& p : ops) out.push_back(p.op);
    return out;
}

SchemaDiff diff(const Schema& current, const Schema& target, const CompareOptions& options) {
    return Generator(current, target, options).run();
}

std::vector<Op> compare(const Schema& current, const Schema& target, const CompareOptions& options) {
    return diff(current, target, options).plain_ops();
}

std::vector<Difference> describe_diff(const Schema& current, const Schema& target, const CompareOptions& options) {
    if (!options.rename_tables.empty() || !options.rename_columns.empty())
        return diff(current, target, options).differences;
    auto out = compute_differences(current, target, options);
    sort_differences(out);
    return out;
}

std::vector<std::string> difference_lines(const std::vector<Difference>& differences) {
    std::vector<std::string> out;
    out.reserve(differences.size());
    for (const auto& d : differences) out.push_back(d.text);
    return out;
}

nlohmann::json to_json(const Difference& d) {
    Json j = Json::object();
    j["kind"] = std::string(to_string(d.kind));
    j["table"] = d.table;
    j["object"] = d.object;
    j["field"] = d.field;
    j["from"] = d.from ? Json(*d.from) : Json(nullptr);
    j["to"] = d.to ? Json(*d.to) : Json(nullptr);
    j["text"] = d.text;
    return j;
}

nlohmann::json to_json(const std::vector<Difference>& differences) {
    Json out = Json::array();
    for (const auto& d : differences) out.push_back(to_json(d));
    return out;
}

nlohmann::json to_json(const SchemaDiff& d) {
    Json ops = Json::array();
    for (const auto& p : d.ops) {
        Json notices = Json::array();
        for (const auto& n : p.notices)
            notices.push_back(Json{{"kind", std::string(to_string(n.kind))}, {"message", n.message}});
        ops.push_back(Json{{"op", describe(p.op)}, {"table", std::string(op_table(p.op))}, {"notices", notices}});
    }
    return Json{{"differences", to_json(d.differences)}, {"ops", ops}, {"warnings", d.warnings}};
}

std::vector<PlannedOp> downgrade(const Schema& current, const std::vector<PlannedOp>& upgrade,
                                 const CompareOptions& options) {
    Schema schema = current;
    std::vector<Op> resolved;
    resolved.reserve(upgrade.size());
    for (const auto& p : upgrade) {
        Op op = p.op;
        apply(op, schema);
        resolved.push_back(std::move(op));
    }
    // `schema` is now the state after the upgrade; every table in it may hold rows.
    NameSet created;
    std::vector<PlannedOp> out;
    auto push = [&](Op op, const std::vector<Notice>& extra) {
        apply(op, schema);
        std::vector<Notice> notices = merge_notices(review(op, !created.count(op_table(op))), extra);
        if (const auto* ct = std::get_if<CreateTable>(&op.variant())) created.insert(ct->table.name);
        out.push_back(PlannedOp{std::move(op), std::move(notices)});
    };
    for (auto it = resolved.rbegin(); it != resolved.rend(); ++it) {
        for (auto& r : reverse(*it)) {
            if (const auto* add = std::get_if<AddColumn>(&r.variant())) {
                // A column coming back: the keys it joins are those of `current`.
                add_column_with_care(*add, !created.count(add->table), current.find_table(add->table), options, {},
                                     push);
            } else {
                push(std::move(r), {});
            }
        }
    }
    return out;
}

}  // namespace retort::autogen
