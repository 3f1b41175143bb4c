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

// The text is what nlohmann::json's dump() wrote for the same values when this
// file built them as json objects (std::map: keys in byte order, compact), and
// must stay so: recorded checksums hash it (ops_canonical_test.cpp holds the
// texts). Writing it directly is about ten times faster, which `retort check`
// and `verify` feel on big histories. Each object lists its keys in sorted order.

/// One JSON object being written: key() adds the separator and the key.
class Object {
public:
    explicit Object(std::string& out) : m_out(out) { m_out += '{'; }
    Object(const Object&) = delete;
    Object& operator=(const Object&) = delete;
    ~Object() { m_out += '}'; }

    /// Starts the member `k` (a plain ASCII key); its value is written next.
    std::string& key(std::string_view k) {
        if (!m_first) m_out += ',';
        m_first = false;
        m_out += '"';
        m_out += k;
        m_out += "\":";
        return m_out;
    }

private:
    std::string& m_out;
    bool m_first = true;
};

void write_string(std::string& out, std::string_view s) {
    for (char c : s) {
        if (static_cast<unsigned char>(c) >= 0x80) {
            // UTF-8: the library validates it (invalid text throws, as it always did).
            out += Json(std::string(s)).dump();
            return;
        }
    }
    out += '"';
    std::size_t run = 0;  // where the text that needs no escape starts: appended at once
    for (std::size_t i = 0; i < s.size(); ++i) {
        const char c = s[i];
        if (c != '"' && c != '\\' && static_cast<unsigned char>(c) >= 0x20) continue;
        out.append(s.data() + run, i - run);
        run = i + 1;
        switch (c) {
        case '"': out += "\\\""; break;
        case '\\': out += "\\\\"; break;
        case '\b': out += "\\b"; break;
        case '\f': out += "\\f"; break;
        case '\n': out += "\\n"; break;
        case '\r': out += "\\r"; break;
        case '\t': out += "\\t"; break;
        default: {
            static constexpr char hex[] = "0123456789abcdef";
            out += "\\u00";
            out += hex[(c >> 4) & 0xF];
            out += hex[c & 0xF];
        }
        }
    }
    out.append(s.data() + run, s.size() - run);
    out += '"';
}

void write_bool(std::string& out, bool b) { out += b ? "true" : "false"; }

void write_optional(std::string& out, const std::optional<std::string>& s) {
    if (s)
        write_string(out, *s);
    else
        out += "null";
}

void write_names(std::string& out, const std::vector<std::string>& names) {
    out += '[';
    for (std::size_t i = 0; i < names.size(); ++i) {
        if (i) out += ',';
        write_string(out, names[i]);
    }
    out += ']';
}

void write_type(std::string& out, const Type& t) {
    Object j(out);
    if (t.kind == TypeKind::array) write_string(j.key("element"), kind_name(t.element));
    write_string(j.key("kind"), kind_name(t.kind));
    if (t.length != 0) j.key("length") += std::to_string(t.length);
    if (!t.name.empty()) write_string(j.key("name"), t.name);
    if (t.scale != 0) j.key("scale") += std::to_string(t.scale);
}

void write_column(std::string& out, const Column& c) {
    Object j(out);
    if (c.autoincrement) write_bool(j.key("autoincrement"), true);
    if (c.comment) write_string(j.key("comment"), *c.comment);
    if (c.server_default) write_string(j.key("default"), *c.server_default);
    if (c.identity != Identity::none)
        write_string(j.key("identity"), c.identity == Identity::always ? "always" : "by_default");
    write_string(j.key("name"), c.name);
    if (!c.nullable) write_bool(j.key("not_null"), true);
    write_type(j.key("type"), c.type);
}

void write_foreign_key(std::string& out, const ForeignKey& fk) {
    Object j(out);
    write_names(j.key("columns"), fk.columns);
    write_string(j.key("kind"), "foreign_key");
    write_string(j.key("name"), fk.name);
    if (fk.on_delete != Action::no_action) write_string(j.key("on_delete"), action_name(fk.on_delete));
    if (fk.on_update != Action::no_action) write_string(j.key("on_update"), action_name(fk.on_update));
    write_names(j.key("ref_columns"), fk.ref_columns);
    write_string(j.key("ref_table"), fk.ref_table);
}

void write_keyed(std::string& out, const char* kind, const std::string& name, const std::vector<std::string>& columns) {
    Object j(out);
    write_names(j.key("columns"), columns);
    write_string(j.key("kind"), kind);
    write_string(j.key("name"), name);
}

void write_constraint(std::string& out, const Constraint& c) {
    std::visit(
        [&](const auto& v) {
            using T = std::decay_t<decltype(v)>;
            if constexpr (std::is_same_v<T, PrimaryKey>) {
                write_keyed(out, "primary_key", v.name, v.columns);
            } else if constexpr (std::is_same_v<T, ForeignKey>) {
                write_foreign_key(out, v);
            } else if constexpr (std::is_same_v<T, UniqueConstraint>) {
                write_keyed(out, "unique", v.name, v.columns);
            } else {
                Object j(out);
                write_string(j.key("expression"), v.expression);
                write_string(j.key("kind"), "check");
                write_string(j.key("name"), v.name);
            }
        },
        c);
}

void write_index(std::string& out, const Index& i) {
    Object j(out);
    write_string(j.key("name"), i.name);
    std::string& parts = j.key("parts");
    parts += '[';
    for (std::size_t k = 0; k < i.parts.size(); ++k) {
        if (k) parts += ',';
        Object part(parts);
        if (i.parts[k].expression) write_bool(part.key("expression"), true);
        write_string(part.key("text"), i.parts[k].text);
    }
    parts += ']';
    if (i.unique) write_bool(j.key("unique"), true);
    if (i.where) write_string(j.key("where"), *i.where);
}

void write_table(std::string& out, const Table& t) {
    Object j(out);
    std::string& columns = j.key("columns");
    columns += '[';
    for (std::size_t i = 0; i < t.columns.size(); ++i) {
        if (i) columns += ',';
        write_column(columns, t.columns[i]);
    }
    columns += ']';
    if (t.comment) write_string(j.key("comment"), *t.comment);
    if (t.primary_key || !t.foreign_keys.empty() || !t.uniques.empty() || !t.checks.empty()) {
        std::string& constraints = j.key("constraints");
        constraints += '[';
        bool first = true;
        auto next = [&]() -> std::string& {
            if (!first) constraints += ',';
            first = false;
            return constraints;
        };
        if (t.primary_key) write_keyed(next(), "primary_key", t.primary_key->name, t.primary_key->columns);
        for (const auto& fk : t.foreign_keys) write_foreign_key(next(), fk);
        for (const auto& u : t.uniques) write_keyed(next(), "unique", u.name, u.columns);
        for (const auto& c : t.checks) write_constraint(next(), c);
        constraints += ']';
    }
    if (!t.indexes.empty()) {
        std::string& indexes = j.key("indexes");
        indexes += '[';
        for (std::size_t i = 0; i < t.indexes.size(); ++i) {
            if (i) indexes += ',';
            write_index(indexes, t.indexes[i]);
        }
        indexes += ']';
    }
    write_string(j.key("name"), t.name);
}

void write_op(std::string& out, const Op& op);

void write_ops(std::string& out, const std::vector<Op>& ops) {
    out += '[';
    for (std::size_t i = 0; i < ops.size(); ++i) {
        if (i) out += ',';
        write_op(out, ops[i]);
    }
    out += ']';
}

/// {"<key>":<first>,"op":"<name>","table":<table>}: the shape of most ops.
template <class Value>
void write_table_op(std::string& out, std::string_view key, Value value, const char* name, const std::string& table) {
    Object j(out);
    value(j.key(key));
    write_string(j.key("op"), name);
    write_string(j.key("table"), table);
}

struct Canonical {
    std::string& out;

    void operator()(const CreateTable& op) const {
        Object j(out);
        write_string(j.key("op"), "create_table");
        write_table(j.key("table"), op.table);
    }
    void operator()(const DropTable& op) const {
        Object j(out);
        write_string(j.key("op"), "drop_table");
        write_string(j.key("table"), op.name);
    }
    void operator()(const RenameTable& op) const {
        Object j(out);
        write_string(j.key("from"), op.from);
        write_string(j.key("op"), "rename_table");
        write_string(j.key("to"), op.to);
    }
    void operator()(const SetTableComment& op) const {
        write_table_op(out, "comment", [&](std::string& o) { write_optional(o, op.comment); }, "set_table_comment",
                       op.table);
    }
    void operator()(const AddColumn& op) const {
        Object j(out);
        write_column(j.key("column"), op.column);
        if (op.foreign_key) write_foreign_key(j.key("foreign_key"), *op.foreign_key);
        write_string(j.key("op"), "add_column");
        write_string(j.key("table"), op.table);
    }
    void operator()(const DropColumn& op) const {
        write_table_op(out, "column", [&](std::string& o) { write_string(o, op.name); }, "drop_column", op.table);
    }
    void operator()(const AlterColumn& op) const {
        Object j(out);
        {
            Object changes(j.key("changes"));
            const Column& c = op.patch;
            if (op.fields & field_comment) write_optional(changes.key("comment"), c.comment);
            if (op.fields & field_default) write_optional(changes.key("default"), c.server_default);
            if (op.fields & field_identity)
                write_string(changes.key("identity"), c.identity == Identity::none     ? "none"
                                                      : c.identity == Identity::always ? "always"
                                                                                       : "by_default");
            if (op.fields & field_name) write_string(changes.key("name"), c.name);
            if (op.fields & field_nullable) write_bool(changes.key("nullable"), c.nullable);
            if (op.fields & field_type) write_type(changes.key("type"), c.type);
        }
        write_string(j.key("column"), op.column);
        write_string(j.key("op"), "alter_column");
        write_string(j.key("table"), op.table);
    }
    void operator()(const CreateIndex& op) const {
        Object j(out);
        if (op.concurrently) write_bool(j.key("concurrently"), true);
        write_index(j.key("index"), op.index);
        write_string(j.key("op"), "create_index");
        write_string(j.key("table"), op.table);
    }
    void operator()(const DropIndex& op) const {
        Object j(out);
        if (op.concurrently) write_bool(j.key("concurrently"), true);
        write_string(j.key("index"), op.name);
        write_string(j.key("op"), "drop_index");
        write_string(j.key("table"), op.table);
    }
    void operator()(const AddConstraint& op) const {
        write_table_op(out, "constraint", [&](std::string& o) { write_constraint(o, op.constraint); },
                       "add_constraint", op.table);
    }
    void operator()(const DropConstraint& op) const {
        write_table_op(out, "constraint", [&](std::string& o) { write_string(o, op.name); }, "drop_constraint",
                       op.table);
    }
    void operator()(const ExecuteSql& op) const {
        Object j(out);
        write_optional(j.key("down"), op.down);
        switch (op.effect) {
        case SqlEffect::data: break;
        case SqlEffect::schema:
            write_string(j.key("effect"), "schema");
            write_ops(j.key("equivalent"), op.equivalent);
            break;
        case SqlEffect::opaque: write_string(j.key("effect"), "opaque"); break;
        }
        if (!op.only_dialect.empty()) write_string(j.key("only"), op.only_dialect);
        write_string(j.key("op"), "execute");
        if (op.outside_transaction) write_bool(j.key("outside_transaction"), true);
        write_string(j.key("up"), op.up);
    }
    void operator()(const RunData& op) const {
        Object j(out);
        write_bool(j.key("down"), op.down != nullptr);
        if (op.lossy) write_bool(j.key("lossy"), true);
        if (!op.only_dialect.empty()) write_string(j.key("only"), op.only_dialect);
        write_string(j.key("op"), "run_data");
    }
    void operator()(const CreateEnum& op) const {
        Object j(out);
        write_string(j.key("name"), op.type.name);
        write_string(j.key("op"), "create_enum");
        write_names(j.key("values"), op.type.values);
    }
    void operator()(const DropEnum& op) const {
        Object j(out);
        write_string(j.key("name"), op.name);
        write_string(j.key("op"), "drop_enum");
    }
    void operator()(const AlterEnum& op) const {
        Object j(out);
        if (!op.add_before.empty()) write_string(j.key("add_before"), op.add_before);
        if (!op.add_value.empty()) write_string(j.key("add_value"), op.add_value);
        write_string(j.key("name"), op.name);
        write_string(j.key("op"), "alter_enum");
        if (op.values) write_names(j.key("values"), *op.values);
    }
};

void write_op(std::string& out, const Op& op) { std::visit(Canonical{out}, op.variant()); }

}  // namespace

std::string canonical_ops(const std::vector<Op>& ops) {
    std::string out;
    write_ops(out, ops);
    return out;
}

std::string canonical_op(const Op& op) {
    std::string out;
    write_op(out, op);
    return out;
}

}  // namespace retort
