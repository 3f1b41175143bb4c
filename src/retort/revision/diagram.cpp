#include <retort/revision/diagram.hpp>

#include <algorithm>
#include <cctype>

namespace retort {

namespace {

bool contains(const std::vector<std::string>& v, const std::string& s) {
    return std::find(v.begin(), v.end(), s) != v.end();
}

struct Node {
    const Revision* revision;
    std::vector<std::string> tags;  // head, branchpoint, mergepoint, irreversible, current
    bool head = false;
    bool current = false;
};

std::vector<Node> nodes_of(const RevisionGraph& graph, const DiagramOptions& options) {
    std::vector<Node> out;
    for (const auto& r : graph.revisions()) {
        Node n{&r, {}};
        auto children = graph.children(r.id);
        n.head = children.empty();
        n.current = contains(options.current, r.id);
        if (n.head) n.tags.push_back("head");
        if (children.size() > 1) n.tags.push_back("branchpoint");
        if (r.down_revisions.size() > 1) n.tags.push_back("mergepoint");
        if (r.irreversible) n.tags.push_back("irreversible");
        if (n.current) n.tags.push_back("current");
        out.push_back(std::move(n));
    }
    return out;
}

/// The lines of a node's label: "id (labels)", the message, "(tags)".
std::vector<std::string> label_lines(const Node& n) {
    const Revision& r = *n.revision;
    std::string first = r.id;
    if (!r.branch_labels.empty()) {
        first += " (";
        for (std::size_t i = 0; i < r.branch_labels.size(); ++i) first += (i ? ", " : "") + r.branch_labels[i];
        first += ")";
    }
    std::vector<std::string> lines = {first};
    if (!r.message.empty()) lines.push_back(r.message);
    if (!n.tags.empty()) {
        std::string tags = "(";
        for (std::size_t i = 0; i < n.tags.size(); ++i) tags += (i ? ", " : "") + n.tags[i];
        lines.push_back(tags + ")");
    }
    return lines;
}

std::string dot_escape(std::string_view s) {
    std::string out;
    for (char c : s) {
        if (c == '"' || c == '\\') out += '\\';
        if (c == '\n') {
            out += "\\n";
            continue;
        }
        out += c;
    }
    return out;
}

std::string mermaid_escape(std::string_view s) {
    std::string out;
    for (char c : s) {
        switch (c) {
        case '"': out += "#quot;"; break;
        case '<': out += "#lt;"; break;
        case '>': out += "#gt;"; break;
        case '\n': out += ' '; break;
        default: out += c;
        }
    }
    return out;
}

/// A Mermaid node id: "r_" and the revision id, other characters as '_'.
std::string mermaid_id(std::string_view id) {
    std::string out = "r_";
    for (char c : id) out += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
    return out;
}

std::string dot(const RevisionGraph& graph, const DiagramOptions& options) {
    std::string out = "// The revision graph" + (options.title.empty() ? std::string() : " of " + options.title) +
                      ", written by `retort graph`. Render: dot -Tsvg graph.dot -o graph.svg\n";
    out += "digraph revisions {\n";
    out += "    rankdir=TB;\n";
    out += "    node [shape=box, style=rounded, fontname=\"Helvetica\"];\n";
    out += "    edge [arrowsize=0.7];\n";
    for (const auto& n : nodes_of(graph, options)) {
        std::string label;
        for (const auto& line : label_lines(n)) label += (label.empty() ? "" : "\\n") + dot_escape(line);
        out += "    \"" + dot_escape(n.revision->id) + "\" [label=\"" + label + "\"";
        if (n.head) out += ", peripheries=2";
        if (n.revision->irreversible) out += ", color=\"#b22222\"";
        if (n.current) out += ", style=\"rounded,filled,bold\", fillcolor=\"#fff2a8\"";
        out += "];\n";
    }
    for (const auto& r : graph.revisions()) {
        for (const auto& p : r.down_revisions) out += "    \"" + dot_escape(p) + "\" -> \"" + dot_escape(r.id) + "\";\n";
        for (const auto& d : r.depends_on) {
            const std::string target = graph.find(d) ? d : graph.resolve_revision(d);
            out += "    \"" + dot_escape(target) + "\" -> \"" + dot_escape(r.id) +
                   "\" [style=dashed, label=\"depends on\"];\n";
        }
    }
    out += "}\n";
    return out;
}

std::string mermaid(const RevisionGraph& graph, const DiagramOptions& options) {
    std::string out = "%% The revision graph" + (options.title.empty() ? std::string() : " of " + options.title) +
                      ", written by `retort graph`.\n";
    out += "flowchart TB\n";
    std::vector<std::string> heads, current, irreversible;
    for (const auto& n : nodes_of(graph, options)) {
        std::string label;
        for (const auto& line : label_lines(n)) label += (label.empty() ? "" : "<br/>") + mermaid_escape(line);
        const std::string id = mermaid_id(n.revision->id);
        out += "    " + id + "[\"" + label + "\"]\n";
        if (n.head) heads.push_back(id);
        if (n.current) current.push_back(id);
        if (n.revision->irreversible) irreversible.push_back(id);
    }
    for (const auto& r : graph.revisions()) {
        for (const auto& p : r.down_revisions) out += "    " + mermaid_id(p) + " --> " + mermaid_id(r.id) + "\n";
        for (const auto& d : r.depends_on) {
            const std::string target = graph.find(d) ? d : graph.resolve_revision(d);
            out += "    " + mermaid_id(target) + " -. depends on .-> " + mermaid_id(r.id) + "\n";
        }
    }
    auto klass = [&](const char* name, const char* style, const std::vector<std::string>& ids) {
        if (ids.empty()) return;
        out += std::string("    classDef ") + name + " " + style + "\n";
        std::string list;
        for (const auto& id : ids) list += (list.empty() ? "" : ",") + id;
        out += "    class " + list + " " + name + "\n";
    };
    klass("head", "stroke-width:3px", heads);
    klass("irreversible", "stroke:#b22222", irreversible);
    klass("current", "fill:#fff2a8,stroke:#b58900,stroke-width:3px", current);
    return out;
}

}  // namespace

std::string revision_diagram(const RevisionGraph& graph, DiagramFormat format, const DiagramOptions& options) {
    switch (format) {
    case DiagramFormat::dot: return dot(graph, options);
    case DiagramFormat::mermaid: return mermaid(graph, options);
    }
    return {};
}

}  // namespace retort
