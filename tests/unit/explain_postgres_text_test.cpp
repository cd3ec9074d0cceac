// PostgreSQL's TEXT EXPLAIN output (auto_explain's default) read onto the same plan model as FORMAT
// JSON: the pairs of tests/data/postgres_explain_text/ (each statement explained in both formats on
// one server, regenerate.sh) must give the same model, and the same plan rules' findings.

#include "analyzer/engines/postgres/explain_postgres_text.hpp"

#include <filesystem>
#include <set>
#include <string>
#include <vector>

#include "analyzer/engines/postgres/explain_postgres_json.hpp"
#include "gtest/gtest.h"
#include "rules/registry.hpp"
#include "rules/rule_context.hpp"
#include "tests/support/test_env.hpp"

namespace dbvet {
namespace {

namespace fs = std::filesystem;
using engines::postgres::parse_postgres_explain_json;
using engines::postgres::parse_postgres_explain_text;
using model::AccessType;
using model::PlanNode;

fs::path pairs_dir() { return testing::source_dir() / "tests" / "data" / "postgres_explain_text"; }

// Times and buffer counts come from two executions, one per format: only whether each is given
// can agree. Everything else is the same plan and must be equal.
template <class T>
void expect_given_alike(const std::optional<T>& text, const std::optional<T>& json, const std::string& what) {
  EXPECT_EQ(text.has_value(), json.has_value()) << what;
}

void expect_same_node(const PlanNode& text, const PlanNode& json, const std::string& path) {
  SCOPED_TRACE(path + " " + json.operation);
  EXPECT_EQ(text.operation, json.operation);
  EXPECT_EQ(text.access, json.access);
  EXPECT_EQ(text.relation, json.relation);
  EXPECT_EQ(text.alias, json.alias);
  EXPECT_EQ(text.index, json.index);
  EXPECT_EQ(text.index_columns, json.index_columns);
  EXPECT_EQ(text.join_type, json.join_type);
  EXPECT_EQ(text.index_condition, json.index_condition);
  EXPECT_EQ(text.filter, json.filter);
  EXPECT_EQ(text.startup_cost, json.startup_cost);
  EXPECT_EQ(text.total_cost, json.total_cost);
  EXPECT_EQ(text.plan_rows, json.plan_rows);
  EXPECT_EQ(text.plan_width, json.plan_width);
  EXPECT_EQ(text.actual_loops, json.actual_loops);
  expect_given_alike(text.actual_rows, json.actual_rows, "actual_rows");
  expect_given_alike(text.actual_startup_ms, json.actual_startup_ms, "actual_startup_ms");
  expect_given_alike(text.actual_total_ms, json.actual_total_ms, "actual_total_ms");
  EXPECT_EQ(text.rows_removed_by_filter.has_value(), json.rows_removed_by_filter.has_value());
  EXPECT_EQ(text.rows_removed_by_index_recheck, json.rows_removed_by_index_recheck);
  expect_given_alike(text.heap_fetches, json.heap_fetches, "heap_fetches");
  EXPECT_EQ(text.sort_method, json.sort_method);
  EXPECT_EQ(text.sort_keys, json.sort_keys);
  EXPECT_EQ(text.sort_spilled, json.sort_spilled);
  expect_given_alike(text.sort_space_kb, json.sort_space_kb, "sort_space_kb");
  EXPECT_EQ(text.hash_batches, json.hash_batches);
  EXPECT_EQ(text.workers_planned, json.workers_planned);
  EXPECT_EQ(text.workers_launched, json.workers_launched);
  expect_given_alike(text.shared_hit_blocks, json.shared_hit_blocks, "shared_hit_blocks");
  expect_given_alike(text.shared_read_blocks, json.shared_read_blocks, "shared_read_blocks");
  expect_given_alike(text.temp_read_blocks, json.temp_read_blocks, "temp_read_blocks");
  expect_given_alike(text.temp_written_blocks, json.temp_written_blocks, "temp_written_blocks");
  // Keys alike; the values that count what one execution did may differ between the two.
  std::set<std::string> text_keys, json_keys;
  for (const auto& [key, value] : text.extra) text_keys.insert(key);
  for (const auto& [key, value] : json.extra) json_keys.insert(key);
  EXPECT_EQ(text_keys, json_keys);
  for (const char* stable : {"Hash Cond", "Merge Cond", "Join Filter", "Group Key", "Subplan Name",
                             "Parent Relationship", "CTE Name", "Function Name", "Recheck Cond"}) {
    if (json.extra.count(stable) && text.extra.count(stable)) {
      EXPECT_EQ(text.extra.at(stable), json.extra.at(stable)) << stable;
    }
  }
  EXPECT_FALSE(text.raw.empty());
  ASSERT_EQ(text.children.size(), json.children.size());
  for (size_t i = 0; i < text.children.size(); ++i) {
    expect_same_node(text.children[i], json.children[i], path + "/" + std::to_string(i));
  }
}

std::set<std::string> plan_rules_firing(const model::Plan& plan) {
  rules::RuleContext context;
  context.plan = &plan;
  context.engine = plan.engine;
  std::set<std::string> fired;
  for (const auto& finding : rules::run_rules(context, {rules::Category::plan})) fired.insert(finding.rule);
  return fired;
}

TEST(ExplainPostgresText, EachPairGivesTheModelOfItsJson) {
  int pairs = 0;
  for (const auto& entry : fs::directory_iterator(pairs_dir())) {
    if (entry.path().extension() != ".text") continue;
    ++pairs;
    SCOPED_TRACE(entry.path().filename().string());
    const std::string text = testing::read_file(entry.path());
    auto from_text = parse_postgres_explain_text(text);
    ASSERT_TRUE(from_text.has_value()) << from_text.error().message;
    auto json_path = entry.path();
    auto from_json = parse_postgres_explain_json(testing::read_file(json_path.replace_extension(".json")));
    ASSERT_TRUE(from_json.has_value()) << from_json.error().message;
    EXPECT_EQ(from_text->engine, "postgres");
    EXPECT_EQ(from_text->format, "postgres-text");
    EXPECT_EQ(from_text->raw, text);
    EXPECT_EQ(from_text->analyzed, from_json->analyzed);
    expect_given_alike(from_text->planning_ms, from_json->planning_ms, "planning_ms");
    expect_given_alike(from_text->execution_ms, from_json->execution_ms, "execution_ms");
    expect_given_alike(from_text->jit_ms, from_json->jit_ms, "jit_ms");
    EXPECT_EQ(from_text->counters, from_json->counters);
    expect_same_node(from_text->root, from_json->root, "Plan");
    EXPECT_EQ(plan_rules_firing(*from_text), plan_rules_firing(*from_json));
  }
  EXPECT_GE(pairs, 33);
}

// The pairs' plans exercise what the rules read: these must fire on the text format too.
TEST(ExplainPostgresText, PlanRulesFireOnTextPlans) {
  auto fired = [](const char* name) {
    auto plan = parse_postgres_explain_text(testing::read_file(pairs_dir() / (std::string(name) + ".text")));
    EXPECT_TRUE(plan.has_value()) << name;
    return plan ? plan_rules_firing(*plan) : std::set<std::string>{};
  };
  EXPECT_TRUE(fired("sort_spill").count("plan-spilled-to-disk"));
  EXPECT_TRUE(fired("hash_join_batches").count("plan-hash-batches"));
  EXPECT_TRUE(fired("seq_scan_filter").count("plan-full-scan-large-table"));
}

TEST(ExplainPostgresText, ReadsTheValuesOfEachLine) {
  auto plan = parse_postgres_explain_text(testing::read_file(pairs_dir() / "sort_spill.text"));
  ASSERT_TRUE(plan.has_value()) << plan.error().message;
  const PlanNode& sort = plan->root;
  EXPECT_EQ(sort.operation, "Sort");
  EXPECT_DOUBLE_EQ(*sort.startup_cost, 51968.64);
  EXPECT_DOUBLE_EQ(*sort.total_cost, 52468.64);
  EXPECT_DOUBLE_EQ(*sort.plan_rows, 200000);
  EXPECT_DOUBLE_EQ(*sort.plan_width, 59);
  EXPECT_DOUBLE_EQ(*sort.actual_startup_ms, 189.962);
  EXPECT_DOUBLE_EQ(*sort.actual_total_ms, 242.680);
  EXPECT_DOUBLE_EQ(*sort.actual_rows, 200000);
  EXPECT_DOUBLE_EQ(*sort.actual_loops, 1);
  EXPECT_EQ(sort.sort_keys, (std::vector<std::string>{"amount", "note"}));
  EXPECT_EQ(sort.sort_method, "external merge");
  EXPECT_EQ(sort.sort_spilled, true);
  EXPECT_DOUBLE_EQ(*sort.sort_space_kb, 13904);
  EXPECT_DOUBLE_EQ(*sort.shared_hit_blocks, 2279);
  EXPECT_DOUBLE_EQ(*sort.shared_read_blocks, 0);
  EXPECT_DOUBLE_EQ(*sort.temp_read_blocks, 6933);
  EXPECT_DOUBLE_EQ(*sort.temp_written_blocks, 7440);
  EXPECT_DOUBLE_EQ(*plan->planning_ms, 0.367);
  EXPECT_DOUBLE_EQ(*plan->execution_ms, 251.723);
  ASSERT_EQ(sort.children.size(), 1u);
  EXPECT_EQ(sort.children[0].access, AccessType::full_scan);
  EXPECT_EQ(sort.children[0].relation, "d9_orders");
  EXPECT_EQ(sort.raw,
            "Sort  (cost=51968.64..52468.64 rows=200000 width=59) (actual time=189.962..242.680 rows=200000 loops=1)\n"
            "Sort Key: amount, note\n"
            "Sort Method: external merge  Disk: 13904kB\n"
            "Buffers: shared hit=2279, temp read=6933 written=7440\n"
            "I/O Timings: temp read=14.942 write=19.654");

  auto jit = parse_postgres_explain_text(testing::read_file(pairs_dir() / "jit.text"));
  ASSERT_TRUE(jit.has_value()) << jit.error().message;
  EXPECT_DOUBLE_EQ(*jit->jit_ms, 127.496);
  EXPECT_DOUBLE_EQ(jit->counters.at("JIT Functions"), 6);
}

// auto_explain's record as the log reader keeps it: the continuation tab on every line, the query
// text over two lines, and nodes the pairs do not have.
TEST(ExplainPostgresText, ReadsAutoExplainsLoggedPlan) {
  const std::string logged =
      "\tQuery Text: SELECT *\n"
      "\t  FROM \"Order Items\" oi WHERE oi.id IN (SELECT id FROM t) ORDER BY id DESC\n"
      "\tLimit  (cost=0.29..10.50 rows=10 width=8) (actual time=0.020..0.100 rows=10 loops=1)\n"
      "\t  ->  Parallel Index Scan Backward using \"Order Items_pkey\" on \"Order Items\" oi  (cost=0.29..500.00 "
      "rows=5000 width=8) (actual time=0.019..0.090 rows=10 loops=1)\n"
      "\t        Filter: (note <> 'a  b'::text)\n"
      "\t  ->  Memoize  (cost=0.30..0.40 rows=1 width=4) (never executed)\n"
      "\t        Cache Key: oi.id\n"
      "\t        Hits: 9  Misses: 1  Evictions: 0  Overflows: 0  Memory Usage: 1kB\n"
      "\t        ->  Hash Right Anti Join  (cost=1.00..2.00 rows=1 width=4) (actual rows=0 loops=0)\n"
      "\t              Hash Cond: (t.id = oi.id)\n"
      "\t              Buckets: 4096 (originally 1024)  Batches: 4 (originally 1)  Memory Usage: 90kB\n"
      "\t              Worker 0:  Sort Method: external merge  Disk: 4000kB\n"
      "\t  SubPlan 2\n"
      "\t    ->  Subquery Scan on s  (cost=0.00..1.00 rows=1 width=4) (actual time=0.001..0.001 rows=1 loops=10)\n"
      "\t          ->  Append  (cost=0.00..1.00 rows=2 width=4) (actual time=0.001..0.001 rows=1 loops=10)\n"
      "\t                ->  Values Scan on \"*VALUES*\"  (cost=0.00..0.01 rows=1 width=4) (actual "
      "time=0.001..0.001 rows=1 loops=10)\n"
      "\t                ->  Function Scan on generate_series g  (cost=0.00..0.01 rows=1 width=4) (actual "
      "time=0.001..0.001 rows=1 loops=10)\n"
      "\t  CTE t\n"
      "\t    ->  HashAggregate  (cost=1.00..2.00 rows=1 width=4) (actual time=0.001..0.001 rows=1 loops=1)\n"
      "\t          Group Key: x.id\n"
      "\t          Planned Partitions: 4  Batches: 5  Memory Usage: 4145kB  Disk Usage: 12000kB\n"
      "\t          ->  CTE Scan on big x  (cost=0.00..1.00 rows=1 width=4) (actual time=0.001..0.001 rows=1 loops=1)\n"
      "\tJIT:\n"
      "\t  Functions: 4\n"
      "\t  Timing: Generation 1.000 ms, Inlining 2.000 ms, Optimization 3.000 ms, Emission 4.000 ms\n";
  auto plan = parse_postgres_explain_text(logged);
  ASSERT_TRUE(plan.has_value()) << plan.error().message;
  EXPECT_TRUE(plan->analyzed);
  EXPECT_FALSE(plan->execution_ms.has_value());  // auto_explain logs the duration before the plan
  EXPECT_DOUBLE_EQ(*plan->jit_ms, 10.0);         // no Total: the sum of the phases
  const PlanNode& limit = plan->root;
  EXPECT_EQ(limit.operation, "Limit");
  ASSERT_EQ(limit.children.size(), 4u);

  const PlanNode& scan = limit.children[0];
  EXPECT_EQ(scan.operation, "Parallel Index Scan Backward");
  EXPECT_EQ(scan.access, AccessType::index_scan);
  EXPECT_EQ(scan.index, "Order Items_pkey");
  EXPECT_EQ(scan.relation, "Order Items");
  EXPECT_EQ(scan.alias, "oi");
  EXPECT_EQ(scan.filter, "(note <> 'a  b'::text)");
  EXPECT_EQ(scan.rows_removed_by_filter, 0.0);  // analyzed, not printed: none removed

  const PlanNode& memoize = limit.children[1];
  EXPECT_EQ(memoize.actual_loops, 0.0);
  EXPECT_EQ(memoize.actual_rows, 0.0);
  EXPECT_EQ(memoize.actual_total_ms, 0.0);
  EXPECT_EQ(memoize.extra.at("Cache Hits"), "9");
  EXPECT_EQ(memoize.extra.at("Cache Misses"), "1");
  EXPECT_EQ(memoize.extra.at("Peak Memory Usage"), "1");
  ASSERT_EQ(memoize.children.size(), 1u);
  const PlanNode& join = memoize.children[0];
  EXPECT_EQ(join.operation, "Hash Join");
  EXPECT_EQ(join.join_type, "Right Anti");
  EXPECT_EQ(join.hash_batches, 4);
  EXPECT_EQ(join.extra.at("Original Hash Batches"), "1");
  EXPECT_EQ(join.sort_spilled, true);
  EXPECT_EQ(join.sort_method, "external merge");
  EXPECT_FALSE(join.sort_space_kb.has_value());    // a worker's; JSON's Sort Space Used is the leader's
  EXPECT_FALSE(join.actual_total_ms.has_value());  // TIMING OFF form

  const PlanNode& subquery = limit.children[2];
  EXPECT_EQ(subquery.operation, "Subquery Scan");
  EXPECT_EQ(subquery.alias, "s");
  EXPECT_EQ(subquery.extra.at("Parent Relationship"), "SubPlan");
  EXPECT_EQ(subquery.extra.at("Subplan Name"), "SubPlan 2");
  const PlanNode& append = subquery.children.at(0);
  EXPECT_EQ(append.extra.at("Parent Relationship"), "Subquery");
  ASSERT_EQ(append.children.size(), 2u);
  EXPECT_EQ(append.children[0].alias, "*VALUES*");
  EXPECT_EQ(append.children[0].extra.at("Parent Relationship"), "Member");
  EXPECT_EQ(append.children[1].extra.at("Function Name"), "generate_series");
  EXPECT_EQ(append.children[1].alias, "g");

  const PlanNode& aggregate = limit.children[3];
  EXPECT_EQ(aggregate.operation, "HashAggregate");
  EXPECT_EQ(aggregate.extra.at("Subplan Name"), "CTE t");
  EXPECT_EQ(aggregate.extra.at("Parent Relationship"), "InitPlan");
  EXPECT_EQ(aggregate.extra.at("HashAgg Batches"), "5");
  EXPECT_EQ(aggregate.extra.at("Disk Usage"), "12000");
  EXPECT_EQ(aggregate.sort_spilled, true);
  EXPECT_EQ(aggregate.children.at(0).extra.at("CTE Name"), "big");
  EXPECT_EQ(aggregate.children.at(0).alias, "x");
}

TEST(ExplainPostgresText, ReadsPsqlOutputAndPlansWithoutCosts) {
  auto psql = parse_postgres_explain_text(
      "                         QUERY PLAN\n"
      "------------------------------------------------------------\n"
      " Seq Scan on t  (cost=0.00..35.50 rows=2550 width=4)\n"
      "   Filter: (a > 1)\n"
      "(2 rows)\n");
  ASSERT_TRUE(psql.has_value()) << psql.error().message;
  EXPECT_EQ(psql->root.relation, "t");
  EXPECT_EQ(psql->root.filter, "(a > 1)");
  EXPECT_FALSE(psql->analyzed);
  EXPECT_FALSE(psql->root.rows_removed_by_filter.has_value());  // not analyzed: not known

  auto no_costs = parse_postgres_explain_text(
      "Hash Join\n  Hash Cond: (a.id = b.id)\n  ->  Seq Scan on a\n  ->  Hash\n"
      "        ->  Seq Scan on b\n");
  ASSERT_TRUE(no_costs.has_value()) << no_costs.error().message;
  EXPECT_EQ(no_costs->root.join_type, "Inner");
  ASSERT_EQ(no_costs->root.children.size(), 2u);
  EXPECT_EQ(no_costs->root.children[1].children.at(0).relation, "b");
  EXPECT_FALSE(no_costs->root.total_cost.has_value());
}

// Lines of newer servers than the pairs' PostgreSQL 15: rows with two decimals and "Index Searches"
// (18), "InitPlan 1" without "(returns $0)" and "Storage:" (17), "Disabled: true" (18).
TEST(ExplainPostgresText, ReadsTheLinesOfNewerServers) {
  auto plan = parse_postgres_explain_text(
      " Seq Scan on orders  (cost=0.44..120.00 rows=40 width=8) (actual time=0.012..0.028 rows=40.00 loops=1)\n"
      "   Disabled: true\n"
      "   Filter: (amount > (InitPlan 1).col1)\n"
      "   Rows Removed by Filter: 3960\n"
      "   Buffers: shared hit=47\n"
      "   InitPlan 1\n"
      "     ->  Materialize  (cost=0.00..0.44 rows=1 width=32) (actual time=0.001..0.001 rows=1.00 loops=1)\n"
      "           Storage: Memory  Maximum Storage: 17kB\n"
      "           ->  Index Scan using orders_pkey on orders orders_1  (cost=0.29..0.43 rows=1 width=32) (actual "
      "time=0.009..0.009 rows=0.50 loops=2)\n"
      "                 Index Cond: (id = ANY ('{1,2}'::integer[]))\n"
      "                 Index Searches: 2\n"
      " Planning Time: 0.029 ms\n"
      " Execution Time: 0.034 ms\n");
  ASSERT_TRUE(plan.has_value()) << plan.error().message;
  EXPECT_DOUBLE_EQ(*plan->root.actual_rows, 40.0);
  EXPECT_DOUBLE_EQ(*plan->root.rows_removed_by_filter, 3960.0);
  ASSERT_EQ(plan->root.children.size(), 1u);
  const PlanNode& materialize = plan->root.children[0];
  EXPECT_EQ(materialize.extra.at("Subplan Name"), "InitPlan 1");
  EXPECT_EQ(materialize.extra.at("Parent Relationship"), "InitPlan");
  ASSERT_EQ(materialize.children.size(), 1u);
  EXPECT_DOUBLE_EQ(*materialize.children[0].actual_rows, 0.5);
  EXPECT_EQ(materialize.children[0].alias, "orders_1");
  EXPECT_EQ(materialize.children[0].rows_removed_by_index_recheck, 0.0);
  EXPECT_DOUBLE_EQ(*plan->execution_ms, 0.034);
}

// Every prefix of every pair's text (a plan cut off anywhere, as a truncated log leaves it) parses
// or gives an input error, never anything else.
TEST(ExplainPostgresText, EveryTruncatedPlanParsesOrFailsCleanly) {
  for (const auto& entry : fs::directory_iterator(pairs_dir())) {
    if (entry.path().extension() != ".text") continue;
    const std::string text = testing::read_file(entry.path());
    for (size_t size = 0; size <= text.size(); ++size) {
      auto plan = parse_postgres_explain_text(std::string_view(text).substr(0, size));
      if (!plan) {
        ASSERT_EQ(plan.error().kind, core::ErrorKind::input) << entry.path() << " cut at " << size;
      }
    }
  }
}

TEST(ExplainPostgresText, MalformedInputNamesTheLineAndWhatWasExpected) {
  struct Case {
    const char* text;
    const char* message;
  };
  const Case cases[] = {
      {"", "line 1: expected a plan node"},
      {"Query Text: SELECT 1\n", "line 1: expected a plan node"},
      {"Seq Scan on t  (cost=0.00..x rows=1 width=4)\n", "line 1: expected (cost=STARTUP..TOTAL"},
      {"Seq Scan on t  (cost=0.00..1.00 rows=1 width=4\n", "line 1: expected (cost=STARTUP..TOTAL"},
      {"Seq Scan on t  (cost=0.00..1.00 rows=1)\n", "line 1: expected (cost=STARTUP..TOTAL"},
      {"Seq Scan on t  (cost=0.00..1.00 rows=1 width=4) (actual time=1..2 rows=1 loops=one)\n",
       "line 1: expected (cost=STARTUP..TOTAL"},
      {"Seq Scan on t  (cost=0.00..1.00 rows=1 width=4)\n  this is not a property\n",
       "line 2: expected a property (\"Name: value\"), a child node"},
      {"Seq Scan on t  (cost=0.00..1.00 rows=1 width=4)\n  Rows Removed by Filter: many\n",
       "line 2: expected a number after \"Rows Removed by Filter:\""},
      {"Sort  (cost=0.00..1.00 rows=1 width=4)\n  Sort Method: quicksort  Memory: lots\n",
       "line 2: expected a number after \"Memory:\""},
      {"Seq Scan on t  (cost=0.00..1.00 rows=1 width=4)\n  Buffers: shared hit=x\n",
       "line 2: expected \"Buffers: shared hit=N"},
      {"Seq Scan on t  (cost=0.00..1.00 rows=1 width=4)\nPlanning Time: 0.1 ms\n->  Seq Scan on u\n",
       "line 3: expected the plan's summary"},
      {"Seq Scan on t  (cost=0.00..1.00 rows=1 width=4)\nExecution Time: soon\n",
       "line 2: expected a number after \"Execution Time:\""},
      {"Hash Join  (cost=0.00..1.00 rows=1 width=4)\n  ->    (cost=0.00..1.00 rows=1 width=4)\n",
       "line 2: expected a node's name"},
  };
  for (const Case& c : cases) {
    auto plan = parse_postgres_explain_text(c.text);
    ASSERT_FALSE(plan.has_value()) << c.text;
    EXPECT_EQ(plan.error().kind, core::ErrorKind::input) << c.text;
    EXPECT_NE(plan.error().message.find(c.message), std::string::npos) << c.text << "\n" << plan.error().message;
  }
}

}  // namespace
}  // namespace dbvet
