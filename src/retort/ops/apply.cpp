// Replay: apply an op to an in-memory schema, filling the op's before-state.
#include <retort/ops/ops.hpp>

#include <retort/error.hpp>

#include <algorithm>
#include <cctype>

namespace retort {

namespace {

template <class... Ts>
struct overloaded : Ts... {
    using Ts::operator()...;
};
template <class... Ts>
overloaded(Ts...) -> overloaded<Ts...>;

bool is_word_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

/// Whether `text` mentions identifier `word` as a whole word (quoted or not).
bool mentions(std::string_view text, std::string_view word) {
    if (word.empty()) return false;
    for (std::size_t pos = text.find(word); pos != std::string_view::npos; pos = text.find(word, pos + 1)) {
        bool left = pos == 0 || !is_word_char(text[pos - 1]);
        bool right = pos + word.size() >= text.size() || !is_word_char(text[pos + word.size()]);
        if (left && right) return true;
    }
    return false;
}

bool plain_identifier(std::string_view name) {
    if (name.empty() || std::isdigit(static_cast<unsigned char>(name[0]))) return false;
    for (char c : name)
        if (!is_word_char(c)) return false;
    return true;
}

std::string quoted(std::string_view name) {
    std::string out = "\"";
    for (char c : name) {
        if (c == '"') out += '"';
        out += c;
    }
    return out + "\"";
}

/// Renames identifier `from` to `to` in an SQL expression: bare and "quoted"
/// mentions, never inside 'string literals'. The new name is quoted where it
/// needs to be (a bare mention of a name with spaces would not parse).
std::string replace_word(std::string_view text, std::string_view from, std::string_view to) {
    std::string out;
    std::size_t i = 0;
    while (i < text.size()) {
        char c = text[i];
        if (c == '\'') {  // a string literal, '' escapes included
            std::size_t j = i + 1;
            while (j < text.size()) {
                if (text[j] == '\'' && j + 1 < text.size() && text[j + 1] == '\'') {
                    j += 2;
                } else if (text[j] == '\'') {
                    break;
                } else {
                    ++j;
                }
            }
            j = std::min(j + 1, text.size());
            out.append(text.substr(i, j - i));
            i = j;
        } else if (c == '"') {  // a quoted identifier
            std::string name;
            std::size_t j = i + 1;
            while (j < text.size()) {
                if (text[j] == '"' && j + 1 < text.size() && text[j + 1] == '"') {
                    name += '"';
                    j += 2;
                } else if (text[j] == '"') {
                    break;
                } else {
                    name += text[j++];
                }
            }
            j = std::min(j + 1, text.size());
            if (name == from)
                out += quoted(to);
            else
                out.append(text.substr(i, j - i));
            i = j;
        } else if (is_word_char(c)) {
            std::size_t j = i;
            while (j < text.size() && is_word_char(text[j])) ++j;
            std::string_view word = text.substr(i, j - i);
            if (word == from)
                out += plain_identifier(to) ? std::string(to) : quoted(to);
            else
                out.append(word);
            i = j;
        } else {
            out += c;
            ++i;
        }
    }
    return out;
}

void rename_in(std::vector<std::string>& cols, std::string_view from, std::string_view to) {
    for (auto& c : cols)
        if (c == from) c = std::string(to);
}

class Applier {
public:
    /// `batch`, when given, answers the schema-wide index name look-ups; with
    /// `consume`, a created table is moved out of its op.
    explicit Applier(Schema& schema, SchemaApplier* batch = nullptr, bool consume = false)
        : m_schema(schema), m_batch(batch), m_consume(consume) {}

    void operator()(CreateTable& op) {
        if (m_schema.find_table(op.table.name)) fail("table \"" + op.table.name + "\" already exists");
        for (const auto& c : op.table.columns) check_enum(op.table.name, c);
        for (const auto& idx : op.table.indexes) check_index_name_free(idx.name);
        for (const auto& fk : op.table.foreign_keys) check_reference(op.table, fk);
        std::string name = op.table.name;
        if (m_consume)
            m_schema.tables.emplace(std::move(name), std::move(op.table));
        else
            m_schema.tables.emplace(std::move(name), op.table);
    }

    void operator()(DropTable& op) {
        Table& t = table(op.name);
        op.table = t;
        m_schema.tables.erase(m_schema.tables.find(op.name));
    }

    void operator()(RenameTable& op) {
        Table& t = table(op.from);
        if (m_schema.find_table(op.to)) fail("table \"" + op.to + "\" already exists");
        Table moved = std::move(t);
        m_schema.tables.erase(m_schema.tables.find(op.from));
        moved.name = op.to;
        for (auto& fk : moved.foreign_keys)
            if (fk.ref_table == op.from) fk.ref_table = op.to;
        for (auto& [_, other] : m_schema.tables)
            for (auto& fk : other.foreign_keys)
                if (fk.ref_table == op.from) fk.ref_table = op.to;
        m_schema.tables.emplace(op.to, std::move(moved));
    }

    void operator()(SetTableComment& op) {
        Table& t = table(op.table);
        op.before = t.comment;
        op.resolved = true;
        t.comment = op.comment;
    }

    void operator()(AddColumn& op) {
        Table& t = table(op.table);
        if (t.find_column(op.column.name))
            fail("table \"" + op.table + "\" already has a column \"" + op.column.name + "\"");
        check_enum(op.table, op.column);
        t.columns.push_back(op.column);
        if (op.foreign_key) {
            if (t.find_constraint(op.foreign_key->name))
                fail("table \"" + op.table + "\" already has a constraint \"" + op.foreign_key->name + "\"");
            check_reference(t, *op.foreign_key);
            t.foreign_keys.push_back(*op.foreign_key);
        }
    }

    void operator()(DropColumn& op) {
        Table& t = table(op.table);
        const Column* c = t.find_column(op.name);
        if (!c) fail("table \"" + op.table + "\" has no column \"" + op.name + "\"");
        if (t.columns.size() == 1)
            fail("column \"" + op.name + "\" is the last column of table \"" + op.table + "\"; drop the table instead");
        if (t.primary_key &&
            std::find(t.primary_key->columns.begin(), t.primary_key->columns.end(), op.name) !=
                t.primary_key->columns.end())
            fail("column \"" + op.table + "." + op.name + "\" is part of primary key \"" + t.primary_key->name +
                 "\"; drop or change the primary key first");
        for (const auto& [_, other] : m_schema.tables) {
            for (const auto& fk : other.foreign_keys) {
                if (fk.ref_table == op.table &&
                    std::find(fk.ref_columns.begin(), fk.ref_columns.end(), op.name) != fk.ref_columns.end() &&
                    !(other.name == op.table &&
                      std::find(fk.columns.begin(), fk.columns.end(), op.name) != fk.columns.end()))
                    fail("column \"" + op.table + "." + op.name + "\" is referenced by foreign key \"" + fk.name +
                         "\" of table \"" + other.name + "\"; drop that foreign key first");
            }
        }
        op.column = *c;
        op.inline_foreign_key.reset();
        op.indexes.clear();
        op.constraints.clear();
        auto has = [&](const std::vector<std::string>& cols) {
            return std::find(cols.begin(), cols.end(), op.name) != cols.end();
        };
        for (auto it = t.foreign_keys.begin(); it != t.foreign_keys.end();) {
            if (has(it->columns)) {
                if (it->columns.size() == 1 && !op.inline_foreign_key)
                    op.inline_foreign_key = *it;
                else
                    op.constraints.emplace_back(*it);
                it = t.foreign_keys.erase(it);
            } else {
                ++it;
            }
        }
        for (auto it = t.uniques.begin(); it != t.uniques.end();) {
            if (has(it->columns)) {
                op.constraints.emplace_back(*it);
                it = t.uniques.erase(it);
            } else {
                ++it;
            }
        }
        for (auto it = t.checks.begin(); it != t.checks.end();) {
            if (mentions(it->expression, op.name)) {
                op.constraints.emplace_back(*it);
                it = t.checks.erase(it);
            } else {
                ++it;
            }
        }
        for (auto it = t.indexes.begin(); it != t.indexes.end();) {
            bool uses = std::any_of(it->parts.begin(), it->parts.end(), [&](const IndexPart& p) {
                return p.expression ? mentions(p.text, op.name) : p.text == op.name;
            }) || (it->where && mentions(*it->where, op.name));
            if (uses) {
                op.indexes.push_back(*it);
                it = t.indexes.erase(it);
            } else {
                ++it;
            }
        }
        t.columns.erase(std::find_if(t.columns.begin(), t.columns.end(),
                                     [&](const Column& col) { return col.name == op.name; }));
    }

    void operator()(AlterColumn& op) {
        Table& t = table(op.table);
        Column* c = t.find_column(op.column);
        if (!c) fail("table \"" + op.table + "\" has no column \"" + op.column + "\"");
        Column to = *c;
        if (op.fields & field_type) to.type = op.patch.type;
        if (op.fields & field_nullable) to.nullable = op.patch.nullable;
        if (op.fields & field_default) to.server_default = op.patch.server_default;
        if (op.fields & field_comment) to.comment = op.patch.comment;
        if (op.fields & field_identity) to.identity = op.patch.identity;
        if (op.fields & field_name) {
            if (op.patch.name.empty()) fail("alter_column " + op.table + "." + op.column + ": the new name is empty");
            if (op.patch.name != op.column && t.find_column(op.patch.name))
                fail("table \"" + op.table + "\" already has a column \"" + op.patch.name + "\"");
            to.name = op.patch.name;
        }
        if (op.fields & field_type) check_enum(op.table, to);
        if ((op.fields & field_nullable) && to.nullable && t.primary_key &&
            std::find(t.primary_key->columns.begin(), t.primary_key->columns.end(), op.column) !=
                t.primary_key->columns.end())
            fail("column \"" + op.table + "." + op.column + "\" is part of the primary key and cannot be nullable");
        op.from = *c;
        op.to = to;
        *c = to;
        if (to.name != op.column) rename_column(t, op.column, to.name);
    }

    void operator()(CreateIndex& op) {
        Table& t = table(op.table);
        check_index_name_free(op.index.name);
        if (op.index.parts.empty()) fail("index \"" + op.index.name + "\" has no columns");
        for (const auto& p : op.index.parts)
            if (!p.expression && !t.find_column(p.text))
                fail("table \"" + op.table + "\" has no column \"" + p.text + "\" (index \"" + op.index.name + "\")");
        t.indexes.push_back(op.index);
    }

    void operator()(DropIndex& op) {
        Table* t = nullptr;
        if (op.table.empty()) {
            for (auto& [_, candidate] : m_schema.tables)
                if (candidate.find_index(op.name)) t = &candidate;
            if (!t) fail("there is no index \"" + op.name + "\"");
            op.table = t->name;
        } else {
            t = &table(op.table);
        }
        auto it = std::find_if(t->indexes.begin(), t->indexes.end(), [&](const Index& i) { return i.name == op.name; });
        if (it == t->indexes.end()) fail("table \"" + op.table + "\" has no index \"" + op.name + "\"");
        op.index = *it;
        t->indexes.erase(it);
    }

    void operator()(AddConstraint& op) {
        Table& t = table(op.table);
        std::visit(overloaded{
                       [&](const PrimaryKey& pk) { check_columns(t, pk.columns, pk.name); },
                       [&](const ForeignKey& fk) {
                           check_columns(t, fk.columns, fk.name);
                           check_reference(t, fk);
                       },
                       [&](const UniqueConstraint& u) { check_columns(t, u.columns, u.name); },
                       [&](const CheckConstraint&) {},
                   },
                   op.constraint);
        if (t.find_index(constraint_name(op.constraint)))
            fail("table \"" + op.table + "\" already has an index named \"" + constraint_name(op.constraint) + "\"");
        t.add_constraint(op.constraint);
    }

    void operator()(DropConstraint& op) {
        Table& t = table(op.table);
        auto c = t.remove_constraint(op.name);
        if (!c) fail("table \"" + op.table + "\" has no constraint \"" + op.name + "\"");
        op.constraint = std::move(c);
    }

    void operator()(ExecuteSql& op) {
        if (op.effect != SqlEffect::schema) return;
        for (auto& inner : op.equivalent) apply(inner, m_schema);
    }

    void operator()(RunData&) {}

    void operator()(CreateEnum& op) {
        if (op.type.name.empty()) fail("an enum type needs a name");
        if (m_schema.find_enum(op.type.name)) fail("enum type \"" + op.type.name + "\" already exists");
        check_values(op.type.name, op.type.values);
        m_schema.enums.emplace(op.type.name, op.type);
    }

    void operator()(DropEnum& op) {
        const EnumType* e = m_schema.find_enum(op.name);
        if (!e) fail("there is no enum type \"" + op.name + "\"");
        auto users = m_schema.enum_users(op.name);
        if (!users.empty()) {
            std::string list;
            for (const auto& u : users) list += (list.empty() ? "" : ", ") + u;
            fail("enum type \"" + op.name + "\" is still used by " + list +
                 "; drop those columns or change their type first");
        }
        op.type = *e;
        m_schema.enums.erase(m_schema.enums.find(op.name));
    }

    void operator()(AlterEnum& op) {
        auto it = m_schema.enums.find(op.name);
        if (it == m_schema.enums.end()) fail("there is no enum type \"" + op.name + "\"");
        std::vector<std::string> to = it->second.values;
        if (op.values) {
            to = *op.values;
        } else {
            if (op.add_value.empty()) fail("alter_enum " + op.name + ": the value to add is empty");
            if (std::find(to.begin(), to.end(), op.add_value) != to.end())
                fail("enum type \"" + op.name + "\" already has the value '" + op.add_value + "'");
            auto at = to.end();
            if (!op.add_before.empty()) {
                at = std::find(to.begin(), to.end(), op.add_before);
                if (at == to.end())
                    fail("enum type \"" + op.name + "\" has no value '" + op.add_before + "' to add '" + op.add_value +
                         "' before");
            }
            to.insert(at, op.add_value);
        }
        check_values(op.name, to);
        op.from = it->second.values;
        op.to = to;
        it->second.values = std::move(to);
    }

private:
    void check_values(const std::string& name, const std::vector<std::string>& values) const {
        if (values.empty()) fail("enum type \"" + name + "\" needs at least one value");
        for (std::size_t i = 0; i < values.size(); ++i) {
            if (values[i].empty()) fail("enum type \"" + name + "\" has an empty value");
            for (std::size_t j = 0; j < i; ++j)
                if (values[j] == values[i]) fail("enum type \"" + name + "\" lists '" + values[i] + "' twice");
        }
    }

    /// A column of an enum type needs the type to exist first.
    void check_enum(const std::string& table, const Column& c) const {
        std::string e = enum_used_by(c.type);
        if (!e.empty() && !m_schema.find_enum(e))
            fail("column \"" + table + "." + c.name + "\" uses enum type \"" + e +
                 "\", which does not exist; create it first with op.create_enum(\"" + e + "\", {...})");
    }

    [[noreturn]] void fail(const std::string& message) const { throw Error(ErrorKind::migration, message); }

    Table& table(const std::string& name) {
        Table* t = m_schema.find_table(name);
        if (!t) fail("there is no table \"" + name + "\"");
        return *t;
    }

    void check_index_name_free(const std::string& name) const {
        if (const Table* other = m_batch ? m_batch->table_of_index(name) : m_schema.table_of_index(name))
            fail("an index named \"" + name + "\" already exists on table \"" + other->name + "\"");
    }

    void check_columns(const Table& t, const std::vector<std::string>& cols, const std::string& what) const {
        for (const auto& c : cols)
            if (!t.find_column(c))
                fail("table \"" + t.name + "\" has no column \"" + c + "\" (constraint \"" + what + "\")");
    }

    void check_reference(const Table& t, const ForeignKey& fk) const {
        const Table* ref = fk.ref_table == t.name ? &t : m_schema.find_table(fk.ref_table);
        if (!ref)
            fail("foreign key \"" + fk.name + "\" references table \"" + fk.ref_table + "\", which does not exist");
        for (const auto& c : fk.ref_columns)
            if (!ref->find_column(c))
                fail("foreign key \"" + fk.name + "\" references column \"" + fk.ref_table + "." + c +
                     "\", which does not exist");
    }

    void rename_column(Table& t, const std::string& from, const std::string& to) {
        if (t.primary_key) rename_in(t.primary_key->columns, from, to);
        for (auto& fk : t.foreign_keys) rename_in(fk.columns, from, to);
        for (auto& u : t.uniques) rename_in(u.columns, from, to);
        for (auto& c : t.checks) c.expression = replace_word(c.expression, from, to);
        for (auto& i : t.indexes) {
            for (auto& p : i.parts) p.text = p.expression ? replace_word(p.text, from, to) : (p.text == from ? to : p.text);
            if (i.where) i.where = replace_word(*i.where, from, to);
        }
        for (auto& [_, other] : m_schema.tables)
            for (auto& fk : other.foreign_keys)
                if (fk.ref_table == t.name) rename_in(fk.ref_columns, from, to);
    }

    Schema& m_schema;
    SchemaApplier* m_batch;
    bool m_consume;
};

void visit_applier(Op& op, Applier applier) {
    try {
        std::visit(applier, op.variant());
    } catch (Error& e) {
        if (e.op().empty()) e.with_op(describe(op));
        throw;
    }
}

}  // namespace

void apply(Op& op, Schema& schema) { visit_applier(op, Applier{schema}); }

const Table* SchemaApplier::table_of_index(std::string_view name) {
    if (!m_known && ++m_lookups > 1) {
        // A second look-up: from now on, the names are kept.
        m_index_names.clear();
        for (const auto& [_, t] : m_schema.tables)
            for (const auto& i : t.indexes) m_index_names.insert(i.name);
        m_known = true;
    }
    // A name the set has is looked up for real (it may have been dropped since,
    // and the table named in the message is the one apply() would name).
    if (m_known && !m_index_names.count(std::string(name))) return nullptr;
    return m_schema.table_of_index(name);
}

void SchemaApplier::apply(Op& op) { apply(op, false); }

void SchemaApplier::apply(Op&& op) { apply(op, true); }

void SchemaApplier::apply(Op& op, bool consume) {
    // Keep the set a superset of the index names: the ops that add indexes add
    // theirs (read before the op may be moved from; the set may also be filled
    // while the op is applied, from the schema before it); the others only drop or
    // keep them, except an ExecuteSql, whose equivalent ops apply() applies
    // without the set: start over after it.
    std::vector<std::string> added;
    if (const auto* create = std::get_if<CreateTable>(&op.variant())) {
        for (const auto& i : create->table.indexes) added.push_back(i.name);
    } else if (const auto* index = std::get_if<CreateIndex>(&op.variant())) {
        added.push_back(index->index.name);
    }
    const bool opaque_to_set = std::holds_alternative<ExecuteSql>(op.variant());
    try {
        visit_applier(op, Applier{m_schema, this, consume});
    } catch (...) {
        m_known = false;  // the op may have changed part of the schema
        m_lookups = 0;
        throw;
    }
    if (opaque_to_set) {
        m_known = false;
        m_lookups = 0;
    }
    if (!m_known) return;
    for (auto& name : added) m_index_names.insert(std::move(name));
}

namespace {

void add_table(Schema& out, const Schema& from, std::string_view name) {
    if (name.empty() || out.find_table(name)) return;
    if (const Table* t = from.find_table(name)) out.tables.emplace(t->name, *t);
}

/// The tables apply() may read or change for `op`: its own, the tables its foreign
/// keys reference, and the tables referencing it.
void add_involved(Schema& out, const Schema& from, const Op& op) {
    auto with_refs = [&](std::string_view name) {
        add_table(out, from, name);
        if (const Table* t = from.find_table(name)) {
            for (const auto& fk : t->foreign_keys) add_table(out, from, fk.ref_table);
            for (const Table* other : from.referencing(name)) add_table(out, from, other->name);
        }
    };
    std::visit(overloaded{
                   [&](const CreateTable& o) {
                       for (const auto& fk : o.table.foreign_keys) add_table(out, from, fk.ref_table);
                       for (const auto& idx : o.table.indexes)
                           if (const Table* t = from.table_of_index(idx.name)) add_table(out, from, t->name);
                   },
                   [&](const RenameTable& o) {
                       with_refs(o.from);
                       add_table(out, from, o.to);
                   },
                   [&](const AddColumn& o) {
                       with_refs(o.table);
                       if (o.foreign_key) add_table(out, from, o.foreign_key->ref_table);
                   },
                   [&](const CreateIndex& o) {
                       with_refs(o.table);
                       if (const Table* t = from.table_of_index(o.index.name)) add_table(out, from, t->name);
                   },
                   [&](const DropIndex& o) {
                       if (o.table.empty()) {
                           if (const Table* t = from.table_of_index(o.name)) add_table(out, from, t->name);
                       } else {
                           with_refs(o.table);
                       }
                   },
                   [&](const AddConstraint& o) {
                       with_refs(o.table);
                       if (const auto* fk = std::get_if<ForeignKey>(&o.constraint)) add_table(out, from, fk->ref_table);
                   },
                   [&](const ExecuteSql& o) {
                       for (const auto& inner : o.equivalent) add_involved(out, from, inner);
                   },
                   [&](const auto& o) {
                       using T = std::decay_t<decltype(o)>;
                       if constexpr (!std::is_same_v<T, RunData> && !std::is_same_v<T, CreateEnum> &&
                                     !std::is_same_v<T, DropEnum> && !std::is_same_v<T, AlterEnum>)
                           with_refs(op_table(op));
                   },
               },
               op.variant());
}

}  // namespace

void resolve(Op& op, const Schema& schema) {
    Schema scratch;
    scratch.enums = schema.enums;  // columns of enum types check their type exists
    if (std::holds_alternative<DropEnum>(op.variant()))
        scratch.tables = schema.tables;  // which columns still use it
    else
        add_involved(scratch, schema, op);
    apply(op, scratch);
}

bool replayable(const Op& op) {
    if (const auto* sql = std::get_if<ExecuteSql>(&op.variant())) return sql->effect != SqlEffect::opaque;
    return true;
}

bool is_data_op(const Op& op) {
    if (const auto* sql = std::get_if<ExecuteSql>(&op.variant())) return sql->effect == SqlEffect::data;
    return std::holds_alternative<RunData>(op.variant());
}

bool applies_to(const Op& op, std::string_view dialect) {
    if (const auto* sql = std::get_if<ExecuteSql>(&op.variant()))
        return sql->only_dialect.empty() || sql->only_dialect == dialect;
    if (const auto* data = std::get_if<RunData>(&op.variant()))
        return data->only_dialect.empty() || data->only_dialect == dialect;
    return true;
}

}  // namespace retort
