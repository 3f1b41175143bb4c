// What the opaque builders of retort/builders.hpp and retort/migration.hpp hold,
// and the helpers that turn them into schema values and ops. Library-internal.
#pragma once

#include <retort/builders.hpp>
#include <retort/migration.hpp>
#include <retort/models.hpp>
#include <retort/ops/ops.hpp>
#include <retort/schema/schema.hpp>

#include <optional>
#include <string>
#include <vector>

namespace retort::detail {

struct ColumnData {
    Column column;
    bool primary_key = false;
    bool unique = false;
    std::string unique_name;
    bool index = false;
    std::string index_name;
    std::optional<ForeignKey> foreign_key;  // name may be empty: named by convention
};

struct ConstraintData {
    Constraint constraint;  // name may be empty: named by convention
};

struct IndexData {
    Index index;  // name may be empty: named by convention
    bool concurrently = false;
};

struct ChangeData {
    unsigned fields = 0;  // ColumnField mask
    Column patch;
};

struct SqlData {
    ExecuteSql step;
    bool declared_irreversible = false;
    OpsFn effect = nullptr;
};

struct DataData {
    RunData step;
};

class OpSink {
public:
    std::vector<Op> ops;
};

struct MetaDataImpl {
    Schema schema;
    std::unordered_set<std::string> index_names;  // of every table declared
};

/// A table from the elements of create_table / MetaData::table, unnamed
/// constraints and indexes named by the default convention. Throws retort::Error
/// (kind migration) on a duplicate column or name, or a key naming an unknown column.
Table build_table(std::string_view name, Elements elements);

/// The constraint with its default name filled in when it had none.
Constraint named_constraint(std::string_view table, Constraint c);

}  // namespace retort::detail

namespace retort {
/// Records the ops an upgrade or downgrade body declares (nothing runs).
std::vector<Op> record_ops(OpsFn body);
}  // namespace retort
