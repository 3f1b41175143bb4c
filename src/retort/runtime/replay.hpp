// Replay: the schema at any revision, computed from the migrations' ops alone
// (no database). Also the source of each revision's resolved and derived ops.
#pragma once

#include <retort/ops/ops.hpp>
#include <retort/revision/graph.hpp>

#include <string>
#include <unordered_map>
#include <vector>

namespace retort {

class Replayer {
public:
    explicit Replayer(const RevisionGraph& graph) : m_graph(graph) {}

    /// The ops r's upgrade body declares, recorded once (unresolved).
    const std::vector<Op>& upgrade_ops(const Revision& r);
    /// The ops r's downgrade body declares (unresolved); nullopt when r has no
    /// downgrade body and its downgrade is derived.
    std::optional<std::vector<Op>> declared_downgrade_ops(const Revision& r);

    /// Applies r's upgrade ops to `schema`; returns them resolved. Opaque ops are
    /// skipped with a warning. Throws retort::Error naming the revision, its file
    /// and the op when an op does not apply (a table or column that does not exist).
    std::vector<Op> apply_upgrade(const Revision& r, Schema& schema);

    /// The schema with `heads` and all their ancestors applied. When `resolved` is
    /// given, the resolved upgrade ops of the revisions in `keep` are stored in it.
    Schema schema_at(const std::vector<std::string>& heads,
                     std::unordered_map<std::string, std::vector<Op>>* resolved = nullptr,
                     const std::vector<std::string>& keep = {});
    /// The same schema, built from the ops recorded so far (by upgrade_ops, e.g. for
    /// verify's checksums) by moving them into it instead of copying: each table
    /// exists once, not twice. Those ops are recorded again if asked for later.
    Schema take_schema_at(const std::vector<std::string>& heads);

    /// r's downgrade ops: its downgrade body, or else the reverse of its resolved
    /// upgrade ops, last op first. Throws retort::Error (kind integrity) when r is
    /// irreversible or an op cannot be reversed.
    std::vector<Op> downgrade_ops(const Revision& r, const std::vector<Op>* resolved_upgrade);

    /// Warnings gathered so far (opaque SQL that replay could not follow).
    const std::vector<std::string>& warnings() const { return m_warnings; }

private:
    /// Applies r's upgrade ops; their resolved copies go to `resolved` when given.
    void apply_upgrade(const Revision& r, SchemaApplier& applier, std::vector<Op>* resolved);
    /// Applies one op (taken: moved into the schema, or into `resolved` when given).
    void apply_declared(const Revision& r, SchemaApplier& applier, Op& declared, std::vector<Op>* resolved);

    const RevisionGraph& m_graph;
    std::unordered_map<std::string, std::vector<Op>> m_upgrade;
    std::vector<std::string> m_warnings;
};

/// Adds the revision and its file to an error raised while handling it.
[[noreturn]] void rethrow_in_revision(const Revision& r, const std::exception& e);

}  // namespace retort
