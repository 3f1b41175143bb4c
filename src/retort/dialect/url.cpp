#include <retort/dialect/url.hpp>

#include <retort/error.hpp>

#include <cctype>
#include <charconv>

namespace retort {

namespace {

const char* const forms =
    "expected sqlite:///relative/path.db, sqlite:////absolute/path.db, sqlite:///:memory: or "
    "postgresql://user:password@host:port/database";

int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

std::string decode(std::string_view s, std::string_view whole) {
    std::string out;
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '%') {
            if (i + 2 >= s.size() || hex_value(s[i + 1]) < 0 || hex_value(s[i + 2]) < 0)
                throw Error(ErrorKind::config,
                            "malformed database URL \"" + mask_passwords(whole) + "\": bad percent-escape", forms);
            out += static_cast<char>(hex_value(s[i + 1]) * 16 + hex_value(s[i + 2]));
            i += 2;
        } else {
            out += s[i];
        }
    }
    return out;
}

std::string encode(std::string_view s) {
    static const char* hex = "0123456789ABCDEF";
    std::string out;
    for (unsigned char c : s) {
        if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
            out += static_cast<char>(c);
        } else {
            out += '%';
            out += hex[c >> 4];
            out += hex[c & 15];
        }
    }
    return out;
}

}  // namespace

Url Url::parse(std::string_view text) {
    auto bad = [&](const std::string& why) {
        return Error(ErrorKind::config, "malformed database URL \"" + mask_passwords(text) + "\": " + why, forms);
    };
    if (text.empty()) throw bad("it is empty");
    auto sep = text.find("://");
    if (sep == std::string_view::npos || sep == 0) throw bad("no scheme:// at the start");
    Url url;
    std::string scheme(text.substr(0, sep));
    for (auto& c : scheme) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (auto plus = scheme.find('+'); plus != std::string::npos) scheme.resize(plus);  // postgresql+psycopg2
    if (scheme == "postgres") scheme = "postgresql";
    if (scheme == "sqlite3") scheme = "sqlite";
    url.scheme = scheme;
    std::string_view rest = text.substr(sep + 3);

    std::string_view query;
    if (auto q = rest.find('?'); q != std::string_view::npos) {
        query = rest.substr(q + 1);
        rest = rest.substr(0, q);
    }
    while (!query.empty()) {
        auto amp = query.find('&');
        std::string_view pair = query.substr(0, amp);
        query = amp == std::string_view::npos ? std::string_view{} : query.substr(amp + 1);
        if (pair.empty()) continue;
        auto eq = pair.find('=');
        if (eq == std::string_view::npos) throw bad("query parameter \"" + std::string(pair) + "\" has no value");
        url.query[decode(pair.substr(0, eq), text)] = decode(pair.substr(eq + 1), text);
    }

    if (url.scheme == "sqlite") {
        // sqlite:// + host (always empty) + "/" + path; "sqlite://" alone is in memory.
        if (rest.empty()) {
            url.database = ":memory:";
            return url;
        }
        if (rest.front() != '/') throw bad("a SQLite URL has three slashes before a relative path, four before an absolute one");
        url.database = decode(rest.substr(1), text);
        if (url.database.empty()) url.database = ":memory:";
        return url;
    }

    // authority / path
    auto slash = rest.find('/');
    std::string_view authority = rest.substr(0, slash);
    std::string_view path = slash == std::string_view::npos ? std::string_view{} : rest.substr(slash + 1);
    if (auto at = authority.rfind('@'); at != std::string_view::npos) {
        std::string_view userinfo = authority.substr(0, at);
        authority = authority.substr(at + 1);
        if (auto colon = userinfo.find(':'); colon != std::string_view::npos) {
            url.user = decode(userinfo.substr(0, colon), text);
            url.password = decode(userinfo.substr(colon + 1), text);
        } else {
            url.user = decode(userinfo, text);
        }
    }
    std::string_view hostport = authority;
    if (!hostport.empty() && hostport.front() == '[') {  // [ipv6]:port
        auto close = hostport.find(']');
        if (close == std::string_view::npos) throw bad("unclosed [ in the host");
        url.host = std::string(hostport.substr(1, close - 1));
        hostport = hostport.substr(close + 1);
        if (!hostport.empty() && hostport.front() != ':') throw bad("unexpected text after the host");
        hostport = hostport.empty() ? hostport : hostport.substr(1);
        if (!hostport.empty()) {
            int port = 0;
            auto [p, ec] = std::from_chars(hostport.data(), hostport.data() + hostport.size(), port);
            if (ec != std::errc{} || p != hostport.data() + hostport.size() || port <= 0 || port > 65535)
                throw bad("port \"" + std::string(hostport) + "\" is not a number from 1 to 65535");
            url.port = port;
        }
    } else if (auto colon = hostport.rfind(':'); colon != std::string_view::npos) {
        url.host = decode(hostport.substr(0, colon), text);
        std::string_view port_text = hostport.substr(colon + 1);
        int port = 0;
        auto [p, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
        if (port_text.empty() || ec != std::errc{} || p != port_text.data() + port_text.size() || port <= 0 ||
            port > 65535)
            throw bad("port \"" + std::string(port_text) + "\" is not a number from 1 to 65535");
        url.port = port;
    } else {
        url.host = decode(hostport, text);
    }
    url.database = decode(path, text);
    if (url.database.find('/') != std::string::npos) throw bad("the database name contains '/'");
    return url;
}

namespace {
std::string build(const Url& url, bool mask) {
    std::string out = url.scheme + "://";
    if (url.scheme == "sqlite") {
        if (url.database == ":memory:") return out + "/:memory:";
        return out + "/" + url.database;
    }
    if (!url.user.empty() || !url.password.empty()) {
        out += encode(url.user);
        if (!url.password.empty()) out += ":" + (mask ? std::string("***") : encode(url.password));
        out += "@";
    }
    if (url.host.find(':') != std::string::npos)
        out += "[" + url.host + "]";
    else
        out += encode(url.host);
    if (url.port) out += ":" + std::to_string(url.port);
    out += "/" + encode(url.database);
    bool first = true;
    for (const auto& [k, v] : url.query) {
        out += first ? "?" : "&";
        first = false;
        bool secret = k == "password" || k == "sslpassword";
        out += encode(k) + "=" + (mask && secret ? std::string("***") : encode(v));
    }
    return out;
}
}  // namespace

std::string Url::masked() const { return build(*this, true); }
std::string Url::str() const { return build(*this, false); }

std::string mask_passwords(std::string_view text) {
    // scheme://user:SECRET@host  ->  scheme://user:***@host ; also password=SECRET in a query
    std::string out(text);
    std::size_t pos = 0;
    while ((pos = out.find("://", pos)) != std::string::npos) {
        std::size_t start = pos + 3;
        std::size_t end = out.find_first_of("/?# \t\n\"'", start);
        if (end == std::string::npos) end = out.size();
        std::size_t at = out.rfind('@', end);
        if (at != std::string::npos && at >= start) {
            std::size_t colon = out.find(':', start);
            if (colon != std::string::npos && colon < at) {
                out.replace(colon + 1, at - colon - 1, "***");
                end = colon + 1 + 3 + (end - at);
            }
        }
        pos = start;
    }
    for (std::string key : {"password=", "sslpassword="}) {
        std::size_t p = 0;
        while ((p = out.find(key, p)) != std::string::npos) {
            std::size_t v = p + key.size();
            std::size_t e = out.find_first_of("& \t\n\"'", v);
            if (e == std::string::npos) e = out.size();
            out.replace(v, e - v, "***");
            p = v + 3;
        }
    }
    return out;
}

}  // namespace retort
