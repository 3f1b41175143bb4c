// Autogenerate on the suite's PostgreSQL server, one case per change kind of the
// corpus (tests/unit/autogen_corpus.hpp), through real migrations: the round trip
// of autogen_roundtrip.hpp (generated migrations compiled, run by the Migrator
// with two rows in every table, reflected, rows compared) in a database of each
// case's own (tests/postgres/test_database.hpp), so ctest -j is safe. Every case
// runs here: enum types, arrays, identity columns and comments are PostgreSQL's.
// And, without a server, the ops planned between the models normalized for
// PostgreSQL are exactly the corpus's.
#include "autogen_roundtrip.hpp"

#include "../postgres/test_database.hpp"

#include <retort/postgres/postgres.hpp>

#include <gtest/gtest.h>

#include <cctype>
#include <string>

namespace {

using namespace retort;
using namespace autogen_roundtrip;
using retort::testing::TestDatabase;

const Dialect& postgres_dialect() { return *retort::postgres::dialect(); }

/// Rows on PostgreSQL: booleans, bytea, enum labels and arrays in its spelling;
/// foreign keys left unchecked through session_replication_role (the suite's
/// user is the cluster's superuser); values read in their text's order (there
/// is no rowid, and the values of a column differ per row).
class PostgresBackend final : public Backend {
public:
    const Dialect& dialect() const override { return postgres_dialect(); }

    std::string literal(const Schema& schema, const Type& type, int i) const override {
        switch (type.kind) {
        case TypeKind::boolean: return i % 2 ? "true" : "false";
        case TypeKind::blob: return "'\\x0" + std::to_string(i) + "'";
        case TypeKind::enumeration: {
            // The first and the last label: a value the corpus removes sits in between.
            auto e = schema.enums.find(type.name);
            if (e == schema.enums.end() || e->second.values.empty()) break;
            return dialect().quote_literal(i == 1 ? e->second.values.front() : e->second.values.back());
        }
        case TypeKind::array:
            return "ARRAY[" + literal(schema, retort::element_of(type), i) + "]::" + dialect().type_sql(type);
        default: break;
        }
        return common_literal(type, i).value_or("'v" + std::to_string(i) + "'");
    }

    void enforce_foreign_keys(DbSession& session, bool on) const override {
        session.exec(on ? "SET session_replication_role = DEFAULT" : "SET session_replication_role = replica");
    }

    bool foreign_keys_hold(DbSession& session, const Schema& schema) const override {
        for (const auto& [name, table] : schema.tables)
            for (const auto& fk : table.foreign_keys) {
                std::string present, match;
                for (std::size_t k = 0; k < fk.columns.size(); ++k) {
                    const std::string c = "c." + quote(*this, fk.columns[k]);
                    present += (k ? " AND " : "") + c + " IS NOT NULL";
                    match += (k ? " AND " : "") + ("p." + quote(*this, fk.ref_columns.at(k))) + " = " + c;
                }
                auto rows = session.query("SELECT count(*) FROM " + quote(*this, name) + " c WHERE " + present +
                                          " AND NOT EXISTS (SELECT 1 FROM " + quote(*this, fk.ref_table) +
                                          " p WHERE " + match + ")");
                if (rows.at(0).at(0) != "0") return false;
            }
        return true;
    }

    std::string order_by(const std::string& quoted_column) const override { return quoted_column + "::text"; }
};

// ---- expectations ------------------------------------------------------------

const RowsRefusal rows_refusals[] = {
    // ADD COLUMN ... NOT NULL without a default: the server refuses the rows' NULLs.
    {"adds a NOT NULL column of a custom type without a default and says why not safely", true, false,
     "contains null values"},
    {"adds a NOT NULL foreign key column without a default and says why not safely", true, false,
     "contains null values"},
    {"adds a NOT NULL unique column without a default and says why not safely", true, false,
     "contains null values"},
    // The downgrade brings back a NOT NULL unique column: no zero default can fill it.
    {"drops the foreign key referencing a column before the column", false, true, "contains null values"},
    // Unlike SQLite, PostgreSQL converts each stored value (USING qty::integer), and
    // the fixture's text ('v1') is no integer.
    {"converts text to integer", true, false, "invalid input syntax for type integer",
     autogen::NoticeKind::type_conversion},
};

// ---- the corpus --------------------------------------------------------------

const CompiledCorpus& compiled_corpus() {
    static const CompiledCorpus corpus(postgres_dialect(), [](const ChangeCase&) { return true; });
    return corpus;
}

class AutogenPostgres : public ::testing::TestWithParam<std::size_t> {
protected:
    void SetUp() override {
        retort::postgres::register_dialect();
        if (retort::testing::postgres_server_url().empty()) GTEST_FAIL() << retort::testing::postgres_server_missing();
    }
};

TEST_P(AutogenPostgres, upgrades_to_after_and_downgrades_to_before_through_real_migrations) {
    const ChangeCase& c = autogen_corpus::change_corpus().at(GetParam());
    TestDatabase db("autogen_" + std::to_string(GetParam()));
    auto session = retort::connect(db.url());
    // sql_type("CITEXT") of one case is the citext extension's type (in contrib).
    session->exec("CREATE EXTENSION IF NOT EXISTS citext");
    round_trip(PostgresBackend{}, compiled_corpus(), GetParam(), *session, refusal_for(c, rows_refusals));
}

INSTANTIATE_TEST_SUITE_P(Corpus, AutogenPostgres, ::testing::ValuesIn(corpus_indices()), case_name);

// ---- the plan ------------------------------------------------------------------

std::string lower(std::string text) {
    for (char& ch : text) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    return text;
}

/// No server needed: what autogenerate plans between the models normalized for
/// PostgreSQL, which the round trip runs.
class AutogenPostgresPlan : public ::testing::TestWithParam<std::size_t> {};

TEST_P(AutogenPostgresPlan, plans_exactly_the_ops_and_notices_of_the_corpus_from_the_normalized_models) {
    const ChangeCase& c = autogen_corpus::change_corpus().at(GetParam());
    const Generated g = generate(c, postgres_dialect());
    std::string ops, notices;
    for (const auto& planned : g.diff.ops) {
        ops += (ops.empty() ? "" : "\n") + describe(planned.op);
        for (const auto& n : planned.notices) notices += (notices.empty() ? "" : " ") + std::string(to_string(n.kind));
    }
    // Normalized, a type is spelled as the server prints it: sql_type("CITEXT") is citext.
    EXPECT_EQ(lower(ops), lower(c.ops));
    EXPECT_EQ(notices, c.notices);
}

INSTANTIATE_TEST_SUITE_P(Corpus, AutogenPostgresPlan, ::testing::ValuesIn(corpus_indices()), case_name);

}  // namespace
