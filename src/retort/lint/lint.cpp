// The lint rules (see lint.hpp and docs/safety.md). Each revision's upgrade ops are
// resolved against the schema its parents leave, checked, then applied, so every
// rule sees the before-state of its op (the column a drop loses, the type an
// alter_column changes from).
#include <retort/lint/lint.hpp>

#include <retort/lint/locate.hpp>
#include <retort/ops/builder_data.hpp>
#include <retort/revision/revision.hpp>
#include <retort/runtime/replay.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <unordered_map>

namespace retort {

namespace {

namespace fs = std::filesystem;

const std::vector<LintRule> rules = {
    {"RT001", "unknown-acknowledgement", "`.acknowledge` names a code that is not a lint rule"},
    {"RT101", "drop-table", "a table is dropped, with every row in it"},
    {"RT102", "drop-column", "a column is dropped, with its values"},
    {"RT103", "narrow-type", "a column's type changes to one that cannot hold every value of the old one"},
    {"RT104", "not-null-existing-column", "NOT NULL is added to an existing column"},
    {"RT105", "not-null-without-default", "a NOT NULL column without a server default is added to an existing table"},
    {"RT106", "drop-add-rename", "a drop and an add in one migration look like a rename, which would keep the data"},
    {"RT201", "index-without-concurrently",
     "an index is built on an existing table without CONCURRENTLY where the dialect has it (PostgreSQL)"},
    {"RT202", "rebuild-referenced-table",
     "a table other tables reference by foreign key is rebuilt (SQLite's table rebuild)"},
    {"RT301", "sql-without-down", "raw SQL or a data step without a down, in a migration whose downgrade is derived"},
    {"RT302", "schema-and-data", "a migration mixes schema changes and data steps"},
};

std::string read_text(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return {};
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

// ---- narrowing (RT103) ----------------------------------------------------------

bool is_integer(TypeKind k) { return k == TypeKind::smallint || k == TypeKind::integer || k == TypeKind::bigint; }

int integer_digits(TypeKind k) {
    switch (k) {
    case TypeKind::smallint: return 5;
    case TypeKind::integer: return 10;
    case TypeKind::bigint: return 19;
    default: return 0;
    }
}

/// The longest text the values of a type print as; 0 when unbounded.
int printed_length(const Type& t) {
    switch (t.kind) {
    case TypeKind::boolean: return 5;
    case TypeKind::smallint: return 6;
    case TypeKind::integer: return 11;
    case TypeKind::bigint: return 20;
    case TypeKind::uuid: return 36;
    case TypeKind::date: return 10;
    case TypeKind::time: return 15;
    case TypeKind::timestamp: return 26;
    case TypeKind::timestamptz: return 32;
    case TypeKind::real: return 15;
    case TypeKind::double_precision: return 24;
    case TypeKind::numeric: return t.length > 0 ? t.length + 2 : 0;
    case TypeKind::varchar: return t.length;
    default: return 0;
    }
}

/// Whether `to` holds every value of `from` (the same, or wider). A change that
/// involves a custom type, or an array and a non-array, is not judged (true).
bool holds_all(const Type& from, const Type& to) {
    if (from == to) return true;
    if (from.kind == TypeKind::custom || to.kind == TypeKind::custom) return true;
    if (from.kind == TypeKind::array || to.kind == TypeKind::array) {
        if (from.kind != to.kind) return true;
        return holds_all(element_of(from), element_of(to));
    }
    if (to.kind == TypeKind::text) return true;
    if (from.kind == TypeKind::enumeration || to.kind == TypeKind::enumeration)
        return to.kind == TypeKind::varchar ? to.length == 0 : false;
    switch (to.kind) {
    case TypeKind::varchar: {
        if (to.length <= 0) return true;
        int need = from.kind == TypeKind::text ? 0 : printed_length(from);
        return need > 0 && need <= to.length;
    }
    case TypeKind::smallint:
    case TypeKind::integer:
    case TypeKind::bigint:
        if (is_integer(from.kind)) return integer_digits(from.kind) <= integer_digits(to.kind);
        if (from.kind == TypeKind::boolean) return true;
        if (from.kind == TypeKind::numeric) return from.length > 0 && from.scale == 0 && from.length < integer_digits(to.kind);
        return false;
    case TypeKind::numeric:
        if (from.kind == TypeKind::boolean) return to.length <= 0 || to.length - to.scale >= 1;
        if (to.length <= 0)
            return is_integer(from.kind) || from.kind == TypeKind::numeric || from.kind == TypeKind::real ||
                   from.kind == TypeKind::double_precision;
        if (is_integer(from.kind)) return to.length - to.scale >= integer_digits(from.kind);
        if (from.kind == TypeKind::numeric)
            return from.length > 0 && to.scale >= from.scale && to.length - to.scale >= from.length - from.scale;
        return false;
    case TypeKind::real: return from.kind == TypeKind::smallint || from.kind == TypeKind::boolean;
    case TypeKind::double_precision:
        return from.kind == TypeKind::real || from.kind == TypeKind::smallint || from.kind == TypeKind::integer ||
               from.kind == TypeKind::boolean;
    case TypeKind::timestamp: return from.kind == TypeKind::date;
    case TypeKind::timestamptz: return from.kind == TypeKind::date || from.kind == TypeKind::timestamp;
    case TypeKind::blob: return from.kind == TypeKind::varchar;
    case TypeKind::json:
    case TypeKind::jsonb: return from.kind == TypeKind::json || from.kind == TypeKind::jsonb;
    default: return false;  // boolean, date, time, uuid: only from themselves
    }
}

// ---- the linter ------------------------------------------------------------------

std::string quoted_list(const std::vector<std::string>& names) {
    std::string out;
    for (const auto& n : names) out += (out.empty() ? "" : ", ") + n;
    return out;
}

std::string acknowledge_hint(std::string_view code) {
    return "or, when this is intended, acknowledge it in the migration: .acknowledge = {\"" + std::string(code) + "\"}";
}

class RevisionLinter {
public:
    RevisionLinter(const Revision& r, const Dialect& dialect, std::string file, std::string text,
                   std::vector<LintFinding>& out)
        : m_r(r), m_dialect(dialect), m_file(std::move(file)), m_text(std::move(text)), m_out(out) {}

    /// Lints r's upgrade ops against `schema` (the schema at r's parents), which
    /// it leaves at r.
    void run(Schema& schema) {
        std::vector<Op> ops;
        try {
            ops = record_ops(m_r.upgrade);
        } catch (const std::exception&) {
            return;  // the drift check and every run report it, with the message
        }
        m_lines = locate_upgrade_ops(m_text, m_r.id, ops);
        for (const auto& [name, _] : schema.tables) m_existing.insert(name);
        std::size_t schema_ops = 0, data_ops = 0;
        std::size_t first_data = 0, first_schema = 0;
        for (std::size_t i = 0; i < ops.size(); ++i) {
            Op op = ops[i];
            m_index = i;
            if (!applies_to(op, m_dialect.name())) {
                // Not run here, but replay follows it on every dialect: so does lint.
                if (!replayable(op)) continue;
                try {
                    apply(op, schema);
                } catch (const std::exception&) {
                    return;
                }
                continue;
            }
            if (is_data_op(op)) {
                if (data_ops++ == 0) first_data = i;
            } else {
                if (schema_ops++ == 0) first_schema = i;
            }
            if (!replayable(op)) {
                check_reversible(op);
                continue;
            }
            try {
                resolve(op, schema);
            } catch (const std::exception&) {
                return;  // a migration that does not replay: the drift check's message says why
            }
            check(op, schema);
            try {
                apply(op, schema);
            } catch (const std::exception&) {
                return;
            }
            track(op);
        }
        check_renames();
        if (schema_ops > 0 && data_ops > 0) {
            m_index = std::max(first_data, first_schema);
            add("RT302", "",
                "revision " + m_r.id + " mixes schema changes (" + std::to_string(schema_ops) + " op" +
                    (schema_ops == 1 ? "" : "s") + ") and data steps (" + std::to_string(data_ops) +
                    "): a failure half-way is harder to understand, and each part is harder to review and to undo",
                "split it: the schema change in one migration, the data step in the next; " + acknowledge_hint("RT302"));
        }
    }

private:
    void add(const char* code, std::string op, std::string message, std::string hint) {
        LintFinding f;
        f.code = code;
        f.rule = find_lint_rule(code)->name;
        f.revision = m_r.id;
        f.file = m_file;
        f.line = m_index < m_lines.size() ? m_lines[m_index] : 0;
        f.op = std::move(op);
        f.message = std::move(message);
        f.hint = std::move(hint);
        f.acknowledged = std::find(m_r.acknowledge.begin(), m_r.acknowledge.end(), f.code) != m_r.acknowledge.end();
        m_out.push_back(std::move(f));
    }

    bool existed(const std::string& table) const { return m_existing.count(table) > 0; }

    void check_reversible(const Op& op) {
        if (m_r.downgrade || m_r.irreversible || reversible(op)) return;
        const bool data = std::holds_alternative<RunData>(op.variant());
        add("RT301", describe(op),
            std::string(data ? "a data step" : "raw SQL") + " without a down (" + describe(op) +
                ") in a migration whose downgrade is derived: downgrading revision " + m_r.id + " fails",
            std::string(data ? "give it .down([](Connection& c) { ... })" : "give it .down(\"...\")") +
                ", write a .downgrade body, or mark the migration .irreversible = true; " + acknowledge_hint("RT301"));
    }

    void check(const Op& op, const Schema& before) {
        check_reversible(op);
        const std::string what = describe(op);
        if (const auto* drop = std::get_if<DropTable>(&op.variant()); drop && existed(drop->name)) {
            add("RT101", what, what + " drops the table and every row in it",
                "drop it once nothing reads it (deploy the code that stops using it first) and its rows are "
                "backed up or no longer needed; " + acknowledge_hint("RT101"));
            m_dropped_tables.push_back({m_index, drop->table ? *drop->table : Table{}});
        }
        if (const auto* drop = std::get_if<DropColumn>(&op.variant()); drop && existed(drop->table)) {
            add("RT102", what, what + " drops the column and its values",
                "drop it once nothing reads it (deploy the code that stops using it first) and its values are "
                "backed up or no longer needed; " + acknowledge_hint("RT102"));
            if (drop->column) m_dropped_columns.push_back({m_index, drop->table, *drop->column});
        }
        if (const auto* alter = std::get_if<AlterColumn>(&op.variant()); alter && alter->from && alter->to) {
            const std::string col = alter->table + "." + alter->column;
            if ((alter->fields & field_type) && existed(alter->table) && !holds_all(alter->from->type, alter->to->type))
                add("RT103", what,
                    "alter_column " + col + " changes its type from " + to_string(alter->from->type) + " to " +
                        to_string(alter->to->type) +
                        ", which cannot hold every value of the old type: rows may fail to convert, or lose "
                        "length or precision",
                    "check that the data fits first (e.g. SELECT max(...) FROM " + alter->table +
                        "), or choose a type at least as wide; " + acknowledge_hint("RT103"));
            if ((alter->fields & field_nullable) && !alter->to->nullable && alter->from->nullable &&
                existed(alter->table))
                add("RT104", what,
                    "alter_column " + col +
                        " adds NOT NULL to an existing column: it fails on any row holding NULL, and the database "
                        "checks every row while it holds a lock on " + alter->table,
                    "fill the NULLs first (a data migration: UPDATE " + alter->table + " SET " + alter->column +
                        " = ... WHERE " + alter->column + " IS NULL), then add NOT NULL in the next migration; " +
                        acknowledge_hint("RT104"));
        }
        if (const auto* add_col = std::get_if<AddColumn>(&op.variant()); add_col && existed(add_col->table)) {
            const Column& c = add_col->column;
            if (!c.nullable && !c.server_default && c.identity == Identity::none && !c.autoincrement)
                add("RT105", what,
                    what + " is NOT NULL without a server default: adding it fails as soon as " + add_col->table +
                        " has a row",
                    "give it .server_default(...), or add it nullable, fill it in a data migration, then make it "
                    "NOT NULL; " + acknowledge_hint("RT105"));
            m_added_columns.push_back({m_index, add_col->table, c});
        }
        if (const auto* idx = std::get_if<CreateIndex>(&op.variant());
            idx && existed(idx->table) && !idx->concurrently && m_dialect.capabilities().concurrent_index)
            add("RT201", what,
                what + " builds an index on an existing table without CONCURRENTLY: " +
                    std::string(m_dialect.name()) + " blocks writes to " + idx->table + " until it is built",
                "build it with index(...).concurrently(), in a migration of its own (it runs outside the "
                "transaction); " + acknowledge_hint("RT201"));
        // Once per table and migration: the second op on it is part of the same rebuild story.
        if (auto table = rebuilt(op, before); table && existed(*table) && m_rebuilt.insert(*table).second) {
            std::vector<std::string> refs;
            for (const Table* t : before.referencing(*table)) refs.push_back(t->name);
            if (!refs.empty())
                add("RT202", what,
                    what + " makes " + std::string(m_dialect.name()) + " rebuild table " + *table + ", which " +
                        quoted_list(refs) + (refs.size() == 1 ? " references" : " reference") +
                        " by foreign key: every row is copied with foreign keys off, and the references are "
                        "only checked at the end (PRAGMA foreign_key_check)",
                    "expected on SQLite; keep the migration small and make sure the rows referencing " + *table +
                        " are valid; " + acknowledge_hint("RT202"));
        }
    }

    std::optional<std::string> rebuilt(const Op& op, const Schema& before) const {
        try {
            return m_dialect.rebuilt_table(op, before);
        } catch (const std::exception&) {
            return std::nullopt;
        }
    }

    void track(const Op& op) {
        if (const auto* create = std::get_if<CreateTable>(&op.variant()))
            m_created_tables.push_back({m_index, create->table});
        if (const auto* rename = std::get_if<RenameTable>(&op.variant()); rename && existed(rename->from))
            m_existing.insert(rename->to);
    }

    void check_renames() {
        for (const auto& d : m_dropped_columns)
            for (const auto& a : m_added_columns) {
                if (a.table != d.table || a.column.name == d.column.name || !(a.column.type == d.column.type))
                    continue;
                m_index = d.index;
                add("RT106", "drop_column " + d.table + "." + d.column.name,
                    "drop_column " + d.table + "." + d.column.name + " and add_column " + a.table + "." +
                        a.column.name + " (both " + to_string(d.column.type) +
                        ") look like a rename, but drop the values of " + d.column.name,
                    "rename it instead, keeping the values: op.rename_column(\"" + d.table + "\", \"" +
                        d.column.name + "\", \"" + a.column.name + "\"); " + acknowledge_hint("RT106"));
                break;
            }
        for (const auto& d : m_dropped_tables)
            for (const auto& c : m_created_tables) {
                if (d.table.name.empty() || c.table.name == d.table.name || c.table.columns != d.table.columns) continue;
                m_index = d.index;
                add("RT106", "drop_table " + d.table.name,
                    "drop_table " + d.table.name + " and create_table " + c.table.name +
                        " (the same columns) look like a rename, but drop the rows of " + d.table.name,
                    "rename it instead, keeping the rows: op.rename_table(\"" + d.table.name + "\", \"" +
                        c.table.name + "\"); " + acknowledge_hint("RT106"));
                break;
            }
    }

    struct DroppedColumn {
        std::size_t index;
        std::string table;
        Column column;
    };
    struct AddedColumn {
        std::size_t index;
        std::string table;
        Column column;
    };
    struct TableAt {
        std::size_t index;
        Table table;
    };

    const Revision& m_r;
    const Dialect& m_dialect;
    std::string m_file;
    std::string m_text;
    std::vector<LintFinding>& m_out;
    std::vector<int> m_lines;
    std::size_t m_index = 0;
    std::set<std::string> m_existing;  // tables that existed before this migration (renamed ones too)
    std::set<std::string> m_rebuilt;   // tables an earlier op of this migration rebuilt (RT202 said so)
    std::vector<DroppedColumn> m_dropped_columns;
    std::vector<AddedColumn> m_added_columns;
    std::vector<TableAt> m_dropped_tables;
    std::vector<TableAt> m_created_tables;
};

int line_of_designator(const std::string& text, std::string_view name) {
    auto at = text.find("." + std::string(name));
    if (at == std::string::npos) return 0;
    return static_cast<int>(std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(at), '\n')) + 1;
}

}  // namespace

const std::vector<LintRule>& lint_rules() { return rules; }

const LintRule* find_lint_rule(std::string_view code) {
    for (const auto& r : rules)
        if (code == r.code) return &r;
    return nullptr;
}

std::vector<LintFinding> lint(const RevisionGraph& graph, const Dialect& dialect, const LintOptions& options) {
    std::vector<LintFinding> out;
    // The schema after each revision, kept until its children have used it; a merge
    // or a dependency replays its parents instead.
    std::unordered_map<std::string, Schema> after;
    std::unordered_map<std::string, std::size_t> children_left;
    for (const auto& r : graph.revisions()) children_left[r.id] = graph.children(r.id).size();
    Replayer replayer(graph);
    for (const auto& r : graph.revisions()) {
        Schema schema;
        if (r.down_revisions.size() == 1 && r.depends_on.empty() && after.count(r.down_revisions.front())) {
            const std::string& parent = r.down_revisions.front();
            if (--children_left[parent] == 0) {
                schema = std::move(after[parent]);
                after.erase(parent);
            } else {
                schema = after[parent];
            }
        } else if (!r.down_revisions.empty() || !r.depends_on.empty()) {
            std::vector<std::string> parents = r.down_revisions;
            parents.insert(parents.end(), r.depends_on.begin(), r.depends_on.end());
            try {
                schema = replayer.schema_at(parents);
            } catch (const std::exception&) {
                continue;  // the parents do not replay: reported where they fail
            }
            for (const auto& p : r.down_revisions)
                if (after.count(p) && --children_left[p] == 0) after.erase(p);
        }
        std::string file = r.source_file;
        std::string text = read_text(file);
        if (text.empty() && !options.migrations_dir.empty()) {
            std::string other = (fs::path(options.migrations_dir) / source_file_name(r.source_file)).string();
            text = read_text(other);
            if (!text.empty()) file = other;
        }
        const std::size_t first = out.size();
        RevisionLinter(r, dialect, file, text, out).run(schema);
        for (const auto& code : r.acknowledge) {
            if (find_lint_rule(code)) continue;
            LintFinding f;
            f.code = "RT001";
            f.rule = "unknown-acknowledgement";
            f.revision = r.id;
            f.file = file;
            f.line = line_of_designator(text, "acknowledge");
            f.message = "revision " + r.id + " acknowledges \"" + code + "\", which is not a lint code";
            f.hint = "`retort lint --list-rules` lists the codes";
            out.push_back(std::move(f));
        }
        std::stable_sort(out.begin() + static_cast<std::ptrdiff_t>(first), out.end(),
                         [](const LintFinding& a, const LintFinding& b) { return a.line < b.line; });
        if (children_left[r.id] > 0) after.emplace(r.id, std::move(schema));
    }
    return out;
}

std::string format_finding(const LintFinding& f, bool as_error) {
    std::string where = f.file + (f.line > 0 ? ":" + std::to_string(f.line) : std::string()) + ": ";
    return where + (as_error ? "error: " : "warning: ") + f.code + ": " + f.message + " [" + f.rule + "]\n" + where +
           "note: revision " + f.revision + ": " + f.hint;
}

}  // namespace retort
