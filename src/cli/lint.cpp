// retort lint: what the migrations' upgrades do that can lose data, block writes,
// fail on existing rows or stop a downgrade, as compiler-style lines
// (`file:line: warning: RT102: ...`), found on the replayed schema (no database).
// Exit 0, or 5 with --werror when a finding is not acknowledged.
//
//   retort lint [--dialect D] [--werror] [--json] [-v] [--list-rules]
#include "commands.hpp"
#include "comparison.hpp"
#include "output.hpp"

#include <retort/error.hpp>
#include <retort/lint/lint.hpp>

#include <fmt/core.h>

namespace retort::cli {

namespace {

struct LintOptionsCli {
    std::string dialect;
    bool werror = false;
    bool json = false;
    bool verbose = false;  // also the acknowledged findings
    bool list_rules = false;
};

struct LintReport {
    std::string dialect;
    std::vector<LintFinding> findings;
    std::size_t reported() const {
        std::size_t n = 0;
        for (const auto& f : findings) n += f.acknowledged ? 0 : 1;
        return n;
    }
};

LintReport run_lint(const LintOptionsCli& o, Context& ctx) {
    ModelsOptions mo;
    mo.dialect = o.dialect;
    const Dialect& dialect = comparison_dialect(mo, ctx);
    LintOptions options;
    options.migrations_dir = ctx.migrations_dir();
    LintReport report;
    report.dialect = std::string(dialect.name());
    report.findings = lint(ctx.graph(), dialect, options);
    return report;
}

/// format_finding(), with the severity and "note:" colored on a terminal.
std::string colored(const LintFinding& f, bool as_error, bool color) {
    std::string text = format_finding(f, as_error);
    if (!color) return text;
    auto recolor = [&](const std::string& label, Color c) {
        const std::string needle = ": " + label + " ";
        if (auto at = text.find(needle); at != std::string::npos)
            text.replace(at + 2, label.size(), paint(label, c, true));
    };
    recolor(as_error ? "error:" : "warning:", as_error ? Color::red : Color::yellow);
    recolor("note:", Color::cyan);
    return text;
}

nlohmann::json finding_json(const LintFinding& f, bool werror) {
    return {{"code", f.code},
            {"rule", f.rule},
            {"severity", f.acknowledged ? "acknowledged" : (werror ? "error" : "warning")},
            {"revision", f.revision},
            {"file", f.file},
            {"line", f.line},
            {"op", f.op},
            {"message", f.message},
            {"hint", f.hint},
            {"acknowledged", f.acknowledged}};
}

void print_report(const LintReport& r, const LintOptionsCli& o, Context& ctx) {
    if (o.json) {
        nlohmann::json findings = nlohmann::json::array();
        for (const auto& f : r.findings) findings.push_back(finding_json(f, o.werror));
        print_json({{"dialect", r.dialect},
                    {"werror", o.werror},
                    {"warning_count", r.reported()},
                    {"acknowledged_count", r.findings.size() - r.reported()},
                    {"findings", findings}});
        return;
    }
    const bool color = use_color(ctx.options().no_color);
    for (const auto& f : r.findings) {
        if (f.acknowledged) {
            if (o.verbose)
                fmt::print("{}: acknowledged: {}: {} [{}]\n", f.file + (f.line > 0 ? ":" + std::to_string(f.line) : ""),
                           f.code, f.message, f.rule);
            continue;
        }
        fmt::print("{}\n", colored(f, o.werror, color));
    }
    if (ctx.options().quiet) return;
    const std::size_t reported = r.reported(), acknowledged = r.findings.size() - reported;
    std::string summary = "retort lint (" + r.dialect + "): ";
    summary += reported == 0 ? std::string("no findings")
                             : std::to_string(reported) + (o.werror ? " error" : " warning") + (reported == 1 ? "" : "s");
    if (acknowledged > 0) summary += ", " + std::to_string(acknowledged) + " acknowledged";
    fmt::print("{}\n", summary);
}

void list_rules(bool json) {
    if (json) {
        nlohmann::json rules = nlohmann::json::array();
        for (const auto& r : lint_rules()) rules.push_back({{"code", r.code}, {"rule", r.name}, {"summary", r.summary}});
        print_json({{"rules", rules}});
        return;
    }
    for (const auto& r : lint_rules()) fmt::print("{}  {:<28} {}\n", r.code, r.name, r.summary);
}

}  // namespace

void setup_lint(CLI::App& app, Context& ctx) {
    auto o = std::make_shared<LintOptionsCli>();
    auto* cmd = app.add_subcommand("lint", "Warn about risky migrations (drops, narrowing, NOT NULL, locks, ...)");
    cmd->add_option("--dialect", o->dialect,
                    "the dialect whose rules apply (default: the database URL's, else sqlite)");
    cmd->add_flag("--werror", o->werror, "findings are errors: exit 5 when there is one not acknowledged");
    cmd->add_flag("--json", o->json, "print the findings as JSON (docs/cli.md, \"JSON output\")");
    cmd->add_flag("-v,--verbose", o->verbose, "also list the acknowledged findings");
    cmd->add_flag("--list-rules", o->list_rules, "list the rules and their codes");
    cmd->callback([o, &ctx] {
        if (o->list_rules) {
            list_rules(o->json);
            return;
        }
        LintReport report = run_lint(*o, ctx);
        print_report(report, *o, ctx);
        if (o->werror && report.reported() > 0)
            throw Error(ErrorKind::lint,
                        std::to_string(report.reported()) + " lint finding" + (report.reported() == 1 ? " is an error" : "s are errors") +
                            " (--werror)",
                        "change the migration as the notes say, or acknowledge an intended one in it: "
                        ".acknowledge = {\"RTxxx\"}");
    });
}

}  // namespace retort::cli
