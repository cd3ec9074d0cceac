#include <gtest/gtest.h>

#include "nlohmann/json.hpp"
#include "rules/registry.hpp"
#include "tests/support/test_env.hpp"

namespace dbvet::testing {
namespace {

TEST(RulesCommand, ListsEveryRuleInTextAndJson) {
  auto text = run_dbvet({"rules", "list"});
  ASSERT_EQ(text.exit_code, 0) << text.err;
  for (const auto* rule : rules::all_rules()) EXPECT_NE(text.out.find(rule->id()), std::string::npos);

  auto json = run_dbvet({"--format", "json", "rules", "list"});
  ASSERT_EQ(json.exit_code, 0) << json.err;
  auto doc = nlohmann::json::parse(json.out);
  EXPECT_EQ(doc["kind"], "rules");
  ASSERT_EQ(doc["rules"].size(), rules::all_rules().size());
  EXPECT_EQ(doc["rules"][0]["id"], rules::all_rules()[0]->id());

  auto md = run_dbvet({"rules", "list", "--format", "md"});
  ASSERT_EQ(md.exit_code, 0) << md.err;
  EXPECT_EQ(md.out.rfind("| Rule |", 0), 0u);
}

TEST(RulesCommand, ShowsTheDocPageAndRejectsUnknownIds) {
  auto show = run_dbvet({"rules", "show", "query-n-plus-one"});
  ASSERT_EQ(show.exit_code, 0) << show.err;
  EXPECT_EQ(show.out.rfind("# query-n-plus-one", 0), 0u);
  EXPECT_NE(show.out.find("min_calls"), std::string::npos);

  auto unknown = run_dbvet({"rules", "show", "no-such-rule"});
  EXPECT_EQ(unknown.exit_code, 2);
  EXPECT_NE(unknown.err.find("unknown rule 'no-such-rule'"), std::string::npos);
  EXPECT_EQ(run_dbvet({"rules"}).exit_code, 2);
}

}  // namespace
}  // namespace dbvet::testing
