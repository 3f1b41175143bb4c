// Printing: plain text on stdout, errors on stderr, colors only on a terminal and
// without NO_COLOR; shared revision formats (Alembic's, so users feel at home);
// the JSON shapes the read verbs share (docs/cli.md, "JSON output"); the progress
// line of long runs.
#pragma once

#include <retort/revision/graph.hpp>
#include <retort/runtime/migrator.hpp>

#include <nlohmann/json.hpp>

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace retort::cli {

enum class Stream : unsigned char { out, err };

/// Whether a stream gets colors: it is a terminal, NO_COLOR is unset or empty and
/// --no-color was not given.
bool use_color(Stream stream, bool no_color_flag);
/// Whether stdout gets colors.
bool use_color(bool no_color_flag);
/// The --no-color flag every use_color() reads (app.cpp: the global option, which
/// the parser fills before any verb runs).
void watch_no_color(const bool& no_color_flag);

enum class Color : unsigned char { red, green, yellow, cyan, bold, dim };
/// `text` in `color` when `on` (ANSI escapes), else as is.
std::string paint(std::string_view text, Color color, bool on);
/// "warning:" / "error:" prefixes for stderr, colored on a terminal.
std::string warning_label();
std::string error_label();

/// A revision as the read verbs print it in JSON: id, parents, branch_labels,
/// depends_on, message, create_date, file, head, branch_point, merge_point,
/// irreversible.
nlohmann::json revision_json(const RevisionGraph& graph, const Revision& r);
/// Prints a JSON document on stdout (two-space indent) and flushes.
void print_json(const nlohmann::json& document);

/// "a1b2c3d4e5f6 (label) (head)" with optional (branchpoint)/(mergepoint)/(current);
/// with `color`, the id in yellow, (head) in green and (current) in cyan.
std::string revision_tags(const RevisionGraph& graph, const Revision& r, const std::vector<std::string>& current,
                          bool color = false);
/// "<parent> -> <id> (head), message" as `history` prints it.
std::string history_line(const RevisionGraph& graph, const Revision& r, const std::vector<std::string>& current,
                         bool color = false);
/// The multi-line block `history --verbose` and `show` print.
std::string verbose_block(const RevisionGraph& graph, const Revision& r, const std::vector<std::string>& current);
/// "base" or the heads joined by ", ".
std::string heads_text(const std::vector<std::string>& heads);
/// The items joined by `sep`.
std::string join(const std::vector<std::string>& items, std::string_view sep = ", ");
/// The items sorted.
std::vector<std::string> sorted(std::vector<std::string> items);

/// Prints the steps of a run as they happen ("Running upgrade a -> b, message").
void print_step(const StepEvent& event, bool quiet);

/// The progress line of a long run, on stderr and only on a terminal, overwritten
/// in place: "retort: upgrade 3 of 12 (2b3c4d5e6f7a add isbn to books), 4.2 s".
/// It appears once a run has lasted a second, a ticker keeps its time current
/// while a migration runs, and it is cleared before each step line and at the end.
class ProgressLine {
public:
    /// Active when `enabled` and stderr is a terminal.
    explicit ProgressLine(bool enabled);
    ProgressLine(const ProgressLine&) = delete;
    ProgressLine& operator=(const ProgressLine&) = delete;
    ~ProgressLine();

    /// Prints the step line (print_step) and updates the progress line.
    void on_step(const StepEvent& event, bool quiet);

private:
    void draw_locked();
    void clear_locked();
    void tick();

    bool m_active = false;
    std::mutex m_mutex;
    std::condition_variable m_wake;
    bool m_stop = false;
    bool m_shown = false;
    std::string m_what;
    std::chrono::steady_clock::time_point m_start;
    std::thread m_ticker;
};

}  // namespace retort::cli
