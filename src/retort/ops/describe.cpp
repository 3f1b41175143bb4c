// One-line descriptions of ops, for messages, plans and `retort show`.
#include <retort/ops/ops.hpp>

namespace retort {

namespace {

std::string first_line(std::string_view sql, std::size_t max = 60) {
    std::string out;
    for (char c : sql) {
        if (c == '\n' || c == '\r') {
            if (!out.empty() && out.back() != ' ') out += ' ';
            continue;
        }
        out += c;
    }
    while (!out.empty() && out.back() == ' ') out.pop_back();
    if (out.size() > max) out = out.substr(0, max - 3) + "...";
    return out;
}

std::string join(const std::vector<std::string>& names) {
    std::string out;
    for (const auto& n : names) {
        if (!out.empty()) out += ", ";
        out += n;
    }
    return out;
}

struct Describer {
    std::string operator()(const CreateTable& op) const { return "create_table " + op.table.name; }
    std::string operator()(const DropTable& op) const { return "drop_table " + op.name; }
    std::string operator()(const RenameTable& op) const { return "rename_table " + op.from + " -> " + op.to; }
    std::string operator()(const SetTableComment& op) const {
        return op.comment ? "set_table_comment " + op.table : "drop_table_comment " + op.table;
    }
    std::string operator()(const AddColumn& op) const {
        return "add_column " + op.table + "." + op.column.name + " " + to_string(op.column.type);
    }
    std::string operator()(const DropColumn& op) const { return "drop_column " + op.table + "." + op.name; }
    std::string operator()(const AlterColumn& op) const {
        std::string what;
        auto add = [&](const std::string& s) { what += what.empty() ? s : ", " + s; };
        if (op.fields & field_type) add("type " + to_string(op.patch.type));
        if (op.fields & field_nullable) add(op.patch.nullable ? "nullable" : "not null");
        if (op.fields & field_default)
            add(op.patch.server_default ? "default " + *op.patch.server_default : "drop default");
        if (op.fields & field_name) add("rename to " + op.patch.name);
        if (op.fields & field_comment) add(op.patch.comment ? "comment" : "drop comment");
        if (op.fields & field_identity) add("identity");
        return "alter_column " + op.table + "." + op.column + " (" + what + ")";
    }
    std::string operator()(const CreateIndex& op) const {
        std::vector<std::string> parts;
        for (const auto& p : op.index.parts) parts.push_back(p.text);
        return std::string(op.index.unique ? "create_unique_index " : "create_index ") + op.index.name + " on " +
               op.table + " (" + join(parts) + ")" + (op.concurrently ? " concurrently" : "");
    }
    std::string operator()(const DropIndex& op) const {
        return "drop_index " + op.name + (op.concurrently ? " concurrently" : "");
    }
    std::string operator()(const AddConstraint& op) const {
        return "add_constraint " + op.table + "." + constraint_name(op.constraint) + " (" +
               std::string(constraint_kind(op.constraint)) + ")";
    }
    std::string operator()(const DropConstraint& op) const { return "drop_constraint " + op.table + "." + op.name; }
    std::string operator()(const ExecuteSql& op) const { return "execute \"" + first_line(op.up) + "\""; }
    std::string operator()(const RunData&) const { return "run data step"; }
    std::string operator()(const CreateEnum& op) const {
        return "create_enum " + op.type.name + " (" + join(op.type.values) + ")";
    }
    std::string operator()(const DropEnum& op) const { return "drop_enum " + op.name; }
    std::string operator()(const AlterEnum& op) const {
        if (op.values) return "alter_enum " + op.name + " (" + join(*op.values) + ")";
        return "alter_enum " + op.name + " add value '" + op.add_value + "'" +
               (op.add_before.empty() ? std::string() : " before '" + op.add_before + "'");
    }
};

struct TableOf {
    std::string_view operator()(const CreateTable& op) const { return op.table.name; }
    std::string_view operator()(const DropTable& op) const { return op.name; }
    std::string_view operator()(const RenameTable& op) const { return op.from; }
    std::string_view operator()(const SetTableComment& op) const { return op.table; }
    std::string_view operator()(const AddColumn& op) const { return op.table; }
    std::string_view operator()(const DropColumn& op) const { return op.table; }
    std::string_view operator()(const AlterColumn& op) const { return op.table; }
    std::string_view operator()(const CreateIndex& op) const { return op.table; }
    std::string_view operator()(const DropIndex& op) const { return op.table; }
    std::string_view operator()(const AddConstraint& op) const { return op.table; }
    std::string_view operator()(const DropConstraint& op) const { return op.table; }
    std::string_view operator()(const ExecuteSql&) const { return {}; }
    std::string_view operator()(const RunData&) const { return {}; }
    std::string_view operator()(const CreateEnum&) const { return {}; }
    std::string_view operator()(const DropEnum&) const { return {}; }
    std::string_view operator()(const AlterEnum&) const { return {}; }
};

}  // namespace

std::string describe(const Op& op) { return std::visit(Describer{}, op.variant()); }

std::string_view op_table(const Op& op) { return std::visit(TableOf{}, op.variant()); }

}  // namespace retort
