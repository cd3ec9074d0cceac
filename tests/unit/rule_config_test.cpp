#include "rules/rule_config.hpp"

#include <gtest/gtest.h>

namespace dbvet::testing {
namespace {

TEST(RuleConfigToml, ReadsEnabledSeverityAndThresholds) {
  auto config = rules::parse_rule_config(R"toml(
[target]
url = "sqlite:x.db"

[rules.plan-full-scan-large-table]
min_rows = 5000
min_removed_fraction = 0.8

[rules.query-select-star]
enabled = false

[rules.schema-unused-index]
severity = "error"
)toml",
                                         "dbvet.toml");
  ASSERT_TRUE(config) << config.error().message;
  EXPECT_DOUBLE_EQ(config->at("plan-full-scan-large-table").thresholds.at("min_rows"), 5000);
  EXPECT_DOUBLE_EQ(config->at("plan-full-scan-large-table").thresholds.at("min_removed_fraction"), 0.8);
  EXPECT_FALSE(config->at("query-select-star").enabled);
  EXPECT_EQ(config->at("schema-unused-index").severity, model::Severity::error);
}

TEST(RuleConfigToml, RejectsUnknownRulesThresholdsAndValuesWithTheLine) {
  struct Case {
    const char* text;
    const char* expected;
  } cases[] = {
      {"[rules.no-such-rule]\nenabled = false\n", "dbvet.toml:1: unknown rule 'no-such-rule'"},
      {"[rules.plan-full-scan-large-table]\n\nmin_rowz = 3\n",
       "dbvet.toml:3: rule 'plan-full-scan-large-table' has no threshold 'min_rowz'"},
      {"[rules.plan-full-scan-large-table]\nmin_rows = \"many\"\n", "must be a number"},
      {"[rules.query-select-star]\nseverity = \"fatal\"\n", "severity must be"},
      {"[rules.query-select-star]\nenabled = 1\n", "enabled must be true or false"},
      {"[rules\n", "dbvet.toml:1:"},
  };
  for (const auto& c : cases) {
    auto config = rules::parse_rule_config(c.text, "dbvet.toml");
    ASSERT_FALSE(config) << c.text;
    EXPECT_EQ(config.error().exit_code(), 2);
    EXPECT_NE(config.error().message.find(c.expected), std::string::npos) << config.error().message;
    EXPECT_EQ(config.error().message.find('\n'), std::string::npos);
  }
}

TEST(RuleConfigToml, MissingFileIsAnInputError) {
  auto config = rules::load_rule_config("/nonexistent/dbvet.toml");
  ASSERT_FALSE(config);
  EXPECT_EQ(config.error().exit_code(), 3);
}

}  // namespace
}  // namespace dbvet::testing
