#include <gtest/gtest.h>

#include "tests/unit/rule_test_support.hpp"

namespace dbvet::testing {
namespace {

using model::AccessType;

TEST(RulePlanHashBatches, FlagsMoreThanOneBatch) {
  model::PlanNode hash;
  hash.operation = "Hash";
  hash.hash_batches = 8;
  auto plan = plan_of("postgres", hash, true);
  rules::RuleContext context;
  context.plan = &plan;
  auto findings = run_rule("plan-hash-batches", context);
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].evidence.at("hash_batches"), "8");
}

TEST(RulePlanHashBatches, QuietOnOneBatch) {
  model::PlanNode hash;
  hash.operation = "Hash";
  hash.hash_batches = 1;
  auto plan = plan_of("postgres", hash, true);
  rules::RuleContext context;
  context.plan = &plan;
  EXPECT_TRUE(run_rule("plan-hash-batches", context).empty());
}

}  // namespace
}  // namespace dbvet::testing
