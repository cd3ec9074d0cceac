#include <gtest/gtest.h>

#include <filesystem>
#include <set>

#include "rules/registry.hpp"
#include "rules/rule_config.hpp"
#include "tests/support/test_env.hpp"
#include "tests/unit/rule_test_support.hpp"

namespace dbvet::testing {
namespace {

std::string test_file_name(std::string id) {
  for (auto& c : id) c = c == '-' ? '_' : c;
  return "rule_" + id + "_test.cpp";
}

TEST(RuleRegistry, SortedUniqueAndWellFormed) {
  const auto& all = rules::all_rules();
  ASSERT_GE(all.size(), 29u);
  std::set<std::string> seen;
  for (size_t i = 0; i < all.size(); ++i) {
    const auto* rule = all[i];
    EXPECT_TRUE(seen.insert(rule->id()).second) << "duplicate id " << rule->id();
    if (i > 0) {
      EXPECT_LT(all[i - 1]->id(), rule->id()) << "registry not sorted at " << rule->id();
    }
    std::string prefix = rules::category_name(rule->category()) + "-";
    EXPECT_EQ(rule->id().rfind(prefix, 0), 0u) << rule->id() << " should start with " << prefix;
    EXPECT_FALSE(rule->summary().empty()) << rule->id();
    EXPECT_EQ(rules::find_rule(rule->id()), rule);
  }
  EXPECT_EQ(rules::find_rule("no-such-rule"), nullptr);
}

// The clang-tidy convention: no rule without its doc page and its test.
TEST(RuleRegistry, EveryRuleHasDocPageAndTest) {
  for (const auto* rule : rules::all_rules()) {
    auto doc = source_dir() / "docs" / "rules" / (rule->id() + ".md");
    ASSERT_TRUE(std::filesystem::exists(doc)) << "missing " << doc;
    std::string text = read_file(doc);
    EXPECT_NE(text.find("# " + rule->id()), std::string::npos) << doc << " must start with '# " << rule->id() << "'";
    for (const char* section : {"## Why", "## How to fix", "## Thresholds"}) {
      EXPECT_NE(text.find(section), std::string::npos) << doc << " lacks " << section;
    }
    for (const auto& t : rule->thresholds()) {
      EXPECT_NE(text.find("`" + t.name + "`"), std::string::npos) << doc << " does not document " << t.name;
    }
    auto test = source_dir() / "tests" / "unit" / test_file_name(rule->id());
    EXPECT_TRUE(std::filesystem::exists(test)) << "missing " << test;
  }
}

TEST(RuleRegistry, RunRulesHonoursConfigAndCategoriesAndRanksBySeverity) {
  model::Schema schema;
  auto pets = table_of("pets", 1000);
  auto broken = index_of("pets_name", "pets", {"name"});
  broken.valid = false;
  pets.indexes.push_back(broken);  // invalid index (error) on a table without primary key (warning)
  schema.tables.push_back(pets);
  rules::RuleContext context;
  context.schema = &schema;
  auto findings = rules::run_rules(context);
  ASSERT_EQ(findings.size(), 2u);
  EXPECT_EQ(findings[0].rule, "schema-invalid-index");
  EXPECT_EQ(findings[1].rule, "schema-table-without-primary-key");

  rules::RuleConfig config;
  ASSERT_TRUE(rules::disable_rules(config, {"schema-invalid-index"}));
  config["schema-table-without-primary-key"].severity = model::Severity::error;
  context.config = &config;
  findings = rules::run_rules(context);
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].severity, model::Severity::error);
  EXPECT_TRUE(rules::run_rules(context, {rules::Category::plan}).empty());
  EXPECT_FALSE(rules::disable_rules(config, {"nope"}));
}

}  // namespace
}  // namespace dbvet::testing
