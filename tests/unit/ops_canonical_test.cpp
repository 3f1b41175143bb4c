// The canonical form of recorded ops and the checksums built on it: stable text,
// defaults left out, and every declared change (and only a declared change)
// changes the checksum.
#include <retort/ops/builder_data.hpp>
#include <retort/ops/canonical.hpp>
#include <retort/runtime/checksum.hpp>
#include <retort/schema/fingerprint.hpp>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

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

/// One op of every kind, every field away from its default, and text that JSON
/// must escape (quotes, backslashes, control characters, UTF-8).
std::vector<Op> every_kind_and_field() {
    Column full;
    full.name = "na\"me";
    full.type.kind = TypeKind::numeric;
    full.type.length = 12;
    full.type.scale = -2;
    full.type.name = "tab\there";
    full.nullable = false;
    full.server_default = "now()\n";
    full.comment = "caf\xc3\xa9 \\ \x01\x1f";
    full.identity = Identity::always;
    full.autoincrement = true;
    Column array;
    array.name = "tags";
    array.type = Type::array_of(Type{TypeKind::varchar, 20, 0, {}});
    array.identity = Identity::by_default;
    Column plain;
    plain.name = "id";

    ForeignKey fk{"fk_t_u", {"u_id", "v"}, "u", {"id", "w"}, Action::cascade, Action::set_null};
    Index index{"ix_t", {IndexPart{"lower(name)", true}, IndexPart{"id", false}}, true, "id > 0"};
    Table t;
    t.name = "t";
    t.columns = {full, array, plain};
    t.primary_key = PrimaryKey{"pk_t", {"id"}};
    t.foreign_keys = {fk};
    t.uniques = {UniqueConstraint{"uq_t", {"tags", "id"}}};
    t.checks = {CheckConstraint{"ck_t", "id <> 0 AND \"na\"\"me\" IS NOT NULL"}};
    t.indexes = {index};
    t.comment = "a \"table\"";
    Table bare;
    bare.name = "bare";
    bare.columns = {plain};

    std::vector<Op> ops;
    ops.emplace_back(CreateTable{t});
    ops.emplace_back(CreateTable{bare});
    ops.emplace_back(DropTable{"t", std::nullopt});
    ops.emplace_back(RenameTable{"a", "b"});
    ops.emplace_back(SetTableComment{"t", std::string("c"), false, std::nullopt});
    ops.emplace_back(SetTableComment{"t", std::nullopt, false, std::nullopt});
    ops.emplace_back(AddColumn{"t", full, fk});
    ops.emplace_back(AddColumn{"t", plain, std::nullopt});
    ops.emplace_back(DropColumn{"t", "c", std::nullopt, std::nullopt, {}, {}});
    AlterColumn every;
    every.table = "t";
    every.column = "c";
    every.fields = field_type | field_nullable | field_default | field_name | field_comment | field_identity;
    every.patch = full;
    ops.emplace_back(every);
    AlterColumn cleared = every;
    cleared.patch = plain;
    cleared.patch.identity = Identity::by_default;
    ops.emplace_back(cleared);
    cleared.fields = field_identity;
    cleared.patch.identity = Identity::none;
    ops.emplace_back(cleared);
    ops.emplace_back(CreateIndex{"t", index, true});
    ops.emplace_back(CreateIndex{"t", Index{"ix_plain", {IndexPart{"id", false}}, false, std::nullopt}, false});
    ops.emplace_back(DropIndex{"t", "ix_t", std::nullopt, true});
    ops.emplace_back(DropIndex{"", "ix_t", std::nullopt, false});
    ops.emplace_back(AddConstraint{"t", PrimaryKey{"", {"a", "b"}}});
    ops.emplace_back(AddConstraint{"t", fk});
    ops.emplace_back(AddConstraint{"t", ForeignKey{"fk2", {"a"}, "u", {}, Action::restrict, Action::set_default}});
    ops.emplace_back(AddConstraint{"t", UniqueConstraint{"uq", {}}});
    ops.emplace_back(AddConstraint{"t", CheckConstraint{"ck", "a > 'x'"}});
    ops.emplace_back(DropConstraint{"t", "ck", std::nullopt});
    ExecuteSql schema_sql{"CREATE VIEW v AS SELECT 1", std::string("DROP VIEW v"), SqlEffect::schema, {}, "postgresql",
                          true};
    schema_sql.equivalent.emplace_back(DropTable{"x", std::nullopt});
    schema_sql.equivalent.emplace_back(RenameTable{"y", "z"});
    ops.emplace_back(schema_sql);
    ops.emplace_back(ExecuteSql{"SELECT 1", std::nullopt, SqlEffect::opaque, {}, "", false});
    ops.emplace_back(ExecuteSql{"UPDATE t SET a = 1", std::nullopt, SqlEffect::data, {}, "", false});
    ops.emplace_back(RunData{nullptr, nullptr, false, ""});
    ops.emplace_back(RunData{nullptr, [](Connection&) {}, true, "sqlite"});
    ops.emplace_back(CreateEnum{EnumType{"mood", {"sad", "o\"k"}}});
    ops.emplace_back(CreateEnum{EnumType{"empty", {}}});
    ops.emplace_back(DropEnum{"mood", std::nullopt});
    AlterEnum add;
    add.name = "mood";
    add.add_value = "happy";
    add.add_before = "sad";
    ops.emplace_back(add);
    AlterEnum set;
    set.name = "mood";
    set.values = std::vector<std::string>{"a", "b"};
    ops.emplace_back(set);
    AlterEnum nothing;
    nothing.name = "mood";
    ops.emplace_back(nothing);
    return ops;
}

// The texts below were written by the first implementation (nlohmann::json's
// dump() of std::map objects): a checksum recorded by any build must stay the same.
TEST(CanonicalOps, EveryOpKindAndFieldHasAFixedText) {
    const std::vector<std::string> expected = {
        R"json({"op":"create_table","table":{"columns":[{"autoincrement":true,"comment":"café \\ \u0001\u001f","default":"now()\n","identity":"always","name":"na\"me","not_null":true,"type":{"kind":"numeric","length":12,"name":"tab\there","scale":-2}},{"identity":"by_default","name":"tags","type":{"element":"varchar","kind":"array","length":20}},{"name":"id","type":{"kind":"integer"}}],"comment":"a \"table\"","constraints":[{"columns":["id"],"kind":"primary_key","name":"pk_t"},{"columns":["u_id","v"],"kind":"foreign_key","name":"fk_t_u","on_delete":"cascade","on_update":"set_null","ref_columns":["id","w"],"ref_table":"u"},{"columns":["tags","id"],"kind":"unique","name":"uq_t"},{"expression":"id <> 0 AND \"na\"\"me\" IS NOT NULL","kind":"check","name":"ck_t"}],"indexes":[{"name":"ix_t","parts":[{"expression":true,"text":"lower(name)"},{"text":"id"}],"unique":true,"where":"id > 0"}],"name":"t"}})json",
        R"json({"op":"create_table","table":{"columns":[{"name":"id","type":{"kind":"integer"}}],"name":"bare"}})json",
        R"json({"op":"drop_table","table":"t"})json",
        R"json({"from":"a","op":"rename_table","to":"b"})json",
        R"json({"comment":"c","op":"set_table_comment","table":"t"})json",
        R"json({"comment":null,"op":"set_table_comment","table":"t"})json",
        R"json({"column":{"autoincrement":true,"comment":"café \\ \u0001\u001f","default":"now()\n","identity":"always","name":"na\"me","not_null":true,"type":{"kind":"numeric","length":12,"name":"tab\there","scale":-2}},"foreign_key":{"columns":["u_id","v"],"kind":"foreign_key","name":"fk_t_u","on_delete":"cascade","on_update":"set_null","ref_columns":["id","w"],"ref_table":"u"},"op":"add_column","table":"t"})json",
        R"json({"column":{"name":"id","type":{"kind":"integer"}},"op":"add_column","table":"t"})json",
        R"json({"column":"c","op":"drop_column","table":"t"})json",
        R"json({"changes":{"comment":"café \\ \u0001\u001f","default":"now()\n","identity":"always","name":"na\"me","nullable":false,"type":{"kind":"numeric","length":12,"name":"tab\there","scale":-2}},"column":"c","op":"alter_column","table":"t"})json",
        R"json({"changes":{"comment":null,"default":null,"identity":"by_default","name":"id","nullable":true,"type":{"kind":"integer"}},"column":"c","op":"alter_column","table":"t"})json",
        R"json({"changes":{"identity":"none"},"column":"c","op":"alter_column","table":"t"})json",
        R"json({"concurrently":true,"index":{"name":"ix_t","parts":[{"expression":true,"text":"lower(name)"},{"text":"id"}],"unique":true,"where":"id > 0"},"op":"create_index","table":"t"})json",
        R"json({"index":{"name":"ix_plain","parts":[{"text":"id"}]},"op":"create_index","table":"t"})json",
        R"json({"concurrently":true,"index":"ix_t","op":"drop_index","table":"t"})json",
        R"json({"index":"ix_t","op":"drop_index","table":""})json",
        R"json({"constraint":{"columns":["a","b"],"kind":"primary_key","name":""},"op":"add_constraint","table":"t"})json",
        R"json({"constraint":{"columns":["u_id","v"],"kind":"foreign_key","name":"fk_t_u","on_delete":"cascade","on_update":"set_null","ref_columns":["id","w"],"ref_table":"u"},"op":"add_constraint","table":"t"})json",
        R"json({"constraint":{"columns":["a"],"kind":"foreign_key","name":"fk2","on_delete":"restrict","on_update":"set_default","ref_columns":[],"ref_table":"u"},"op":"add_constraint","table":"t"})json",
        R"json({"constraint":{"columns":[],"kind":"unique","name":"uq"},"op":"add_constraint","table":"t"})json",
        R"json({"constraint":{"expression":"a > 'x'","kind":"check","name":"ck"},"op":"add_constraint","table":"t"})json",
        R"json({"constraint":"ck","op":"drop_constraint","table":"t"})json",
        R"json({"down":"DROP VIEW v","effect":"schema","equivalent":[{"op":"drop_table","table":"x"},{"from":"y","op":"rename_table","to":"z"}],"only":"postgresql","op":"execute","outside_transaction":true,"up":"CREATE VIEW v AS SELECT 1"})json",
        R"json({"down":null,"effect":"opaque","op":"execute","up":"SELECT 1"})json",
        R"json({"down":null,"op":"execute","up":"UPDATE t SET a = 1"})json",
        R"json({"down":false,"op":"run_data"})json",
        R"json({"down":true,"lossy":true,"only":"sqlite","op":"run_data"})json",
        R"json({"name":"mood","op":"create_enum","values":["sad","o\"k"]})json",
        R"json({"name":"empty","op":"create_enum","values":[]})json",
        R"json({"name":"mood","op":"drop_enum"})json",
        R"json({"add_before":"sad","add_value":"happy","name":"mood","op":"alter_enum"})json",
        R"json({"name":"mood","op":"alter_enum","values":["a","b"]})json",
        R"json({"name":"mood","op":"alter_enum"})json",
    };
    const auto ops = every_kind_and_field();
    ASSERT_EQ(ops.size(), expected.size());
    std::string all;
    for (std::size_t i = 0; i < ops.size(); ++i) {
        EXPECT_EQ(canonical_op(ops[i]), expected[i]) << "op " << i;
        all += (i ? "," : "") + expected[i];
    }
    EXPECT_EQ(canonical_ops(ops), "[" + all + "]");
}

TEST(CanonicalOps, IsCompactJsonWithSortedKeys) {
    const std::string text = canonical_ops(every_kind_and_field());
    EXPECT_EQ(nlohmann::json::parse(text).dump(), text);
}

TEST(CanonicalOps, InvalidUtf8IsAnErrorAsBefore) {
    auto ops = record_ops([](Ops& op) { op.drop_column("books", "bad \xff name"); });
    EXPECT_THROW(canonical_ops(ops), nlohmann::json::type_error);
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

TEST(Checksum, IsTheSha256OfTheTextDocsSafetyDescribes) {
    // Hashed piece by piece; the digest of the whole text, as it always was.
    const std::string file(64, 'a');
    const auto up = every_kind_and_field();
    const std::optional<std::vector<Op>> down = record_ops([](Ops& op) { op.drop_table("books"); });
    for (const auto& d : {down, std::optional<std::vector<Op>>{}})
        for (bool irreversible : {false, true}) {
            std::string text = "retort checksum " + std::to_string(canonical_ops_version) + "\nfile " + file +
                               "\nupgrade " + canonical_ops(up) + "\ndowngrade " +
                               (d ? canonical_ops(*d) : std::string("derived")) +
                               (irreversible ? "\nirreversible\n" : "\n");
            EXPECT_EQ(revision_checksum(file, up, d, irreversible), sha256_hex(text));
        }
    EXPECT_EQ(revision_checksum(file, {}, std::nullopt, false),
              sha256_hex("retort checksum 1\nfile " + file + "\nupgrade []\ndowngrade derived\n"));
}

TEST(Checksum, TheSourceHashComesFromTheBuildElseFromTheFile) {
    Revision r;
    r.source_sha256 = keep_text(std::string(64, 'c'));
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
