// Upgrades both of its databases at start-up, then prints where they are.
#include <retort/embed.hpp>
#include <retort/error.hpp>

#include <cstdio>
#include <string>

int main(int argc, char** argv) {
    const std::string dir = argc > 1 ? argv[1] : ".";
    try {
        retort::EmbedOptions shop;
        shop.set = "shop";
        retort::EmbedOptions audit;
        audit.set = "audit";
        audit.version_table = "audit_version";
        auto s = retort::upgrade_to_head("sqlite:///" + dir + "/app-shop.db", shop);
        auto a = retort::upgrade_to_head("sqlite:///" + dir + "/app-audit.db", audit);
        std::printf("shop at %s (%zu migrations), audit at %s (%zu migrations)\n", s.front().c_str(),
                    retort::linked_migration_count("shop"), a.front().c_str(),
                    retort::linked_migration_count("audit"));
        return 0;
    } catch (const retort::Error& e) {
        std::fprintf(stderr, "shop: %s\n", e.describe().c_str());
        return 1;
    }
}
