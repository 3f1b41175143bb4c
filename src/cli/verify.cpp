// retort verify: is every applied migration still the one that ran? Compares the
// checksum the history table recorded for each applied revision with the migration
// as it is now. Exit 0 when none changed, 4 when one did (naming the revision, the
// file and what to do). `--accept-changed <rev>` records the new checksum on purpose.
//
//   retort verify [--json] [--accept-changed REV]...
#include "commands.hpp"
#include "output.hpp"

#include <retort/dialect/url.hpp>
#include <retort/error.hpp>

#include <fmt/core.h>

namespace retort::cli {

namespace {

struct VerifyOptions {
    bool json = false;
    std::vector<std::string> accept_changed;  // revision specifiers
};

struct VerifyRun {
    VerifyReport report;
    std::vector<std::string> accepted;
};

VerifyRun run_verify(const VerifyOptions& o, Context& ctx) {
    const RevisionGraph& graph = ctx.graph();
    auto session = ctx.connect(OpenMode::existing);
    Migrator migrator(graph, *session, ctx.migrator_options());
    VerifyRun run;
    for (const auto& spec : o.accept_changed) run.accepted.push_back(graph.resolve_revision(spec));
    migrator.accept_changed(run.accepted);
    run.report = migrator.verify();
    run.report.database = mask_passwords(run.report.database);
    return run;
}

std::string status_text(VerifiedRevision::Status status) {
    switch (status) {
    case VerifiedRevision::Status::ok: return "ok";
    case VerifiedRevision::Status::changed: return "CHANGED";
    case VerifiedRevision::Status::no_checksum: return "no checksum";
    case VerifiedRevision::Status::unverifiable: return "unverifiable";
    case VerifiedRevision::Status::unknown: return "unknown";
    }
    return "?";
}

std::string note(const VerifiedRevision& v) {
    switch (v.status) {
    case VerifiedRevision::Status::ok: return {};
    case VerifiedRevision::Status::changed:
        return "file " + v.file + " changed since it was applied " + v.applied_at + " (checksum " +
               v.recorded.substr(0, 12) + " then, " + v.current.substr(0, 12) + " now)";
    case VerifiedRevision::Status::no_checksum:
        return v.how == "stamp" ? "stamped, not run: nothing recorded to verify (not an error)"
                                : "applied before Retort recorded checksums: not verified (not an error)";
    case VerifiedRevision::Status::unverifiable:
        return "the hash of " + v.file + " is not in the plugin and the file cannot be read: not verified";
    case VerifiedRevision::Status::unknown: return "these migrations do not define it";
    }
    return {};
}

nlohmann::json report_json(const VerifyRun& run) {
    const VerifyReport& r = run.report;
    nlohmann::json revisions = nlohmann::json::array();
    for (const auto& v : r.revisions)
        revisions.push_back({{"revision", v.revision},
                             {"message", v.message},
                             {"file", v.file},
                             {"how", v.how},
                             {"applied_at", v.applied_at},
                             {"status", to_string(v.status)},
                             {"recorded_checksum", v.recorded.empty() ? nlohmann::json(nullptr) : nlohmann::json(v.recorded)},
                             {"current_checksum", v.current.empty() ? nlohmann::json(nullptr) : nlohmann::json(v.current)}});
    nlohmann::json counts = nlohmann::json::object();
    for (auto s : {VerifiedRevision::Status::ok, VerifiedRevision::Status::changed, VerifiedRevision::Status::no_checksum,
                   VerifiedRevision::Status::unverifiable, VerifiedRevision::Status::unknown})
        counts[to_string(s)] = r.count(s);
    const bool verified =
        r.count(VerifiedRevision::Status::changed) == 0 && r.count(VerifiedRevision::Status::unknown) == 0;
    return {{"database", r.database},   {"heads", r.heads},         {"verified", verified},
            {"older_layout", r.older_layout}, {"counts", counts}, {"accepted", run.accepted},
            {"revisions", revisions}};
}

void print_report(const VerifyRun& run, const VerifyOptions& o, Context& ctx) {
    const VerifyReport& r = run.report;
    if (o.json) {
        print_json(report_json(run));
        return;
    }
    if (ctx.options().quiet) return;
    const bool color = use_color(ctx.options().no_color);
    for (const auto& id : run.accepted) fmt::print("Recorded the new checksum of {}\n", id);
    if (r.revisions.empty()) {
        fmt::print("No migration is applied to {}: nothing to verify\n", r.database);
        return;
    }
    fmt::print("Applied migrations of {} (at {}):\n", r.database, heads_text(r.heads));
    for (const auto& v : r.revisions) {
        std::string status = fmt::format("{:<13}", status_text(v.status));
        if (v.status == VerifiedRevision::Status::changed || v.status == VerifiedRevision::Status::unknown)
            status = paint(status, Color::red, color);
        else if (v.status == VerifiedRevision::Status::ok)
            status = paint(status, Color::green, color);
        else
            status = paint(status, Color::dim, color);
        std::string line = "  " + status + " " + v.revision + "  " + v.message;
        if (auto n = note(v); !n.empty()) line += "  (" + n + ")";
        fmt::print("{}\n", line);
    }
    std::string summary = std::to_string(r.revisions.size()) + " applied: " +
                          std::to_string(r.count(VerifiedRevision::Status::ok)) + " verified";
    if (auto n = r.count(VerifiedRevision::Status::changed)) summary += ", " + std::to_string(n) + " changed";
    if (auto n = r.count(VerifiedRevision::Status::no_checksum)) summary += ", " + std::to_string(n) + " without a checksum";
    if (auto n = r.count(VerifiedRevision::Status::unverifiable)) summary += ", " + std::to_string(n) + " unverifiable";
    if (auto n = r.count(VerifiedRevision::Status::unknown)) summary += ", " + std::to_string(n) + " unknown";
    if (r.older_layout) summary += " (the history table predates checksums; the next upgrade adds them)";
    fmt::print("{}\n", summary);
}

void fail_if_not_verified(const VerifyReport& r) {
    if (auto changed = r.changed(); !changed.empty()) throw changed_migrations_error(changed, r.database);
    std::string unknown;
    for (const auto& v : r.revisions)
        if (v.status == VerifiedRevision::Status::unknown) unknown += (unknown.empty() ? "" : ", ") + v.revision;
    if (!unknown.empty())
        throw Error(ErrorKind::integrity,
                    "the database " + r.database + " has applied revisions these migrations do not define: " + unknown,
                    "it was probably upgraded from another branch or a newer build: build the migrations that "
                    "contain them");
}

}  // namespace

void setup_verify(CLI::App& app, Context& ctx) {
    auto o = std::make_shared<VerifyOptions>();
    auto* cmd = app.add_subcommand(
        "verify", "Check that every applied migration is unchanged since it ran (exit 4 when one changed)");
    cmd->add_flag("--json", o->json, "print the report as JSON (docs/cli.md, \"JSON output\")");
    cmd->add_option("--accept-changed", o->accept_changed,
                    "record the current checksum of an applied migration changed on purpose (repeatable)");
    cmd->callback([o, &ctx] {
        VerifyRun run = run_verify(*o, ctx);
        print_report(run, *o, ctx);
        fail_if_not_verified(run.report);  // exit 4
    });
}

}  // namespace retort::cli
