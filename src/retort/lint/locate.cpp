// Finding ops in migration source text (see locate.hpp).
#include <retort/lint/locate.hpp>

#include <algorithm>
#include <cctype>
#include <optional>
#include <string>

namespace retort {

namespace {

bool ident_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

/// The end of the string or character literal starting at `i` (a quote, or the R
/// of a raw string), one past its closing quote.
std::size_t skip_literal(std::string_view s, std::size_t i) {
    if (s[i] == 'R' && i + 1 < s.size() && s[i + 1] == '"') {
        std::size_t open = s.find('(', i + 2);
        if (open == std::string_view::npos) return s.size();
        std::string close = ")" + std::string(s.substr(i + 2, open - i - 2)) + "\"";
        std::size_t end = s.find(close, open + 1);
        return end == std::string_view::npos ? s.size() : end + close.size();
    }
    const char quote = s[i];
    for (std::size_t j = i + 1; j < s.size(); ++j) {
        if (s[j] == '\\') {
            ++j;
            continue;
        }
        if (s[j] == quote || s[j] == '\n') return j + 1;
    }
    return s.size();
}

bool raw_string_start(std::string_view s, std::size_t i) {
    return s[i] == 'R' && i + 1 < s.size() && s[i + 1] == '"' && (i == 0 || !ident_char(s[i - 1]));
}

/// The text with comments blanked out (newlines kept, so lines still count).
std::string without_comments(std::string_view text) {
    std::string out(text);
    std::size_t i = 0;
    while (i < out.size()) {
        const char c = out[i];
        if (c == '"' || c == '\'' || raw_string_start(out, i)) {
            // A digit separator (1'000) is not a character literal.
            if (c == '\'' && i > 0 && std::isxdigit(static_cast<unsigned char>(out[i - 1]))) {
                ++i;
                continue;
            }
            i = skip_literal(out, i);
        } else if (c == '/' && i + 1 < out.size() && out[i + 1] == '/') {
            while (i < out.size() && out[i] != '\n') out[i++] = ' ';
        } else if (c == '/' && i + 1 < out.size() && out[i + 1] == '*') {
            std::size_t end = out.find("*/", i + 2);
            end = end == std::string::npos ? out.size() : end + 2;
            for (; i < end; ++i)
                if (out[i] != '\n') out[i] = ' ';
        } else {
            ++i;
        }
    }
    return out;
}

/// One past the ')' matching the '(' at `open`.
std::size_t matching_paren(std::string_view s, std::size_t open) {
    int depth = 0;
    std::size_t i = open;
    while (i < s.size()) {
        const char c = s[i];
        if (c == '"' || raw_string_start(s, i)) {
            i = skip_literal(s, i);
            continue;
        }
        if (c == '(') ++depth;
        if (c == ')' && --depth == 0) return i + 1;
        ++i;
    }
    return s.size();
}

std::size_t next_non_space(std::string_view s, std::size_t i) {
    while (i < s.size() && std::isspace(static_cast<unsigned char>(s[i]))) ++i;
    return i;
}

/// The position of `.name =` (a designated initializer) in [from, to), or npos.
std::size_t find_designator(std::string_view s, std::size_t from, std::size_t to, std::string_view name) {
    std::string needle = "." + std::string(name);
    for (std::size_t at = s.find(needle, from); at != std::string_view::npos && at < to; at = s.find(needle, at + 1)) {
        std::size_t after = at + needle.size();
        if (after < s.size() && ident_char(s[after])) continue;
        std::size_t eq = next_non_space(s, after);
        if (eq < s.size() && s[eq] == '=' && (eq + 1 >= s.size() || s[eq + 1] != '=')) return at;
    }
    return std::string_view::npos;
}

struct Call {
    std::size_t name;  // where the builder's name starts
    std::size_t end;   // one past its closing parenthesis
};

/// The next call `name(...)` in [from, to) whose arguments hold `"table"` (when
/// `table` is not empty).
std::optional<Call> find_call(std::string_view s, std::size_t from, std::size_t to, std::string_view name,
                              const std::string& table) {
    const std::string literal = "\"" + table + "\"";
    for (std::size_t at = s.find(name, from); at != std::string_view::npos && at < to; at = s.find(name, at + 1)) {
        if (at > 0 && ident_char(s[at - 1])) continue;
        std::size_t after = at + name.size();
        if (after < s.size() && ident_char(s[after])) continue;
        std::size_t open = next_non_space(s, after);
        if (open >= s.size() || s[open] != '(') continue;
        std::size_t end = matching_paren(s, open);
        if (!table.empty() && s.substr(open, end - open).find(literal) == std::string_view::npos) continue;
        return Call{at, end};
    }
    return std::nullopt;
}

/// The builder calls that record an op, and the table its arguments name.
struct Builder {
    std::vector<std::string_view> names;
    std::string table;
};

struct BuilderOf {
    Builder operator()(const CreateTable& op) const { return {{"create_table"}, op.table.name}; }
    Builder operator()(const DropTable& op) const { return {{"drop_table"}, op.name}; }
    Builder operator()(const RenameTable& op) const { return {{"rename_table"}, op.from}; }
    Builder operator()(const SetTableComment& op) const { return {{"set_table_comment"}, op.table}; }
    Builder operator()(const AddColumn& op) const { return {{"add_column"}, op.table}; }
    Builder operator()(const DropColumn& op) const { return {{"drop_column"}, op.table}; }
    Builder operator()(const AlterColumn& op) const { return {{"alter_column", "rename_column"}, op.table}; }
    Builder operator()(const CreateIndex& op) const { return {{"create_index"}, op.table}; }
    Builder operator()(const DropIndex& op) const { return {{"drop_index"}, op.table}; }
    Builder operator()(const AddConstraint& op) const { return {{"add_constraint"}, op.table}; }
    Builder operator()(const DropConstraint& op) const { return {{"drop_constraint"}, op.table}; }
    Builder operator()(const ExecuteSql&) const { return {{"execute"}, {}}; }
    Builder operator()(const RunData&) const { return {{"run"}, {}}; }
    Builder operator()(const CreateEnum& op) const { return {{"create_enum"}, op.type.name}; }
    Builder operator()(const DropEnum& op) const { return {{"drop_enum"}, op.name}; }
    Builder operator()(const AlterEnum& op) const { return {{"alter_enum", "add_enum_value"}, op.name}; }
};

/// Whether `op` was recorded by the same add_column() call as `previous` (its
/// .unique() constraint or .index()).
bool made_by_add_column(const Op& previous, const Op& op) {
    const auto* add = std::get_if<AddColumn>(&previous.variant());
    if (!add) return false;
    auto on_column = [&](const std::vector<std::string>& columns) {
        return columns.size() == 1 && columns.front() == add->column.name;
    };
    if (const auto* c = std::get_if<AddConstraint>(&op.variant()); c && c->table == add->table)
        if (const auto* u = std::get_if<UniqueConstraint>(&c->constraint)) return on_column(u->columns);
    if (const auto* i = std::get_if<CreateIndex>(&op.variant()); i && i->table == add->table)
        return i->index.parts.size() == 1 && !i->index.parts.front().expression &&
               i->index.parts.front().text == add->column.name;
    return false;
}

}  // namespace

std::vector<int> locate_upgrade_ops(std::string_view text, std::string_view revision, const std::vector<Op>& ops) {
    const std::string code = without_comments(text);
    std::vector<std::size_t> line_starts = {0};
    for (std::size_t i = 0; i < code.size(); ++i)
        if (code[i] == '\n') line_starts.push_back(i + 1);
    auto line_of = [&](std::size_t pos) {
        return static_cast<int>(std::upper_bound(line_starts.begin(), line_starts.end(), pos) - line_starts.begin());
    };

    std::size_t begin = 0;
    if (!revision.empty())
        if (auto at = code.find("\"" + std::string(revision) + "\""); at != std::string::npos) begin = at;
    std::size_t upgrade = find_designator(code, begin, code.size(), "upgrade");
    int fallback = 0;
    if (upgrade != std::string::npos) {
        fallback = line_of(upgrade);
        begin = upgrade;
    }
    std::size_t end = find_designator(code, begin, code.size(), "downgrade");
    if (end == std::string::npos) end = code.size();

    std::vector<int> lines;
    lines.reserve(ops.size());
    std::size_t cursor = begin;
    for (std::size_t i = 0; i < ops.size(); ++i) {
        if (i > 0 && made_by_add_column(ops[i - 1], ops[i])) {
            lines.push_back(lines.back());
            continue;
        }
        Builder b = std::visit(BuilderOf{}, ops[i].variant());
        std::optional<Call> best;
        for (auto name : b.names) {
            auto call = find_call(code, cursor, end, name, b.table);
            if (call && (!best || call->name < best->name)) best = call;
        }
        if (!best) {
            lines.push_back(lines.empty() ? fallback : lines.back());
            continue;
        }
        lines.push_back(line_of(best->name));
        cursor = best->end;
    }
    return lines;
}

}  // namespace retort
