#include <retort/schema/schema.hpp>

#include <retort/error.hpp>

#include <algorithm>
#include <cctype>
#include <set>

namespace retort {

Type Type::from(const TypeSpec& spec) {
    Type t;
    t.kind = spec.kind;
    t.length = spec.length;
    t.scale = spec.scale;
    if (spec.name) t.name = spec.name;
    if (spec.kind == TypeKind::array) t.element = spec.element == TypeKind::array ? TypeKind::integer : spec.element;
    return t;
}

Type Type::array_of(const Type& element) {
    if (element.kind == TypeKind::array) return element;
    Type t = element;
    t.kind = TypeKind::array;
    t.element = element.kind;
    return t;
}

Type element_of(const Type& type) {
    if (type.kind != TypeKind::array) return type;
    Type t = type;
    t.kind = type.element;
    t.element = TypeKind::integer;
    return t;
}

std::string enum_used_by(const Type& type) {
    if (type.kind == TypeKind::enumeration) return type.name;
    if (type.kind == TypeKind::array && type.element == TypeKind::enumeration) return type.name;
    return {};
}

std::string to_string(const Type& type) {
    switch (type.kind) {
    case TypeKind::integer: return "integer";
    case TypeKind::smallint: return "smallint";
    case TypeKind::bigint: return "bigint";
    case TypeKind::boolean: return "boolean";
    case TypeKind::text: return "text";
    case TypeKind::varchar:
        return type.length > 0 ? "varchar(" + std::to_string(type.length) + ")" : "varchar";
    case TypeKind::numeric:
        if (type.length <= 0) return "numeric";
        return "numeric(" + std::to_string(type.length) + "," + std::to_string(type.scale) + ")";
    case TypeKind::real: return "real";
    case TypeKind::double_precision: return "double precision";
    case TypeKind::date: return "date";
    case TypeKind::time: return "time";
    case TypeKind::timestamp: return "timestamp";
    case TypeKind::timestamptz: return "timestamp with time zone";
    case TypeKind::blob: return "blob";
    case TypeKind::json: return "json";
    case TypeKind::jsonb: return "jsonb";
    case TypeKind::uuid: return "uuid";
    case TypeKind::custom: return type.name;
    case TypeKind::enumeration: return type.name;
    case TypeKind::array: return to_string(element_of(type)) + "[]";
    }
    return type.name;
}

namespace {
std::string cpp_string(std::string_view s) {
    std::string out = "\"";
    for (char c : s) {
        if (c == '"' || c == '\\') out += '\\';
        if (c == '\n') {
            out += "\\n";
            continue;
        }
        out += c;
    }
    return out + "\"";
}
}  // namespace

std::string to_cpp(const Type& type) {
    switch (type.kind) {
    case TypeKind::integer: return "integer()";
    case TypeKind::smallint: return "smallint()";
    case TypeKind::bigint: return "bigint()";
    case TypeKind::boolean: return "boolean()";
    case TypeKind::text: return "text()";
    case TypeKind::varchar: return "varchar(" + std::to_string(type.length) + ")";
    case TypeKind::numeric:
        if (type.length <= 0) return "numeric()";
        return "numeric(" + std::to_string(type.length) + ", " + std::to_string(type.scale) + ")";
    case TypeKind::real: return "real()";
    case TypeKind::double_precision: return "double_precision()";
    case TypeKind::date: return "date()";
    case TypeKind::time: return "time()";
    case TypeKind::timestamp: return "timestamp()";
    case TypeKind::timestamptz: return "timestamptz()";
    case TypeKind::blob: return "blob()";
    case TypeKind::json: return "json()";
    case TypeKind::jsonb: return "jsonb()";
    case TypeKind::uuid: return "uuid()";
    case TypeKind::custom: return "sql_type(" + cpp_string(type.name) + ")";
    case TypeKind::enumeration: return "enum_type(" + cpp_string(type.name) + ")";
    case TypeKind::array: return "array_of(" + to_cpp(element_of(type)) + ")";
    }
    return "sql_type(" + cpp_string(type.name) + ")";
}

std::string_view to_string(Action action) {
    switch (action) {
    case Action::no_action: return "NO ACTION";
    case Action::restrict: return "RESTRICT";
    case Action::cascade: return "CASCADE";
    case Action::set_null: return "SET NULL";
    case Action::set_default: return "SET DEFAULT";
    }
    return "NO ACTION";
}

const std::string& constraint_name(const Constraint& c) {
    return std::visit([](const auto& v) -> const std::string& { return v.name; }, c);
}

std::string_view constraint_kind(const Constraint& c) {
    switch (c.index()) {
    case 0: return "primary key";
    case 1: return "foreign key";
    case 2: return "unique constraint";
    default: return "check constraint";
    }
}

const Column* Table::find_column(std::string_view column) const {
    for (const auto& c : columns)
        if (c.name == column) return &c;
    return nullptr;
}

Column* Table::find_column(std::string_view column) {
    for (auto& c : columns)
        if (c.name == column) return &c;
    return nullptr;
}

const Index* Table::find_index(std::string_view index) const {
    for (const auto& i : indexes)
        if (i.name == index) return &i;
    return nullptr;
}

std::optional<Constraint> Table::find_constraint(std::string_view constraint) const {
    if (constraint.empty()) return std::nullopt;
    if (primary_key && primary_key->name == constraint) return Constraint{*primary_key};
    for (const auto& fk : foreign_keys)
        if (fk.name == constraint) return Constraint{fk};
    for (const auto& u : uniques)
        if (u.name == constraint) return Constraint{u};
    for (const auto& c : checks)
        if (c.name == constraint) return Constraint{c};
    return std::nullopt;
}

namespace {
bool contains(const std::vector<std::string>& names, std::string_view name) {
    return std::find(names.begin(), names.end(), name) != names.end();
}
}  // namespace

bool Table::column_is_constrained(std::string_view column) const {
    if (primary_key && contains(primary_key->columns, column)) return true;
    for (const auto& fk : foreign_keys)
        if (contains(fk.columns, column)) return true;
    for (const auto& u : uniques)
        if (contains(u.columns, column)) return true;
    for (const auto& i : indexes)
        for (const auto& p : i.parts)
            if (p.expression ? p.text.find(column) != std::string::npos : p.text == column) return true;
    for (const auto& c : checks)
        if (c.expression.find(column) != std::string::npos) return true;
    return false;
}

void Table::add_constraint(const Constraint& c) {
    const auto& cname = constraint_name(c);
    if (!cname.empty() && (find_constraint(cname) || find_index(cname)))
        throw Error(ErrorKind::migration,
                    "table \"" + name + "\" already has a constraint or index named \"" + cname + "\"");
    std::visit(
        [this](const auto& v) {
            using T = std::decay_t<decltype(v)>;
            if constexpr (std::is_same_v<T, PrimaryKey>) {
                if (primary_key)
                    throw Error(ErrorKind::migration, "table \"" + name + "\" already has a primary key");
                primary_key = v;
                for (const auto& col : v.columns)
                    if (auto* column = find_column(col)) column->nullable = false;
            } else if constexpr (std::is_same_v<T, ForeignKey>) {
                foreign_keys.push_back(v);
            } else if constexpr (std::is_same_v<T, UniqueConstraint>) {
                uniques.push_back(v);
            } else {
                checks.push_back(v);
            }
        },
        c);
}

std::optional<Constraint> Table::remove_constraint(std::string_view constraint) {
    if (primary_key && primary_key->name == constraint) {
        Constraint c{*primary_key};
        primary_key.reset();
        return c;
    }
    auto take = [&](auto& list) -> std::optional<Constraint> {
        for (auto it = list.begin(); it != list.end(); ++it) {
            if (it->name == constraint) {
                Constraint c{*it};
                list.erase(it);
                return c;
            }
        }
        return std::nullopt;
    };
    if (auto c = take(foreign_keys)) return c;
    if (auto c = take(uniques)) return c;
    return take(checks);
}

const Table* Schema::find_table(std::string_view name) const {
    auto it = tables.find(name);
    return it == tables.end() ? nullptr : &it->second;
}

Table* Schema::find_table(std::string_view name) {
    auto it = tables.find(name);
    return it == tables.end() ? nullptr : &it->second;
}

const Table* Schema::table_of_index(std::string_view index) const {
    for (const auto& [_, t] : tables)
        if (t.find_index(index)) return &t;
    return nullptr;
}

std::vector<const Table*> Schema::referencing(std::string_view table) const {
    std::vector<const Table*> out;
    for (const auto& [name, t] : tables) {
        if (name == table) continue;
        for (const auto& fk : t.foreign_keys) {
            if (fk.ref_table == table) {
                out.push_back(&t);
                break;
            }
        }
    }
    return out;
}

std::vector<std::string> Schema::dependency_order() const {
    // Depth-first on "references": a table is emitted after the tables it references.
    std::vector<std::string> out;
    std::set<std::string, std::less<>> done;
    std::set<std::string, std::less<>> visiting;
    auto visit = [&](auto& self, const Table& t) -> void {
        if (done.count(t.name) || visiting.count(t.name)) return;  // a cycle is broken here
        visiting.insert(t.name);
        std::vector<std::string> refs;
        for (const auto& fk : t.foreign_keys)
            if (fk.ref_table != t.name) refs.push_back(fk.ref_table);
        std::sort(refs.begin(), refs.end());
        for (const auto& r : refs)
            if (const Table* rt = find_table(r)) self(self, *rt);
        visiting.erase(t.name);
        done.insert(t.name);
        out.push_back(t.name);
    };
    for (const auto& [_, t] : tables) visit(visit, t);
    return out;
}

const EnumType* Schema::find_enum(std::string_view name) const {
    auto it = enums.find(name);
    return it == enums.end() ? nullptr : &it->second;
}

std::vector<std::string> Schema::enum_users(std::string_view name) const {
    std::vector<std::string> out;
    for (const auto& [table, t] : tables)
        for (const auto& c : t.columns)
            if (enum_used_by(c.type) == name) out.push_back(table + "." + c.name);
    return out;
}

std::vector<std::string> Schema::qualifiers() const {
    std::set<std::string> out;
    auto add = [&](const std::string& name) {
        if (auto dot = name.find('.'); dot != std::string::npos && dot > 0) out.insert(name.substr(0, dot));
    };
    for (const auto& [name, _] : tables) add(name);
    for (const auto& [name, _] : enums) add(name);
    return {out.begin(), out.end()};
}

namespace {
std::string join_names(const std::vector<std::string>& names) {
    std::string out;
    for (const auto& n : names) {
        if (!out.empty()) out += '_';
        out += n;
    }
    return out;
}
}  // namespace

namespace {
/// "sales.orders" -> "orders": a default name lives in the table's schema already.
std::string bare(std::string_view table) {
    auto dot = table.rfind('.');
    return std::string(dot == std::string_view::npos ? table : table.substr(dot + 1));
}
}  // namespace

std::string default_pk_name(std::string_view table) { return "pk_" + bare(table); }

std::string default_fk_name(std::string_view table, const std::vector<std::string>& columns,
                            std::string_view ref_table) {
    return "fk_" + bare(table) + "_" + join_names(columns) + "_" + bare(ref_table);
}

std::string default_unique_name(std::string_view table, const std::vector<std::string>& columns) {
    return "uq_" + bare(table) + "_" + join_names(columns);
}

std::string default_index_name(std::string_view table, const std::vector<IndexPart>& parts) {
    std::string out = "ix_" + bare(table);
    for (const auto& p : parts) {
        out += '_';
        if (!p.expression) {
            out += p.text;
            continue;
        }
        // An expression: keep its identifier characters ("lower(email)" -> "lower_email").
        std::string word;
        for (char c : p.text) {
            if (std::isalnum(static_cast<unsigned char>(c)) || c == '_') {
                word += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
            } else if (!word.empty() && word.back() != '_') {
                word += '_';
            }
        }
        while (!word.empty() && word.back() == '_') word.pop_back();
        out += word;
    }
    return out;
}

}  // namespace retort
