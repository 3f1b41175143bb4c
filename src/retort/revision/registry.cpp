// The registry RETORT_MIGRATION writes to. It lives in libretort_core, shared by
// the CLI and every plugin it loads, so there is exactly one copy of it.
#include <retort/revision/revision.hpp>

#include <deque>
#include <map>
#include <mutex>

namespace retort {

namespace {

struct Registry {
    std::mutex mutex;
    std::map<std::string, std::vector<Revision>, std::less<>> sets;
    // set -> file name -> SHA-256, as the build recorded them (the manifest's
    // constant data, as register_source_file's contract says)
    std::map<std::string, std::map<std::string, const char*, std::less<>>, std::less<>> hashes;
    // set -> file name -> indexes into sets[set]: registering a file's hash finds
    // its revisions without scanning them all (an application's manifest registers N
    // of each). Built when the first hash arrives after revisions, then kept up to
    // date: a plugin's hashes are applied by Plugin::load, which needs none of it.
    struct FileIndex {
        std::multimap<std::string, std::size_t, std::less<>> files;
        std::size_t indexed = 0;  // sets[set][0, indexed) are in `files`
    };
    std::map<std::string, FileIndex, std::less<>> by_file;
};

constexpr std::size_t initial_capacity = 16384;  // revisions per set

Registry& registry() {
    static Registry r;
    return r;
}

std::vector<std::string> to_vector(const RevisionList& list) {
    std::vector<std::string> out;
    out.reserve(list.size());
    for (std::size_t i = 0; i < list.size(); ++i)
        if (list[i]) out.emplace_back(list[i]);
    return out;
}

}  // namespace

namespace detail {

// Runs during static initialization (of a plugin at dlopen, or of an application):
// it must not throw. Problems (a missing id) surface when the graph is built.
Registered register_migration_abi2(const char* set, const char* file, const MigrationDef& def) {
    Revision r;
    r.id = def.revision ? def.revision : "";
    r.down_revisions = to_vector(def.down_revision);
    r.branch_labels = to_vector(def.branch_labels);
    r.depends_on = to_vector(def.depends_on);
    // The migration's literals: they live as long as its plugin or application.
    r.message = def.message;
    r.create_date = def.create_date;
    r.source_file = file;
    r.upgrade = def.upgrade;
    r.downgrade = def.downgrade;
    r.irreversible = def.irreversible;
    r.acknowledge = to_vector(def.acknowledge);
    const std::string set_name = set ? set : "default";
    Registry& reg = registry();
    std::lock_guard lock(reg.mutex);
    if (auto hs = reg.hashes.find(set_name); hs != reg.hashes.end())
        if (auto h = hs->second.find(source_file_name(r.source_file)); h != hs->second.end())
            r.source_sha256 = h->second;
    auto& revisions = reg.sets[set_name];
    // Room for a long history from the start: the vector never reallocates (which
    // moved every revision into fresh memory at each doubling), and the room is
    // address space only until it is written (a large allocation is mapped lazily).
    if (revisions.capacity() == 0) revisions.reserve(initial_capacity);
    revisions.push_back(std::move(r));
    return {};
}

void register_source_file(const char* set, const char* file_name, const char* sha256) noexcept {
    if (!file_name || !sha256) return;
    try {
        const std::string set_name = set ? set : "default";
        Registry& reg = registry();
        std::lock_guard lock(reg.mutex);
        reg.hashes[set_name][file_name] = sha256;
        auto it = reg.sets.find(set_name);
        if (it != reg.sets.end()) {
            auto& revisions = it->second;
            auto& index = reg.by_file[set_name];
            for (; index.indexed < revisions.size(); ++index.indexed)
                index.files.emplace(source_file_name(revisions[index.indexed].source_file), index.indexed);
            auto [first, last] = index.files.equal_range(std::string_view(file_name));
            for (auto f = first; f != last; ++f) revisions[f->second].source_sha256 = sha256;
        }
    } catch (...) {
        // Out of memory during static initialization: the checksum falls back to
        // hashing the file, or is left out; nothing worth terminating for.
    }
}

std::vector<Revision> take_registered_revisions(std::string_view set) {
    Registry& reg = registry();
    std::lock_guard lock(reg.mutex);
    auto it = reg.sets.find(set);
    if (it == reg.sets.end()) return {};
    std::vector<Revision> out = std::move(it->second);
    reg.sets.erase(it);
    if (auto files = reg.by_file.find(set); files != reg.by_file.end()) reg.by_file.erase(files);
    return out;
}

}  // namespace detail

const std::vector<Revision>& registered_revisions(std::string_view set) {
    static const std::vector<Revision> none;
    Registry& reg = registry();
    std::lock_guard lock(reg.mutex);
    auto it = reg.sets.find(set);
    return it == reg.sets.end() ? none : it->second;
}

StaticText keep_text(std::string_view text) {
    static std::mutex mutex;
    static std::deque<std::string> kept;  // never shrinks: views of it stay valid
    std::lock_guard lock(mutex);
    return StaticText(std::string_view(kept.emplace_back(text)));
}

std::string_view source_file_name(std::string_view path) {
    // A plain backward scan: find_last_of() searches its set of two characters for
    // every character of the path, a tenth of a read-only command's own work at
    // 3000 revisions (this runs twice per revision).
    std::size_t i = path.size();
    while (i > 0 && path[i - 1] != '/' && path[i - 1] != '\\') --i;
    return path.substr(i);
}

std::vector<std::string> registered_sets() {
    Registry& reg = registry();
    std::lock_guard lock(reg.mutex);
    std::vector<std::string> out;
    for (const auto& [name, _] : reg.sets) out.push_back(name);
    return out;
}

}  // namespace retort
