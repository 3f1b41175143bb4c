#include <retort/runtime/render_check.hpp>

#include <retort/error.hpp>
#include <retort/runtime/replay.hpp>

namespace retort {

namespace {

/// Renders `ops` in order against `schema`, applying each after it renders.
void render_all(const Revision& r, const char* direction, std::vector<Op> ops, Schema& schema,
                const Dialect& dialect, std::vector<RenderProblem>& out) {
    for (Op& op : ops) {
        if (!applies_to(op, dialect.name()) || std::holds_alternative<RunData>(op.variant())) continue;
        try {
            if (replayable(op)) resolve(op, schema);
            dialect.render(op, schema);
            if (replayable(op)) apply(op, schema);
        } catch (const std::exception& e) {
            out.push_back({r.id, r.source_file, direction, describe(op), e.what()});
            try {
                if (replayable(op)) apply(op, schema);  // keep going with the op's effect, when it has one
            } catch (const std::exception&) {
            }
        }
    }
}

}  // namespace

std::vector<RenderProblem> check_renders(const RevisionGraph& graph, const Dialect& dialect) {
    std::vector<RenderProblem> out;
    Replayer replayer(graph);
    Schema schema;
    for (const auto& r : graph.revisions()) {  // parents first
        std::vector<Op> resolved;
        try {
            Schema before = schema;
            resolved = replayer.apply_upgrade(r, before);
        } catch (const std::exception& e) {
            out.push_back({r.id, r.source_file, "upgrade", "", e.what()});
            continue;
        }
        Schema after = schema;
        render_all(r, "upgrade", replayer.upgrade_ops(r), after, dialect, out);
        if (!r.irreversible) {
            std::vector<Op> down;
            try {
                down = replayer.downgrade_ops(r, &resolved);
            } catch (const std::exception&) {
                // An irreversible op: the downgrade is refused at run time, with its own message.
            }
            Schema back = after;
            render_all(r, "downgrade", std::move(down), back, dialect, out);
        }
        schema = std::move(after);
    }
    return out;
}

Error render_problems_error(const std::vector<RenderProblem>& problems, const Dialect& dialect) {
    std::string text = std::to_string(problems.size()) + " op" + (problems.size() == 1 ? "" : "s") +
                       " of the migrations cannot be expressed in " + std::string(dialect.name()) + ":";
    for (const auto& p : problems) {
        text += "\n  " + p.revision + " " + p.direction;
        if (!p.op.empty()) text += ": " + p.op;
        text += ": " + p.message;
        if (!p.file.empty()) text += "\n    file: " + p.file;
    }
    Error e(ErrorKind::migration, text,
            "write what this dialect lacks for the other one only (sql(...).only(\"...\") with its schema_effect), "
            "or change the op; with DIALECTS in retort_add_migrations() every op must render in every dialect");
    if (problems.size() == 1) e.with_revision(problems[0].revision).with_file(problems[0].file).with_op(problems[0].op);
    return e;
}

}  // namespace retort
