// The canonical JSON of recorded ops (see canonical.hpp). A visitor with no
// default branch: a new op does not compile until it has a canonical form.
#include <retort/ops/canonical.hpp>

#include <nlohmann/json.hpp>

namespace retort {

namespace {

using Json = nlohmann::json;

const char* kind_name(TypeKind kind) {
    switch (kind) {
    case TypeKind::integer: return "integer";
    case TypeKind::smallint: return "smallint";
    case TypeKind::bigint: return "bigint";
    case TypeKind::boolean: return "boolean";
    case TypeKind::text: return "text";
    case TypeKind::varchar: return "varchar";
    case TypeKind::numeric: return "numeric";
    case TypeKind::real: return "real";
    case TypeKind::double_precision: return "double_precision";
    case TypeKind::date: return "date";
    case TypeKind::time: return "time";
    case TypeKind::timestamp: return "timestamp";
    case TypeKind::timestamptz: return "timestamptz";
    case TypeKind::blob: return "blob";
    case TypeKind::json: return "json";
    case TypeKind::jsonb: return "jsonb";
    case TypeKind::uuid: return "uuid";
    case TypeKind::custom: return "custom";
    case TypeKind::enumeration: return "enum";
    case TypeKind::array: return "array";
    }
    return "unknown";
}

const char* action_name(Action a) {
    switch (a) {
    case Action::no_action: return "no_action";
    case Action::restrict: return "restrict";
    case Action::cascade: return "cascade";
    case Action::set_null: return "set_null";
    case Action::set_default: return "set_default";
    }
    return "unknown";
}

Json type_json(const Type& t) {
    Json j{{"kind", kind_name(t.kind)}};
    if (t.kind == TypeKind::array) j["element"] = kind_name(t.element);
    if (t.length != 0) j["length"] = t.length;
    if (t.scale != 0) j["scale"] = t.scale;
    if (!t.name.empty()) j["name"] = t.name;
    return j;
}

Json column_json(const Column& c) {
    Json j{{"name", c.name}, {"type", type_json(c.type)}};
    if (!c.nullable) j["not_null"] = true;
    if (c.server_default) j["default"] = *c.server_default;
    if (c.comment) j["comment"] = *c.comment;
    if (c.identity != Identity::none) j["identity"] = c.identity == Identity::always ? "always" : "by_default";
    if (c.autoincrement) j["autoincrement"] = true;
    return j;
}

Json foreign_key_json(const ForeignKey& fk) {
    Json j{{"kind", "foreign_key"},
           {"name", fk.name},
           {"columns", fk.columns},
           {"ref_table", fk.ref_table},
           {"ref_columns", fk.ref_columns}};
    if (fk.on_delete != Action::no_action) j["on_delete"] = action_name(fk.on_delete);
    if (fk.on_update != Action::no_action) j["on_update"] = action_name(fk.on_update);
    return j;
}

Json constraint_json(const Constraint& c) {
    return std::visit(
        [](const auto& v) -> Json {
            using T = std::decay_t<decltype(v)>;
            if constexpr (std::is_same_v<T, PrimaryKey>) {
                return Json{{"kind", "primary_key"}, {"name", v.name}, {"columns", v.columns}};
            } else if constexpr (std::is_same_v<T, ForeignKey>) {
                return foreign_key_json(v);
            } else if constexpr (std::is_same_v<T, UniqueConstraint>) {
                return Json{{"kind", "unique"}, {"name", v.name}, {"columns", v.columns}};
            } else {
                return Json{{"kind", "check"}, {"name", v.name}, {"expression", v.expression}};
            }
        },
        c);
}

Json index_json(const Index& i) {
    Json parts = Json::array();
    for (const auto& p : i.parts) {
        Json part{{"text", p.text}};
        if (p.expression) part["expression"] = true;
        parts.push_back(std::move(part));
    }
    Json j{{"name", i.name}, {"parts", std::move(parts)}};
    if (i.unique) j["unique"] = true;
    if (i.where) j["where"] = *i.where;
    return j;
}

Json table_json(const Table& t) {
    Json columns = Json::array();
    for (const auto& c : t.columns) columns.push_back(column_json(c));
    Json j{{"name", t.name}, {"columns", std::move(columns)}};
    Json constraints = Json::array();
    if (t.primary_key) constraints.push_back(constraint_json(*t.primary_key));
    for (const auto& fk : t.foreign_keys) constraints.push_back(foreign_key_json(fk));
    for (const auto& u : t.uniques) constraints.push_back(constraint_json(u));
    for (const auto& c : t.checks) constraints.push_back(constraint_json(c));
    if (!constraints.empty()) j["constraints"] = std::move(constraints);
    if (!t.indexes.empty()) {
        Json indexes = Json::array();
        for (const auto& i : t.indexes) indexes.push_back(index_json(i));
        j["indexes"] = std::move(indexes);
    }
    if (t.comment) j["comment"] = *t.comment;
    return j;
}

Json op_json(const Op& op);

Json ops_json(const std::vector<Op>& ops) {
    Json out = Json::array();
    for (const auto& op : ops) out.push_back(op_json(op));
    return out;
}

const char* field_names[] = {"type", "nullable", "default", "name", "comment", "identity"};

struct Canonical {
    Json operator()(const CreateTable& op) const { return {{"op", "create_table"}, {"table", table_json(op.table)}}; }
    Json operator()(const DropTable& op) const { return {{"op", "drop_table"}, {"table", op.name}}; }
    Json operator()(const RenameTable& op) const { return {{"op", "rename_table"}, {"from", op.from}, {"to", op.to}}; }
    Json operator()(const SetTableComment& op) const {
        Json j{{"op", "set_table_comment"}, {"table", op.table}};
        j["comment"] = op.comment ? Json(*op.comment) : Json(nullptr);
        return j;
    }
    Json operator()(const AddColumn& op) const {
        Json j{{"op", "add_column"}, {"table", op.table}, {"column", column_json(op.column)}};
        if (op.foreign_key) j["foreign_key"] = foreign_key_json(*op.foreign_key);
        return j;
    }
    Json operator()(const DropColumn& op) const { return {{"op", "drop_column"}, {"table", op.table}, {"column", op.name}}; }
    Json operator()(const AlterColumn& op) const {
        Json changes = Json::object();
        for (unsigned bit = 0; bit < std::size(field_names); ++bit) {
            if (!(op.fields & (1u << bit))) continue;
            switch (static_cast<ColumnField>(1u << bit)) {
            case field_type: changes["type"] = type_json(op.patch.type); break;
            case field_nullable: changes["nullable"] = op.patch.nullable; break;
            case field_default:
                changes["default"] = op.patch.server_default ? Json(*op.patch.server_default) : Json(nullptr);
                break;
            case field_name: changes["name"] = op.patch.name; break;
            case field_comment: changes["comment"] = op.patch.comment ? Json(*op.patch.comment) : Json(nullptr); break;
            case field_identity:
                changes["identity"] = op.patch.identity == Identity::none     ? "none"
                                      : op.patch.identity == Identity::always ? "always"
                                                                              : "by_default";
                break;
            }
        }
        return {{"op", "alter_column"}, {"table", op.table}, {"column", op.column}, {"changes", std::move(changes)}};
    }
    Json operator()(const CreateIndex& op) const {
        Json j{{"op", "create_index"}, {"table", op.table}, {"index", index_json(op.index)}};
        if (op.concurrently) j["concurrently"] = true;
        return j;
    }
    Json operator()(const DropIndex& op) const {
        Json j{{"op", "drop_index"}, {"table", op.table}, {"index", op.name}};
        if (op.concurrently) j["concurrently"] = true;
        return j;
    }
    Json operator()(const AddConstraint& op) const {
        return {{"op", "add_constraint"}, {"table", op.table}, {"constraint", constraint_json(op.constraint)}};
    }
    Json operator()(const DropConstraint& op) const {
        return {{"op", "drop_constraint"}, {"table", op.table}, {"constraint", op.name}};
    }
    Json operator()(const ExecuteSql& op) const {
        Json j{{"op", "execute"}, {"up", op.up}};
        j["down"] = op.down ? Json(*op.down) : Json(nullptr);
        switch (op.effect) {
        case SqlEffect::data: break;
        case SqlEffect::schema: j["effect"] = "schema"; j["equivalent"] = ops_json(op.equivalent); break;
        case SqlEffect::opaque: j["effect"] = "opaque"; break;
        }
        if (!op.only_dialect.empty()) j["only"] = op.only_dialect;
        if (op.outside_transaction) j["outside_transaction"] = true;
        return j;
    }
    Json operator()(const RunData& op) const {
        Json j{{"op", "run_data"}, {"down", op.down != nullptr}};
        if (op.lossy) j["lossy"] = true;
        if (!op.only_dialect.empty()) j["only"] = op.only_dialect;
        return j;
    }
    Json operator()(const CreateEnum& op) const {
        return {{"op", "create_enum"}, {"name", op.type.name}, {"values", op.type.values}};
    }
    Json operator()(const DropEnum& op) const { return {{"op", "drop_enum"}, {"name", op.name}}; }
    Json operator()(const AlterEnum& op) const {
        Json j{{"op", "alter_enum"}, {"name", op.name}};
        if (op.values) j["values"] = *op.values;
        if (!op.add_value.empty()) j["add_value"] = op.add_value;
        if (!op.add_before.empty()) j["add_before"] = op.add_before;
        return j;
    }
};

Json op_json(const Op& op) { return std::visit(Canonical{}, op.variant()); }

}  // namespace

std::string canonical_ops(const std::vector<Op>& ops) { return ops_json(ops).dump(); }

std::string canonical_op(const Op& op) { return op_json(op).dump(); }

}  // namespace retort
