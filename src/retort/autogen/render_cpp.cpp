// Ops rendered as the C++ of a migration, with the API of retort/migration.hpp.
#include <retort/autogen/render_cpp.hpp>

#include <retort/error.hpp>

#include <algorithm>

namespace retort::autogen {

namespace {

std::string lit(std::string_view s) { return cpp_literal(s); }

std::string names_cpp(const std::vector<std::string>& names) {
    std::string out = "{";
    for (std::size_t i = 0; i < names.size(); ++i) out += (i ? ", " : "") + lit(names[i]);
    return out + "}";
}

std::string_view action_cpp(Action action) {
    switch (action) {
    case Action::no_action: return "Action::no_action";
    case Action::restrict: return "Action::restrict";
    case Action::cascade: return "Action::cascade";
    case Action::set_null: return "Action::set_null";
    case Action::set_default: return "Action::set_default";
    }
    return "Action::no_action";
}

std::string actions_cpp(const ForeignKey& fk) {
    std::string out;
    if (fk.on_delete != Action::no_action) out += ".on_delete(" + std::string(action_cpp(fk.on_delete)) + ")";
    if (fk.on_update != Action::no_action) out += ".on_update(" + std::string(action_cpp(fk.on_update)) + ")";
    return out;
}

std::string one_line(std::string_view text) {
    std::string out;
    for (char c : text) out += (c == '\n' || c == '\r') ? ' ' : c;
    return out;
}

/// `// REVIEW: <message>`, words wrapped at 100 columns, continuation lines
/// aligned under the message; `REVIEW:` opens each notice, for grep.
std::string review_comment(std::string_view message, const std::string& pad) {
    constexpr std::size_t width = 100;
    const std::string first = pad + "// REVIEW: ";
    const std::string next = pad + "//         ";
    std::string out;
    std::string line = first;
    bool empty = true;
    std::string text = one_line(message);
    std::size_t i = 0;
    while (i < text.size()) {
        std::size_t end = text.find(' ', i);
        if (end == std::string::npos) end = text.size();
        std::string_view word(text.data() + i, end - i);
        i = end + 1;
        if (word.empty()) continue;
        if (!empty && line.size() + 1 + word.size() > width) {
            out += line + "\n";
            line = next;
            empty = true;
        }
        if (!empty) line += ' ';
        line += word;
        empty = false;
    }
    return out + line + "\n";
}

[[noreturn]] void cannot(const std::string& what) {
    throw Error(ErrorKind::migration, "cannot render " + what + " as C++", "write this step of the migration by hand");
}

std::string constraint_cpp(const Constraint& c, std::string_view table) {
    return std::visit(
        [&](const auto& v) -> std::string {
            using T = std::decay_t<decltype(v)>;
            std::string name = v.name.empty() ? std::string() : lit(v.name) + ", ";
            if constexpr (std::is_same_v<T, PrimaryKey>) {
                return "primary_key(" + name + names_cpp(v.columns) + ")";
            } else if constexpr (std::is_same_v<T, ForeignKey>) {
                return "foreign_key(" + name + names_cpp(v.columns) + ", " + lit(v.ref_table) + ", " +
                       names_cpp(v.ref_columns) + ")" + actions_cpp(v);
            } else if constexpr (std::is_same_v<T, UniqueConstraint>) {
                return "unique(" + name + names_cpp(v.columns) + ")";
            } else {
                if (v.name.empty()) cannot("an unnamed check constraint on table " + std::string(table));
                return "check(" + lit(v.name) + ", " + lit(v.expression) + ")";
            }
        },
        c);
}

std::string index_cpp(const Index& i) {
    std::string parts = "{";
    for (std::size_t k = 0; k < i.parts.size(); ++k) {
        const auto& p = i.parts[k];
        parts += k ? ", " : "";
        parts += p.expression ? "expr(" + lit(p.text) + ")" : lit(p.text);
    }
    parts += "}";
    std::string out = "index(" + (i.name.empty() ? std::string() : lit(i.name) + ", ") + parts + ")";
    if (i.unique) out += ".unique()";
    if (i.where) out += ".where(" + lit(*i.where) + ")";
    return out;
}

/// The column builder. `inline_pk`: `.primary_key()` on it; `in_pk`: part of a
/// primary key declared as a constraint (NOT NULL implied either way).
std::string column_cpp(std::string_view table, const Column& c, bool inline_pk, bool in_pk,
                       const ForeignKey* fk) {
    std::string out = "col(" + lit(c.name) + ", " + to_cpp(c.type) + ")";
    if (inline_pk) out += ".primary_key()";
    if (c.identity != Identity::none) out += c.identity == Identity::always ? ".identity(true)" : ".identity()";
    if (c.autoincrement) out += ".autoincrement()";
    bool implied_not_null = inline_pk || in_pk || c.identity != Identity::none;
    if (!c.nullable && !implied_not_null) out += ".not_null()";
    if (c.nullable && c.identity != Identity::none) out += ".nullable()";
    if (c.server_default) out += ".server_default(" + lit(*c.server_default) + ")";
    if (fk) {
        out += ".references(" + lit(fk->ref_table) + ", " + lit(fk->ref_columns.front());
        if (!fk->name.empty() && fk->name != default_fk_name(table, fk->columns, fk->ref_table))
            out += ", " + lit(fk->name);
        out += ")" + actions_cpp(*fk);
    }
    if (c.comment) out += ".comment(" + lit(*c.comment) + ")";
    return out;
}

bool single(const ForeignKey& fk) { return fk.columns.size() == 1 && fk.ref_columns.size() == 1; }

template <class T>
std::vector<T> by_name(std::vector<T> items) {
    std::stable_sort(items.begin(), items.end(), [](const T& a, const T& b) { return a.name < b.name; });
    return items;
}

/// The elements of create_table for a table: columns in their order, then the
/// primary key (when not inline), foreign keys, unique and check constraints and
/// indexes, each group by name, then the comment.
std::vector<std::string> table_elements(const Table& t) {
    std::vector<std::string> out;
    const PrimaryKey* pk = t.primary_key ? &*t.primary_key : nullptr;
    bool pk_inline = pk && pk->columns.size() == 1 && (pk->name.empty() || pk->name == default_pk_name(t.name));
    std::vector<ForeignKey> fks = by_name(t.foreign_keys);
    std::vector<char> fk_inline(fks.size(), 0);
    for (const auto& c : t.columns) {
        const ForeignKey* inline_fk = nullptr;
        for (std::size_t i = 0; i < fks.size(); ++i) {
            if (!fk_inline[i] && single(fks[i]) && fks[i].columns.front() == c.name) {
                fk_inline[i] = 1;
                inline_fk = &fks[i];
                break;
            }
        }
        bool in_pk = pk && std::find(pk->columns.begin(), pk->columns.end(), c.name) != pk->columns.end();
        out.push_back(column_cpp(t.name, c, pk_inline && in_pk, in_pk, inline_fk));
    }
    if (pk && !pk_inline) out.push_back(constraint_cpp(*pk, t.name));
    for (std::size_t i = 0; i < fks.size(); ++i)
        if (!fk_inline[i]) out.push_back(constraint_cpp(fks[i], t.name));
    for (const auto& u : by_name(t.uniques)) out.push_back(constraint_cpp(u, t.name));
    for (const auto& c : by_name(t.checks)) out.push_back(constraint_cpp(c, t.name));
    for (const auto& i : by_name(t.indexes)) out.push_back(index_cpp(i));
    if (t.comment) out.push_back("table_comment(" + lit(*t.comment) + ")");
    return out;
}

class Renderer {
public:
    Renderer(int indent, std::string receiver) : m_pad(static_cast<std::size_t>(indent), ' '), m_indent(indent),
                                                 m_op(std::move(receiver)) {}

    std::string operator()(const CreateTable& op) const {
        std::string out = m_pad + m_op + ".create_table(" + lit(op.table.name) + ", {\n";
        for (const auto& e : table_elements(op.table)) out += m_pad + "    " + e + ",\n";
        return out + m_pad + "});\n";
    }
    std::string operator()(const DropTable& op) const { return line("drop_table(" + lit(op.name) + ")"); }
    std::string operator()(const RenameTable& op) const {
        return line("rename_table(" + lit(op.from) + ", " + lit(op.to) + ")");
    }
    std::string operator()(const SetTableComment& op) const {
        return line("set_table_comment(" + lit(op.table) + ", " + (op.comment ? lit(*op.comment) : "nullptr") + ")");
    }
    std::string operator()(const AddColumn& op) const {
        const ForeignKey* fk = op.foreign_key && single(*op.foreign_key) ? &*op.foreign_key : nullptr;
        std::string out = line("add_column(" + lit(op.table) + ", " + column_cpp(op.table, op.column, false, false, fk) + ")");
        if (op.foreign_key && !fk)
            out += line("add_constraint(" + lit(op.table) + ", " + constraint_cpp(*op.foreign_key, op.table) + ")");
        return out;
    }
    std::string operator()(const DropColumn& op) const {
        return line("drop_column(" + lit(op.table) + ", " + lit(op.name) + ")");
    }
    std::string operator()(const AlterColumn& op) const {
        if (op.fields == field_name)
            return line("rename_column(" + lit(op.table) + ", " + lit(op.column) + ", " + lit(op.patch.name) + ")");
        const Column& p = op.patch;
        std::string change = "change()";
        if (op.fields & field_type) change += ".type(" + to_cpp(p.type) + ")";
        if (op.fields & field_nullable) change += p.nullable ? ".nullable()" : ".not_null()";
        if (op.fields & field_default)
            change += p.server_default ? ".server_default(" + lit(*p.server_default) + ")" : ".drop_server_default()";
        if (op.fields & field_comment) change += p.comment ? ".comment(" + lit(*p.comment) + ")" : ".drop_comment()";
        if (op.fields & field_identity)
            change += p.identity == Identity::none     ? ".drop_identity()"
                      : p.identity == Identity::always ? ".identity(true)"
                                                       : ".identity()";
        if (op.fields & field_name) change += ".rename(" + lit(p.name) + ")";
        return line("alter_column(" + lit(op.table) + ", " + lit(op.column) + ", " + change + ")");
    }
    std::string operator()(const CreateIndex& op) const {
        return line("create_index(" + lit(op.table) + ", " + index_cpp(op.index) +
                    (op.concurrently ? ".concurrently()" : "") + ")");
    }
    std::string operator()(const DropIndex& op) const {
        return line("drop_index(" + lit(op.table) + ", " + lit(op.name) +
                    (op.concurrently ? ", IndexMode::concurrently" : "") + ")");
    }
    std::string operator()(const AddConstraint& op) const {
        return line("add_constraint(" + lit(op.table) + ", " + constraint_cpp(op.constraint, op.table) + ")");
    }
    std::string operator()(const DropConstraint& op) const {
        return line("drop_constraint(" + lit(op.table) + ", " + lit(op.name) + ")");
    }
    std::string operator()(const ExecuteSql& op) const {
        std::string step = "sql(" + lit(op.up) + ")";
        step += op.down ? ".down(" + lit(*op.down) + ")" : ".irreversible()";
        if (!op.only_dialect.empty()) step += ".only(" + lit(op.only_dialect) + ")";
        if (op.outside_transaction) step += ".outside_transaction()";
        switch (op.effect) {
        case SqlEffect::data: break;
        case SqlEffect::opaque: step += ".opaque()"; break;
        case SqlEffect::schema: {
            // A nested lambda; its parameter is not `op`, which it would shadow.
            Renderer inner(m_indent + 4, "effect");
            std::string body;
            for (const auto& e : op.equivalent) body += std::visit(inner, e.variant());
            return m_pad + m_op + ".execute(" + step + ".schema_effect([](Ops& effect) {\n" + body + m_pad +
                   "}));\n";
        }
        }
        return line("execute(" + step + ")");
    }
    std::string operator()(const RunData&) const { cannot("a C++ data step (its function has no source)"); }
    std::string operator()(const CreateEnum& op) const {
        return line("create_enum(" + lit(op.type.name) + ", " + names_cpp(op.type.values) + ")");
    }
    std::string operator()(const DropEnum& op) const { return line("drop_enum(" + lit(op.name) + ")"); }
    std::string operator()(const AlterEnum& op) const {
        if (!op.values)
            return line("add_enum_value(" + lit(op.name) + ", " + lit(op.add_value) +
                        (op.add_before.empty() ? std::string() : ", " + lit(op.add_before)) + ")");
        // One value added to the list: the readable form.
        if (op.from && op.from->size() + 1 == op.values->size()) {
            const auto& from = *op.from;
            const auto& to = *op.values;
            std::size_t i = 0;
            while (i < from.size() && from[i] == to[i]) ++i;
            if (std::equal(from.begin() + static_cast<std::ptrdiff_t>(i), from.end(),
                           to.begin() + static_cast<std::ptrdiff_t>(i) + 1))
                return line("add_enum_value(" + lit(op.name) + ", " + lit(to[i]) +
                            (i < from.size() ? ", " + lit(from[i]) : std::string()) + ")");
        }
        return line("alter_enum(" + lit(op.name) + ", " + names_cpp(*op.values) + ")");
    }

private:
    std::string line(const std::string& call) const { return m_pad + m_op + "." + call + ";\n"; }

    std::string m_pad;
    int m_indent;
    std::string m_op;
};

}  // namespace

std::string cpp_literal(std::string_view text) {
    static const char* octal = "01234567";
    std::string out = "\"";
    for (char ch : text) {
        auto c = static_cast<unsigned char>(ch);
        switch (ch) {
        case '"': out += "\\\""; break;
        case '\\': out += "\\\\"; break;
        case '\n': out += "\\n"; break;
        case '\t': out += "\\t"; break;
        case '\r': out += "\\r"; break;
        default:
            if (c < 0x20 || c == 0x7f) {
                // Three octal digits: unlike \x, the escape cannot swallow what follows.
                out += '\\';
                out += octal[(c >> 6) & 7];
                out += octal[(c >> 3) & 7];
                out += octal[c & 7];
            } else {
                out += ch;
            }
        }
    }
    return out + "\"";
}

std::string render_op(const Op& op, int indent) { return std::visit(Renderer(indent, "op"), op.variant()); }

std::string render_ops(const std::vector<PlannedOp>& ops, const RenderOptions& options) {
    const std::string pad(static_cast<std::size_t>(std::max(options.indent, 0)), ' ');
    std::string out;
    for (const auto& p : ops) {
        for (const auto& n : p.notices) out += review_comment(n.message, pad);
        out += render_op(p.op, options.indent);
    }
    return out;
}

MigrationBodies render_bodies(const Schema& current, const std::vector<PlannedOp>& upgrade,
                              const CompareOptions& compare_options, const RenderOptions& options) {
    MigrationBodies out;
    out.upgrade = render_ops(upgrade, options);
    out.downgrade = render_ops(downgrade(current, upgrade, compare_options), options);
    return out;
}

MigrationBodies render_initial(const Schema& target, const CompareOptions& compare_options,
                               const RenderOptions& options) {
    const Schema empty;
    return render_bodies(empty, diff(empty, target, compare_options).ops, compare_options, options);
}

}  // namespace retort::autogen
