// The revision graph: a DAG of revisions with validation, heads, bases, branch
// and merge points, specifier resolution and upgrade/downgrade paths. Pure data:
// it touches no file and no database.
#pragma once

#include <retort/revision/revision.hpp>

#include <cstddef>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace retort {

namespace detail {
/// Lists of revision indices by revision index, in two flat arrays (not a vector per
/// revision: thousands of small blocks were a read-only command's biggest cost).
/// Rows are appended in order: push() items, then end_row().
class Adjacency {
public:
    Adjacency() = default;
    /// Row i is items[start[i], start[i + 1]); start[0] is 0.
    Adjacency(std::vector<std::size_t> start, std::vector<std::size_t> items)
        : m_start(std::move(start)), m_items(std::move(items)) {}

    std::size_t size() const { return m_start.size() - 1; }
    std::span<const std::size_t> operator[](std::size_t row) const {
        return {m_items.data() + m_start[row], m_items.data() + m_start[row + 1]};
    }
    /// The row being appended.
    std::span<const std::size_t> open_row() const {
        return {m_items.data() + m_start.back(), m_items.data() + m_items.size()};
    }
    void reserve(std::size_t rows, std::size_t items) {
        m_start.reserve(rows + 1);
        m_items.reserve(items);
    }
    void push(std::size_t item) { m_items.push_back(item); }
    void end_row() { m_start.push_back(m_items.size()); }

private:
    std::vector<std::size_t> m_start{0};  // row i is m_items[m_start[i], m_start[i + 1])
    std::vector<std::size_t> m_items;
};
}  // namespace detail

class RevisionGraph {
public:
    RevisionGraph() = default;
    // The index views the revisions' ids: a copy builds its own.
    RevisionGraph(const RevisionGraph& other);
    RevisionGraph& operator=(const RevisionGraph& other);
    RevisionGraph(RevisionGraph&&) noexcept = default;
    RevisionGraph& operator=(RevisionGraph&&) noexcept = default;

    /// Validates and indexes the revisions (in registration order). Throws
    /// retort::Error (kind graph) on an empty or unusable id (one with '@' or
    /// whitespace, starting with '+' or '-', or "head", "heads", "base"), a duplicate
    /// id, a parent named twice, a missing parent or dependency, a cycle, a branch
    /// label used twice or equal to an id; the message names the revisions and their
    /// source files. A depends_on entry may name a revision or a branch label.
    ///
    ///     auto graph = RevisionGraph::build(registered_revisions("default"));
    static RevisionGraph build(std::vector<Revision> revisions);

    std::size_t size() const { return m_revisions.size(); }
    bool empty() const { return m_revisions.empty(); }
    /// All revisions, parents before children; ties keep the input order.
    const std::vector<Revision>& revisions() const { return m_revisions; }
    const Revision* find(std::string_view id) const;
    /// Throws retort::Error (kind integrity) when unknown.
    const Revision& at(std::string_view id) const;

    /// Revisions with no child (by down_revision), in topological order.
    std::vector<std::string> heads() const;
    /// Revisions with no parent.
    std::vector<std::string> bases() const;
    /// Revisions with more than one child.
    std::vector<std::string> branch_points() const;
    /// Revisions with more than one parent.
    std::vector<std::string> merge_points() const;
    std::vector<std::string> children(std::string_view id) const;

    /// Whether `ancestor` is reachable from `id` through parents and dependencies
    /// (a revision is not its own ancestor).
    bool is_ancestor(std::string_view ancestor, std::string_view id) const;
    /// `ids` and all their ancestors (parents and dependencies), topologically ordered.
    std::vector<std::string> closure(const std::vector<std::string>& ids) const;

    /// Resolves one revision: a full id, a unique prefix, or a branch label.
    /// Throws retort::Error (usage) naming the candidates when a prefix is
    /// ambiguous, and (usage) when nothing matches.
    std::string resolve_revision(std::string_view spec) const;

    /// The revisions an upgrade should reach. Specifiers: "head" (the single head),
    /// "heads", "base" (none), a revision (id, prefix, label; it may be applied
    /// already), "<rev>@head" / "label@head" (the single head growing from it), "+N"
    /// (from the single current head, or from the single base), "<rev>@+N" (N
    /// children after that revision) and "label@+N" (N steps along that branch from
    /// where the database is on it, as Alembic does). Steps follow down_revision.
    /// Throws retort::Error (usage) when a specifier is ambiguous (several heads,
    /// bases or children on the way; the message names them) or walks past a head;
    /// (integrity) when a current head is unknown.
    ///
    ///     auto path = graph.upgrade_path(heads, graph.resolve_upgrade_target("+2", heads));
    std::vector<std::string> resolve_upgrade_target(std::string_view spec,
                                                    const std::vector<std::string>& current_heads) const;

    /// All the heads that remain after a downgrade, other branches included: feed
    /// them to downgrade_path. Specifiers: "base" (none); a revision (id, prefix,
    /// label: everything applied above it goes); "-N" (undo the single current head
    /// N times; undoing a merge leaves its parents); "<rev>@-N" (undo that applied
    /// revision and N-1 below it); "label@-N" (the same from the branch's current
    /// head, as Alembic does); "<rev>@base" / "label@base" (undo that revision and
    /// everything above it). Whatever depends on an undone revision is undone too.
    /// Throws retort::Error (usage) when the target is not applied, a walk becomes
    /// ambiguous or goes below base.
    ///
    ///     auto path = graph.downgrade_path(heads, graph.resolve_downgrade_target("-1", heads));
    std::vector<std::string> resolve_downgrade_target(std::string_view spec,
                                                      const std::vector<std::string>& current_heads) const;

    /// Revisions to apply, in order, to go from `current_heads` to `targets`.
    std::vector<std::string> upgrade_path(const std::vector<std::string>& current_heads,
                                          const std::vector<std::string>& targets) const;
    /// Revisions to undo, in order (children first), so that exactly `targets` and
    /// their ancestors stay applied: every applied revision outside closure(targets)
    /// is undone (so pass every head that stays, as resolve_downgrade_target returns
    /// them). An empty `targets` means base: everything applied is undone. Throws
    /// retort::Error (usage) when a target is not applied.
    std::vector<std::string> downgrade_path(const std::vector<std::string>& current_heads,
                                            const std::vector<std::string>& targets) const;

    /// The version table's heads after applying / undoing `id`. Applying removes its
    /// parents and dependencies from `heads` and adds it; undoing (it must be a head,
    /// else retort::Error integrity) removes it and adds back each parent or
    /// dependency that no remaining head already implies. Topologically ordered.
    std::vector<std::string> heads_after_upgrade(const std::vector<std::string>& heads,
                                                 std::string_view id) const;
    std::vector<std::string> heads_after_downgrade(const std::vector<std::string>& heads,
                                                   std::string_view id) const;

private:
    void index_ids();

    std::vector<Revision> m_revisions;  // topological order
    std::unordered_map<std::string_view, std::size_t> m_index;  // views of m_revisions' ids
    detail::Adjacency m_children;  // by down_revision
    detail::Adjacency m_parents;   // down_revisions + depends_on
};

}  // namespace retort
