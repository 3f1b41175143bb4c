// Definitions behind the light authoring headers: column, constraint and index
// builders, the Ops recorder, SQL and data steps, and MetaData.
#include <retort/ops/builder_data.hpp>

#include <retort/error.hpp>

#include <set>

namespace retort {

using detail::ChangeData;
using detail::ColumnData;
using detail::ConstraintData;
using detail::DataData;
using detail::IndexData;
using detail::SqlData;

namespace {

std::string str(const char* s) { return s ? std::string(s) : std::string(); }

std::vector<std::string> names(Names list) {
    std::vector<std::string> out;
    out.reserve(list.size());
    for (const char* n : list) out.push_back(str(n));
    return out;
}

[[noreturn]] void fail(const std::string& message) { throw Error(ErrorKind::migration, message); }

}  // namespace

// ---- ColumnDef -------------------------------------------------------------

ColumnDef::ColumnDef(const char* name, TypeSpec type) : m_data(new ColumnData) {
    m_data->column.name = str(name);
    m_data->column.type = Type::from(type);
}
ColumnDef::ColumnDef(const ColumnDef& other) : m_data(new ColumnData(*other.m_data)) {}
ColumnDef& ColumnDef::operator=(const ColumnDef& other) {
    if (this != &other) *m_data = *other.m_data;
    return *this;
}
ColumnDef::~ColumnDef() { delete m_data; }

ColumnDef& ColumnDef::not_null() {
    m_data->column.nullable = false;
    return *this;
}
ColumnDef& ColumnDef::nullable() {
    m_data->column.nullable = true;
    return *this;
}
ColumnDef& ColumnDef::primary_key() {
    m_data->primary_key = true;
    m_data->column.nullable = false;
    return *this;
}
ColumnDef& ColumnDef::autoincrement() {
    m_data->column.autoincrement = true;
    return *this;
}
ColumnDef& ColumnDef::identity(bool always) {
    m_data->column.identity = always ? Identity::always : Identity::by_default;
    m_data->column.nullable = false;
    return *this;
}
ColumnDef& ColumnDef::server_default(const char* sql_expression) {
    if (sql_expression)
        m_data->column.server_default = sql_expression;
    else
        m_data->column.server_default.reset();
    return *this;
}
ColumnDef& ColumnDef::unique(const char* name) {
    m_data->unique = true;
    m_data->unique_name = str(name);
    return *this;
}
ColumnDef& ColumnDef::index(const char* name) {
    m_data->index = true;
    m_data->index_name = str(name);
    return *this;
}
ColumnDef& ColumnDef::references(const char* table, const char* column, const char* name) {
    ForeignKey fk;
    fk.name = str(name);
    fk.columns = {m_data->column.name};
    fk.ref_table = str(table);
    fk.ref_columns = {column ? std::string(column) : std::string("id")};
    m_data->foreign_key = std::move(fk);
    return *this;
}
ColumnDef& ColumnDef::on_delete(Action action) {
    if (!m_data->foreign_key) fail("column \"" + m_data->column.name + "\": on_delete() without references()");
    m_data->foreign_key->on_delete = action;
    return *this;
}
ColumnDef& ColumnDef::on_update(Action action) {
    if (!m_data->foreign_key) fail("column \"" + m_data->column.name + "\": on_update() without references()");
    m_data->foreign_key->on_update = action;
    return *this;
}
ColumnDef& ColumnDef::comment(const char* text) {
    if (text)
        m_data->column.comment = text;
    else
        m_data->column.comment.reset();
    return *this;
}

// ---- ConstraintDef ---------------------------------------------------------

ConstraintDef::ConstraintDef(const ConstraintDef& other) : m_data(new ConstraintData(*other.m_data)) {}
ConstraintDef& ConstraintDef::operator=(const ConstraintDef& other) {
    if (this != &other) *m_data = *other.m_data;
    return *this;
}
ConstraintDef::~ConstraintDef() { delete m_data; }

ConstraintDef& ConstraintDef::on_delete(Action action) {
    auto* fk = std::get_if<ForeignKey>(&m_data->constraint);
    if (!fk) fail("on_delete() applies to foreign keys only");
    fk->on_delete = action;
    return *this;
}
ConstraintDef& ConstraintDef::on_update(Action action) {
    auto* fk = std::get_if<ForeignKey>(&m_data->constraint);
    if (!fk) fail("on_update() applies to foreign keys only");
    fk->on_update = action;
    return *this;
}

ConstraintDef primary_key(Names columns) { return primary_key(nullptr, columns); }
ConstraintDef primary_key(const char* name, Names columns) {
    return ConstraintDef(new ConstraintData{PrimaryKey{str(name), names(columns)}});
}
ConstraintDef foreign_key(Names columns, const char* ref_table, Names ref_columns) {
    return foreign_key(nullptr, columns, ref_table, ref_columns);
}
ConstraintDef foreign_key(const char* name, Names columns, const char* ref_table, Names ref_columns) {
    ForeignKey fk;
    fk.name = str(name);
    fk.columns = names(columns);
    fk.ref_table = str(ref_table);
    fk.ref_columns = names(ref_columns);
    return ConstraintDef(new ConstraintData{std::move(fk)});
}
ConstraintDef unique(Names columns) { return unique(nullptr, columns); }
ConstraintDef unique(const char* name, Names columns) {
    return ConstraintDef(new ConstraintData{UniqueConstraint{str(name), names(columns)}});
}
ConstraintDef check(const char* name, const char* sql_expression) {
    return ConstraintDef(new ConstraintData{CheckConstraint{str(name), str(sql_expression)}});
}

// ---- IndexDef --------------------------------------------------------------

IndexDef::IndexDef(const IndexDef& other) : m_data(new IndexData(*other.m_data)) {}
IndexDef& IndexDef::operator=(const IndexDef& other) {
    if (this != &other) *m_data = *other.m_data;
    return *this;
}
IndexDef::~IndexDef() { delete m_data; }
IndexDef& IndexDef::unique() {
    m_data->index.unique = true;
    return *this;
}
IndexDef& IndexDef::where(const char* sql_predicate) {
    if (sql_predicate)
        m_data->index.where = sql_predicate;
    else
        m_data->index.where.reset();
    return *this;
}

IndexDef& IndexDef::concurrently() {
    m_data->concurrently = true;
    return *this;
}

IndexDef index(const char* name, std::initializer_list<IndexKey> parts) {
    Index idx;
    idx.name = str(name);
    for (const auto& p : parts) idx.parts.push_back(retort::IndexPart{str(p.text), p.expression});
    return IndexDef(new IndexData{std::move(idx)});
}
IndexDef index(std::initializer_list<IndexKey> parts) { return index(nullptr, parts); }

// ---- ColumnChange ----------------------------------------------------------

ColumnChange::ColumnChange() : m_data(new ChangeData) {}
ColumnChange::ColumnChange(const ColumnChange& other) : m_data(new ChangeData(*other.m_data)) {}
ColumnChange& ColumnChange::operator=(const ColumnChange& other) {
    if (this != &other) *m_data = *other.m_data;
    return *this;
}
ColumnChange::~ColumnChange() { delete m_data; }

ColumnChange& ColumnChange::type(TypeSpec type) {
    m_data->fields |= field_type;
    m_data->patch.type = Type::from(type);
    return *this;
}
ColumnChange& ColumnChange::nullable() {
    m_data->fields |= field_nullable;
    m_data->patch.nullable = true;
    return *this;
}
ColumnChange& ColumnChange::not_null() {
    m_data->fields |= field_nullable;
    m_data->patch.nullable = false;
    return *this;
}
ColumnChange& ColumnChange::server_default(const char* sql_expression) {
    m_data->fields |= field_default;
    if (sql_expression)
        m_data->patch.server_default = sql_expression;
    else
        m_data->patch.server_default.reset();
    return *this;
}
ColumnChange& ColumnChange::drop_server_default() { return server_default(nullptr); }
ColumnChange& ColumnChange::rename(const char* new_name) {
    m_data->fields |= field_name;
    m_data->patch.name = str(new_name);
    return *this;
}
ColumnChange& ColumnChange::comment(const char* text) {
    m_data->fields |= field_comment;
    if (text)
        m_data->patch.comment = text;
    else
        m_data->patch.comment.reset();
    return *this;
}
ColumnChange& ColumnChange::drop_comment() { return comment(nullptr); }
ColumnChange& ColumnChange::identity(bool always) {
    m_data->fields |= field_identity;
    m_data->patch.identity = always ? Identity::always : Identity::by_default;
    return *this;
}
ColumnChange& ColumnChange::drop_identity() {
    m_data->fields |= field_identity;
    m_data->patch.identity = Identity::none;
    return *this;
}

// ---- SqlStep / DataStep ----------------------------------------------------

SqlStep::SqlStep(const char* up_sql) : m_data(new SqlData) { m_data->step.up = str(up_sql); }
SqlStep::SqlStep(const SqlStep& other) : m_data(new SqlData(*other.m_data)) {}
SqlStep& SqlStep::operator=(const SqlStep& other) {
    if (this != &other) *m_data = *other.m_data;
    return *this;
}
SqlStep::~SqlStep() { delete m_data; }
SqlStep& SqlStep::down(const char* down_sql) {
    m_data->step.down = str(down_sql);
    return *this;
}
SqlStep& SqlStep::irreversible() {
    m_data->step.down.reset();
    m_data->declared_irreversible = true;
    return *this;
}
SqlStep& SqlStep::schema_effect(OpsFn equivalent_ops) {
    m_data->step.effect = SqlEffect::schema;
    m_data->effect = equivalent_ops;
    return *this;
}
SqlStep& SqlStep::opaque() {
    m_data->step.effect = SqlEffect::opaque;
    m_data->effect = nullptr;
    return *this;
}
SqlStep& SqlStep::only(const char* dialect) {
    m_data->step.only_dialect = str(dialect);
    return *this;
}
SqlStep& SqlStep::outside_transaction() {
    m_data->step.outside_transaction = true;
    return *this;
}

DataStep::DataStep(DataFn up) : m_data(new DataData) { m_data->step.up = up; }
DataStep::DataStep(const DataStep& other) : m_data(new DataData(*other.m_data)) {}
DataStep& DataStep::operator=(const DataStep& other) {
    if (this != &other) *m_data = *other.m_data;
    return *this;
}
DataStep::~DataStep() { delete m_data; }
DataStep& DataStep::down(DataFn down_fn) {
    m_data->step.down = down_fn;
    return *this;
}
DataStep& DataStep::lossy() {
    m_data->step.lossy = true;
    return *this;
}
DataStep& DataStep::only(const char* dialect) {
    m_data->step.only_dialect = str(dialect);
    return *this;
}

// ---- tables from elements --------------------------------------------------

namespace detail {

Constraint named_constraint(std::string_view table, Constraint c) {
    std::visit(
        [&](auto& v) {
            using T = std::decay_t<decltype(v)>;
            if (!v.name.empty()) return;
            if constexpr (std::is_same_v<T, PrimaryKey>) {
                v.name = default_pk_name(table);
            } else if constexpr (std::is_same_v<T, ForeignKey>) {
                v.name = default_fk_name(table, v.columns, v.ref_table);
            } else if constexpr (std::is_same_v<T, UniqueConstraint>) {
                v.name = default_unique_name(table, v.columns);
            } else {
                fail("table \"" + std::string(table) + "\": a check constraint needs a name");
            }
        },
        c);
    return c;
}

Table build_table(std::string_view name, Elements elements) {
    Table t;
    t.name = std::string(name);
    if (t.name.empty()) fail("a table needs a name");
    t.columns.reserve(elements.size());  // at most one per element: no regrowth
    std::vector<std::string> inline_pk;
    std::vector<Constraint> constraints;
    for (const Element& e : elements) {
        switch (e.kind()) {
        case Element::Kind::column: {
            const ColumnData& d = static_cast<const ColumnDef*>(e.ptr())->data();
            if (t.find_column(d.column.name))
                fail("table \"" + t.name + "\": column \"" + d.column.name + "\" is declared twice");
            if (d.column.name.empty()) fail("table \"" + t.name + "\": a column needs a name");
            t.columns.push_back(d.column);
            if (d.primary_key) inline_pk.push_back(d.column.name);
            if (d.unique) constraints.emplace_back(UniqueConstraint{d.unique_name, {d.column.name}});
            if (d.foreign_key) constraints.emplace_back(*d.foreign_key);
            if (d.index) {
                Index idx;
                idx.name = d.index_name;
                idx.parts = {retort::IndexPart{d.column.name, false}};
                t.indexes.push_back(std::move(idx));
            }
            break;
        }
        case Element::Kind::constraint:
            constraints.push_back(static_cast<const ConstraintDef*>(e.ptr())->data().constraint);
            break;
        case Element::Kind::index: {
            const IndexData& d = static_cast<const IndexDef*>(e.ptr())->data();
            if (d.concurrently)
                fail("table \"" + t.name + "\": concurrently() applies to create_index on an existing table; "
                     "the indexes of a new table are built with it");
            t.indexes.push_back(d.index);
            break;
        }
        case Element::Kind::comment: {
            const char* text = static_cast<const TableComment*>(e.ptr())->text;
            if (text) t.comment = text; else t.comment.reset();
            break;
        }
        }
    }
    if (!inline_pk.empty()) {
        for (const auto& c : constraints)
            if (std::holds_alternative<PrimaryKey>(c))
                fail("table \"" + t.name + "\": primary key declared both on columns and as a constraint");
        constraints.insert(constraints.begin(), PrimaryKey{"", inline_pk});
    }
    std::set<std::string, std::less<>> used;
    auto check_columns = [&](const std::vector<std::string>& cols, std::string_view what) {
        if (cols.empty()) fail("table \"" + t.name + "\": " + std::string(what) + " has no columns");
        for (const auto& c : cols)
            if (!t.find_column(c))
                fail("table \"" + t.name + "\": " + std::string(what) + " names column \"" + c +
                     "\", which the table does not have");
    };
    for (auto c : constraints) {
        c = named_constraint(t.name, std::move(c));
        const std::string& cname = constraint_name(c);
        if (!used.insert(cname).second)
            fail("table \"" + t.name + "\": the name \"" + cname + "\" is used twice");
        if (auto* pk = std::get_if<PrimaryKey>(&c)) check_columns(pk->columns, "primary key \"" + cname + "\"");
        if (auto* fk = std::get_if<ForeignKey>(&c)) {
            check_columns(fk->columns, "foreign key \"" + cname + "\"");
            if (fk->ref_columns.size() != fk->columns.size())
                fail("table \"" + t.name + "\": foreign key \"" + cname + "\" has " +
                     std::to_string(fk->columns.size()) + " columns but references " +
                     std::to_string(fk->ref_columns.size()));
        }
        if (auto* u = std::get_if<UniqueConstraint>(&c)) check_columns(u->columns, "unique constraint \"" + cname + "\"");
        t.add_constraint(c);
    }
    for (auto& idx : t.indexes) {
        if (idx.parts.empty()) fail("table \"" + t.name + "\": an index has no columns");
        if (idx.name.empty()) idx.name = default_index_name(t.name, idx.parts);
        if (!used.insert(idx.name).second)
            fail("table \"" + t.name + "\": the name \"" + idx.name + "\" is used twice");
        for (const auto& p : idx.parts)
            if (!p.expression && !t.find_column(p.text))
                fail("table \"" + t.name + "\": index \"" + idx.name + "\" names column \"" + p.text +
                     "\", which the table does not have");
    }
    return t;
}

}  // namespace detail

// ---- Ops -------------------------------------------------------------------

void Ops::create_table(const char* name, Elements elements) {
    m_sink->ops.emplace_back(CreateTable{detail::build_table(str(name), elements)});
}
void Ops::drop_table(const char* name) { m_sink->ops.emplace_back(DropTable{str(name), std::nullopt}); }
void Ops::rename_table(const char* from, const char* to) { m_sink->ops.emplace_back(RenameTable{str(from), str(to)}); }
void Ops::set_table_comment(const char* table, const char* comment) {
    SetTableComment op;
    op.table = str(table);
    if (comment) op.comment = comment;
    m_sink->ops.emplace_back(std::move(op));
}

void Ops::add_column(const char* table, const ColumnDef& column) {
    const ColumnData& d = column.data();
    const std::string t = str(table);
    if (d.primary_key)
        fail("add_column " + t + "." + d.column.name +
             ": a column added to an existing table cannot join the primary key; "
             "use add_constraint(table, primary_key(...)) after dropping the old key");
    AddColumn op{t, d.column, std::nullopt};
    if (d.foreign_key) {
        ForeignKey fk = *d.foreign_key;
        if (fk.name.empty()) fk.name = default_fk_name(t, fk.columns, fk.ref_table);
        op.foreign_key = std::move(fk);
    }
    m_sink->ops.emplace_back(std::move(op));
    if (d.unique)
        m_sink->ops.emplace_back(AddConstraint{
            t, UniqueConstraint{d.unique_name.empty() ? default_unique_name(t, {d.column.name}) : d.unique_name,
                                {d.column.name}}});
    if (d.index) {
        Index idx;
        idx.parts = {retort::IndexPart{d.column.name, false}};
        idx.name = d.index_name.empty() ? default_index_name(t, idx.parts) : d.index_name;
        m_sink->ops.emplace_back(CreateIndex{t, std::move(idx)});
    }
}
void Ops::drop_column(const char* table, const char* column) {
    DropColumn op;
    op.table = str(table);
    op.name = str(column);
    m_sink->ops.emplace_back(std::move(op));
}
void Ops::alter_column(const char* table, const char* column, const ColumnChange& change) {
    AlterColumn op;
    op.table = str(table);
    op.column = str(column);
    op.fields = change.data().fields;
    op.patch = change.data().patch;
    if (op.fields == 0) fail("alter_column " + op.table + "." + op.column + ": change() names nothing to change");
    m_sink->ops.emplace_back(std::move(op));
}
void Ops::rename_column(const char* table, const char* from, const char* to) {
    alter_column(table, from, ColumnChange().rename(to));
}

void Ops::create_index(const char* table, const IndexDef& index) {
    Index idx = index.data().index;
    const std::string t = str(table);
    if (idx.name.empty()) idx.name = default_index_name(t, idx.parts);
    m_sink->ops.emplace_back(CreateIndex{t, std::move(idx), index.data().concurrently});
}
void Ops::drop_index(const char* table, const char* name, IndexMode mode) {
    m_sink->ops.emplace_back(DropIndex{str(table), str(name), std::nullopt, mode == IndexMode::concurrently});
}

void Ops::create_enum(const char* name, Names values) {
    m_sink->ops.emplace_back(CreateEnum{EnumType{str(name), names(values)}});
}
void Ops::drop_enum(const char* name) { m_sink->ops.emplace_back(DropEnum{str(name), std::nullopt}); }
void Ops::add_enum_value(const char* name, const char* value, const char* before) {
    AlterEnum op;
    op.name = str(name);
    op.add_value = str(value);
    op.add_before = str(before);
    if (op.add_value.empty()) fail("add_enum_value " + op.name + ": the value is empty");
    m_sink->ops.emplace_back(std::move(op));
}
void Ops::alter_enum(const char* name, Names values) {
    AlterEnum op;
    op.name = str(name);
    op.values = names(values);
    m_sink->ops.emplace_back(std::move(op));
}

void Ops::add_constraint(const char* table, const ConstraintDef& constraint) {
    const std::string t = str(table);
    m_sink->ops.emplace_back(AddConstraint{t, detail::named_constraint(t, constraint.data().constraint)});
}
void Ops::drop_constraint(const char* table, const char* name) {
    m_sink->ops.emplace_back(DropConstraint{str(table), str(name), std::nullopt});
}

void Ops::execute(const SqlStep& step) {
    ExecuteSql op = step.data().step;
    if (op.up.empty()) fail("execute: the SQL is empty");
    if (op.effect == SqlEffect::schema && step.data().effect) op.equivalent = record_ops(step.data().effect);
    m_sink->ops.emplace_back(std::move(op));
}
void Ops::execute(const char* up_sql, const char* down_sql) {
    SqlStep step(up_sql);
    if (down_sql) step.down(down_sql);
    execute(step);
}
void Ops::run(const DataStep& step) {
    if (!step.data().step.up) fail("run: the data step has no function");
    m_sink->ops.emplace_back(step.data().step);
}

std::vector<Op> record_ops(OpsFn body) {
    detail::OpSink sink;
    if (body) {
        Ops ops(sink);
        body(ops);
    }
    return std::move(sink.ops);
}

// ---- MetaData --------------------------------------------------------------

MetaData::MetaData() : m_impl(new detail::MetaDataImpl) {}
MetaData::~MetaData() { delete m_impl; }

void MetaData::table(const char* name, Elements elements) {
    Table t = detail::build_table(str(name), elements);
    if (m_impl->schema.find_table(t.name)) fail("models: table \"" + t.name + "\" is declared twice");
    // Index names are schema-wide: looked up in the names declared so far (a
    // scan of every table per index would make thousands of tables quadratic).
    for (const auto& idx : t.indexes)
        if (m_impl->index_names.count(idx.name))
            if (const Table* other = m_impl->schema.table_of_index(idx.name))
                fail("models: index \"" + idx.name + "\" of table \"" + t.name + "\" is also declared on table \"" +
                     other->name + "\"");
    for (const auto& idx : t.indexes) m_impl->index_names.insert(idx.name);
    std::string key = t.name;
    m_impl->schema.tables.emplace(std::move(key), std::move(t));
}

void MetaData::enum_type(const char* name, Names values) {
    Op op{CreateEnum{EnumType{str(name), names(values)}}};
    try {
        apply(op, m_impl->schema);
    } catch (const Error& e) {
        fail("models: " + std::string(e.what()));
    }
}

}  // namespace retort
