// The canonical form of recorded ops and the checksums built on it: stable text,
// defaults left out, and every declared change (and only a declared change)
// changes the checksum.
#include <retort/ops/builder_data.hpp>
#include <retort/ops/canonical.hpp>
#include <retort/runtime/checksum.hpp>

#include <gtest/gtest.h>

namespace {

using namespace retort;

void books(Ops& op) {
    op.create_table("books", {
        col("id", integer()).primary_key(),
        col("title", varchar(300)).not_null(),
        col("price", numeric(10, 2)).server_default("0"),
    });
}

TEST(CanonicalOps, IsCompactSortedJsonWithDefaultsLeftOut) {
    EXPECT_EQ(canonical_ops(record_ops(books)),
              R"([{"op":"create_table","table":{"columns":[{"name":"id","not_null":true,"type":{"kind":"integer"}},)"
              R"({"name":"title","not_null":true,"type":{"kind":"varchar","length":300}},)"
              R"({"default":"0","name":"price","type":{"kind":"numeric","length":10,"scale":2}}],)"
              R"("constraints":[{"columns":["id"],"kind":"primary_key","name":"pk_books"}],"name":"books"}}])");
    EXPECT_EQ(canonical_ops(record_ops([](Ops& op) { op.drop_column("books", "isbn"); })),
              R"([{"column":"isbn","op":"drop_column","table":"books"}])");
    EXPECT_EQ(canonical_ops({}), "[]");
}

TEST(CanonicalOps, DataStepsAreDescribedNotSerialized) {
    auto ops = record_ops([](Ops& op) {
        op.run(data([](Connection&) {}).down([](Connection&) {}).lossy());
        op.execute(sql("UPDATE books SET price = 0").only("sqlite"));
    });
    EXPECT_EQ(canonical_ops(ops), R"([{"down":true,"lossy":true,"op":"run_data"},)"
                                  R"({"down":null,"only":"sqlite","op":"execute","up":"UPDATE books SET price = 0"}])");
}

TEST(CanonicalOps, TheSameDeclarationsGiveTheSameTextAndOthersAnother) {
    EXPECT_EQ(canonical_ops(record_ops(books)), canonical_ops(record_ops(books)));
    auto widened = record_ops([](Ops& op) { op.alter_column("books", "title", change().type(varchar(400))); });
    auto narrowed = record_ops([](Ops& op) { op.alter_column("books", "title", change().type(varchar(200))); });
    EXPECT_NE(canonical_ops(widened), canonical_ops(narrowed));
}

TEST(Checksum, CoversTheFileTheUpgradeTheDowngradeAndIrreversibility) {
    const std::string file(64, 'a');
    auto up = record_ops(books);
    auto down = record_ops([](Ops& op) { op.drop_table("books"); });
    const std::string base = revision_checksum(file, up, down, false);
    EXPECT_EQ(base.size(), 64u);
    EXPECT_EQ(base, revision_checksum(file, record_ops(books), down, false)) << "deterministic";
    EXPECT_NE(base, revision_checksum(std::string(64, 'b'), up, down, false)) << "the file";
    EXPECT_NE(base, revision_checksum(file, record_ops([](Ops& op) { op.drop_table("x"); }), down, false)) << "upgrade";
    EXPECT_NE(base, revision_checksum(file, up, std::nullopt, false)) << "a derived downgrade";
    EXPECT_NE(base, revision_checksum(file, up, down, true)) << "irreversible";
}

TEST(Checksum, TheSourceHashComesFromTheBuildElseFromTheFile) {
    Revision r;
    r.source_sha256 = std::string(64, 'c');
    EXPECT_EQ(source_sha256(r), std::string(64, 'c'));
    Revision missing;
    missing.source_file = "/nonexistent/retort/migration.cpp";
    EXPECT_EQ(source_sha256(missing), std::nullopt);
    Revision none;
    EXPECT_EQ(source_sha256(none), std::nullopt);
}

TEST(Checksum, SqlChecksumHashesTheStatements) {
    EXPECT_EQ(sql_checksum({"CREATE TABLE t (a INTEGER)"}), sql_checksum({"CREATE TABLE t (a INTEGER)"}));
    EXPECT_NE(sql_checksum({"CREATE TABLE t (a INTEGER)"}), sql_checksum({"CREATE TABLE t (a BIGINT)"}));
    // "e3b0..." is the SHA-256 of nothing.
    EXPECT_EQ(sql_checksum({}), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

}  // namespace
