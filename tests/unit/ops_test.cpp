// Ops on the in-memory schema: every op applies, records its before-state, and
// its reverse brings the schema back exactly.
#include <retort/error.hpp>
#include <retort/migration.hpp>
#include <retort/models.hpp>
#include <retort/ops/builder_data.hpp>
#include <retort/ops/ops.hpp>
#include <retort/schema/fingerprint.hpp>

#include <gtest/gtest.h>

#include <functional>

using namespace retort;

namespace {

Schema bookshop() {
    Schema s;
    auto ops = record_ops([](Ops& op) {
        op.create_enum("mood", {"happy", "sad"});
        op.create_enum("genre", {"novel", "poetry"});
        op.create_table("authors", {
                                       col("id", integer()).primary_key(),
                                       col("name", varchar(200)).not_null(),
                                       col("mood", enum_type("mood")),
                                   });
        op.create_table("books", {
                                     col("id", integer()).primary_key(),
                                     col("author_id", integer()).not_null().references("authors").on_delete(
                                         Action::cascade),
                                     col("title", varchar(300)).not_null(),
                                     col("price", numeric(10, 2)).server_default("0"),
                                     col("isbn", varchar(20)).unique(),
                                     check("ck_books_price", "price >= 0"),
                                     index("ix_books_title", {"title"}),
                                     index("ix_books_lower_title", {expr("lower(title)")}).where("price > 0"),
                                 });
    });
    for (auto& op : ops) apply(op, s);
    return s;
}

std::string message_of(const std::function<void()>& f) {
    try {
        f();
    } catch (const Error& e) {
        return e.what();
    }
    return "(no error)";
}

struct Case {
    const char* name;
    OpsFn body;
};

// Each case: ops applied to the bookshop schema, then their reverses in reverse
// order must give the bookshop schema back.
const Case cases[] = {
    {"create_table", [](Ops& op) { op.create_table("tags", {col("id", integer()).primary_key(), col("name", text())}); }},
    {"drop_table", [](Ops& op) { op.drop_table("books"); }},
    {"rename_table", [](Ops& op) { op.rename_table("authors", "writers"); }},
    {"set_table_comment", [](Ops& op) { op.set_table_comment("books", "what we sell"); }},
    {"add_column", [](Ops& op) { op.add_column("books", col("pages", integer()).not_null().server_default("0")); }},
    {"add_column with a foreign key and an index",
     [](Ops& op) { op.add_column("books", col("editor_id", integer()).references("authors").index()); }},
    {"drop_column with its unique constraint", [](Ops& op) { op.drop_column("books", "isbn"); }},
    {"drop_column with indexes and a check", [](Ops& op) { op.drop_column("books", "price"); }},
    {"drop_column with a foreign key", [](Ops& op) { op.drop_column("books", "author_id"); }},
    {"alter_column type", [](Ops& op) { op.alter_column("books", "price", change().type(numeric(12, 4))); }},
    {"alter_column nullability and default",
     [](Ops& op) { op.alter_column("books", "price", change().not_null().drop_server_default()); }},
    {"alter_column rename", [](Ops& op) { op.rename_column("books", "title", "name"); }},
    {"rename a referenced column", [](Ops& op) { op.rename_column("authors", "id", "author_no"); }},
    {"create_index", [](Ops& op) { op.create_index("books", index({"author_id", "title"}).unique()); }},
    {"drop_index", [](Ops& op) { op.drop_index("books", "ix_books_title"); }},
    {"add_constraint check", [](Ops& op) { op.add_constraint("authors", check("ck_authors_name", "name <> ''")); }},
    {"add_constraint unique", [](Ops& op) { op.add_constraint("authors", unique({"name"})); }},
    {"drop_constraint", [](Ops& op) { op.drop_constraint("books", "fk_books_author_id_authors"); }},
    {"create_enum", [](Ops& op) { op.create_enum("format", {"hardcover", "paperback"}); }},
    {"drop_enum", [](Ops& op) { op.drop_enum("genre"); }},
    {"add_enum_value at the end", [](Ops& op) { op.add_enum_value("mood", "meh"); }},
    {"add_enum_value before another", [](Ops& op) { op.add_enum_value("mood", "ecstatic", "happy"); }},
    {"alter_enum removing and reordering", [](Ops& op) { op.alter_enum("mood", {"sad", "happy", "calm"}); }},
    {"add_column of an enum and of an array",
     [](Ops& op) {
         op.add_column("books", col("genre", enum_type("genre")));
         op.add_column("books", col("tags", array_of(varchar(30))));
         op.add_column("books", col("moods", array_of(enum_type("mood"))));
     }},
    {"create_index concurrently",
     [](Ops& op) { op.create_index("books", index("ix_books_isbn", {"isbn"}).concurrently()); }},
    {"drop_index concurrently", [](Ops& op) { op.drop_index("books", "ix_books_title", IndexMode::concurrently); }},
    {"execute with declared effect",
     [](Ops& op) {
         op.execute(sql("ALTER TABLE books ADD COLUMN pages INTEGER")
                        .down("ALTER TABLE books DROP COLUMN pages")
                        .schema_effect([](Ops& eq) { eq.add_column("books", col("pages", integer())); }));
     }},
    {"several ops in a row",
     [](Ops& op) {
         op.add_column("authors", col("born", date()));
         op.rename_table("authors", "writers");
         op.alter_column("writers", "born", change().rename("born_on").type(timestamp()));
         op.create_index("writers", index({"born_on"}));
     }},
};

}  // namespace

class EveryOp : public ::testing::TestWithParam<Case> {};

TEST_P(EveryOp, AppliesAndItsReverseRestoresTheSchemaExactly) {
    const Schema before = bookshop();
    Schema s = before;
    auto ops = record_ops(GetParam().body);
    ASSERT_FALSE(ops.empty());
    for (auto& op : ops) apply(op, s);
    EXPECT_NE(fingerprint(s), fingerprint(before)) << "the op should change the schema";
    std::vector<Op> undo;
    for (auto it = ops.rbegin(); it != ops.rend(); ++it)
        for (auto& r : reverse(*it)) undo.push_back(std::move(r));
    for (auto& op : undo) apply(op, s);
    EXPECT_EQ(canonical_json(s), canonical_json(before));
}

TEST_P(EveryOp, ReverseOfTheReverseIsTheSameChange) {
    Schema s = bookshop();
    auto ops = record_ops(GetParam().body);
    Schema forward = s;
    for (auto& op : ops) apply(op, forward);
    // Apply, undo, then redo with reverse(reverse(op)): same schema as the forward run.
    std::vector<Op> undo;
    for (auto& op : ops) apply(op, s);
    for (auto it = ops.rbegin(); it != ops.rend(); ++it)
        for (auto& r : reverse(*it)) undo.push_back(std::move(r));
    for (auto& op : undo) apply(op, s);
    std::vector<Op> redo;
    for (auto it = undo.rbegin(); it != undo.rend(); ++it)
        for (auto& r : reverse(*it)) redo.push_back(std::move(r));
    for (auto& op : redo) apply(op, s);
    EXPECT_EQ(canonical_json(s), canonical_json(forward));
}

INSTANTIATE_TEST_SUITE_P(Ops, EveryOp, ::testing::ValuesIn(cases), [](const auto& param_info) {
    std::string name;
    for (const char* p = param_info.param.name; *p; ++p) name += std::isalnum(static_cast<unsigned char>(*p)) ? *p : '_';
    return name;
});

TEST(Ops, EnumTypesComeBeforeTheirColumnsAndGoAfterThem) {
    Schema s = bookshop();
    EXPECT_EQ(s.enum_users("mood"), std::vector<std::string>{"authors.mood"});
    auto fails = [&](OpsFn body) {
        return message_of([&] {
            Schema copy = s;
            for (auto& op : record_ops(body)) apply(op, copy);
        });
    };
    EXPECT_EQ(fails([](Ops& op) { op.add_column("books", col("f", enum_type("format"))); }),
              "column \"books.f\" uses enum type \"format\", which does not exist; create it first with "
              "op.create_enum(\"format\", {...})");
    EXPECT_EQ(fails([](Ops& op) { op.drop_enum("mood"); }),
              "enum type \"mood\" is still used by authors.mood; drop those columns or change their type first");
    EXPECT_EQ(fails([](Ops& op) { op.create_enum("mood", {"x"}); }), "enum type \"mood\" already exists");
    EXPECT_EQ(fails([](Ops& op) { op.create_enum("m2", {"x", "x"}); }), "enum type \"m2\" lists 'x' twice");
    EXPECT_EQ(fails([](Ops& op) { op.add_enum_value("mood", "sad"); }),
              "enum type \"mood\" already has the value 'sad'");
    EXPECT_EQ(fails([](Ops& op) { op.add_enum_value("mood", "x", "nope"); }),
              "enum type \"mood\" has no value 'nope' to add 'x' before");

    Op add{AlterEnum{"mood", std::nullopt, "meh", "sad", std::nullopt, std::nullopt}};
    apply(add, s);
    EXPECT_EQ(s.enums.at("mood").values, (std::vector<std::string>{"happy", "meh", "sad"}));
    EXPECT_EQ(describe(add), "alter_enum mood add value 'meh' before 'sad'");
    auto undo = reverse(add);
    ASSERT_EQ(undo.size(), 1u);
    EXPECT_EQ(describe(undo[0]), "alter_enum mood (happy, sad)");
    // A column of an array type says so, and a migration renders it back as C++.
    Type tags = Type::from(array_of(varchar(30)));
    EXPECT_EQ(to_string(tags), "varchar(30)[]");
    EXPECT_EQ(to_cpp(tags), "array_of(varchar(30))");
    EXPECT_EQ(to_cpp(Type::from(array_of(array_of(enum_type("mood"))))), "array_of(enum_type(\"mood\"))");
    EXPECT_EQ(enum_used_by(Type::from(array_of(enum_type("mood")))), "mood");
}

TEST(Ops, ConcurrentIndexesAreForExistingTables) {
    EXPECT_EQ(message_of([] {
                  record_ops([](Ops& op) {
                      op.create_table("t", {col("id", integer()), index("ix_t", {"id"}).concurrently()});
                  });
              }),
              "table \"t\": concurrently() applies to create_index on an existing table; the indexes of a new "
              "table are built with it");
    auto ops = record_ops([](Ops& op) { op.create_index("books", index({"title"}).concurrently()); });
    EXPECT_EQ(describe(ops.at(0)), "create_index ix_books_title on books (title) concurrently");
    auto undo = reverse(ops.at(0));
    EXPECT_EQ(describe(undo.at(0)), "drop_index ix_books_title concurrently");
}

TEST(Ops, DropColumnRecordsTheFullDefinitionForItsReverse) {
    Schema s = bookshop();
    auto ops = record_ops([](Ops& op) { op.drop_column("books", "price"); });
    apply(ops[0], s);
    const auto& drop = std::get<DropColumn>(ops[0].variant());
    ASSERT_TRUE(drop.column);
    EXPECT_EQ(to_string(drop.column->type), "numeric(10,2)");
    EXPECT_EQ(drop.column->server_default, "0");
    ASSERT_EQ(drop.constraints.size(), 1u);
    EXPECT_EQ(constraint_name(drop.constraints[0]), "ck_books_price");
    ASSERT_EQ(drop.indexes.size(), 1u);  // the partial index mentions price in its WHERE
    EXPECT_EQ(drop.indexes[0].name, "ix_books_lower_title");
    auto back = reverse(ops[0]);
    ASSERT_EQ(back.size(), 3u);
    EXPECT_EQ(describe(back[0]), "add_column books.price numeric(10,2)");
}

TEST(Ops, RenamingATableUpdatesTheForeignKeysThatReferenceIt) {
    Schema s = bookshop();
    auto ops = record_ops([](Ops& op) { op.rename_table("authors", "writers"); });
    apply(ops[0], s);
    EXPECT_EQ(s.find_table("books")->foreign_keys.at(0).ref_table, "writers");
}

TEST(Ops, RenamingAColumnUpdatesKeysIndexesAndChecks) {
    Schema s = bookshop();
    auto ops = record_ops([](Ops& op) { op.rename_column("books", "price", "cost"); });
    apply(ops[0], s);
    const Table& books = *s.find_table("books");
    EXPECT_EQ(books.checks.at(0).expression, "cost >= 0");
    EXPECT_EQ(books.find_index("ix_books_lower_title")->where, "cost > 0");
}

TEST(Ops, UnnamedConstraintsAndIndexesGetConventionalNames) {
    Schema s = bookshop();
    const Table& books = *s.find_table("books");
    EXPECT_EQ(books.primary_key->name, "pk_books");
    EXPECT_EQ(books.foreign_keys.at(0).name, "fk_books_author_id_authors");
    EXPECT_EQ(books.uniques.at(0).name, "uq_books_isbn");
    EXPECT_EQ(default_index_name("users", {{"lower(email)", true}}), "ix_users_lower_email");
}

TEST(Ops, MissingObjectsAreErrorsNamingTheOp) {
    struct Bad {
        OpsFn body;
        const char* message;
    };
    const Bad bad[] = {
        {[](Ops& op) { op.drop_table("nope"); }, "there is no table \"nope\""},
        {[](Ops& op) { op.drop_column("books", "nope"); }, "table \"books\" has no column \"nope\""},
        {[](Ops& op) { op.add_column("books", col("title", text())); }, "already has a column \"title\""},
        {[](Ops& op) { op.create_table("books", {col("id", integer())}); }, "table \"books\" already exists"},
        {[](Ops& op) { op.drop_index("books", "nope"); }, "has no index \"nope\""},
        {[](Ops& op) { op.drop_constraint("books", "nope"); }, "has no constraint \"nope\""},
        {[](Ops& op) { op.add_column("books", col("x", integer()).references("nope")); },
         "references table \"nope\", which does not exist"},
        {[](Ops& op) { op.drop_column("authors", "id"); }, "part of primary key"},
        {[](Ops& op) { op.create_index("authors", index("ix_books_title", {"name"})); },
         "an index named \"ix_books_title\" already exists"},
    };
    for (const auto& b : bad) {
        Schema s = bookshop();
        auto ops = record_ops(b.body);
        std::string msg = message_of([&] { apply(ops[0], s); });
        EXPECT_NE(msg.find(b.message), std::string::npos) << msg;
    }
}

TEST(Ops, ErrorsCarryTheOpDescription) {
    Schema s = bookshop();
    auto ops = record_ops([](Ops& op) { op.drop_column("books", "nope"); });
    try {
        apply(ops[0], s);
        FAIL();
    } catch (const Error& e) {
        EXPECT_EQ(e.op(), "drop_column books.nope");
        EXPECT_EQ(e.kind(), ErrorKind::migration);
    }
}

TEST(Ops, ResolveFillsTheBeforeStateWithoutChangingTheSchema) {
    const Schema s = bookshop();
    auto ops = record_ops([](Ops& op) { op.alter_column("books", "price", change().type(integer())); });
    resolve(ops[0], s);
    const auto& alter = std::get<AlterColumn>(ops[0].variant());
    ASSERT_TRUE(alter.from && alter.to);
    EXPECT_EQ(to_string(alter.from->type), "numeric(10,2)");
    EXPECT_EQ(to_string(alter.to->type), "integer");
    EXPECT_EQ(to_string(s.find_table("books")->find_column("price")->type), "numeric(10,2)");
}

TEST(Ops, IrreversibleStepsSayHowToFixThem) {
    auto ops = record_ops([](Ops& op) { op.execute(sql("UPDATE books SET price = 0")); });
    EXPECT_FALSE(reversible(ops[0]));
    std::string msg = message_of([&] { reverse(ops[0]); });
    EXPECT_NE(msg.find("irreversible"), std::string::npos) << msg;
}

TEST(Ops, BuildersRejectInconsistentTables) {
    EXPECT_NE(message_of([] {
                  record_ops([](Ops& op) { op.create_table("t", {col("a", integer()), col("a", text())}); });
              }).find("declared twice"),
              std::string::npos);
    EXPECT_NE(message_of([] {
                  record_ops([](Ops& op) { op.create_table("t", {col("a", integer()), index({"b"})}); });
              }).find("names column \"b\""),
              std::string::npos);
    EXPECT_NE(message_of([] {
                  record_ops([](Ops& op) { op.add_column("t", col("id", integer()).primary_key()); });
              }).find("cannot join the primary key"),
              std::string::npos);
}

// SchemaApplier: apply() for long runs, with the index names in a set after the
// second look-up. Every error apply() gives, it gives; the same schema comes out.
TEST(SchemaApplier, GivesTheSchemaAndTheErrorsApplyGives) {
    auto ops = record_ops([](Ops& op) {
        for (int i = 0; i < 5; ++i) {
            std::string t = "t" + std::to_string(i);
            op.create_table(t.c_str(), {col("id", integer()).primary_key(), col("v", integer()),
                                        index(("ix_" + t).c_str(), {"v"})});
        }
        op.create_index("t0", index("ix_t0_id", {"id"}));
        op.drop_index("t1", "ix_t1");
        op.create_index("t2", index("ix_t1", {"id"}));  // the dropped name, reused on another table
        op.drop_table("t3");
        op.create_table("t3", {col("id", integer()), index("ix_t3", {"id"})});
        op.execute(sql("CREATE INDEX ix_sql ON t4 (id)").schema_effect([](Ops& o) {
            o.create_index("t4", index("ix_sql", {"id"}));
        }));
        op.rename_table("t4", "t5");
    });
    Schema expected;
    for (auto ops_copy = ops; auto& op : ops_copy) apply(op, expected);
    Schema s;
    SchemaApplier applier(s);
    for (const auto& op : ops) applier.apply(Op(op));
    EXPECT_EQ(s, expected);
    auto after_sql = record_ops([](Ops& op) { op.create_index("t0", index("ix_sql", {"v"})); });
    EXPECT_EQ(message_of([&] { applier.apply(after_sql[0]); }),
              "an index named \"ix_sql\" already exists on table \"t5\"")
        << "the index an ExecuteSql's equivalent ops create";

    struct Bad {
        OpsFn body;
        const char* message;
    };
    const Bad bad[] = {
        {[](Ops& op) { op.create_index("t0", index("ix_t2", {"id"})); },
         "an index named \"ix_t2\" already exists on table \"t2\""},
        {[](Ops& op) { op.create_index("t0", index("ix_t1", {"id"})); },
         "an index named \"ix_t1\" already exists on table \"t2\""},
        {[](Ops& op) { op.create_table("t9", {col("id", integer()), index("ix_sql", {"id"})}); },
         "an index named \"ix_sql\" already exists on table \"t5\""},
        {[](Ops& op) { op.create_table("t9", {col("id", integer()), index("ix_t3", {"id"})}); },
         "an index named \"ix_t3\" already exists on table \"t3\""},
    };
    for (const auto& b : bad) {
        Schema copy = s;
        SchemaApplier again(copy);
        auto more = record_ops([](Ops& op) {
            op.create_index("t0", index("ix_a", {"v"}));
            op.create_index("t0", index("ix_b", {"v"}));  // the second look-up fills the set
        });
        for (auto& op : more) again.apply(op);
        auto bad_ops = record_ops(b.body);
        EXPECT_EQ(message_of([&] { again.apply(bad_ops[0]); }), b.message);
        EXPECT_EQ(message_of([&] { apply(bad_ops[0], copy); }), b.message) << "as apply() says it";
    }
}

TEST(SchemaApplier, MovesACreatedTableOnlyOutOfAnOpGivenAway) {
    auto ops = record_ops([](Ops& op) { op.create_table("t", {col("id", integer()), index("ix_t", {"id"})}); });
    Schema s;
    SchemaApplier applier(s);
    Op kept = ops[0];
    applier.apply(kept);
    EXPECT_EQ(std::get<CreateTable>(kept.variant()).table, *s.find_table("t"));
    Schema other;
    SchemaApplier consuming(other);
    consuming.apply(Op(ops[0]));
    EXPECT_EQ(s, other);
}

TEST(Models, AnIndexNameDeclaredOnTwoTablesIsAnError) {
    MetaData meta;
    meta.table("a", {col("id", integer()), index("ix_one", {"id"})});
    meta.table("b", {col("id", integer()), index("ix_two", {"id"})});
    EXPECT_EQ(message_of([&] { meta.table("c", {col("id", integer()), index("ix_two", {"id"})}); }),
              "models: index \"ix_two\" of table \"c\" is also declared on table \"b\"");
    meta.table("d", {col("id", integer()), index("ix_three", {"id"})});
    EXPECT_EQ(meta.impl().schema.tables.size(), 3u);
}

TEST(Fingerprint, IgnoresColumnAndConstraintOrder) {
    Schema a;
    Schema b;
    auto one = record_ops([](Ops& op) {
        op.create_table("t", {col("a", integer()), col("b", text()), unique({"a"}), unique({"b"})});
    });
    auto two = record_ops([](Ops& op) {
        op.create_table("t", {col("b", text()), col("a", integer()), unique({"b"}), unique({"a"})});
    });
    apply(one[0], a);
    apply(two[0], b);
    EXPECT_EQ(fingerprint(a), fingerprint(b));
    auto three = record_ops([](Ops& op) { op.add_column("t", col("c", integer())); });
    apply(three[0], b);
    EXPECT_NE(fingerprint(a), fingerprint(b));
    EXPECT_EQ(fingerprint(a).size(), 64u);
}

TEST(Ops, RenamingAColumnQuotesTheNewNameWhereNeededAndLeavesStringLiteralsAlone) {
    Schema s;
    auto ops = record_ops([](Ops& op) {
        op.create_table("t", {col("price", integer()), col("label", text()),
                              check("ck_t", "price > 0 AND label <> 'price' AND \"price\" < 100")});
        op.rename_column("t", "price", "Unit Price");
    });
    for (auto& op : ops) apply(op, s);
    EXPECT_EQ(s.find_table("t")->checks.at(0).expression,
              "\"Unit Price\" > 0 AND label <> 'price' AND \"Unit Price\" < 100");
}
