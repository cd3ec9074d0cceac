#include <gtest/gtest.h>

#include "tests/unit/rule_test_support.hpp"

namespace dbvet::testing {
namespace {

rules::QueryStats stats_of(double count, double avg_ms, double rows_per_call) {
  rules::QueryStats stats;
  stats.count = count;
  stats.avg_time_s = avg_ms / 1000;
  stats.total_time_s = stats.avg_time_s * count;
  stats.rows_sent = rows_per_call * count;
  return stats;
}

TEST(RuleQueryNPlusOne, FlagsManyTinyKeyLookups) {
  auto query = rules::make_query_info("SELECT hunger, happiness FROM pet_stats WHERE pet_id = :pet_id", "q",
                                      stats_of(20000, 0.08, 1));
  rules::RuleContext context;
  context.query = &query;
  auto findings = run_rule("query-n-plus-one", context);
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].table, "pet_stats");
  EXPECT_EQ(findings[0].evidence.at("lookup_columns"), "pet_id");
}

TEST(RuleQueryNPlusOne, QuietOnRareSlowOrListQueries) {
  rules::RuleContext context;
  auto rare = rules::make_query_info("SELECT hunger FROM pet_stats WHERE pet_id = :pet_id", "q", stats_of(20, 0.08, 1));
  context.query = &rare;
  EXPECT_TRUE(run_rule("query-n-plus-one", context).empty());
  auto slow =
      rules::make_query_info("SELECT hunger FROM pet_stats WHERE pet_id = :pet_id", "q", stats_of(20000, 40, 1));
  context.query = &slow;
  EXPECT_TRUE(run_rule("query-n-plus-one", context).empty());
  auto list = rules::make_query_info("SELECT id FROM pets WHERE created_at > :since ORDER BY created_at", "q",
                                     stats_of(20000, 0.5, 3));
  context.query = &list;
  EXPECT_TRUE(run_rule("query-n-plus-one", context).empty());
}

TEST(RuleQueryNPlusOne, RepeatsWithinOneTransactionReplaceTheCallCount) {
  // A short workload run: few calls in all, but the lookup repeats inside one transaction.
  auto repeated = stats_of(120, 0.05, 1);
  repeated.max_calls_per_transaction = 6;
  auto query = rules::make_query_info("SELECT hunger FROM pet_stats WHERE pet_id = :pet_id", "q", repeated);
  rules::RuleContext context;
  context.query = &query;
  auto findings = run_rule("query-n-plus-one", context);
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].evidence.at("calls_per_transaction"), "6");

  auto once = stats_of(120000, 0.05, 1);
  once.max_calls_per_transaction = 1;  // many calls, but one per transaction: not N+1
  auto single = rules::make_query_info("SELECT hunger FROM pet_stats WHERE pet_id = :pet_id", "q", once);
  context.query = &single;
  EXPECT_TRUE(run_rule("query-n-plus-one", context).empty());
}

}  // namespace
}  // namespace dbvet::testing
