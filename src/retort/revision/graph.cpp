// The revision graph: validation, topological order, specifier resolution and paths.
// Revisions are stored parents first, so every query is a pass over index vectors:
// ascending visits parents before children, descending visits children first.
#include <retort/revision/graph.hpp>

#include <retort/error.hpp>

#include <algorithm>
#include <charconv>
#include <functional>
#include <optional>
#include <queue>
#include <span>

namespace retort {

namespace {

using Index = std::size_t;
using Marks = std::vector<char>;  // one flag per revision, by topological index
using detail::Adjacency;

// ---- text ------------------------------------------------------------------

std::string counted(std::size_t n, std::string_view noun) {
    return std::to_string(n) + " " + std::string(noun) + (n == 1 ? "" : "s");
}

std::string file_of(const Revision& r) { return r.source_file.empty() ? "<unknown file>" : r.source_file; }

/// "a1b2 (a1b2_add_users.cpp)": for graph errors, which point at files.
std::string located(const Revision& r) { return r.id + " (" + file_of(r) + ")"; }

/// "a1b2 (add users)": for usage errors, which point at history.
std::string described(const Revision& r) { return r.message.empty() ? r.id : r.id + " (" + r.message + ")"; }

std::string quoted(std::string_view s) { return "'" + std::string(s) + "'"; }

bool is_digits(std::string_view s) {
    return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

/// "+3" / "-3": the sign and the count; nullopt when `spec` is not a relative step.
struct Step {
    char sign;
    std::size_t count;
};
std::optional<Step> parse_step(std::string_view spec) {
    if (spec.size() < 2 || (spec[0] != '+' && spec[0] != '-') || !is_digits(spec.substr(1))) return std::nullopt;
    std::size_t n = 0;
    auto [end, ec] = std::from_chars(spec.data() + 1, spec.data() + spec.size(), n);
    if (ec != std::errc() || end != spec.data() + spec.size())
        throw Error(ErrorKind::usage, "step count in " + quoted(spec) + " is too large");
    if (n == 0)
        throw Error(ErrorKind::usage, "step count in " + quoted(spec) + " must be at least 1",
                    "to stay where you are, there is nothing to run");
    return Step{spec[0], n};
}

/// Why `name` cannot be a revision id or branch label, or empty when it can. Specifiers
/// give meaning to '@', to a leading sign and to these words.
std::string unusable_name(std::string_view name) {
    if (name.find('@') != std::string_view::npos) return "contains '@', which separates a branch from a step";
    if (name == "head" || name == "heads" || name == "base") return "is a reserved word";
    if (name.front() == '+' || name.front() == '-')
        return "starts with '" + std::string(1, name.front()) + "', which marks a relative step";
    for (char c : name)
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r') return "contains whitespace";
    return {};
}

// ---- the graph as index vectors -----------------------------------------------

/// Read-only access to RevisionGraph's members for the helpers below (which cannot
/// be members without widening the header).
struct View {
    const std::vector<Revision>& revs;
    const std::unordered_map<std::string_view, Index>& index;
    const Adjacency& children;  // by down_revision, ascending
    const Adjacency& parents;   // down_revisions first (in order), then dependencies

    std::size_t size() const { return revs.size(); }

    /// The down_revisions of `i` as indices: they lead m_parents[i].
    std::span<const Index> down_parents(Index i) const {
        return parents[i].first(revs[i].down_revisions.size());
    }

    std::optional<Index> find(std::string_view id) const {
        auto it = index.find(id);
        if (it == index.end()) return std::nullopt;
        return it->second;
    }

    Index at(std::string_view id) const {
        if (auto i = find(id)) return *i;
        throw Error(ErrorKind::integrity, "revision " + std::string(id) + " is not in this set of migrations",
                    "was its migration deleted, renamed or left out of the build? `retort history` lists the "
                    "known revisions")
            .with_revision(std::string(id));
    }

    std::vector<Index> at_all(const std::vector<std::string>& ids) const {
        std::vector<Index> out;
        out.reserve(ids.size());
        for (const auto& id : ids) out.push_back(at(id));
        std::sort(out.begin(), out.end());
        out.erase(std::unique(out.begin(), out.end()), out.end());
        return out;
    }

    std::optional<Index> find_label(std::string_view label) const {
        for (Index i = 0; i < revs.size(); ++i)
            for (const auto& l : revs[i].branch_labels)
                if (l == label) return i;
        return std::nullopt;
    }

    std::vector<std::string> ids(std::span<const Index> indices) const {
        std::vector<std::string> out;
        out.reserve(indices.size());
        for (Index i : indices) out.push_back(revs[i].id);
        return out;
    }

    std::vector<std::string> ids(const Marks& marks) const {
        std::vector<std::string> out;
        for (Index i = 0; i < marks.size(); ++i)
            if (marks[i]) out.push_back(revs[i].id);
        return out;
    }

    std::string listed(const std::vector<Index>& indices) const {
        std::string out;
        for (Index i : indices) out += (out.empty() ? "" : ", ") + described(revs[i]);
        return out;
    }

    std::string id_list(const std::vector<Index>& indices) const {
        std::string out;
        for (Index i : indices) out += (out.empty() ? "" : " ") + revs[i].id;
        return out;
    }

    // ---- sets of revisions, each one pass ----

    /// `seeds` and all their ancestors (parents and dependencies).
    Marks closure(const std::vector<Index>& seeds) const {
        Marks m(size(), 0);
        Index top = 0;
        for (Index s : seeds) {
            m[s] = 1;
            top = std::max(top, s + 1);
        }
        for (Index i = top; i-- > 0;)
            if (m[i])
                for (Index p : parents[i]) m[p] = 1;
        return m;
    }

    /// `seeds` and all their descendants (through parents and dependencies).
    Marks up_closure(Marks m) const {
        for (Index i = 0; i < size(); ++i)
            if (!m[i])
                for (Index p : parents[i])
                    if (m[p]) {
                        m[i] = 1;
                        break;
                    }
        return m;
    }

    /// `x` and its descendants by down_revision only: the branch that grows from it.
    Marks down_descendants_or_self(Index x) const {
        Marks m(size(), 0);
        m[x] = 1;
        for (Index i = x + 1; i < size(); ++i)
            for (Index p : down_parents(i))
                if (m[p]) {
                    m[i] = 1;
                    break;
                }
        return m;
    }

    /// `x` and its ancestors by down_revision only.
    Marks down_ancestors_or_self(Index x) const {
        Marks m(size(), 0);
        m[x] = 1;
        for (Index i = x + 1; i-- > 0;)
            if (m[i])
                for (Index p : down_parents(i)) m[p] = 1;
        return m;
    }

    /// The members of `set` that no other member descends from: the heads a version
    /// table holds when exactly `set` is applied.
    std::vector<Index> maximal(const Marks& set) const {
        Marks below(size(), 0);
        for (Index i = 0; i < size(); ++i)
            if (set[i])
                for (Index p : parents[i]) below[p] = 1;
        std::vector<Index> out;
        for (Index i = 0; i < size(); ++i)
            if (set[i] && !below[i]) out.push_back(i);
        return out;
    }

    /// The heads a database is at, normalised: known (else integrity), sorted, and
    /// without a revision that another one already implies.
    std::vector<Index> current(const std::vector<std::string>& heads) const { return maximal(closure(at_all(heads))); }

    /// The candidates that are neither an ancestor of (or equal to) a `kept` revision
    /// nor an ancestor of another candidate, in topological order. The search stops
    /// below the lowest candidate: indices fall along every path to an ancestor.
    std::vector<Index> new_heads(std::span<const Index> candidates, const std::vector<Index>& kept) const {
        if (candidates.empty()) return {};
        const Index low = *std::min_element(candidates.begin(), candidates.end());
        Marks covered(size() - low, 0);  // by index - low: a downgrade looks at the top only
        std::vector<Index> stack;
        auto visit = [&](Index i) {
            if (i >= low && !covered[i - low]) {
                covered[i - low] = 1;
                stack.push_back(i);
            }
        };
        for (Index k : kept) visit(k);
        for (Index c : candidates)
            for (Index p : parents[c]) visit(p);
        while (!stack.empty()) {
            Index u = stack.back();
            stack.pop_back();
            for (Index p : parents[u]) visit(p);
        }
        std::vector<Index> out;
        for (Index c : candidates)
            if (!covered[c - low]) out.push_back(c);
        std::sort(out.begin(), out.end());
        out.erase(std::unique(out.begin(), out.end()), out.end());
        return out;
    }

    /// Resolves an id, a branch label or a unique id prefix.
    Index resolve(std::string_view spec) const {
        if (spec.empty())
            throw Error(ErrorKind::usage, "empty revision specifier",
                        "give a revision id, a unique prefix of one, or a branch label");
        if (auto i = find(spec)) return *i;
        if (auto i = find_label(spec)) return *i;
        std::vector<Index> matches;
        for (Index i = 0; i < size(); ++i)
            if (revs[i].id.starts_with(spec)) matches.push_back(i);
        if (matches.size() == 1) return matches.front();
        if (matches.empty())
            throw Error(ErrorKind::usage, "no revision matches " + quoted(spec),
                        "run `retort history` to list the revisions and their branch labels");
        throw Error(ErrorKind::usage,
                    "revision prefix " + quoted(spec) + " is ambiguous; it matches " +
                        counted(matches.size(), "revision") + ": " + listed(matches),
                    "give more characters of the revision id");
    }
};

// ---- walks -------------------------------------------------------------------

/// Walking up: `steps` times to the single child (by down_revision), from `start` or,
/// without one, from the single base; within `lineage` when given.
Index walk_up(const View& g, std::optional<Index> start, std::size_t steps, const Marks* lineage,
              std::string_view spec) {
    const std::string from = start ? g.revs[*start].id : std::string("base");
    const std::string hint = "name the branch: `<label>@+N` or `<rev>@+N`, or give the target revision";
    std::optional<Index> at = start;
    for (std::size_t done = 0; done < steps; ++done) {
        std::vector<Index> next;
        if (at) {
            for (Index c : g.children[*at])
                if (!lineage || (*lineage)[c]) next.push_back(c);
        } else {
            for (Index i = 0; i < g.size(); ++i)
                if (g.revs[i].down_revisions.empty() && (!lineage || (*lineage)[i])) next.push_back(i);
        }
        if (next.empty())
            throw Error(ErrorKind::usage,
                        "cannot upgrade " + quoted(spec) + ": only " + counted(done, "revision") +
                            (start ? " after " + from : std::string(" from base")),
                        "`retort heads` shows where each branch ends; `retort upgrade head` goes to the end");
        if (next.size() > 1) {
            const std::string where = !at            ? std::string("there are several bases: ")
                                      : *at == start ? from + " branches into "
                                                     : "after " + g.revs[*at].id + " the history branches into ";
            throw Error(ErrorKind::usage,
                        "cannot upgrade " + quoted(spec) + " from " + from + ": " + where + g.listed(next), hint);
        }
        at = next.front();
    }
    return *at;
}

/// Walking down: each step undoes the single head the walk is at; undoing a merge (or
/// a revision with dependencies) leaves its parents as heads. Returns the revisions
/// undone, in order; throws when the walk runs out of revisions or becomes ambiguous.
/// `what` names the walk in messages ("-2", "a1b2@-2").
std::vector<Index> walk_down(const View& g, Index start, std::size_t steps, std::string_view what, bool from_current) {
    std::vector<Index> undone;
    std::vector<Index> heads{start};
    while (undone.size() < steps) {
        if (heads.empty()) {
            const std::string base = "cannot downgrade " + counted(steps, "revision");
            throw Error(ErrorKind::usage,
                        from_current ? base + ": only " + std::to_string(undone.size()) + " applied"
                                     : base + " from " + g.revs[start].id + ": it is only " +
                                           counted(undone.size(), "revision") + " above base",
                        "`retort downgrade base` undoes everything; `retort history` shows the revisions");
        }
        if (heads.size() > 1)
            throw Error(ErrorKind::usage,
                        "downgrade " + quoted(what) + " is ambiguous: undoing " + g.revs[undone.back()].id +
                            " leaves several heads (" + g.listed(heads) + ") and " +
                            counted(steps - undone.size(), "step") +
                            (steps - undone.size() == 1 ? " remains" : " remain"),
                        "give the revision to downgrade to, e.g. `retort downgrade " + g.revs[heads.front()].id +
                            "`, or `<rev>@-N` from one of them");
        Index t = heads.front();
        undone.push_back(t);
        heads = g.new_heads(g.parents[t], {});
    }
    return undone;
}

/// Where the database is on `branch`: its one applied revision that no applied
/// revision of the branch follows; nullopt when none is applied, throws when several.
std::optional<Index> branch_position(const View& g, const Marks& applied, const Marks& branch, std::string_view label,
                                     std::string_view spec) {
    std::vector<Index> tips;
    for (Index i = 0; i < g.size(); ++i) {
        if (!applied[i] || !branch[i]) continue;
        bool tip =
            std::none_of(g.children[i].begin(), g.children[i].end(), [&](Index c) { return applied[c] && branch[c]; });
        if (tip) tips.push_back(i);
    }
    if (tips.size() > 1)
        throw Error(
            ErrorKind::usage,
            quoted(spec) + " is ambiguous: branch " + quoted(label) + " has several applied heads: " + g.listed(tips),
            "give a revision instead, e.g. `" + g.revs[tips.front()].id + std::string(spec.substr(spec.find('@'))) +
                "`");
    if (tips.empty()) return std::nullopt;
    return tips.front();
}

/// The heads that remain when everything applied that is in `removed` or descends
/// from it is undone.
std::vector<std::string> remaining_heads(const View& g, const Marks& applied, Marks removed) {
    removed = g.up_closure(std::move(removed));
    Marks left(g.size(), 0);
    for (Index i = 0; i < g.size(); ++i) left[i] = applied[i] && !removed[i];
    return g.ids(g.maximal(left));
}

Error not_applied(const View& g, Index i, std::string_view what) {
    const std::string& id = g.revs[i].id;
    return Error(ErrorKind::usage, "revision " + id + " is not applied; nothing to " + std::string(what),
                 "`retort current` shows the applied revisions; `retort upgrade " + id + "` applies it")
        .with_revision(id);
}

/// The reverse of `edges` over n rows (row i lists, ascending, every row with an
/// edge to i), keeping the edges `keep(row, position in the row)` accepts.
template <class Keep>
Adjacency reversed(const Adjacency& edges, std::size_t n, Keep keep) {
    std::vector<std::size_t> start(n + 1, 0);
    for (Index i = 0; i < n; ++i) {
        auto row = edges[i];
        for (std::size_t j = 0; j < row.size(); ++j)
            if (keep(i, j)) ++start[row[j] + 1];
    }
    for (Index i = 0; i < n; ++i) start[i + 1] += start[i];
    std::vector<Index> items(start[n]);
    std::vector<std::size_t> next(start.begin(), start.end() - 1);
    for (Index i = 0; i < n; ++i) {
        auto row = edges[i];
        for (std::size_t j = 0; j < row.size(); ++j)
            if (keep(i, j)) items[next[row[j]]++] = i;
    }
    return Adjacency(std::move(start), std::move(items));
}

}  // namespace

// ---- build --------------------------------------------------------------------

RevisionGraph RevisionGraph::build(std::vector<Revision> revisions) {
    const std::size_t n = revisions.size();
    auto graph_error = [](const std::string& message, const Revision& r, std::string hint) {
        return Error(ErrorKind::graph, message, std::move(hint)).with_revision(r.id).with_file(r.source_file);
    };

    // Ids: present, usable, unique.
    std::unordered_map<std::string_view, Index> by_id;
    by_id.reserve(n);
    for (Index i = 0; i < n; ++i) {
        const Revision& r = revisions[i];
        if (r.id.empty())
            throw Error(ErrorKind::graph, "migration in " + file_of(r) + " has no revision id",
                        "set `.revision` in its RETORT_MIGRATION")
                .with_file(r.source_file);
        if (auto why = unusable_name(r.id); !why.empty())
            throw graph_error("revision id " + quoted(r.id) + " in " + file_of(r) + " " + why, r,
                              "use letters, digits, '_' or '-' (not first)");
        auto [it, inserted] = by_id.emplace(r.id, i);
        if (!inserted)
            throw graph_error("revision " + r.id + " is defined twice: in " + file_of(revisions[it->second]) +
                                  " and in " + file_of(r),
                              r, "give one of them a new id, and update the down_revision that should name it");
    }

    // Branch labels: usable, not an id, on one revision only.
    std::unordered_map<std::string_view, Index> by_label;
    for (Index i = 0; i < n; ++i) {
        const Revision& r = revisions[i];
        for (const auto& label : r.branch_labels) {
            if (label.empty()) throw graph_error("revision " + located(r) + " has an empty branch label", r, {});
            if (auto why = unusable_name(label); !why.empty())
                throw graph_error("branch label " + quoted(label) + " of revision " + located(r) + " " + why, r, {});
            if (auto it = by_id.find(label); it != by_id.end())
                throw graph_error("branch label " + quoted(label) + " of revision " + located(r) +
                                      " is also the id of revision " + located(revisions[it->second]),
                                  r, "rename the label: a specifier could not tell them apart");
            auto [it, inserted] = by_label.emplace(label, i);
            if (!inserted && it->second != i)
                throw graph_error("branch label " + quoted(label) + " is used by both " +
                                      located(revisions[it->second]) + " and " + located(r),
                                  r, "a label names one branch: rename one of them");
        }
    }

    // Edges, by input position: down_revisions first, then dependencies.
    Adjacency parents;
    parents.reserve(n, n);
    for (Index i = 0; i < n; ++i) {
        const Revision& r = revisions[i];
        for (const auto& d : r.down_revisions) {
            auto it = by_id.find(d);
            if (it == by_id.end())
                throw graph_error("revision " + located(r) + " names parent " + d + ", which no migration defines", r,
                                  "is the parent's migration missing from the build, or its id mistyped?");
            auto ps = parents.open_row();
            if (std::find(ps.begin(), ps.end(), it->second) != ps.end())
                throw graph_error("revision " + located(r) + " names parent " + d + " twice", r, {});
            parents.push(it->second);
        }
        for (const auto& d : r.depends_on) {
            std::optional<Index> dep;
            if (auto it = by_id.find(d); it != by_id.end())
                dep = it->second;
            else if (auto lt = by_label.find(d); lt != by_label.end())
                dep = lt->second;
            if (!dep)
                throw graph_error("revision " + located(r) + " depends on " + d +
                                      ", which no migration defines (as an id or a branch label)",
                                  r, "is that migration missing from the build, or its id mistyped?");
            auto ps = parents.open_row();
            if (std::find(ps.begin(), ps.end(), *dep) == ps.end()) parents.push(*dep);
        }
        parents.end_row();
    }

    // Topological order (Kahn); among revisions that are ready, the earliest
    // registered first. A revision's dependents are found through the reverse edges.
    std::vector<std::size_t> waiting(n);
    for (Index i = 0; i < n; ++i) waiting[i] = parents[i].size();
    const Adjacency dependents = reversed(parents, n, [&](Index, std::size_t) { return true; });
    std::priority_queue<Index, std::vector<Index>, std::greater<>> ready;
    for (Index i = 0; i < n; ++i)
        if (waiting[i] == 0) ready.push(i);
    std::vector<Index> order;
    order.reserve(n);
    while (!ready.empty()) {
        Index u = ready.top();
        ready.pop();
        order.push_back(u);
        for (Index c : dependents[u])
            if (--waiting[c] == 0) ready.push(c);
    }

    if (order.size() < n) {
        // Every revision left waits on a parent that is also left: follow those
        // parents until one repeats.
        Marks placed(n, 0);
        for (Index i : order) placed[i] = 1;
        Index u = 0;
        while (placed[u]) ++u;
        std::vector<std::size_t> seen_at(n, n);
        std::vector<Index> path;
        while (seen_at[u] == n) {
            seen_at[u] = path.size();
            path.push_back(u);
            u = *std::find_if(parents[u].begin(), parents[u].end(), [&](Index p) { return !placed[p]; });
        }
        std::vector<Index> cycle(path.begin() + static_cast<std::ptrdiff_t>(seen_at[u]), path.end());
        std::rotate(cycle.begin(), std::min_element(cycle.begin(), cycle.end()), cycle.end());
        std::string text;
        for (Index i : cycle) text += located(revisions[i]) + " -> ";
        text += revisions[cycle.front()].id;
        throw graph_error(
            "revisions form a cycle: " + text + " (each names the next as its down_revision or depends_on)",
            revisions[cycle.front()], "one of these migrations names the wrong parent");
    }

    RevisionGraph g;
    // Registered parents first (the usual case: files sorted by name, oldest first):
    // the vector is taken whole instead of moving each revision into a new one, which
    // on thousands of revisions touches a megabyte of fresh memory; the ids' index
    // and the edges are kept as they are.
    if (std::is_sorted(order.begin(), order.end())) {
        g.m_revisions = std::move(revisions);  // the buffer moves: by_id's views stay valid
        g.m_index = std::move(by_id);
        g.m_parents = std::move(parents);
    } else {
        std::vector<Index> position(n);
        for (Index k = 0; k < n; ++k) position[order[k]] = k;
        g.m_revisions.reserve(n);
        g.m_parents.reserve(n, n);
        for (Index k = 0; k < n; ++k) {
            g.m_revisions.push_back(std::move(revisions[order[k]]));
            for (Index p : parents[order[k]]) g.m_parents.push(position[p]);
            g.m_parents.end_row();
        }
        g.index_ids();
    }
    // Children follow down_revisions only (the first edges of each row).
    g.m_children = reversed(g.m_parents, n, [&](Index k, std::size_t j) {
        return j < g.m_revisions[k].down_revisions.size();
    });
    return g;
}

RevisionGraph::RevisionGraph(const RevisionGraph& other)
    : m_revisions(other.m_revisions), m_children(other.m_children), m_parents(other.m_parents) {
    index_ids();
}

RevisionGraph& RevisionGraph::operator=(const RevisionGraph& other) {
    if (this != &other) *this = RevisionGraph(other);
    return *this;
}

void RevisionGraph::index_ids() {
    m_index.clear();
    m_index.reserve(m_revisions.size());
    for (Index k = 0; k < m_revisions.size(); ++k) m_index.emplace(m_revisions[k].id, k);
}

// ---- lookups and structure ---------------------------------------------------------

const Revision* RevisionGraph::find(std::string_view id) const {
    auto it = m_index.find(id);
    return it == m_index.end() ? nullptr : &m_revisions[it->second];
}

const Revision& RevisionGraph::at(std::string_view id) const {
    const View g{m_revisions, m_index, m_children, m_parents};
    return m_revisions[g.at(id)];
}

std::vector<std::string> RevisionGraph::heads() const {
    std::vector<std::string> out;
    for (Index i = 0; i < size(); ++i)
        if (m_children[i].empty()) out.push_back(m_revisions[i].id);
    return out;
}

std::vector<std::string> RevisionGraph::bases() const {
    std::vector<std::string> out;
    for (const auto& r : m_revisions)
        if (r.down_revisions.empty()) out.push_back(r.id);
    return out;
}

std::vector<std::string> RevisionGraph::branch_points() const {
    std::vector<std::string> out;
    for (Index i = 0; i < size(); ++i)
        if (m_children[i].size() > 1) out.push_back(m_revisions[i].id);
    return out;
}

std::vector<std::string> RevisionGraph::merge_points() const {
    std::vector<std::string> out;
    for (const auto& r : m_revisions)
        if (r.down_revisions.size() > 1) out.push_back(r.id);
    return out;
}

std::vector<std::string> RevisionGraph::children(std::string_view id) const {
    const View g{m_revisions, m_index, m_children, m_parents};
    return g.ids(m_children[g.at(id)]);
}

bool RevisionGraph::is_ancestor(std::string_view ancestor, std::string_view id) const {
    const View g{m_revisions, m_index, m_children, m_parents};
    const Index a = g.at(ancestor);
    const Index start = g.at(id);
    if (a >= start) return false;  // ancestors come first
    // Depth-first over parents, never below `a`: indices fall along every path.
    Marks seen(start - a, 0);  // by index - a
    std::vector<Index> stack{start};
    while (!stack.empty()) {
        Index u = stack.back();
        stack.pop_back();
        for (Index p : m_parents[u]) {
            if (p == a) return true;
            if (p > a && !seen[p - a]) {
                seen[p - a] = 1;
                stack.push_back(p);
            }
        }
    }
    return false;
}

std::vector<std::string> RevisionGraph::closure(const std::vector<std::string>& ids) const {
    const View g{m_revisions, m_index, m_children, m_parents};
    return g.ids(g.closure(g.at_all(ids)));
}

// ---- specifiers -----------------------------------------------------------------

std::string RevisionGraph::resolve_revision(std::string_view spec) const {
    const View g{m_revisions, m_index, m_children, m_parents};
    return m_revisions[g.resolve(spec)].id;
}

std::vector<std::string> RevisionGraph::resolve_upgrade_target(std::string_view spec,
                                                               const std::vector<std::string>& current_heads) const {
    const View g{m_revisions, m_index, m_children, m_parents};
    if (spec == "heads") return heads();
    if (spec == "base") return {};
    if (spec == "head") {
        auto hs = heads();
        if (hs.size() <= 1) return hs;
        std::vector<Index> indices;
        for (Index i = 0; i < size(); ++i)
            if (m_children[i].empty()) indices.push_back(i);
        std::string merge = "retort merge -m \"merge heads\"";
        for (const auto& h : hs) merge += " " + h;
        throw Error(ErrorKind::usage, "there are " + counted(hs.size(), "head") + ": " + g.listed(indices),
                    "upgrade to `heads` (all of them), to `<label>@head` (one branch) or to a revision, "
                    "or join them with `" + merge + "`");
    }
    if (auto step = parse_step(spec)) {
        if (step->sign == '-')
            throw Error(ErrorKind::usage, quoted(spec) + " goes back; upgrade goes forward",
                        "use `retort downgrade " + std::string(spec) + "`, or `+N` to go forward");
        auto cur = g.current(current_heads);
        if (cur.size() > 1)
            throw Error(ErrorKind::usage,
                        "cannot upgrade " + quoted(spec) + ": the database is at several heads: " + g.listed(cur),
                        "name the branch: `<label>@" + std::string(spec) + "` or `<rev>@" + std::string(spec) +
                            "`, or give the target revision");
        std::optional<Index> start;
        if (!cur.empty()) start = cur.front();
        return {m_revisions[walk_up(g, start, step->count, nullptr, spec)].id};
    }
    if (auto at_sign = spec.find('@'); at_sign != std::string_view::npos) {
        const std::string_view name = spec.substr(0, at_sign);
        const std::string_view what = spec.substr(at_sign + 1);
        if (what == "head") {
            const Index from = g.resolve(name);
            const Marks branch = g.down_descendants_or_self(from);
            std::vector<Index> hs;
            for (Index i = from; i < size(); ++i)
                if (branch[i] && m_children[i].empty()) hs.push_back(i);
            if (hs.size() == 1) return {m_revisions[hs.front()].id};
            throw Error(ErrorKind::usage,
                        quoted(spec) + " is ambiguous: " + std::string(name) + " leads to " +
                            counted(hs.size(), "head") + ": " + g.listed(hs),
                        "upgrade to one of them by id, or merge them with `retort merge -m \"merge heads\" " +
                            g.id_list(hs) + "`");
        }
        auto step = parse_step(what);
        if (!step || step->sign == '-') {
            throw Error(ErrorKind::usage, "unknown upgrade target " + quoted(spec),
                        "upgrade takes head, heads, a revision (id, prefix or branch label), <label>@head, +N, "
                        "<rev>@+N or <label>@+N");
        }
        if (auto label_rev = g.find_label(name)) {
            // A branch moves on from where the database is on it (Alembic's
            // `label@+N`): its current head, or the point it grows from.
            Marks lineage = g.down_ancestors_or_self(*label_rev);
            const Marks descendants = g.down_descendants_or_self(*label_rev);
            for (Index i = 0; i < size(); ++i) lineage[i] = lineage[i] || descendants[i];
            const Marks applied = g.closure(g.current(current_heads));
            auto start = branch_position(g, applied, lineage, name, spec);
            return {m_revisions[walk_up(g, start, step->count, &lineage, spec)].id};
        }
        return {m_revisions[walk_up(g, g.resolve(name), step->count, nullptr, spec)].id};
    }
    return {m_revisions[g.resolve(spec)].id};
}

std::vector<std::string> RevisionGraph::resolve_downgrade_target(std::string_view spec,
                                                                 const std::vector<std::string>& current_heads) const {
    const View g{m_revisions, m_index, m_children, m_parents};
    const auto cur = g.current(current_heads);
    const Marks applied = g.closure(cur);
    const std::string forms =
        "downgrade takes base, -N, a revision (id, prefix or branch label), <rev>@-N, "
        "<label>@-N or <label>@base";
    if (spec == "base") return {};
    if (spec == "head" || spec == "heads") throw Error(ErrorKind::usage, quoted(spec) + " is an upgrade target", forms);
    if (auto step = parse_step(spec)) {
        if (step->sign == '+')
            throw Error(ErrorKind::usage, quoted(spec) + " goes forward; downgrade goes back",
                        "use `retort upgrade " + std::string(spec) + "`, or `-N` to go back");
        if (cur.empty())
            throw Error(ErrorKind::usage, "cannot downgrade " + counted(step->count, "revision") + ": only 0 applied",
                        "the database is at base already");
        if (cur.size() > 1)
            throw Error(
                ErrorKind::usage,
                "downgrade " + quoted(spec) + " is ambiguous: the database is at several heads: " + g.listed(cur),
                "name the branch: `<label>" + std::string("@") + std::string(spec) + "` or `<rev>@" +
                    std::string(spec) + "`, or give the revision to downgrade to");
        auto undone = walk_down(g, cur.front(), step->count, spec, true);
        Marks removed(size(), 0);
        for (Index i : undone) removed[i] = 1;
        return remaining_heads(g, applied, std::move(removed));
    }
    if (auto at_sign = spec.find('@'); at_sign != std::string_view::npos) {
        const std::string_view name = spec.substr(0, at_sign);
        const std::string_view what = spec.substr(at_sign + 1);
        const auto label_rev = g.find_label(name);
        if (what == "base") {
            // The labelled revision (or the revision) and everything above it go.
            const Index from = label_rev ? *label_rev : g.resolve(name);
            Marks removed(size(), 0);
            removed[from] = 1;
            return remaining_heads(g, applied, std::move(removed));
        }
        auto step = parse_step(what);
        if (!step || step->sign == '+')
            throw Error(ErrorKind::usage, "unknown downgrade target " + quoted(spec), forms);
        Index start = 0;
        if (label_rev) {
            // A branch steps back from where the database is on it (Alembic's `label@-N`).
            const Marks branch = g.down_descendants_or_self(*label_rev);
            auto tip = branch_position(g, applied, branch, name, spec);
            if (!tip)
                throw Error(ErrorKind::usage,
                            "no revision of branch " + quoted(name) + " is applied; nothing to downgrade",
                            "`retort current` shows the applied revisions");
            start = *tip;
        } else {
            start = g.resolve(name);
            if (!applied[start]) throw not_applied(g, start, "downgrade");
        }
        auto undone = walk_down(g, start, step->count, spec, false);
        Marks removed(size(), 0);
        for (Index i : undone) removed[i] = 1;
        return remaining_heads(g, applied, std::move(removed));
    }
    const Index target = g.resolve(spec);
    if (!applied[target]) throw not_applied(g, target, "downgrade to");
    // Everything above the target goes; other branches stay.
    Marks removed(size(), 0);
    for (Index c = target + 1; c < size(); ++c)
        if (std::find(m_parents[c].begin(), m_parents[c].end(), target) != m_parents[c].end()) removed[c] = 1;
    return remaining_heads(g, applied, std::move(removed));
}

// ---- paths ----------------------------------------------------------------------

std::vector<std::string> RevisionGraph::upgrade_path(const std::vector<std::string>& current_heads,
                                                     const std::vector<std::string>& targets) const {
    const View g{m_revisions, m_index, m_children, m_parents};
    Marks need = g.closure(g.at_all(targets));
    const Marks have = g.closure(g.at_all(current_heads));
    for (Index i = 0; i < size(); ++i) need[i] = need[i] && !have[i];
    return g.ids(need);
}

std::vector<std::string> RevisionGraph::downgrade_path(const std::vector<std::string>& current_heads,
                                                       const std::vector<std::string>& targets) const {
    const View g{m_revisions, m_index, m_children, m_parents};
    const Marks applied = g.closure(g.at_all(current_heads));
    const auto kept = g.at_all(targets);
    for (Index t : kept)
        if (!applied[t]) throw not_applied(g, t, "downgrade to");
    const Marks keep = g.closure(kept);
    std::vector<std::string> out;
    for (Index i = size(); i-- > 0;)
        if (applied[i] && !keep[i]) out.push_back(m_revisions[i].id);
    return out;
}

std::vector<std::string> RevisionGraph::heads_after_upgrade(const std::vector<std::string>& heads,
                                                            std::string_view id) const {
    const View g{m_revisions, m_index, m_children, m_parents};
    const Index r = g.at(id);
    std::vector<Index> out;
    for (Index h : g.at_all(heads))
        if (std::find(m_parents[r].begin(), m_parents[r].end(), h) == m_parents[r].end() && h != r) out.push_back(h);
    out.insert(std::upper_bound(out.begin(), out.end(), r), r);
    return g.ids(out);
}

std::vector<std::string> RevisionGraph::heads_after_downgrade(const std::vector<std::string>& heads,
                                                              std::string_view id) const {
    const View g{m_revisions, m_index, m_children, m_parents};
    const Index r = g.at(id);
    auto kept = g.at_all(heads);
    auto it = std::lower_bound(kept.begin(), kept.end(), r);
    if (it == kept.end() || *it != r)
        throw Error(ErrorKind::integrity,
                    "cannot undo revision " + m_revisions[r].id + ": it is not one of the current heads (" +
                        (kept.empty() ? std::string("none") : g.id_list(kept)) + ")",
                    "a revision can only be undone after everything above it; `retort current` shows the heads")
            .with_revision(m_revisions[r].id);
    kept.erase(it);
    auto added = g.new_heads(m_parents[r], kept);
    std::vector<Index> out;
    std::merge(kept.begin(), kept.end(), added.begin(), added.end(), std::back_inserter(out));
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return g.ids(out);
}

}  // namespace retort
