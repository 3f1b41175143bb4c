#include <retort/runtime/replay.hpp>

#include <retort/error.hpp>
#include <retort/ops/builder_data.hpp>

#include <algorithm>

namespace retort {

void rethrow_in_revision(const Revision& r, const std::exception& e) {
    if (const auto* err = dynamic_cast<const Error*>(&e)) {
        Error copy = *err;
        if (copy.revision().empty()) copy.with_revision(r.id);
        if (copy.file().empty()) copy.with_file(r.source_file);
        throw copy;
    }
    throw Error(ErrorKind::migration, std::string("revision ") + r.id + " (" + r.source_file + "): " + e.what())
        .with_revision(r.id)
        .with_file(r.source_file);
}

const std::vector<Op>& Replayer::upgrade_ops(const Revision& r) {
    auto it = m_upgrade.find(r.id);
    if (it != m_upgrade.end()) return it->second;
    try {
        return m_upgrade.emplace(r.id, record_ops(r.upgrade)).first->second;
    } catch (const std::exception& e) {
        rethrow_in_revision(r, e);
    }
}

std::optional<std::vector<Op>> Replayer::declared_downgrade_ops(const Revision& r) {
    if (!r.downgrade) return std::nullopt;
    try {
        return record_ops(r.downgrade);
    } catch (const std::exception& e) {
        rethrow_in_revision(r, e);
    }
}

std::vector<Op> Replayer::apply_upgrade(const Revision& r, Schema& schema) {
    SchemaApplier applier(schema);
    std::vector<Op> ops;
    apply_upgrade(r, applier, &ops);
    return ops;
}

void Replayer::apply_upgrade(const Revision& r, SchemaApplier& applier, std::vector<Op>* resolved) {
    // upgrade_ops() hands out the recorded ops, which stay recorded: each is copied.
    for (const auto& declared : upgrade_ops(r)) {
        Op op = declared;
        apply_declared(r, applier, op, resolved);
    }
}

void Replayer::apply_declared(const Revision& r, SchemaApplier& applier, Op& declared, std::vector<Op>* resolved) {
    if (!replayable(declared)) {
        m_warnings.push_back("revision " + r.id + " (" + r.source_file + ") runs opaque SQL (" + describe(declared) +
                             "): the replayed schema may differ from a database after it");
        if (resolved) resolved->push_back(std::move(declared));
        return;
    }
    try {
        if (resolved) {
            applier.apply(declared);
            resolved->push_back(std::move(declared));
        } else {
            applier.apply(std::move(declared));  // one copy of each table, moved into the schema
        }
    } catch (const std::exception& e) {
        rethrow_in_revision(r, e);
    }
}

Schema Replayer::take_schema_at(const std::vector<std::string>& heads) {
    Schema schema;
    SchemaApplier applier(schema);
    for (const auto& id : m_graph.closure(heads)) {
        const Revision& r = m_graph.at(id);
        std::vector<Op> ops;
        if (auto recorded = m_upgrade.extract(r.id)) {
            ops = std::move(recorded.mapped());
        } else {
            try {
                ops = record_ops(r.upgrade);
            } catch (const std::exception& e) {
                rethrow_in_revision(r, e);
            }
        }
        for (Op& op : ops) apply_declared(r, applier, op, nullptr);
    }
    return schema;
}

Schema Replayer::schema_at(const std::vector<std::string>& heads,
                           std::unordered_map<std::string, std::vector<Op>>* resolved,
                           const std::vector<std::string>& keep) {
    Schema schema;
    SchemaApplier applier(schema);
    for (const auto& id : m_graph.closure(heads)) {
        const Revision& r = m_graph.at(id);
        if (resolved && std::find(keep.begin(), keep.end(), id) != keep.end()) {
            std::vector<Op> ops;
            apply_upgrade(r, applier, &ops);
            (*resolved)[id] = std::move(ops);
        } else {
            apply_upgrade(r, applier, nullptr);
        }
    }
    return schema;
}

std::vector<Op> Replayer::downgrade_ops(const Revision& r, const std::vector<Op>* resolved_upgrade) {
    if (r.irreversible)
        throw Error(ErrorKind::integrity,
                    "revision " + r.id + " (" + r.message + ") is irreversible: it cannot be downgraded",
                    "downgrade to a revision after it, or ship a forward fix as a new migration")
            .with_revision(r.id)
            .with_file(r.source_file);
    if (auto declared = declared_downgrade_ops(r)) return std::move(*declared);
    if (!resolved_upgrade)
        throw Error(ErrorKind::migration, "revision " + r.id + ": its derived downgrade needs the replayed upgrade")
            .with_revision(r.id);
    std::vector<Op> out;
    for (auto it = resolved_upgrade->rbegin(); it != resolved_upgrade->rend(); ++it) {
        if (!reversible(*it))
            throw Error(ErrorKind::integrity,
                        "revision " + r.id + " cannot be downgraded: \"" + describe(*it) + "\" has no reverse",
                        "give the migration a .downgrade body, or a .down(...) for the step")
                .with_revision(r.id)
                .with_file(r.source_file)
                .with_op(describe(*it));
        try {
            for (auto& op : reverse(*it)) out.push_back(std::move(op));
        } catch (const std::exception& e) {
            rethrow_in_revision(r, e);
        }
    }
    return out;
}

}  // namespace retort
