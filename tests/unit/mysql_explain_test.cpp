#include "analyzer/engines/mysql/mysql_explain.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "tests/support/test_env.hpp"

namespace dbvet::engines::mysql {
namespace {

std::string fixture(const std::string& name) {
  return testing::read_file(testing::source_dir() / "samples/plans" / name);
}

std::vector<const model::PlanNode*> nodes_of(const model::Plan& plan) {
  std::vector<const model::PlanNode*> out;
  model::visit(plan.root, [&](const model::PlanNode& node, int) { out.push_back(&node); });
  return out;
}

const model::PlanNode* table_node(const model::Plan& plan, const std::string& relation) {
  for (const auto* node : nodes_of(plan)) {
    if (node->relation == relation) return node;
  }
  return nullptr;
}

model::Plan parse_ok(const std::string& name) {
  auto plan = parse_mysql_explain_json(fixture(name));
  EXPECT_TRUE(plan.has_value()) << name << ": " << (plan ? "" : plan.error().message);
  return plan ? *plan : model::Plan{};
}

TEST(MariadbExplain, FullScan) {
  auto plan = parse_ok("mariadb/full_scan.json");
  EXPECT_EQ(plan.engine, "mariadb");
  EXPECT_EQ(plan.format, "mariadb-json");
  EXPECT_FALSE(plan.analyzed);
  EXPECT_EQ(plan.root.operation, "Query Block #1");
  const auto* orders = table_node(plan, "orders");
  ASSERT_NE(orders, nullptr);
  EXPECT_EQ(orders->operation, "ALL");
  EXPECT_EQ(orders->access, model::AccessType::full_scan);
  EXPECT_EQ(orders->rows_examined.value_or(0), 19861);
  EXPECT_EQ(orders->filtered_percent.value_or(0), 100);
  EXPECT_EQ(orders->filter, "orders.total_cents > 9000");
  EXPECT_NE(orders->raw.find("\"access_type\":\"ALL\""), std::string::npos);
  EXPECT_NE(plan.raw.find("query_block"), std::string::npos);
}

TEST(MariadbExplain, RefIndex) {
  auto plan = parse_ok("mariadb/ref_index.json");
  const auto* orders = table_node(plan, "orders");
  ASSERT_NE(orders, nullptr);
  EXPECT_EQ(orders->access, model::AccessType::index_scan);
  EXPECT_EQ(orders->index, "idx_customer");
  EXPECT_EQ(orders->index_columns, std::vector<std::string>{"customer_id"});
  EXPECT_EQ(orders->extra.at("ref"), "const");
}

TEST(MariadbExplain, RangeCoveringIsIndexOnly) {
  auto plan = parse_ok("mariadb/range.json");
  const auto* orders = table_node(plan, "orders");
  ASSERT_NE(orders, nullptr);
  EXPECT_EQ(orders->operation, "range");
  EXPECT_EQ(orders->access, model::AccessType::index_only_scan);
  EXPECT_EQ(orders->index, "idx_created");
  auto covering = parse_ok("mariadb/index_only.json");
  EXPECT_EQ(table_node(covering, "orders")->access, model::AccessType::index_only_scan);
}

TEST(MariadbExplain, Lookup) {
  auto plan = parse_ok("mariadb/lookup.json");
  const auto* customers = table_node(plan, "customers");
  ASSERT_NE(customers, nullptr);
  EXPECT_EQ(customers->operation, "const");
  EXPECT_EQ(customers->access, model::AccessType::lookup);
}

TEST(MariadbExplain, Filesort) {
  auto plan = parse_ok("mariadb/filesort.json");
  ASSERT_EQ(plan.root.children.size(), 1u);
  const auto& sort = plan.root.children[0];
  EXPECT_EQ(sort.operation, "Filesort");
  EXPECT_TRUE(sort.uses_filesort);
  EXPECT_EQ(sort.sort_keys, std::vector<std::string>{"orders.total_cents desc"});
  ASSERT_EQ(sort.children.size(), 1u);
  EXPECT_EQ(sort.children[0].access, model::AccessType::full_scan);
}

TEST(MariadbExplain, GroupByTemporary) {
  auto plan = parse_ok("mariadb/group_by_temporary.json");
  bool filesort = false, temporary = false;
  for (const auto* node : nodes_of(plan)) {
    filesort = filesort || node->uses_filesort;
    temporary = temporary || node->uses_temporary;
  }
  EXPECT_TRUE(filesort);
  EXPECT_TRUE(temporary);
  EXPECT_EQ(table_node(plan, "orders")->access, model::AccessType::full_scan);
}

TEST(MariadbExplain, Join) {
  auto plan = parse_ok("mariadb/join.json");
  ASSERT_EQ(plan.root.children.size(), 1u);
  const auto& loop = plan.root.children[0];
  EXPECT_EQ(loop.operation, "Nested Loop");
  ASSERT_EQ(loop.children.size(), 2u);
  EXPECT_EQ(loop.children[0].relation, "c");
  EXPECT_EQ(loop.children[0].access, model::AccessType::full_scan);
  EXPECT_EQ(loop.children[1].relation, "o");
  EXPECT_EQ(loop.children[1].access, model::AccessType::index_scan);
  EXPECT_EQ(loop.children[1].extra.at("ref"), "fixtures.c.id");
}

TEST(MariadbExplain, Subquery) {
  auto plan = parse_ok("mariadb/subquery.json");
  const auto* inner = table_node(plan, "o");
  ASSERT_NE(inner, nullptr);
  EXPECT_EQ(inner->access, model::AccessType::index_scan);
  bool found_block = false;
  for (const auto* node : nodes_of(plan)) {
    if (node->operation == "Query Block #2") {
      found_block = true;
      EXPECT_EQ(node->extra.at("subquery"), "subqueries");
      EXPECT_EQ(node->extra.at("expression_cache"), "uninitialized");
    }
  }
  EXPECT_TRUE(found_block);
}

TEST(MariadbExplain, AnalyzeJoin) {
  auto plan = parse_ok("mariadb/analyze_join.json");
  EXPECT_TRUE(plan.analyzed);
  EXPECT_NEAR(plan.execution_ms.value_or(0), 226.944, 0.01);
  EXPECT_NEAR(plan.planning_ms.value_or(0), 0.335, 0.01);
  const auto* o = table_node(plan, "o");
  ASSERT_NE(o, nullptr);
  EXPECT_EQ(o->actual_loops.value_or(0), 2000);
  EXPECT_EQ(o->actual_rows.value_or(0), 10);
  EXPECT_NEAR(o->rows_removed_by_filter.value_or(0), 7.5, 1e-9);  // r_filtered 25 of 10 rows
  EXPECT_NEAR(o->actual_total_ms.value_or(0), (177.0744395 + 49.27373006) / 2000, 1e-6);
  const auto& sort = plan.root.children.at(0);
  EXPECT_TRUE(sort.uses_filesort);
  EXPECT_EQ(sort.sort_method, "sort_key,rowid");
  EXPECT_EQ(sort.actual_rows.value_or(0), 5);
  EXPECT_EQ(table_node(plan, "c")->access, model::AccessType::index_only_scan);
}

TEST(MariadbExplain, AnalyzeFullScan) {
  auto plan = parse_ok("mariadb/analyze_full_scan.json");
  EXPECT_TRUE(plan.analyzed);
  const auto* orders = table_node(plan, "orders");
  ASSERT_NE(orders, nullptr);
  EXPECT_EQ(orders->actual_rows.value_or(0), 20000);
  EXPECT_EQ(orders->plan_rows.value_or(0), 19861);
  EXPECT_GT(orders->rows_removed_by_filter.value_or(0), 19000);
}

TEST(MariadbExplain, AnalyzeSingleTableDeleteAndUpdate) {
  auto plan = parse_ok("mariadb/analyze_delete.json");
  EXPECT_TRUE(plan.analyzed);
  const auto* orders = table_node(plan, "orders");
  ASSERT_NE(orders, nullptr);
  EXPECT_EQ(orders->extra.at("dml"), "delete");
  EXPECT_EQ(orders->access, model::AccessType::full_scan);
  EXPECT_EQ(orders->actual_loops.value_or(0), 1);
  EXPECT_EQ(orders->actual_rows.value_or(0), 20000);
  EXPECT_NEAR(orders->rows_removed_by_filter.value_or(0), 15000, 1e-6);
  auto update = parse_ok("mariadb/analyze_update.json");
  const auto* updated = table_node(update, "orders");
  ASSERT_NE(updated, nullptr);
  EXPECT_EQ(updated->extra.at("dml"), "update");
  EXPECT_EQ(updated->access, model::AccessType::index_scan);
  EXPECT_EQ(updated->actual_rows.value_or(0), 10);
}

// MariaDB 10.11 writes names unescaped into its JSON (captured from the test server: table i"dx\\,
// index i"k\\ on columns c"x\\ and b). The plan is still read, with the names as they are.
TEST(MariadbExplain, UnescapedQuotesAndBackslashesInNames) {
  const std::string text = R"({
  "query_block": {
    "select_id": 1,
    "nested_loop": [
      {
        "table": {
          "table_name": "i"dx\\",
          "access_type": "ref",
          "possible_keys": ["i"k\\"],
          "key": "i"k\\",
          "key_length": "18",
          "used_key_parts": ["c"x\\", "b"],
          "ref": ["const", "const"],
          "rows": 1,
          "filtered": 100,
          "attached_condition": "`i"dx\\`.b = 'q"\\x'",
          "using_index": true
        }
      }
    ]
  }
})";
  auto plan = parse_mariadb_explain_json(text);
  ASSERT_TRUE(plan.has_value()) << plan.error().message;
  const auto* table = table_node(*plan, "i\"dx\\\\");
  ASSERT_NE(table, nullptr);
  EXPECT_EQ(table->access, model::AccessType::index_only_scan);  // "using_index": true
  EXPECT_EQ(table->index, "i\"k\\\\");
  EXPECT_EQ(table->index_columns, (std::vector<std::string>{"c\"x\\\\", "b"}));
  EXPECT_EQ(table->filter, "`i\"dx\\\\`.b = 'q\"\\\\x'");
  // The plan kept is valid JSON.
  EXPECT_TRUE(nlohmann::json::accept(plan->raw));
}

// Escaped output (what a fixed writer would give) is read as it is, not escaped twice.
TEST(MariadbExplain, EscapedNamesAreNotEscapedTwice) {
  auto plan = parse_mariadb_explain_json(
      R"({"query_block": {"select_id": 1, "table": {"table_name": "a\"b\\c", "access_type": "ALL", "rows": 3}}})");
  ASSERT_TRUE(plan.has_value()) << plan.error().message;
  EXPECT_NE(table_node(*plan, "a\"b\\c"), nullptr);
}

// A plan broken in some other way is still an error naming the byte.
TEST(MariadbExplain, BrokenPlanIsStillAnError) {
  auto plan = parse_mariadb_explain_json("{\n  \"query_block\": {\n    \"select_id\": 1,\n    \"table\": {\n");
  ASSERT_FALSE(plan.has_value());
  EXPECT_NE(plan.error().message.find("malformed MariaDB EXPLAIN FORMAT=JSON: at byte"), std::string::npos);
}

TEST(Mysql8Explain, DerivedTablesAndHashJoin) {
  auto text = fixture("mysql/derived_hash_join.json");
  EXPECT_EQ(detect_mysql_explain_dialect(text), "mysql");
  auto plan = parse_ok("mysql/derived_hash_join.json");
  EXPECT_EQ(plan.engine, "mysql");
  EXPECT_EQ(plan.format, "mysql-json");
  EXPECT_EQ(plan.root.total_cost.value_or(0), 4.07);
  const auto* a1 = table_node(plan, "a1");
  ASSERT_NE(a1, nullptr);
  EXPECT_EQ(a1->extra.at("join_buffer"), "hash join");
  EXPECT_EQ(a1->rows_examined.value_or(0), 7);
  EXPECT_EQ(a1->extra.at("rows_produced_per_join"), "14");
  EXPECT_EQ(a1->total_cost.value_or(0), 4.69);
  const auto* t1 = table_node(plan, "t1");  // five levels of materialized derived tables down
  ASSERT_NE(t1, nullptr);
  EXPECT_EQ(t1->access, model::AccessType::full_scan);
  EXPECT_EQ(t1->extra.at("used_columns"), "i");
  EXPECT_EQ(t1->filtered_percent.value_or(0), 100);
}

TEST(Mysql8Explain, DependentSubqueriesWithCoveringRef) {
  auto plan = parse_ok("mysql/dependent_subqueries_ref.json");
  const auto* t3 = table_node(plan, "t3");
  ASSERT_NE(t3, nullptr);
  EXPECT_EQ(t3->operation, "ref");
  EXPECT_EQ(t3->access, model::AccessType::index_only_scan);
  EXPECT_EQ(t3->index, "c_key");
  EXPECT_EQ(t3->extra.count("subquery"), 0u) << "the subquery mark sits on the block, not the table";
}

TEST(Mysql8Explain, UpdateWithSubquery) {
  auto plan = parse_ok("mysql/update_subquery_system.json");
  const auto* t1 = table_node(plan, "t1");
  ASSERT_NE(t1, nullptr);
  EXPECT_EQ(t1->extra.at("dml"), "update");
  EXPECT_EQ(t1->access, model::AccessType::full_scan);
  EXPECT_EQ(table_node(plan, "t2")->access, model::AccessType::lookup);
}

TEST(Mysql8Explain, GroupingWithTemporaryTable) {
  auto plan = parse_ok("mysql/group_by_derived_covering.json");
  bool temporary = false;
  for (const auto* node : nodes_of(plan)) {
    if (node->operation == "Grouping") {
      temporary = node->uses_temporary;
      EXPECT_FALSE(node->uses_filesort);
    }
  }
  EXPECT_TRUE(temporary);
  const auto* employees = table_node(plan, "employees");
  ASSERT_NE(employees, nullptr);
  EXPECT_EQ(employees->operation, "index");
  EXPECT_EQ(employees->access, model::AccessType::index_only_scan);
  EXPECT_EQ(employees->rows_examined.value_or(0), 298980);
  EXPECT_EQ(table_node(plan, "YP1")->access, model::AccessType::index_scan);
  EXPECT_EQ(plan.root.total_cost.value_or(0), 1080067.75);
}

TEST(Mysql8Explain, CteBlockNestedLoopWording) {
  auto plan = parse_ok("mysql/cte_block_nested_loop.json");
  EXPECT_EQ(table_node(plan, "ct")->extra.at("join_buffer"), "Block Nested Loop");
  EXPECT_EQ(plan.root.children.at(0).operation, "Nested Loop");
}

TEST(Mysql8Explain, TreeText) {
  auto plan = parse_mysql8_explain_tree(fixture("mysql/join_tree.txt"));
  ASSERT_TRUE(plan.has_value()) << plan.error().message;
  EXPECT_EQ(plan->format, "mysql-tree");
  EXPECT_EQ(plan->root.operation, "Nested loop inner join");
  EXPECT_EQ(plan->root.total_cost.value_or(0), 550.98);
  ASSERT_EQ(plan->root.children.size(), 2u);
  const auto& scan = plan->root.children[0].children.at(0);
  EXPECT_EQ(scan.access, model::AccessType::full_scan);
  EXPECT_EQ(scan.relation, "city");
  EXPECT_EQ(scan.plan_rows.value_or(0), 4035);
  EXPECT_EQ(plan->root.children[1].access, model::AccessType::lookup);
  EXPECT_EQ(plan->root.children[1].index, "PRIMARY");
}

TEST(Mysql8Explain, TreeTextAnalyze) {
  std::string text =
      "-> Filter: (t.a > 1)  (cost=0.55 rows=1) (actual time=0.031..0.036 rows=2 loops=1)\n"
      "    -> Table scan on t  (cost=0.55 rows=3) (actual time=0.028..0.032 rows=3 loops=1)\n";
  auto plan = parse_mysql8_explain_tree(text);
  ASSERT_TRUE(plan.has_value());
  EXPECT_TRUE(plan->analyzed);
  EXPECT_EQ(plan->root.filter, "(t.a > 1)");
  EXPECT_EQ(plan->root.children.at(0).actual_rows.value_or(0), 3);
  EXPECT_EQ(plan->raw, text);
}

TEST(MysqlExplainErrors, MalformedInputIsAClearInputError) {
  auto truncated = parse_mariadb_explain_json("{\"query_block\": {\"select_id\": 1,");
  ASSERT_FALSE(truncated.has_value());
  EXPECT_EQ(truncated.error().kind, core::ErrorKind::input);
  EXPECT_NE(truncated.error().message.find("malformed MariaDB EXPLAIN FORMAT=JSON: at byte"), std::string::npos)
      << truncated.error().message;
  EXPECT_EQ(truncated.error().message.find('\n'), std::string::npos);

  auto no_block = parse_mysql8_explain_json("{\"plan\": 1}");
  ASSERT_FALSE(no_block.has_value());
  EXPECT_EQ(no_block.error().kind, core::ErrorKind::input);
  EXPECT_NE(no_block.error().message.find("\"query_block\""), std::string::npos);

  auto array = parse_mysql_explain_json("[1, 2]");
  ASSERT_FALSE(array.has_value());
  EXPECT_EQ(array.error().kind, core::ErrorKind::input);

  auto empty = parse_mysql_explain_json("");
  ASSERT_FALSE(empty.has_value());
  EXPECT_EQ(empty.error().kind, core::ErrorKind::input);

  auto tree = parse_mysql8_explain_tree("not a plan");
  ASSERT_FALSE(tree.has_value());
  EXPECT_EQ(tree.error().kind, core::ErrorKind::input);
}

TEST(MysqlExplainErrors, DialectDetection) {
  for (const char* name :
       {"full_scan", "ref_index", "range", "filesort", "group_by_temporary", "join", "lookup", "index_only", "subquery",
        "analyze_join", "analyze_full_scan", "analyze_delete", "analyze_update"}) {
    EXPECT_EQ(detect_mysql_explain_dialect(fixture(std::string("mariadb/") + name + ".json")), "mariadb") << name;
  }
  for (const char* name : {"derived_hash_join", "dependent_subqueries_ref", "update_subquery_system",
                           "group_by_derived_covering", "cte_block_nested_loop"}) {
    EXPECT_EQ(detect_mysql_explain_dialect(fixture(std::string("mysql/") + name + ".json")), "mysql") << name;
  }
}

// Found by the plans fuzzer: an operation key holding a number made raw_of() iterate a number's
// "members" and throw from key(), which ended the process.
TEST(MysqlExplainErrors, AnOperationKeyOfAnotherShapeIsSkipped) {
  auto plan = parse_mysql_explain_json(R"({"query_block": {"windowing": 1, "filesort": [2],
      "table": {"table_name": "orders", "access_type": "ALL", "rows": 10}}})");
  ASSERT_TRUE(plan) << plan.error().message;
}

}  // namespace
}  // namespace dbvet::engines::mysql
