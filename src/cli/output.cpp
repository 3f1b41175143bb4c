#include "output.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <cstdlib>
#include <unistd.h>

namespace retort::cli {

namespace {
const bool* g_no_color = nullptr;
}  // namespace

void watch_no_color(const bool& no_color_flag) { g_no_color = &no_color_flag; }

bool use_color(Stream stream, bool no_color_flag) {
    if (no_color_flag || (g_no_color && *g_no_color)) return false;
    if (const char* nc = std::getenv("NO_COLOR"); nc && *nc) return false;
    return isatty(stream == Stream::out ? STDOUT_FILENO : STDERR_FILENO) != 0;
}

bool use_color(bool no_color_flag) { return use_color(Stream::out, no_color_flag); }

std::string paint(std::string_view text, Color color, bool on) {
    if (!on) return std::string(text);
    const char* code = "";
    switch (color) {
    case Color::red: code = "\x1b[1;31m"; break;
    case Color::green: code = "\x1b[32m"; break;
    case Color::yellow: code = "\x1b[33m"; break;
    case Color::cyan: code = "\x1b[36m"; break;
    case Color::bold: code = "\x1b[1m"; break;
    case Color::dim: code = "\x1b[2m"; break;
    }
    return code + std::string(text) + "\x1b[0m";
}

std::string warning_label() { return paint("warning:", Color::yellow, use_color(Stream::err, false)); }
std::string error_label() { return paint("error:", Color::red, use_color(Stream::err, false)); }

nlohmann::json revision_json(const RevisionGraph& graph, const Revision& r) {
    auto children = graph.children(r.id);
    return nlohmann::json{{"id", r.id},
                          {"parents", r.down_revisions},
                          {"branch_labels", r.branch_labels},
                          {"depends_on", r.depends_on},
                          {"message", r.message},
                          {"create_date", r.create_date},
                          {"file", r.source_file},
                          {"head", children.empty()},
                          {"branch_point", children.size() > 1},
                          {"merge_point", r.down_revisions.size() > 1},
                          {"irreversible", r.irreversible}};
}

void print_json(const nlohmann::json& document) {
    fmt::print("{}\n", document.dump(2));
    std::fflush(stdout);
}

std::string join(const std::vector<std::string>& items, std::string_view sep) {
    std::string out;
    for (const auto& s : items) {
        if (!out.empty()) out += sep;
        out += s;
    }
    return out;
}

std::vector<std::string> sorted(std::vector<std::string> items) {
    std::sort(items.begin(), items.end());
    return items;
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

std::string revision_tags(const RevisionGraph& graph, const Revision& r, const std::vector<std::string>& current,
                          bool color) {
    std::string out = paint(r.id, Color::yellow, color);
    if (!r.branch_labels.empty()) {
        out += " (";
        for (std::size_t i = 0; i < r.branch_labels.size(); ++i) out += (i ? ", " : "") + r.branch_labels[i];
        out += ")";
    }
    if (graph.children(r.id).empty()) out += " " + paint("(head)", Color::green, color);
    if (graph.children(r.id).size() > 1) out += " (branchpoint)";
    if (r.down_revisions.size() > 1) out += " (mergepoint)";
    if (contains(current, r.id)) out += " " + paint("(current)", Color::cyan, color);
    return out;
}

std::string history_line(const RevisionGraph& graph, const Revision& r, const std::vector<std::string>& current,
                         bool color) {
    return parents_text(r) + " -> " + revision_tags(graph, r, current, color) + ", " + r.message;
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

ProgressLine::ProgressLine(bool enabled) : m_active(enabled && isatty(STDERR_FILENO) != 0) {
    if (!m_active) return;
    m_start = std::chrono::steady_clock::now();
    m_ticker = std::thread([this] { tick(); });
}

ProgressLine::~ProgressLine() {
    if (!m_active) return;
    {
        std::lock_guard lock(m_mutex);
        m_stop = true;
        clear_locked();
    }
    m_wake.notify_all();
    m_ticker.join();
}

void ProgressLine::draw_locked() {
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - m_start).count();
    if (seconds < 1.0 || m_what.empty()) return;  // short runs never see it
    fmt::print(stderr, "\r\x1b[K{}, {:.1f} s", m_what, seconds);
    std::fflush(stderr);
    m_shown = true;
}

void ProgressLine::clear_locked() {
    if (!m_shown) return;
    fmt::print(stderr, "\r\x1b[K");
    std::fflush(stderr);
    m_shown = false;
}

void ProgressLine::tick() {
    std::unique_lock lock(m_mutex);
    while (!m_stop) {
        m_wake.wait_for(lock, std::chrono::milliseconds(200));
        if (!m_stop) draw_locked();
    }
}

void ProgressLine::on_step(const StepEvent& e, bool quiet) {
    if (!m_active) {
        print_step(e, quiet);
        return;
    }
    if (e.phase != StepEvent::Phase::start) return;
    std::lock_guard lock(m_mutex);
    clear_locked();
    print_step(e, quiet);
    const Revision& r = *e.revision;
    std::string message = r.message.size() > 40 ? std::string(r.message.substr(0, 37)) + "..." : std::string(r.message);
    m_what = fmt::format("retort: {} {} of {} ({} {})", e.direction == Direction::upgrade ? "upgrade" : "downgrade",
                         e.index, e.total, r.id, message);
    draw_locked();
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
