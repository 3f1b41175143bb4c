// What the CLI tests share besides running `retort`: quoting for the shell,
// reading a file whole, and a scratch folder per test.
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <system_error>
#include <unistd.h>

namespace cli_files {

namespace fs = std::filesystem;

inline std::string shell_quote(const std::string& s) {
    std::string out = "'";
    for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return out + "'";
}

inline std::string read_text(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

/// A folder of its own under the temporary directory, named after `tag`, the
/// process and the running test, removed at the end.
class Scratch {
public:
    explicit Scratch(const std::string& tag = "cli") {
        static int counter = 0;
        const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
        m_dir = fs::temp_directory_path() / ("retort_" + tag + "_" + std::to_string(::getpid()) + "_" +
                                             std::to_string(counter++) + (info ? "_" + std::string(info->name()) : ""));
        fs::remove_all(m_dir);
        fs::create_directories(m_dir);
    }
    ~Scratch() {
        std::error_code ec;
        fs::remove_all(m_dir, ec);
    }
    Scratch(const Scratch&) = delete;
    Scratch& operator=(const Scratch&) = delete;
    const fs::path& dir() const { return m_dir; }
    const fs::path& path() const { return m_dir; }
    fs::path operator/(const std::string& name) const { return m_dir / name; }

private:
    fs::path m_dir;
};

}  // namespace cli_files
