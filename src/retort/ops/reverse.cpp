// The reverse of an applied op, from the before-state it recorded.
#include <retort/ops/ops.hpp>

#include <retort/error.hpp>

#include <algorithm>

namespace retort {

namespace {

[[noreturn]] void unresolved(const Op& op) {
    throw Error(ErrorKind::migration,
                "cannot derive the reverse of \"" + describe(op) + "\": its before-state is unknown",
                "apply the op to the schema first, or write the downgrade by hand");
}

struct Reverser {
    const Op& self;

    std::vector<Op> operator()(const CreateTable& op) const { return {DropTable{op.table.name, op.table}}; }

    std::vector<Op> operator()(const DropTable& op) const {
        if (!op.table) unresolved(self);
        return {CreateTable{*op.table}};
    }

    std::vector<Op> operator()(const RenameTable& op) const { return {RenameTable{op.to, op.from}}; }

    std::vector<Op> operator()(const SetTableComment& op) const {
        if (!op.resolved) unresolved(self);
        SetTableComment r;
        r.table = op.table;
        r.comment = op.before;
        r.resolved = true;
        r.before = op.comment;
        return {r};
    }

    std::vector<Op> operator()(const AddColumn& op) const {
        DropColumn r;
        r.table = op.table;
        r.name = op.column.name;
        r.column = op.column;
        r.inline_foreign_key = op.foreign_key;
        return {r};
    }

    std::vector<Op> operator()(const DropColumn& op) const {
        if (!op.column) unresolved(self);
        std::vector<Op> out;
        out.emplace_back(AddColumn{op.table, *op.column, op.inline_foreign_key});
        for (const auto& c : op.constraints) out.emplace_back(AddConstraint{op.table, c});
        for (const auto& i : op.indexes) out.emplace_back(CreateIndex{op.table, i});
        return out;
    }

    std::vector<Op> operator()(const AlterColumn& op) const {
        if (!op.from || !op.to) unresolved(self);
        AlterColumn r;
        r.table = op.table;
        r.column = op.to->name;
        r.fields = op.fields;
        r.patch = *op.from;
        r.from = op.to;
        r.to = op.from;
        return {r};
    }

    std::vector<Op> operator()(const CreateIndex& op) const {
        return {DropIndex{op.table, op.index.name, op.index, op.concurrently}};
    }

    std::vector<Op> operator()(const DropIndex& op) const {
        if (!op.index) unresolved(self);
        return {CreateIndex{op.table, *op.index, op.concurrently}};
    }

    std::vector<Op> operator()(const AddConstraint& op) const {
        return {DropConstraint{op.table, constraint_name(op.constraint), op.constraint}};
    }

    std::vector<Op> operator()(const DropConstraint& op) const {
        if (!op.constraint) unresolved(self);
        return {AddConstraint{op.table, *op.constraint}};
    }

    std::vector<Op> operator()(const ExecuteSql& op) const {
        if (!op.down)
            throw Error(ErrorKind::migration, "\"" + describe(self) + "\" is irreversible: it has no down SQL",
                        "give it one with sql(...).down(\"...\"), or write the downgrade by hand");
        ExecuteSql r;
        r.up = *op.down;
        r.down = op.up;
        r.effect = op.effect;
        r.only_dialect = op.only_dialect;
        r.outside_transaction = op.outside_transaction;
        for (auto it = op.equivalent.rbegin(); it != op.equivalent.rend(); ++it)
            for (auto& inner : reverse(*it)) r.equivalent.push_back(std::move(inner));
        return {r};
    }

    std::vector<Op> operator()(const RunData& op) const {
        if (!op.down)
            throw Error(ErrorKind::migration, "data step \"" + describe(self) + "\" is irreversible: it has no down",
                        "give it one with data(...).down(...), or write the downgrade by hand");
        RunData r;
        r.up = op.down;
        r.down = op.up;
        r.lossy = op.lossy;
        r.only_dialect = op.only_dialect;
        return {r};
    }

    std::vector<Op> operator()(const CreateEnum& op) const { return {DropEnum{op.type.name, op.type}}; }

    std::vector<Op> operator()(const DropEnum& op) const {
        if (!op.type) unresolved(self);
        return {CreateEnum{*op.type}};
    }

    std::vector<Op> operator()(const AlterEnum& op) const {
        if (!op.from || !op.to) unresolved(self);
        AlterEnum r;
        r.name = op.name;
        r.values = op.from;
        r.from = op.to;
        r.to = op.from;
        return {r};
    }
};

}  // namespace

std::vector<Op> reverse(const Op& op) { return std::visit(Reverser{op}, op.variant()); }

bool reversible(const Op& op) {
    if (const auto* sql = std::get_if<ExecuteSql>(&op.variant())) return sql->down.has_value();
    if (const auto* data = std::get_if<RunData>(&op.variant())) return data->down != nullptr;
    return true;
}

}  // namespace retort
