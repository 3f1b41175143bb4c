// retort merge -m "message" <rev> <rev>...: a revision joining several heads.
#include "commands.hpp"
#include "output.hpp"
#include "writer.hpp"

#include <retort/error.hpp>

#include <fmt/core.h>

#include <algorithm>

namespace retort::cli {

namespace {

struct MergeOptions {
    std::string message;
    std::vector<std::string> revisions;
    std::vector<std::string> branch_labels;
    std::string rev_id;
};

void run_merge(const MergeOptions& o, Context& ctx) {
    const RevisionGraph& graph = ctx.graph();
    std::vector<std::string> parents;
    for (const auto& spec : o.revisions) {
        if (spec == "heads") {
            for (const auto& h : graph.heads()) parents.push_back(h);
        } else {
            parents.push_back(graph.resolve_revision(spec));
        }
    }
    std::sort(parents.begin(), parents.end());
    parents.erase(std::unique(parents.begin(), parents.end()), parents.end());
    if (parents.size() < 2)
        throw Error(ErrorKind::usage,
                    "merge needs at least two revisions to join, got " + std::to_string(parents.size()) +
                        (parents.size() == 1 ? " (" + parents.front() + ")" : std::string()),
                    graph.heads().size() < 2 ? "there is only one head (" + heads_text(graph.heads()) +
                                                   "): nothing to merge"
                                             : "heads: " + heads_text(graph.heads()));
    for (const auto& a : parents)
        for (const auto& b : parents)
            if (a != b && graph.is_ancestor(a, b))
                throw Error(ErrorKind::usage, "revision " + a + " is an ancestor of " + b + ": they are on one branch",
                            "merge heads of different branches: " + heads_text(graph.heads()));
    NewRevision r;
    r.id = o.rev_id.empty() ? new_revision_id() : o.rev_id;
    r.down_revisions = parents;
    r.branch_labels = o.branch_labels;
    r.message = o.message;
    r.create_date = local_now();
    std::string path = write_migration(ctx.migrations_dir(), r);
    if (!ctx.options().quiet) fmt::print("Generating {} ... done\n", path);
}

}  // namespace

void setup_merge(CLI::App& app, Context& ctx) {
    auto o = std::make_shared<MergeOptions>();
    auto* cmd = app.add_subcommand("merge", "Create a revision that joins two or more heads");
    cmd->add_option("revisions", o->revisions, "revisions to join, or 'heads' for all heads")->required();
    cmd->add_option("-m,--message", o->message, "message of the merge revision")->required();
    cmd->add_option("--branch-label", o->branch_labels, "label for the merged branch");
    cmd->add_option("--rev-id", o->rev_id, "revision id to use instead of a random one");
    cmd->callback([o, &ctx] { run_merge(*o, ctx); });
}

}  // namespace retort::cli
