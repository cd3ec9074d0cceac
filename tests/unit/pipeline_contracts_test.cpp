// Plan contracts (pipeline/contracts.hpp): the file's syntax and its errors with their lines, and each
// assertion judged on the stored plans of samples/plans.

#include <gtest/gtest.h>

#include "analyzer/engines/mysql/mysql_explain.hpp"
#include "analyzer/engines/postgres/explain_postgres_json.hpp"
#include "analyzer/engines/sqlite/sqlite_plan_parser.hpp"
#include "analyzer/pipeline/contracts.hpp"
#include "tests/support/test_env.hpp"

namespace dbvet::testing {
namespace {

using pipeline::AssertionKind;
using pipeline::Outcome;

std::string plans_dir() { return (source_dir() / "samples" / "plans").string(); }

model::Plan postgres_plan(const std::string& name) {
  auto plan = engines::postgres::parse_postgres_explain_json(read_file(plans_dir() + "/postgres/" + name + ".json"));
  EXPECT_TRUE(plan.has_value()) << name;
  return plan ? *plan : model::Plan{};
}

model::Plan mariadb_plan(const std::string& name) {
  auto plan = engines::mysql::parse_mariadb_explain_json(read_file(plans_dir() + "/mariadb/" + name + ".json"));
  EXPECT_TRUE(plan.has_value()) << name;
  return plan ? *plan : model::Plan{};
}

model::Plan sqlite_plan(const std::string& name) {
  auto plan = engines::sqlite::parse_sqlite_plan_text(read_file(plans_dir() + "/sqlite/" + name + ".eqp.txt"));
  EXPECT_TRUE(plan.has_value()) << name;
  return plan ? *plan : model::Plan{};
}

pipeline::Contract one(pipeline::AssertionKind kind, double number = 0, std::vector<std::string> names = {}) {
  pipeline::Contract contract;
  contract.name = "c";
  contract.sql = "SELECT 1";
  pipeline::Assertion assertion;
  assertion.kind = kind;
  assertion.line = 7;
  assertion.number = number;
  assertion.flag = true;
  assertion.names = std::move(names);
  contract.assertions.push_back(assertion);
  return contract;
}

pipeline::AssertionResult judge(const pipeline::Contract& contract, const model::Plan& plan,
                                const pipeline::EvaluationInputs& inputs = {}) {
  auto results = pipeline::evaluate_contract(contract, plan, inputs);
  EXPECT_EQ(results.size(), 1u);
  return results.empty() ? pipeline::AssertionResult{} : results.front();
}

std::string parse_error(const std::string& text) {
  auto parsed = pipeline::parse_contracts(text, "contracts.toml");
  if (parsed) return "(parsed)";
  EXPECT_EQ(parsed.error().kind, core::ErrorKind::usage);
  return parsed.error().message;
}

// ---- the file ----

TEST(Contracts, ParsesAHandWrittenFileWithEngineOverrides) {
  auto file = pipeline::parse_contracts(R"(scale = 0.02
seed = 7

[[contract]]
name = "pet-feedings"
sql = "SELECT * FROM feeding_events WHERE pet_id = 1"
uses_index = "idx_feeding_events_pet"
no_sort_without_index = true

[contract.postgres]
max_cost = 50

[contract.sqlite]
no_sort_without_index = false

[[contract]]
name = "owner-pets"
script = "workloads/owner_pets.sql"
statement = 2
vars = { owner_id = 3, p1 = "4" }
engines = ["postgres", "mysql"]
p95_ms = 25
runs = 5
)",
                                        "c.toml");
  ASSERT_TRUE(file.has_value()) << file.error().message;
  EXPECT_EQ(file->scale, 0.02);
  EXPECT_EQ(file->seed, 7u);
  ASSERT_EQ(file->entries.size(), 2u);

  auto pg = pipeline::resolve_contracts(*file, "postgres");
  ASSERT_EQ(pg.size(), 2u);
  EXPECT_EQ(pg[0].name, "pet-feedings");
  EXPECT_EQ(pg[0].line, 4);
  ASSERT_EQ(pg[0].assertions.size(), 3u);  // in the fixed order of the kinds
  EXPECT_EQ(pg[0].assertions[0].kind, AssertionKind::uses_index);
  EXPECT_EQ(pg[0].assertions[0].line, 7);
  EXPECT_EQ(pg[0].assertions[1].kind, AssertionKind::no_sort_without_index);
  EXPECT_EQ(pg[0].assertions[2].kind, AssertionKind::max_cost);
  EXPECT_EQ(pg[0].assertions[2].line, 11);
  EXPECT_EQ(pg[0].assertions[2].number, 50);

  auto lite = pipeline::resolve_contracts(*file, "sqlite");
  ASSERT_EQ(lite[0].assertions.size(), 1u);  // the sort assertion turned off, no cost
  EXPECT_TRUE(pipeline::applies(lite[0], "sqlite"));
  EXPECT_FALSE(pipeline::applies(lite[1], "sqlite"));

  auto maria = pipeline::resolve_contracts(*file, "mariadb");
  EXPECT_TRUE(pipeline::applies(maria[1], "mariadb"));  // mysql covers MariaDB
  EXPECT_EQ(maria[1].script, "workloads/owner_pets.sql");
  EXPECT_EQ(maria[1].statement, 2);
  EXPECT_EQ(maria[1].vars.at("owner_id"), "3");
  EXPECT_EQ(maria[1].vars.at("p1"), "4");
  EXPECT_EQ(maria[1].runs, 5);
}

TEST(Contracts, AnEngineTableReplacesTheQuery) {
  auto file = pipeline::parse_contracts(R"([[contract]]
name = "q"
sql = "SELECT 1"
max_cost = 10
[contract.sqlite]
script = "s.sql"
)",
                                        "c.toml");
  ASSERT_TRUE(file.has_value()) << file.error().message;
  auto lite = pipeline::resolve_contracts(*file, "sqlite");
  EXPECT_TRUE(lite[0].sql.empty());
  EXPECT_EQ(lite[0].script, "s.sql");
  EXPECT_EQ(pipeline::resolve_contracts(*file, "postgres")[0].sql, "SELECT 1");
}

TEST(Contracts, ErrorsNameTheFileTheLineAndWhat) {
  EXPECT_EQ(parse_error("[[contract]]\nname = \"a\"\nsql = \"SELECT 1\"\nuses_indx = \"i\"\n"),
            "contracts.toml:4: contract 'a': uses_indx is not a contract key (see docs/commands/check.md)");
  EXPECT_EQ(parse_error("[[contract]]\nname = \"a\"\nsql = \"SELECT 1\"\nmax_cost = \"cheap\"\n"),
            "contracts.toml:4: contract 'a': max_cost must be a number");
  EXPECT_EQ(parse_error("[[contract]]\nname = \"a\"\nsql = \"SELECT 1\"\nrow_estimate_within = 0.5\n"),
            "contracts.toml:4: contract 'a': row_estimate_within must be at least 1");
  EXPECT_EQ(parse_error("[[contract]]\nname = \"a\"\nsql = \"SELECT 1\"\nno_sort_without_index = 1\n"),
            "contracts.toml:4: contract 'a': no_sort_without_index must be true or false");
  EXPECT_EQ(parse_error("[[contract]]\nname = \"a\"\nuses_index = \"i\"\n"),
            "contracts.toml:1: contract 'a' needs either sql = \"...\" or script = \"FILE\" (for postgres)");
  EXPECT_EQ(parse_error("[[contract]]\nname = \"a\"\nsql = \"SELECT 1\"\nscript = \"x.sql\"\nmax_cost = 1\n"),
            "contracts.toml:1: contract 'a' needs either sql = \"...\" or script = \"FILE\" (not both)");
  EXPECT_EQ(parse_error("[[contract]]\nname = \"a\"\nsql = \"SELECT 1\"\n"),
            "contracts.toml:1: contract 'a' asserts nothing on postgres (uses_index, no_full_scan_above_rows, ... "
            "in docs/commands/check.md)");
  EXPECT_EQ(parse_error("[[contract]]\nname = \"a\"\nsql = \"SELECT 1\"\nmax_cost = 1\n\n[[contract]]\nname = "
                        "\"a\"\nsql = \"SELECT 2\"\nmax_cost = 1\n"),
            "contracts.toml:7: a second contract named 'a'");
  EXPECT_EQ(parse_error("[[contract]]\nname = \"a b\"\nsql = \"SELECT 1\"\nmax_cost = 1\n"),
            "contracts.toml:2: contract name 'a b' may hold only letters, digits, '-', '_' and '.' (it names the "
            "plan snapshot's file)");
  EXPECT_EQ(parse_error("[[contract]]\nsql = \"SELECT 1\"\n"), "contracts.toml:1: [[contract]] needs name = \"...\"");
  EXPECT_EQ(parse_error("[[contract]]\nname = \"a\"\nsql = \"SELECT 1\"\nmax_cost = 1\nengines = [\"oracle\"]\n"),
            "contracts.toml:5: contract 'a': engines lists postgres, mysql, mariadb or sqlite");
  EXPECT_EQ(parse_error("[[contract]]\nname = \"a\"\nsql = \"SELECT 1\"\nmax_cost = 1\n[contract.postgres]\n"
                        "engines = [\"sqlite\"]\n"),
            "contracts.toml:6: contract 'a': engines belongs in the contract itself, not in an engine's table");
  EXPECT_EQ(parse_error("scale = 0\n[[contract]]\nname = \"a\"\nsql = \"SELECT 1\"\nmax_cost = 1\n"),
            "contracts.toml:1: scale must be a number above 0");
  EXPECT_EQ(parse_error("colour = 1\n"),
            "contracts.toml:1: unknown key 'colour' (scale, seed, snapshots, [[contract]])");
  EXPECT_EQ(parse_error("# nothing\n"), "contracts.toml:1: no [[contract]] in the file");
  // Not TOML at all: the reader's own error, with the line.
  EXPECT_NE(parse_error("[[contract]]\nname = \"a\nsql = 1\n").find("contracts.toml:2"), std::string::npos);
}

TEST(Contracts, TheShippedVirtualPetContractsParse) {
  auto file = pipeline::load_contracts((source_dir() / "samples/contracts/virtual_pet.toml").string());
  ASSERT_TRUE(file.has_value()) << file.error().message;
  EXPECT_GE(file->entries.size(), 5u);
  for (const char* engine : {"postgres", "mariadb", "sqlite"}) {
    size_t applicable = 0;
    for (const auto& contract : pipeline::resolve_contracts(*file, engine))
      applicable += pipeline::applies(contract, engine);
    EXPECT_GE(applicable, 2u) << engine;
  }
}

// ---- each assertion on stored plans ----

TEST(ContractAssertions, UsesIndex) {
  auto indexed = postgres_plan("index_scan");
  auto pass = judge(one(AssertionKind::uses_index, 0, {"ORDERS_PKEY"}), indexed);
  EXPECT_EQ(pass.outcome, Outcome::pass);
  EXPECT_EQ(pass.line, 7);
  auto fail = judge(one(AssertionKind::uses_index, 0, {"orders_pkey"}), postgres_plan("seq_scan"));
  EXPECT_EQ(fail.outcome, Outcome::fail);
  EXPECT_EQ(fail.actual, "no index");
  EXPECT_EQ(fail.message, "the plan does not use orders_pkey (it uses no index)");
  EXPECT_EQ(judge(one(AssertionKind::uses_index, 0, {"pets_owner_born"}), sqlite_plan("search_index")).outcome,
            Outcome::pass);
  EXPECT_EQ(judge(one(AssertionKind::uses_index, 0, {"idx_customer"}), mariadb_plan("ref_index")).outcome,
            Outcome::pass);
  EXPECT_EQ(judge(one(AssertionKind::uses_index, 0, {"idx_customer", "other"}), mariadb_plan("ref_index")).outcome,
            Outcome::fail);
}

TEST(ContractAssertions, NoFullScanAboveRows) {
  model::Schema schema;
  model::Table orders;
  orders.name = "orders";
  orders.estimated_rows = 300000;
  schema.tables.push_back(orders);
  pipeline::EvaluationInputs inputs;
  inputs.schema = &schema;
  auto fail = judge(one(AssertionKind::no_full_scan_above_rows, 1000), postgres_plan("seq_scan"), inputs);
  EXPECT_EQ(fail.outcome, Outcome::fail);
  EXPECT_EQ(fail.message, "Seq Scan on orders (300000 rows) is a full scan above 1000 rows");
  EXPECT_EQ(judge(one(AssertionKind::no_full_scan_above_rows, 1e6), postgres_plan("seq_scan"), inputs).outcome,
            Outcome::pass);
  EXPECT_EQ(judge(one(AssertionKind::no_full_scan_above_rows, 10), postgres_plan("index_scan"), inputs).outcome,
            Outcome::pass);
  // MariaDB's estimate counts the rows the scan reads: enough without the schema.
  EXPECT_EQ(judge(one(AssertionKind::no_full_scan_above_rows, 500), mariadb_plan("full_scan")).outcome, Outcome::fail);
  EXPECT_EQ(judge(one(AssertionKind::no_full_scan_above_rows, 50000), mariadb_plan("full_scan")).outcome,
            Outcome::pass);
  // A scan of a table of unknown size is not proven small.
  EXPECT_EQ(judge(one(AssertionKind::no_full_scan_above_rows, 50000), sqlite_plan("scan")).outcome, Outcome::fail);
  // SQLite names the alias: the statement's aliases lead to the table.
  auto aliased = engines::sqlite::parse_sqlite_plan_text("QUERY PLAN\n`--SCAN o\n");
  ASSERT_TRUE(aliased.has_value());
  EXPECT_EQ(judge(one(AssertionKind::no_full_scan_above_rows, 1e6), *aliased, inputs).actual,
            "SCAN on o (size unknown)");
  inputs.aliases = {{"o", "orders"}};
  auto known = judge(one(AssertionKind::no_full_scan_above_rows, 1e6), *aliased, inputs);
  EXPECT_EQ(known.outcome, Outcome::pass);
  EXPECT_EQ(known.actual, "SCAN on o (300000 rows)");
}

TEST(ContractAssertions, NoSortWithoutIndex) {
  auto sqlite_sort = judge(one(AssertionKind::no_sort_without_index), sqlite_plan("order_by_temp_btree"));
  EXPECT_EQ(sqlite_sort.outcome, Outcome::fail);
  EXPECT_EQ(sqlite_sort.actual, "USE TEMP B-TREE FOR ORDER BY");
  EXPECT_EQ(judge(one(AssertionKind::no_sort_without_index), sqlite_plan("search_index")).outcome, Outcome::pass);
  EXPECT_EQ(judge(one(AssertionKind::no_sort_without_index), mariadb_plan("filesort")).outcome, Outcome::fail);
  EXPECT_EQ(judge(one(AssertionKind::no_sort_without_index), mariadb_plan("ref_index")).outcome, Outcome::pass);
  EXPECT_EQ(judge(one(AssertionKind::no_sort_without_index), postgres_plan("sort_spill_disk")).outcome, Outcome::fail);
  EXPECT_EQ(judge(one(AssertionKind::no_sort_without_index), postgres_plan("index_scan")).outcome, Outcome::pass);
}

TEST(ContractAssertions, MaxCostWhereTheEngineGivesOne) {
  auto pass = judge(one(AssertionKind::max_cost, 10000), postgres_plan("seq_scan"));
  EXPECT_EQ(pass.outcome, Outcome::pass);
  EXPECT_EQ(pass.actual, "cost 6178.74");
  EXPECT_EQ(judge(one(AssertionKind::max_cost, 100), postgres_plan("seq_scan")).outcome, Outcome::fail);
  auto lite = judge(one(AssertionKind::max_cost, 100), sqlite_plan("scan"));
  EXPECT_EQ(lite.outcome, Outcome::skipped);
  EXPECT_EQ(lite.message, "sqlite plans give no cost");
}

TEST(ContractAssertions, RowEstimateWithinNeedsAnAnalyzedPlan) {
  auto analyzed = postgres_plan("seq_scan_analyze");  // 30,040 estimated, 30,000 actual
  EXPECT_EQ(judge(one(AssertionKind::row_estimate_within, 2), analyzed).outcome, Outcome::pass);
  analyzed.root.plan_rows = 300;
  auto fail = judge(one(AssertionKind::row_estimate_within, 10), analyzed);
  EXPECT_EQ(fail.outcome, Outcome::fail);
  EXPECT_EQ(fail.message, "Seq Scan on orders: 300 estimated, 30000 actual is 100.0x off (allowed 10x)");
  auto skipped = judge(one(AssertionKind::row_estimate_within, 10), postgres_plan("seq_scan"));
  EXPECT_EQ(skipped.outcome, Outcome::skipped);
  EXPECT_EQ(skipped.message, "needs --analyze (the statement must run to count its rows)");
}

TEST(ContractAssertions, RowsExaminedPerRowSent) {
  auto analyzed = postgres_plan("seq_scan_analyze");  // reads 300,000 rows, returns 30,000
  auto fail = judge(one(AssertionKind::max_rows_examined_per_row_sent, 5), analyzed);
  EXPECT_EQ(fail.outcome, Outcome::fail);
  EXPECT_EQ(fail.actual, "10.0 (300000 examined, 30000 sent; actual rows)");
  EXPECT_EQ(judge(one(AssertionKind::max_rows_examined_per_row_sent, 20), analyzed).outcome, Outcome::pass);
  // SQLite counts full-scan steps only when the statement ran.
  auto plan = sqlite_plan("scan");
  EXPECT_EQ(judge(one(AssertionKind::max_rows_examined_per_row_sent, 5), plan).outcome, Outcome::skipped);
  plan.analyzed = true;
  plan.counters = {{"FULLSCAN_STEP", 999}, {"rows", 3}};
  EXPECT_EQ(judge(one(AssertionKind::max_rows_examined_per_row_sent, 5), plan).outcome, Outcome::fail);
  EXPECT_EQ(judge(one(AssertionKind::max_rows_examined_per_row_sent, 500), plan).outcome, Outcome::pass);
}

TEST(ContractAssertions, P95AgainstTheSla) {
  auto contract = one(AssertionKind::p95_ms, 10);
  contract.runs = 20;
  pipeline::EvaluationInputs inputs;
  for (int i = 1; i <= 20; ++i) inputs.run_ms.push_back(i);  // p95 = 19 ms
  auto fail = judge(contract, sqlite_plan("scan"), inputs);
  EXPECT_EQ(fail.outcome, Outcome::fail);
  ASSERT_TRUE(fail.p95_ms.has_value());
  EXPECT_EQ(*fail.p95_ms, 19);
  EXPECT_EQ(fail.message, "p95 above the 10 ms SLA");  // no timing in the message: results compare
  contract.assertions[0].number = 19;
  EXPECT_EQ(judge(contract, sqlite_plan("scan"), inputs).outcome, Outcome::pass);
  inputs.execution_error = "no such table: pets";
  EXPECT_EQ(judge(contract, sqlite_plan("scan"), inputs).outcome, Outcome::fail);
  EXPECT_EQ(pipeline::percentile({5, 1, 3}, 0.5), 3);
  EXPECT_FALSE(pipeline::percentile({}, 0.95).has_value());
}

TEST(ContractAssertions, PlanUnchangedAgainstTheSnapshot) {
  auto plan = postgres_plan("seq_scan");
  auto contract = one(AssertionKind::plan_unchanged);
  EXPECT_EQ(judge(contract, plan).outcome, Outcome::skipped);
  pipeline::EvaluationInputs inputs;
  // Costs, rows and timings are not part of the shape: the analyzed run of the same plan matches.
  inputs.snapshot = pipeline::plan_shape(postgres_plan("seq_scan_analyze"));
  EXPECT_EQ(judge(contract, plan, inputs).outcome, Outcome::pass);
  inputs.snapshot = pipeline::plan_shape(postgres_plan("index_scan"));
  EXPECT_EQ(judge(contract, plan, inputs).outcome, Outcome::fail);
}

TEST(PlanShape, KeepsNodesRelationsIndexesAndOrderOnly) {
  EXPECT_EQ(pipeline::plan_shape(postgres_plan("index_scan")), "Index Scan on orders using orders_pkey\n");
  EXPECT_EQ(pipeline::plan_shape(sqlite_plan("order_by_temp_btree")),
            "QUERY PLAN\n  SEARCH on pets using pets_species\n  USE TEMP B-TREE FOR ORDER BY\n");
  auto shape = pipeline::plan_shape(postgres_plan("hash_join_batches"));
  EXPECT_EQ(shape.find("cost"), std::string::npos);
  EXPECT_EQ(shape.find("rows"), std::string::npos);
}

TEST(PlanShape, DiffShowsRemovedAndAddedLines) {
  auto diff = pipeline::shape_diff("Limit\n  Index Scan on pets using idx_pets_owner\n",
                                   "Limit\n  Sort by created_at\n    Seq Scan on pets\n");
  std::vector<std::string> expected{"  Limit", "-   Index Scan on pets using idx_pets_owner", "+   Sort by created_at",
                                    "+     Seq Scan on pets"};
  EXPECT_EQ(diff, expected);
  EXPECT_TRUE(pipeline::shape_diff("A\n", "A\n").empty());
}

}  // namespace
}  // namespace dbvet::testing
