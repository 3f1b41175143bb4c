#include "writer.hpp"

#include <retort/error.hpp>

#include <cctype>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <random>

namespace fs = std::filesystem;

namespace retort::cli {

std::string new_revision_id() {
    std::random_device rd;
    std::mt19937_64 gen((static_cast<unsigned long long>(rd()) << 32) ^ rd() ^
                        static_cast<unsigned long long>(std::time(nullptr)));
    static const char* hex = "0123456789abcdef";
    std::string id;
    for (int i = 0; i < 12; ++i) id += hex[gen() & 15];
    return id;
}

std::string local_now() {
    std::time_t t = std::time(nullptr);
    std::tm tm{};
    localtime_r(&t, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S", &tm);
    return buf;
}

std::string cpp_literal(const std::string& s) {
    std::string out = "\"";
    for (char c : s) {
        switch (c) {
        case '"': out += "\\\""; break;
        case '\\': out += "\\\\"; break;
        case '\n': out += "\\n"; break;
        case '\t': out += "\\t"; break;
        default: out += c;
        }
    }
    return out + "\"";
}

namespace {

std::string slug(const std::string& message) {
    std::string out;
    for (char c : message) {
        unsigned char u = static_cast<unsigned char>(c);
        if (std::isalnum(u)) {
            out += static_cast<char>(std::tolower(u));
        } else if (!out.empty() && out.back() != '_') {
            out += '_';
        }
        if (out.size() >= 40) break;
    }
    while (!out.empty() && out.back() == '_') out.pop_back();
    return out.empty() ? "revision" : out;
}

std::string list_literal(const std::vector<std::string>& items) {
    if (items.size() == 1) return cpp_literal(items.front());
    std::string out = "{";
    for (std::size_t i = 0; i < items.size(); ++i) out += (i ? ", " : "") + cpp_literal(items[i]);
    return out + "}";
}

std::string comment_line(const std::string& s) {
    std::string out;
    for (char c : s) out += (c == '\n' || c == '\r') ? ' ' : c;
    return out;
}

}  // namespace

std::string migration_file_name(const NewRevision& r) {
    // create_date "YYYY-MM-DD HH:MM:SS" -> "YYYYMMDD_HHMM"
    std::string d = r.create_date;
    std::string stamp = d.size() >= 16 ? d.substr(0, 4) + d.substr(5, 2) + d.substr(8, 2) + "_" + d.substr(11, 2) +
                                             d.substr(14, 2)
                                       : "00000000_0000";
    return stamp + "-" + r.id + "_" + slug(r.message) + ".cpp";
}

std::string render_migration(const NewRevision& r) {
    std::string revises;
    for (std::size_t i = 0; i < r.down_revisions.size(); ++i) revises += (i ? ", " : "") + r.down_revisions[i];
    std::string out;
    out += "// " + comment_line(r.message.empty() ? std::string("(no message)") : r.message) + "\n";
    out += "//\n";
    out += "// Revision ID: " + r.id + "\n";
    out += "// Revises: " + revises + "\n";
    out += "// Create Date: " + r.create_date + "\n";
    out += "#include <retort/migration.hpp>\n\n";
    out += "using namespace retort;\n\n";
    out += "RETORT_MIGRATION{\n";
    out += "    .revision = " + cpp_literal(r.id) + ",\n";
    if (!r.down_revisions.empty()) out += "    .down_revision = " + list_literal(r.down_revisions) + ",\n";
    if (!r.branch_labels.empty()) out += "    .branch_labels = " + list_literal(r.branch_labels) + ",\n";
    if (!r.depends_on.empty()) out += "    .depends_on = " + list_literal(r.depends_on) + ",\n";
    out += "    .message = " + cpp_literal(r.message) + ",\n";
    out += "    .create_date = " + cpp_literal(r.create_date) + ",\n";
    out += "    .upgrade = [](Ops& op) {\n" + r.upgrade_body + "    },\n";
    out += "    .downgrade = [](Ops& op) {\n" + r.downgrade_body + "    },\n";
    out += "};\n";
    return out;
}

std::string write_migration(const std::string& dir, const NewRevision& r) {
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec) throw Error(ErrorKind::config, "cannot create the migrations folder " + dir + ": " + ec.message());
    fs::path path = fs::path(dir) / migration_file_name(r);
    if (fs::exists(path, ec)) throw Error(ErrorKind::config, path.string() + " already exists; nothing was written");
    std::ofstream out(path);
    out << render_migration(r);
    out.close();
    if (!out) throw Error(ErrorKind::config, "cannot write " + path.string());
    return path.string();
}

}  // namespace retort::cli
