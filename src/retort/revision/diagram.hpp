// The revision graph as a diagram: Graphviz DOT or Mermaid, with branch labels,
// branch and merge points, heads, irreversible revisions and the revisions a
// database is at. Pure data in, text out (`retort graph`, the db-graph target).
#pragma once

#include <retort/revision/graph.hpp>

#include <string>
#include <vector>

namespace retort {

enum class DiagramFormat : unsigned char { dot, mermaid };

struct DiagramOptions {
    /// Named in the diagram's comment line ("bookshop"); may be empty.
    std::string title;
    /// The revisions a database is at, drawn highlighted and tagged "(current)".
    std::vector<std::string> current;
};

/// The graph as DOT (`digraph`) or Mermaid (`flowchart`): one node per revision
/// (its id, branch labels, message and tags), one edge per parent (parent -> child,
/// the direction of an upgrade), dashed edges for depends_on. Deterministic: nodes
/// in the graph's order, edges by child then parent order.
///
///     std::string dot = revision_diagram(graph, DiagramFormat::dot, {.title = "bookshop"});
std::string revision_diagram(const RevisionGraph& graph, DiagramFormat format, const DiagramOptions& options = {});

}  // namespace retort
