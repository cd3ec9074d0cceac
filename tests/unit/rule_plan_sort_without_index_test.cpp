#include <gtest/gtest.h>

#include "tests/unit/rule_test_support.hpp"

namespace dbvet::testing {
namespace {

using model::AccessType;

TEST(RulePlanSortWithoutIndex, FlagsPostgresSortMysqlFilesortAndSqliteTempBtree) {
  model::PlanNode sort;
  sort.operation = "Sort";
  sort.sort_keys = {"score DESC"};
  auto input = scan_node("Seq Scan", AccessType::full_scan, "leaderboard");
  input.plan_rows = 100000;
  sort.children = {input};
  auto pg = plan_of("postgres", sort);
  rules::RuleContext context;
  context.plan = &pg;
  auto findings = run_rule("plan-sort-without-index", context);
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].table, "leaderboard");

  auto filesort = scan_node("ALL", AccessType::full_scan, "orders");
  filesort.uses_filesort = true;
  filesort.plan_rows = 40000;
  auto my = plan_of("mariadb", filesort);
  context.plan = &my;
  EXPECT_EQ(run_rule("plan-sort-without-index", context).size(), 1u);

  model::PlanNode root;
  root.operation = "QUERY PLAN";
  model::PlanNode temp;
  temp.operation = "USE TEMP B-TREE FOR ORDER BY";
  temp.temp_btree = true;
  root.children = {scan_node("SCAN leaderboard", AccessType::full_scan, "leaderboard"), temp};
  auto lite = plan_of("sqlite", root);
  context.plan = &lite;
  EXPECT_EQ(run_rule("plan-sort-without-index", context).size(), 1u);

  // SQLite's temp B-tree is a sibling of the scans: the table comes from the query's ORDER BY.
  auto query = rules::make_query_info("SELECT user_id FROM leaderboard WHERE season = 4 ORDER BY score DESC", "q");
  context.query = &query;
  auto sqlite_findings = run_rule("plan-sort-without-index", context);
  ASSERT_EQ(sqlite_findings.size(), 1u);
  EXPECT_EQ(sqlite_findings[0].table, "leaderboard");
}

TEST(RulePlanSortWithoutIndex, QuietOnSmallSortsAndIndexOrder) {
  model::PlanNode sort;
  sort.operation = "Sort";
  auto input = scan_node("Seq Scan", AccessType::full_scan, "species");
  input.plan_rows = 40;
  sort.children = {input};
  auto pg = plan_of("postgres", sort);
  rules::RuleContext context;
  context.plan = &pg;
  EXPECT_TRUE(run_rule("plan-sort-without-index", context).empty());
  auto ordered = plan_of("postgres", scan_node("Index Scan", AccessType::index_scan, "leaderboard"));
  context.plan = &ordered;
  EXPECT_TRUE(run_rule("plan-sort-without-index", context).empty());
}

}  // namespace
}  // namespace dbvet::testing
