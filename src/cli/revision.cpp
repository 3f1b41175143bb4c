// retort revision -m "message": a new, empty migration file on top of the head.
#include "commands.hpp"
#include "output.hpp"
#include "writer.hpp"

#include <retort/error.hpp>

#include <fmt/core.h>

#include <algorithm>

namespace retort::cli {

namespace {

struct RevisionOptions {
    std::string message;
    std::string head;
    std::vector<std::string> branch_labels;
    std::vector<std::string> depends_on;
    std::string rev_id;
    bool splice = false;
};

void run_revision(const RevisionOptions& o, Context& ctx) {
    const RevisionGraph& graph = ctx.graph();
    NewRevision r;
    r.id = o.rev_id.empty() ? new_revision_id() : o.rev_id;
    if (graph.find(r.id)) throw Error(ErrorKind::usage, "revision id " + r.id + " is already used");
    for (char c : r.id)
        if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_')
            throw Error(ErrorKind::usage, "revision id \"" + r.id + "\" may hold only letters, digits and _");
    r.message = o.message;
    r.create_date = local_now();
    r.branch_labels = o.branch_labels;
    for (const auto& label : o.branch_labels)
        for (const auto& existing : graph.revisions())
            if (std::find(existing.branch_labels.begin(), existing.branch_labels.end(), label) !=
                existing.branch_labels.end())
                throw Error(ErrorKind::usage, "branch label \"" + label + "\" is already used by revision " + existing.id);
    for (const auto& dep : o.depends_on) r.depends_on.push_back(graph.resolve_revision(dep));

    auto heads = graph.heads();
    if (o.head == "base") {
        // a new base: a root of its own branch
    } else if (!o.head.empty()) {
        std::string parent = o.head;
        if (auto at = parent.find("@head"); at != std::string::npos) {
            parent = graph.resolve_upgrade_target(parent, {}).front();
        } else {
            parent = graph.resolve_revision(parent);
        }
        if (!o.splice && std::find(heads.begin(), heads.end(), parent) == heads.end())
            throw Error(ErrorKind::usage,
                        "revision " + parent + " is not a head; a new revision on it would start a branch",
                        "pass --splice to branch from it on purpose, or use a head: " + heads_text(heads));
        r.down_revisions = {parent};
    } else if (heads.size() > 1) {
        throw Error(ErrorKind::usage,
                    "there are several heads (" + heads_text(heads) + "); which one should the new revision follow?",
                    "pass --head <revision> (or --head <label>@head), or merge them first: retort merge -m \"merge "
                    "heads\" heads");
    } else if (heads.size() == 1) {
        r.down_revisions = heads;
    }
    r.upgrade_body = "";
    r.downgrade_body = "";
    std::string path = write_migration(ctx.migrations_dir(), r);
    if (!ctx.options().quiet) fmt::print("Generating {} ... done\n", path);
}

}  // namespace

void setup_revision(CLI::App& app, Context& ctx) {
    auto o = std::make_shared<RevisionOptions>();
    auto* cmd = app.add_subcommand("revision", "Create a new migration file");
    cmd->add_option("-m,--message", o->message, "what the migration does (also names the file)")->required();
    cmd->add_option("--head", o->head, "revision to base it on (default: the head; 'base' starts a new branch)");
    cmd->add_option("--branch-label", o->branch_labels, "label for the branch this revision starts");
    cmd->add_option("--depends-on", o->depends_on, "revisions that must be applied before it (not parents)");
    cmd->add_option("--rev-id", o->rev_id, "revision id to use instead of a random one");
    cmd->add_flag("--splice", o->splice, "allow --head to name a revision that is not a head");
    cmd->callback([o, &ctx] { run_revision(*o, ctx); });
}

}  // namespace retort::cli
