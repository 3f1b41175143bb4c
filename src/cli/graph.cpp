// retort graph: the revision graph as Graphviz DOT or Mermaid (branches, merges,
// labels, heads, irreversible revisions), with the revision(s) a database is at
// marked when --url (or --current) names one.
//
//   retort graph [--format dot|mermaid] [-o FILE] [--current]
#include "commands.hpp"
#include "output.hpp"

#include <retort/error.hpp>
#include <retort/revision/diagram.hpp>

#include <fmt/core.h>

#include <filesystem>
#include <fstream>

namespace retort::cli {

namespace {

struct GraphOptions {
    std::string format = "dot";
    std::string output;
    bool current = false;  // mark the configured database's revision(s)
};

std::string run_graph(const GraphOptions& o, Context& ctx) {
    const RevisionGraph& graph = ctx.graph();
    DiagramOptions options;
    if (ctx.plugin_path().empty()) {
        options.title = "the migrations";
    } else {
        std::error_code ec;
        options.title = std::filesystem::exists(ctx.plugin_path(), ec) ? ctx.plugin().info().set : std::string();
    }
    // Only a database named on purpose: the graph must not create the dev database.
    if (o.current || !ctx.options().url.empty()) {
        auto session = ctx.connect(OpenMode::existing);
        Migrator migrator(graph, *session, ctx.migrator_options());
        options.current = migrator.current();
    }
    return revision_diagram(graph, o.format == "mermaid" ? DiagramFormat::mermaid : DiagramFormat::dot, options);
}

}  // namespace

void setup_graph(CLI::App& app, Context& ctx) {
    auto o = std::make_shared<GraphOptions>();
    auto* cmd = app.add_subcommand("graph", "Write the revision graph as Graphviz DOT or Mermaid");
    cmd->add_option("-f,--format", o->format, "dot (Graphviz) or mermaid")
        ->check(CLI::IsMember({"dot", "mermaid"}))
        ->capture_default_str();
    cmd->add_option("-o,--output", o->output, "write to this file instead of stdout");
    cmd->add_flag("--current", o->current,
                  "mark the revision(s) the configured database is at (given --url, they are marked anyway)");
    cmd->callback([o, &ctx] {
        std::string text = run_graph(*o, ctx);
        if (o->output.empty()) {
            fmt::print("{}", text);
            return;
        }
        std::ofstream out(o->output, std::ios::binary);
        out << text;
        if (!out)
            throw Error(ErrorKind::config, "cannot write " + o->output, "check that its folder exists and is writable");
        if (!ctx.options().quiet) fmt::print("Wrote {}\n", o->output);
    });
}

}  // namespace retort::cli
