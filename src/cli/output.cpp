#include "output.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <cstdlib>
#include <unistd.h>

namespace retort::cli {

bool use_color(bool no_color_flag) {
    if (no_color_flag) return false;
    if (const char* nc = std::getenv("NO_COLOR"); nc && *nc) return false;
    return isatty(STDOUT_FILENO) != 0;
}

std::string heads_text(const std::vector<std::string>& heads) {
    if (heads.empty()) return "base";
    std::string out;
    for (const auto& h : heads) out += (out.empty() ? "" : ", ") + h;
    return out;
}

namespace {
bool contains(const std::vector<std::string>& v, const std::string& s) {
    return std::find(v.begin(), v.end(), s) != v.end();
}

std::string parents_text(const Revision& r) {
    if (r.down_revisions.empty()) return "<base>";
    if (r.down_revisions.size() == 1) return r.down_revisions.front();
    std::string out = "(";
    for (std::size_t i = 0; i < r.down_revisions.size(); ++i) out += (i ? ", " : "") + r.down_revisions[i];
    return out + ")";
}
}  // namespace

std::string revision_tags(const RevisionGraph& graph, const Revision& r, const std::vector<std::string>& current) {
    std::string out = r.id;
    if (!r.branch_labels.empty()) {
        out += " (";
        for (std::size_t i = 0; i < r.branch_labels.size(); ++i) out += (i ? ", " : "") + r.branch_labels[i];
        out += ")";
    }
    if (graph.children(r.id).empty()) out += " (head)";
    if (graph.children(r.id).size() > 1) out += " (branchpoint)";
    if (r.down_revisions.size() > 1) out += " (mergepoint)";
    if (contains(current, r.id)) out += " (current)";
    return out;
}

std::string history_line(const RevisionGraph& graph, const Revision& r, const std::vector<std::string>& current) {
    return parents_text(r) + " -> " + revision_tags(graph, r, current) + ", " + r.message;
}

std::string verbose_block(const RevisionGraph& graph, const Revision& r, const std::vector<std::string>& current) {
    std::string out = "Rev: " + revision_tags(graph, r, current) + "\n";
    out += (r.down_revisions.size() > 1 ? "Merges: " : "Parent: ") + parents_text(r) + "\n";
    auto children = graph.children(r.id);
    if (children.size() > 1) out += "Branches into: " + heads_text(children) + "\n";
    if (!r.branch_labels.empty()) out += "Branch names: " + heads_text(r.branch_labels) + "\n";
    if (!r.depends_on.empty()) out += "Also depends on: " + heads_text(r.depends_on) + "\n";
    out += "Path: " + r.source_file + "\n\n";
    out += "    " + r.message + "\n\n";
    out += "    Revision ID: " + r.id + "\n";
    out += "    Revises: " + (r.down_revisions.empty() ? std::string() : heads_text(r.down_revisions)) + "\n";
    out += "    Create Date: " + r.create_date + "\n";
    if (r.irreversible) out += "    Irreversible: yes\n";
    return out;
}

void print_step(const StepEvent& e, bool quiet) {
    if (quiet || e.phase != StepEvent::Phase::start) return;
    const Revision& r = *e.revision;
    std::string parents = heads_text(r.down_revisions);
    if (e.direction == Direction::upgrade)
        fmt::print("Running upgrade {} -> {}, {}\n", parents, r.id, r.message);
    else
        fmt::print("Running downgrade {} -> {}, {}\n", r.id, parents, r.message);
    std::fflush(stdout);
}

}  // namespace retort::cli
