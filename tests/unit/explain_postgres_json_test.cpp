#include "analyzer/engines/postgres/explain_postgres_json.hpp"

#include <filesystem>
#include <functional>

#include "gtest/gtest.h"
#include "tests/support/test_env.hpp"

namespace dbvet {
namespace {

using engines::postgres::parse_postgres_explain_json;
using model::AccessType;
using model::PlanNode;

std::filesystem::path fixture_dir() { return testing::source_dir() / "samples" / "plans" / "postgres"; }

model::Plan load(const std::string& name) {
  auto text = testing::read_file(fixture_dir() / (name + ".json"));
  EXPECT_FALSE(text.empty()) << name;
  auto plan = parse_postgres_explain_json(text);
  EXPECT_TRUE(plan.has_value()) << name << ": " << (plan ? "" : plan.error().message);
  return plan ? *plan : model::Plan{};
}

// The first node, depth-first, for which `match` holds.
const PlanNode* find(const PlanNode& root, const std::function<bool(const PlanNode&)>& match) {
  if (match(root)) return &root;
  for (const auto& child : root.children) {
    if (auto* found = find(child, match)) return found;
  }
  return nullptr;
}

const PlanNode* find_op(const model::Plan& plan, const std::string& operation) {
  return find(plan.root, [&](const PlanNode& n) { return n.operation == operation; });
}

TEST(ExplainPostgresJson, EveryFixtureParsesWithRawKept) {
  int count = 0;
  for (const auto& entry : std::filesystem::directory_iterator(fixture_dir())) {
    if (entry.path().extension() != ".json") continue;
    ++count;
    auto text = testing::read_file(entry.path());
    auto plan = parse_postgres_explain_json(text);
    ASSERT_TRUE(plan.has_value()) << entry.path() << ": " << plan.error().message;
    EXPECT_EQ(plan->engine, "postgres");
    EXPECT_EQ(plan->format, "postgres-json");
    EXPECT_EQ(plan->raw, text);
    EXPECT_FALSE(plan->root.operation.empty());
    model::visit(plan->root, [&](const PlanNode& node, int) {
      EXPECT_FALSE(node.raw.empty()) << entry.path();
      EXPECT_EQ(node.raw.find("\"Plans\""), std::string::npos) << "children are not repeated in raw";
      EXPECT_EQ(node.raw.find('\n'), std::string::npos) << "raw is a compact dump";
      EXPECT_TRUE(node.total_cost.has_value());
    });
  }
  EXPECT_GE(count, 10);
}

TEST(ExplainPostgresJson, SeqScanEstimateOnly) {
  auto plan = load("seq_scan");
  EXPECT_FALSE(plan.analyzed);
  EXPECT_EQ(plan.root.operation, "Seq Scan");
  EXPECT_EQ(plan.root.access, AccessType::full_scan);
  EXPECT_EQ(plan.root.relation, "orders");
  EXPECT_EQ(plan.root.filter, "(amount > '300'::numeric)");
  EXPECT_DOUBLE_EQ(*plan.root.startup_cost, 0.0);
  EXPECT_GT(*plan.root.total_cost, 1000.0);
  EXPECT_GT(*plan.root.plan_rows, 0.0);
  EXPECT_TRUE(plan.root.plan_width.has_value());
  EXPECT_FALSE(plan.root.actual_rows.has_value());
  EXPECT_FALSE(plan.execution_ms.has_value());
}

TEST(ExplainPostgresJson, SeqScanAnalyzedCountsRemovedRows) {
  auto plan = load("seq_scan_analyze");
  EXPECT_TRUE(plan.analyzed);
  EXPECT_TRUE(plan.planning_ms.has_value());
  EXPECT_TRUE(plan.execution_ms.has_value());
  EXPECT_DOUBLE_EQ(*plan.root.actual_loops, 1.0);
  EXPECT_GT(*plan.root.rows_removed_by_filter, 100000.0);
  EXPECT_DOUBLE_EQ(*plan.root.actual_rows + *plan.root.rows_removed_by_filter, 300000.0);
  EXPECT_TRUE(plan.root.actual_total_ms.has_value());
}

TEST(ExplainPostgresJson, IndexScanWithConditionAndFilter) {
  auto plan = load("index_scan");
  EXPECT_EQ(plan.root.operation, "Index Scan");
  EXPECT_EQ(plan.root.access, AccessType::index_scan);
  EXPECT_EQ(plan.root.index, "orders_pkey");
  EXPECT_EQ(plan.root.index_condition, "((id >= 100) AND (id <= 120))");
  EXPECT_EQ(plan.root.filter, "(status = 'paid'::text)");
  EXPECT_DOUBLE_EQ(*plan.root.rows_removed_by_filter, 14.0);
  EXPECT_DOUBLE_EQ(*plan.root.rows_removed_by_index_recheck, 0.0);
}

TEST(ExplainPostgresJson, IndexOnlyScanWithHeapFetchesAndBuffers) {
  auto plan = load("index_only_scan_heap_fetches");
  EXPECT_EQ(plan.root.access, AccessType::index_only_scan);
  EXPECT_EQ(plan.root.index, "orders_status_amount_idx");
  EXPECT_GT(*plan.root.heap_fetches, 0.0);
  EXPECT_GT(*plan.root.shared_hit_blocks + *plan.root.shared_read_blocks, 0.0);
  EXPECT_DOUBLE_EQ(*plan.root.temp_written_blocks, 0.0);
}

TEST(ExplainPostgresJson, BitmapScanUsesRecheckCondition) {
  auto plan = load("bitmap_scan");
  EXPECT_EQ(plan.root.operation, "Bitmap Heap Scan");
  EXPECT_EQ(plan.root.access, AccessType::bitmap_scan);
  EXPECT_EQ(plan.root.index_condition, "(customer_id < 200)");
  EXPECT_EQ(plan.root.extra.count("Recheck Cond"), 0u) << "not repeated in extra";
  ASSERT_EQ(plan.root.children.size(), 1u);
  EXPECT_EQ(plan.root.children[0].access, AccessType::bitmap_scan);
  EXPECT_EQ(plan.root.children[0].index, "orders_customer_idx");
  EXPECT_EQ(plan.root.children[0].extra.count("Parent Relationship"), 0u) << "Outer is what the tree shows";
}

TEST(ExplainPostgresJson, SortSpillingToDisk) {
  auto plan = load("sort_spill_disk");
  auto* sort = find_op(plan, "Sort");
  ASSERT_NE(sort, nullptr);
  EXPECT_EQ(sort->sort_method, "external merge");
  EXPECT_EQ(sort->sort_keys, std::vector<std::string>{"created_at"});
  EXPECT_TRUE(sort->sort_spilled.value_or(false));
  EXPECT_GT(*sort->sort_space_kb, 0.0);
  EXPECT_GT(*sort->temp_written_blocks, 0.0);
  EXPECT_NE(find_op(plan, "Parallel Seq Scan"), nullptr);
}

TEST(ExplainPostgresJson, HashJoinWithBatches) {
  auto plan = load("hash_join_batches");
  EXPECT_EQ(plan.root.operation, "Hash Join");
  EXPECT_EQ(plan.root.join_type, "Inner");
  EXPECT_EQ(plan.root.extra.at("Hash Cond"), "(o.customer_id = c.id)");
  auto* hash = find_op(plan, "Hash");
  ASSERT_NE(hash, nullptr);
  EXPECT_GT(*hash->hash_batches, 1);
  EXPECT_TRUE(hash->sort_spilled.value_or(false));
  EXPECT_GT(*hash->temp_written_blocks, 0.0);
  auto* customers = find(plan.root, [](const PlanNode& n) { return n.relation == "customers"; });
  ASSERT_NE(customers, nullptr);
  EXPECT_EQ(customers->alias, "c");
}

TEST(ExplainPostgresJson, NestedLoopKeepsLoops) {
  auto plan = load("nested_loop");
  EXPECT_EQ(plan.root.operation, "Nested Loop");
  EXPECT_EQ(plan.root.join_type, "Inner");
  ASSERT_EQ(plan.root.children.size(), 2u);
  auto* inner = find(plan.root.children[1], [](const PlanNode& n) { return n.relation == "orders"; });
  ASSERT_NE(inner, nullptr);
  EXPECT_GT(*inner->actual_loops, 1.0);
}

TEST(ExplainPostgresJson, ParallelPlanWorkersAndStrategies) {
  auto plan = load("parallel_aggregate");
  EXPECT_EQ(plan.root.operation, "Finalize GroupAggregate");
  auto* gather = find_op(plan, "Gather Merge");
  ASSERT_NE(gather, nullptr);
  EXPECT_GE(*gather->workers_planned, 1);
  EXPECT_TRUE(gather->workers_launched.has_value());
  EXPECT_NE(find_op(plan, "Partial HashAggregate"), nullptr);
  auto* scan = find_op(plan, "Parallel Seq Scan");
  ASSERT_NE(scan, nullptr);
  EXPECT_EQ(scan->access, AccessType::full_scan);
  EXPECT_EQ(plan.root.extra.at("Group Key"), "status");
}

TEST(ExplainPostgresJson, AnalyzeWithBuffersAndJit) {
  auto plan = load("analyze_buffers_jit");
  EXPECT_TRUE(plan.analyzed);
  ASSERT_TRUE(plan.jit_ms.has_value());
  EXPECT_NEAR(*plan.jit_ms, 227.893, 1e-9);
  EXPECT_NEAR(*plan.planning_ms, 12.274, 1e-9);
  EXPECT_NEAR(*plan.execution_ms, 1043.212, 1e-9);
  EXPECT_DOUBLE_EQ(plan.counters.at("JIT Functions"), 37.0);
  EXPECT_TRUE(plan.root.shared_hit_blocks.has_value());
}

TEST(ExplainPostgresJson, AnalyzedDeleteIsNamedByItsOperation) {
  auto plan = load("delete_analyze");
  EXPECT_EQ(plan.root.operation, "Delete");
  EXPECT_EQ(plan.root.relation, "orders");
  ASSERT_EQ(plan.root.children.size(), 1u);
  EXPECT_EQ(plan.root.children[0].access, AccessType::index_scan);
}

TEST(ExplainPostgresJson, AcceptsTheSingleElementToo) {
  auto plan = parse_postgres_explain_json(
      R"({"Plan": {"Node Type": "Index Only Scan", "Scan Direction": "Backward", "Index Name": "i",
          "Relation Name": "t", "Total Cost": 4.5}})");
  ASSERT_TRUE(plan.has_value()) << plan.error().message;
  EXPECT_EQ(plan->root.operation, "Index Only Scan Backward");
  EXPECT_EQ(plan->root.access, AccessType::index_only_scan);
  EXPECT_FALSE(plan->analyzed);
}

TEST(ExplainPostgresJson, IncrementalSortGroups) {
  auto plan = parse_postgres_explain_json(R"([{"Plan": {"Node Type": "Incremental Sort", "Total Cost": 9,
      "Sort Key": ["a", "b"], "Presorted Key": ["a"],
      "Full-sort Groups": {"Group Count": 3, "Sort Methods Used": ["external merge"],
                           "Sort Space Memory": {"Average Sort Space Used": 30, "Peak Sort Space Used": 30},
                           "Sort Space Disk": {"Average Sort Space Used": 900, "Peak Sort Space Used": 900}}}}])");
  ASSERT_TRUE(plan.has_value()) << plan.error().message;
  EXPECT_EQ(plan->root.sort_method, "external merge");
  EXPECT_TRUE(plan->root.sort_spilled.value_or(false));
  EXPECT_EQ(plan->root.extra.at("Presorted Key"), "a");
}

struct MalformedCase {
  const char* input;
  const char* expected_fragment;
};

TEST(ExplainPostgresJson, MalformedInputIsAnInputErrorSayingWhatWasExpected) {
  const MalformedCase cases[] = {
      {"", "at byte"},
      {"[{\"Plan\": {\"Node Type\": \"Seq Scan\"", "at byte"},
      {"QUERY PLAN\n Seq Scan on t", "at byte 1"},
      {"[]", "an array holding one EXPLAIN result"},
      {"[1]", "an object with a \"Plan\" member"},
      {"{\"Planning Time\": 1}", "an object with a \"Plan\" member"},
      {"[{\"Plan\": 3}]", "at Plan: expected a plan node"},
      {"[{\"Plan\": {\"Total Cost\": 1}}]", "at Plan: expected a \"Node Type\""},
      {"[{\"Plan\": {\"Node Type\": \"Sort\", \"Plans\": {}}}]", "at Plan.Plans: expected an array"},
      {"[{\"Plan\": {\"Node Type\": \"Sort\", \"Plans\": [{\"Node Type\": \"Seq Scan\"}, {}]}}]",
       "at Plan.Plans[1]: expected a \"Node Type\""},
  };
  for (const auto& c : cases) {
    auto plan = parse_postgres_explain_json(c.input);
    ASSERT_FALSE(plan.has_value()) << c.input;
    EXPECT_EQ(plan.error().kind, core::ErrorKind::input) << c.input;
    EXPECT_NE(plan.error().message.find(c.expected_fragment), std::string::npos) << plan.error().message;
    EXPECT_NE(plan.error().message.find("PostgreSQL EXPLAIN JSON"), std::string::npos) << plan.error().message;
    EXPECT_EQ(plan.error().message.find('\n'), std::string::npos) << plan.error().message;
  }
}

}  // namespace
}  // namespace dbvet
