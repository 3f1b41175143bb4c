// retort check: do the models match the migrations? Exit 0 when they do, 3 when
// they differ, with the differences one per line (or --json).
//
//   retort check [--models M | --models-sql F] [--dialect D] [--allow-multiple-heads] [--json]
//        the models against the schema the migrations build at head (replay; no database);
//        with --dialect, every op of every revision is first rendered in that dialect
//   retort check --against db [--models ...] [--json]
//        the checksums of the applied migrations first (an edited one: exit 4), then
//        the live database against the schema its migrations built at the revision it
//        is at (changes made by hand), and, when models are given and the database is
//        at head, the models against the live database
//
// Objects the schema model has no kind for (views, triggers, ...) are never drift:
// they are listed once as "not compared".
#include "commands.hpp"
#include "comparison.hpp"
#include "output.hpp"

#include <retort/error.hpp>
#include <retort/runtime/render_check.hpp>

#include <fmt/core.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdio>
#include <functional>
#include <future>

namespace retort::cli {

namespace {

enum class Against : unsigned char { head, db };

struct CheckOptions {
    ModelsOptions models;
    std::string against = "head";
    bool json = false;
    bool allow_multiple_heads = false;
    bool no_models = false;  // only replay the migrations and count the heads
};

/// One comparison: what `current` must change into `target`.
struct Comparison {
    std::string name;     // "models", "database": what the text lines are prefixed with under --against db
    std::string current;  // "migrations at head (7a8b9c0d1e2f)", "database"
    std::string target;   // "models", "database"
    std::vector<autogen::Difference> differences;
};

struct CheckReport {
    Against against = Against::head;
    std::string dialect;
    /// The revision(s) compared: the heads, or the database's current revision(s).
    std::vector<std::string> revision;
    std::vector<Comparison> comparisons;
    /// Comparisons not made, and why.
    std::vector<std::string> skipped;
    std::vector<UnmodeledObject> not_compared;
    std::vector<std::string> warnings;

    std::size_t difference_count() const {
        std::size_t n = 0;
        for (const auto& c : comparisons) n += c.differences.size();
        return n;
    }
};

std::string at_text(const std::vector<std::string>& revisions) {
    return revisions.empty() ? std::string("base") : heads_text(revisions);
}

/// Objects whose name or table the options leave out are not listed either.
std::vector<UnmodeledObject> unmodeled(std::vector<UnmodeledObject> objects, const autogen::CompareOptions& options) {
    std::vector<UnmodeledObject> out;
    for (auto& object : objects) {
        if (autogen::is_excluded(options, object.name)) continue;
        if (!object.table.empty() && autogen::is_excluded(options, object.table)) continue;
        out.push_back(std::move(object));
    }
    return out;
}

/// A models module loaded and built on another thread, to overlap the replay or the
/// database's work (started after the plugin has loaded: whatever the module
/// registers cannot mix with the plugin's migrations). Empty for SQL models or none.
std::future<Schema> load_models_meanwhile(const std::optional<autogen::ModelsSource>& source) {
    if (!source || source->kind != autogen::ModelsKind::module) return {};
    return std::async(std::launch::async, [path = source->path] { return load_models(path); });
}

/// The models as the dialect normalizes them: the module loaded meanwhile, or read now.
Schema models_schema(std::future<Schema>& loaded, const autogen::ModelsSource& source, const Dialect& dialect) {
    return dialect.normalize_consuming(loaded.valid() ? loaded.get() : autogen::read_models(source, dialect));
}

CheckReport check_head(const CheckOptions& o, Context& ctx) {
    CheckReport report;
    report.against = Against::head;
    const RevisionGraph& graph = ctx.graph();
    auto heads = sorted(graph.heads());
    if (heads.size() > 1 && !o.allow_multiple_heads)
        throw Error(ErrorKind::graph,
                    "the migrations have several heads (" + heads_text(heads) + "): which one should match the models?",
                    "merge them: retort merge -m \"merge heads\" heads (or pass --allow-multiple-heads to compare the "
                    "models with all of them applied)");
    std::future<Schema> module_models = load_models_meanwhile(o.no_models ? std::nullopt : find_models(o.models, ctx));
    // Every op replays onto the schema at its parent first (a typo'd table or column
    // fails here, naming the file and the op). The recorded ops move into the schema.
    Schema head;
    {
        Replayer replayer(graph);
        head = replayer.take_schema_at(heads);
        report.warnings = replayer.warnings();
    }
    report.revision = heads;
    if (!o.models.dialect.empty()) {
        // --dialect: every op of every revision must render in it (DIALECTS in
        // retort_add_migrations() runs this for each dialect of one history).
        const Dialect& dialect = comparison_dialect(o.models, ctx);
        if (auto problems = check_renders(graph, dialect); !problems.empty())
            throw render_problems_error(problems, dialect);
    }
    if (o.no_models) return report;
    autogen::ModelsSource source = require_models(o.models, ctx);
    const Dialect& dialect = comparison_dialect(o.models, ctx);
    report.dialect = std::string(dialect.name());
    Schema models = models_schema(module_models, source, dialect);
    head = dialect.normalize_consuming(std::move(head));
    autogen::CompareOptions options = compare_options(ctx, dialect);
    Comparison c;
    c.name = "models";
    c.current = "migrations at head (" + at_text(heads) + ")";
    c.target = "models (" + autogen::describe(source) + ")";
    c.differences = autogen::describe_diff(head, models, options);
    report.comparisons.push_back(std::move(c));
    return report;
}

CheckReport check_db(const CheckOptions& o, Context& ctx) {
    CheckReport report;
    report.against = Against::db;
    ctx.start_connecting(OpenMode::existing);  // while the plugin loads
    std::optional<autogen::ModelsSource> source = find_models(o.models, ctx);
    const RevisionGraph& graph = ctx.graph();
    std::future<Schema> module_models = load_models_meanwhile(source);
    // While the session opens (PostgreSQL: libpq loads, then a few round trips), the
    // migrations record their ops: verify's checksums and reflection need them all.
    Replayer recorded(graph);
    for (const Revision& r : graph.revisions()) recorded.upgrade_ops(r);
    auto session = ctx.connect(OpenMode::existing);
    const Dialect& dialect = session->dialect();
    if (!o.models.dialect.empty() && o.models.dialect != dialect.name() &&
        !(o.models.dialect == "postgres" && dialect.name() == "postgresql"))
        throw Error(ErrorKind::usage,
                    "--dialect " + o.models.dialect + " does not match the database, which is " +
                        std::string(dialect.name()),
                    "leave out --dialect with --against db: the database's dialect is used");
    report.dialect = std::string(dialect.name());
    autogen::CompareOptions options = compare_options(ctx, dialect);
    const std::string database = session->describe();

    // What is no longer needed goes as soon as it is not (memory is time: every
    // page a big schema touches is a fault): the migrations' recorded ops move into
    // the replayed schema, which goes after the first comparison with the migrator.
    Schema live;
    std::vector<std::string> current;
    // What the model has no kind for: asked once the schema has been read, answered
    // while the schemas are compared.
    std::function<std::vector<UnmodeledObject>()> not_compared;
    {
        Migrator migrator(graph, *session, ctx.migrator_options(), std::move(recorded));
        current = sorted(migrator.current());
        // Edited history first (exit 4): comparing with migrations that are not what
        // ran would report drift that is not there.
        VerifyReport verified = migrator.verify();
        if (auto changed = verified.changed(); !changed.empty())
            throw changed_migrations_error(changed, database);
        report.revision = current;
        // The migrations replay on another thread while the database is read (a new
        // PostgreSQL backend spends most of it on its first touch of the catalogs;
        // SQLite's reflection is this thread's work). Reflection needs only the
        // schemas the recorded ops name, so the replay may take the ops meanwhile,
        // moving each table once. verify() recorded them all.
        const ReflectOptions reflect_options = migrator.reflect_options();
        Replayer& replayer = migrator.replayer();
        std::future<Schema> replaying = std::async(std::launch::async, [&replayer, &dialect, &current] {
            return dialect.normalize_consuming(replayer.take_schema_at(current));
        });
        live = dialect.normalize_consuming(dialect.reflect(*session, reflect_options));
        not_compared = dialect.unmodeled_objects_later(*session);
        Schema replayed = replaying.get();
        report.warnings = replayer.warnings();

        Comparison hand;
        hand.name = "database";
        hand.current = "migrations at the database's revision (" + at_text(current) + ")";
        hand.target = "database (" + database + ")";
        hand.differences = autogen::describe_diff(replayed, live, options);
        report.comparisons.push_back(std::move(hand));
    }

    if (source) {
        auto heads = sorted(graph.heads());
        if (current == heads) {
            Schema models = models_schema(module_models, *source, dialect);
            Comparison m;
            m.name = "models";
            m.current = "database (" + database + ")";
            m.target = "models (" + autogen::describe(*source) + ")";
            m.differences = autogen::describe_diff(live, models, options);
            report.comparisons.push_back(std::move(m));
        } else {
            report.skipped.push_back("models vs database: the database is at " + at_text(current) +
                                     ", not at head (" + at_text(heads) + "); upgrade it first");
        }
    }
    report.not_compared = unmodeled(not_compared(), options);
    not_compared = nullptr;  // before the session it reads from
    session.reset();
    return report;
}

nlohmann::json report_json(const CheckReport& r) {
    using Json = nlohmann::json;
    Json comparisons = Json::array();
    for (const auto& c : r.comparisons)
        comparisons.push_back(Json{{"name", c.name},
                                   {"current", c.current},
                                   {"target", c.target},
                                   {"differences", autogen::to_json(c.differences)}});
    Json not_compared = Json::array();
    for (const auto& object : r.not_compared)
        not_compared.push_back(Json{{"kind", object.kind}, {"name", object.name}, {"table", object.table},
                                    {"text", to_string(object)}});
    return Json{{"against", r.against == Against::head ? "head" : "db"},
                {"dialect", r.dialect},
                {"revision", r.revision},
                {"equal", r.difference_count() == 0},
                {"difference_count", r.difference_count()},
                {"comparisons", comparisons},
                {"skipped", r.skipped},
                {"not_compared", not_compared},
                {"warnings", r.warnings}};
}

void print_report(const CheckReport& r, const CheckOptions& o, bool quiet) {
    if (o.json) {
        fmt::print("{}\n", report_json(r).dump(2));
        std::fflush(stdout);
        return;
    }
    for (const auto& c : r.comparisons)
        for (const auto& line : autogen::difference_lines(c.differences)) {
            if (r.against == Against::db)
                fmt::print("{}: {}\n", c.name, line);
            else
                fmt::print("{}\n", line);
        }
    std::fflush(stdout);
    for (const auto& w : r.warnings) fmt::print(stderr, "retort: {} {}\n", warning_label(), w);
    if (quiet) return;
    for (const auto& s : r.skipped) fmt::print(stderr, "retort: skipped: {}\n", s);
    if (!r.not_compared.empty()) {
        std::string list;
        for (const auto& object : r.not_compared) list += (list.empty() ? "" : ", ") + to_string(object);
        fmt::print(stderr, "retort: not compared: {}\n", list);
    }
    if (r.difference_count() == 0) {
        for (const auto& c : r.comparisons) fmt::print("No differences: {} match {}\n", c.target, c.current);
        if (r.comparisons.empty()) fmt::print("The migrations replay cleanly to {}\n", at_text(r.revision));
    }
}

[[noreturn]] void fail_drift(const CheckReport& r) {
    std::string what;
    for (const auto& c : r.comparisons) {
        if (c.differences.empty()) continue;
        if (!what.empty()) what += "; ";
        what += c.target + " differs from " + c.current + ": " + std::to_string(c.differences.size()) +
                (c.differences.size() == 1 ? " difference" : " differences");
    }
    std::string hint = r.against == Against::head
                           ? "write a migration for them: retort revision --autogenerate -m \"<message>\" (or change "
                             "the models back)"
                           : "a \"database:\" line is a change made outside the migrations: undo it by hand, or "
                             "write a migration that makes it and `retort stamp` it; a \"models:\" line needs a "
                             "migration: retort revision --autogenerate -m \"<message>\"";
    throw Error(ErrorKind::drift, what, hint);
}

CheckReport run_check(const CheckOptions& o, Context& ctx) {
    if (o.against == "head") return check_head(o, ctx);
    if (o.against == "db") return check_db(o, ctx);
    throw Error(ErrorKind::usage, "--against must be head or db, not \"" + o.against + "\"");
}

}  // namespace

void setup_check(CLI::App& app, Context& ctx) {
    auto o = std::make_shared<CheckOptions>();
    auto* cmd = app.add_subcommand("check", "Compare the models with the migrations (exit 3 when they differ)");
    add_models_options(*cmd, o->models);
    cmd->add_option("--against", o->against,
                    "head: the models against the migrations' head, replayed (default); db: the live database "
                    "against its migrations, and against the models when it is at head")
        ->check(CLI::IsMember({"head", "db"}));
    cmd->add_flag("--json", o->json, "print the report as JSON");
    cmd->add_flag("--allow-multiple-heads", o->allow_multiple_heads,
                  "compare the models with all heads applied instead of failing when there are several");
    cmd->add_flag("--no-models", o->no_models,
                  "check the migrations alone: they replay to head and there is one head (the build's check "
                  "when it has no models)");
    cmd->callback([o, &ctx] {
        if (o->no_models && o->against != "head")
            throw Error(ErrorKind::usage, "--no-models goes with --against head only");
        CheckReport report = run_check(*o, ctx);
        print_report(report, *o, ctx.options().quiet);
        if (report.difference_count() > 0) fail_drift(report);  // exit 3
    });
}

}  // namespace retort::cli
