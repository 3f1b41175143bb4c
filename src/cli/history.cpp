// retort history [-r a:b]: the revisions, newest first.
#include "commands.hpp"
#include "output.hpp"

#include <retort/error.hpp>

#include <fmt/core.h>

#include <algorithm>
#include <set>

namespace retort::cli {

namespace {

struct HistoryOptions {
    std::string range;
    bool verbose = false;
    bool indicate_current = false;
    bool json = false;
};

void run_history(const HistoryOptions& o, Context& ctx) {
    const RevisionGraph& graph = ctx.graph();
    std::vector<std::string> current;
    bool need_current = o.indicate_current || o.range.find("current") != std::string::npos;
    if (need_current) {
        auto session = ctx.connect(OpenMode::existing);
        Migrator migrator(graph, *session, ctx.migrator_options());
        current = migrator.current();
    }
    // -r <from>:<to>: the revisions from <from> (included) up to <to> (included).
    std::set<std::string> selected;
    bool all = o.range.empty();
    if (!all) {
        auto colon = o.range.find(':');
        if (colon == std::string::npos)
            throw Error(ErrorKind::usage, "history range \"" + o.range + "\" has no ':'",
                        "give <from>:<to>, e.g. base:head, current:, :a1b2");
        std::string from = o.range.substr(0, colon);
        std::string to = o.range.substr(colon + 1);
        auto resolve = [&](const std::string& spec) -> std::vector<std::string> {
            if (spec == "current") return current;
            if (spec == "base") return {};
            return graph.resolve_upgrade_target(spec, current);
        };
        std::vector<std::string> upper = to.empty() ? graph.heads() : resolve(to);
        auto in_upper = graph.closure(upper);
        std::vector<std::string> lower = from.empty() ? std::vector<std::string>{} : resolve(from);
        for (const auto& id : in_upper) {
            bool keep = lower.empty() || std::any_of(lower.begin(), lower.end(), [&](const std::string& l) {
                            return l == id || graph.is_ancestor(l, id);
                        });
            if (keep) selected.insert(id);
        }
    }
    const auto& revs = graph.revisions();
    if (o.json) {
        nlohmann::json revisions = nlohmann::json::array();
        for (auto it = revs.rbegin(); it != revs.rend(); ++it)
            if (all || selected.count(it->id)) revisions.push_back(revision_json(graph, *it));
        print_json({{"current", need_current ? nlohmann::json(current) : nlohmann::json(nullptr)},
                    {"revisions", revisions}});
        return;
    }
    const bool color = use_color(ctx.options().no_color);
    for (auto it = revs.rbegin(); it != revs.rend(); ++it) {
        if (!all && !selected.count(it->id)) continue;
        if (o.verbose)
            fmt::print("{}\n", verbose_block(graph, *it, current));
        else
            fmt::print("{}\n", history_line(graph, *it, current, color));
    }
}

}  // namespace

void setup_history(CLI::App& app, Context& ctx) {
    auto o = std::make_shared<HistoryOptions>();
    auto* cmd = app.add_subcommand("history", "List the revisions, newest first");
    cmd->add_option("-r,--rev-range", o->range, "<from>:<to> (revisions, base, head, heads, current)");
    cmd->add_flag("-v,--verbose", o->verbose, "show the full revision details");
    cmd->add_flag("-i,--indicate-current", o->indicate_current, "mark the database's current revision(s)");
    cmd->add_flag("--json", o->json, "print the revisions as JSON (docs/cli.md, \"JSON output\")");
    cmd->callback([o, &ctx] { run_history(*o, ctx); });
}

}  // namespace retort::cli
