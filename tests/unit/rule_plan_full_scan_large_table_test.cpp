#include <gtest/gtest.h>

#include "tests/unit/rule_test_support.hpp"

namespace dbvet::testing {
namespace {

using model::AccessType;

TEST(RulePlanFullScanLargeTable, FlagsSeqScanDiscardingMostRows) {
  auto node = scan_node("Seq Scan", AccessType::full_scan, "pets");
  node.filter = "(owner_id = 42)";
  node.actual_rows = 10;
  node.actual_loops = 1;
  node.rows_removed_by_filter = 99990;
  auto plan = plan_of("postgres", node, true);
  rules::RuleContext context;
  context.plan = &plan;
  auto findings = run_rule("plan-full-scan-large-table", context);
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].table, "pets");
  EXPECT_EQ(findings[0].evidence.at("rows_read"), "100000");
}

TEST(RulePlanFullScanLargeTable, FlagsMysqlAllWithLowFilteredAndSqliteScanOfFilteredTable) {
  auto node = scan_node("ALL", AccessType::full_scan, "payments");
  node.plan_rows = 50000;
  node.filtered_percent = 1;
  auto plan = plan_of("mariadb", node);
  rules::RuleContext context;
  context.plan = &plan;
  EXPECT_EQ(run_rule("plan-full-scan-large-table", context).size(), 1u);

  auto sqlite_plan = plan_of("sqlite", scan_node("SCAN pets", AccessType::full_scan, "pets"));
  model::Schema schema;
  schema.tables.push_back(table_of("pets", 200000));
  auto query = rules::make_query_info("SELECT id FROM pets WHERE owner_id = ?", "q1");
  rules::RuleContext sqlite_context;
  sqlite_context.plan = &sqlite_plan;
  sqlite_context.schema = &schema;
  sqlite_context.query = &query;
  EXPECT_EQ(run_rule("plan-full-scan-large-table", sqlite_context).size(), 1u);
}

TEST(RulePlanFullScanLargeTable, QuietOnSmallTablesAndSelectiveEnoughScans) {
  auto small = scan_node("Seq Scan", AccessType::full_scan, "species");
  small.actual_rows = 1;
  small.rows_removed_by_filter = 40;
  auto plan = plan_of("postgres", small, true);
  rules::RuleContext context;
  context.plan = &plan;
  EXPECT_TRUE(run_rule("plan-full-scan-large-table", context).empty());

  auto keeps_half = scan_node("Seq Scan", AccessType::full_scan, "events");
  keeps_half.actual_rows = 50000;
  keeps_half.rows_removed_by_filter = 50000;
  auto plan2 = plan_of("postgres", keeps_half, true);
  context.plan = &plan2;
  EXPECT_TRUE(run_rule("plan-full-scan-large-table", context).empty());

  rules::RuleConfig config;
  config["plan-full-scan-large-table"].thresholds["min_removed_fraction"] = 0.4;
  context.config = &config;
  EXPECT_EQ(run_rule("plan-full-scan-large-table", context).size(), 1u);
}

}  // namespace
}  // namespace dbvet::testing
