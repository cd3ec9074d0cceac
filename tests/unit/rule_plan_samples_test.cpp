// The plan rules over the real plans of samples/plans/<engine>/: beside each plan file, FILE.findings
// lists what the rules find in it, one finding a line, sorted: "rule-id severity table" (the stable
// part of a finding; messages and evidence have their own rule tests). A plan the rules find nothing
// in has an empty .findings file. DBVET_UPDATE_GOLDENS=1 rewrites the files from what the rules find.

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <string>
#include <vector>

#include "analyzer/core/expected.hpp"
#include "analyzer/engines/sqlite/sqlite_plan_parser.hpp"
#include "analyzer/model/plan.hpp"
#include "rules/registry.hpp"
#include "rules/rule_context.hpp"
#include "tests/support/test_env.hpp"
#ifdef DBVET_WITH_POSTGRES
#include "analyzer/engines/postgres/explain_postgres_json.hpp"
#endif
#ifdef DBVET_WITH_MYSQL
#include "analyzer/engines/mysql/mysql_explain.hpp"
#endif

namespace dbvet::testing {
namespace {

namespace fs = std::filesystem;

struct PlanSample {
  std::string engine;
  fs::path path;
};

// The parser of a plan file, by engine and file name; nullptr for what is not a plan (READMEs,
// schema.sql, the regeneration script) or for an engine this dbvet is built without.
using Parser = core::Expected<model::Plan> (*)(const std::string&);

Parser parser_of(const std::string& engine, const std::string& name) {
  if (engine == "sqlite" && name.ends_with(".txt")) {
    return [](const std::string& text) { return engines::sqlite::parse_sqlite_plan_text(text); };
  }
#ifdef DBVET_WITH_POSTGRES
  if (engine == "postgres" && name.ends_with(".json")) {
    return [](const std::string& text) { return engines::postgres::parse_postgres_explain_json(text); };
  }
#endif
#ifdef DBVET_WITH_MYSQL
  if (engine == "mysql" && name.ends_with(".json")) return engines::mysql::parse_mysql_explain_json;
  if (engine == "mysql" && name.ends_with(".txt")) return engines::mysql::parse_mysql8_explain_tree;
#endif
  return nullptr;
}

std::vector<PlanSample> plan_samples() {
  std::vector<PlanSample> samples;
  for (const auto& dir : fs::directory_iterator(source_dir() / "samples/plans")) {
    if (!dir.is_directory()) continue;
    auto engine = dir.path().filename().string();
    for (const auto& entry : fs::directory_iterator(dir.path())) {
      if (entry.is_regular_file() && parser_of(engine, entry.path().filename().string())) {
        samples.push_back({engine, entry.path()});
      }
    }
  }
  std::sort(samples.begin(), samples.end(), [](const auto& a, const auto& b) { return a.path < b.path; });
  return samples;
}

// What this build can read (DBVET_WITH_*=OFF leaves an engine's parser out): SQLite's 39 plans,
// PostgreSQL's 14, MySQL's 6; the plan rules that fire on them: 3 on SQLite's, 10 with PostgreSQL's.
#ifdef DBVET_WITH_POSTGRES
constexpr size_t kPostgresSamples = 14, kMinRulesFired = 10;
#else
constexpr size_t kPostgresSamples = 0, kMinRulesFired = 3;
#endif
#ifdef DBVET_WITH_MYSQL
constexpr size_t kMysqlSamples = 6;
#else
constexpr size_t kMysqlSamples = 0;
#endif
constexpr size_t kMinSamples = 39 + kPostgresSamples + kMysqlSamples;

// What the plan rules find in a plan, the way the pipeline runs them: the plan alone, its engine.
std::string findings_of(const model::Plan& plan) {
  rules::RuleContext context;
  context.plan = &plan;
  context.engine = plan.engine;
  std::vector<std::string> lines;
  for (const auto& finding : rules::run_rules(context, {rules::Category::plan})) {
    lines.push_back(finding.rule + " " + model::severity_name(finding.severity) + " " +
                    (finding.table.empty() ? "-" : finding.table));
  }
  std::sort(lines.begin(), lines.end());
  std::string text;
  for (const auto& line : lines) text += line + "\n";
  return text;
}

// One test over every plan (not a parametrized one: ctest lists the tests by running the binary
// without DBVET_SOURCE_DIR, where the samples cannot be found); each mismatch names its plan file.
TEST(RulePlanSamples, FindingsMatchTheFileBesideEachPlan) {
  auto samples = plan_samples();
  EXPECT_GE(samples.size(), kMinSamples) << "plans under " << (source_dir() / "samples/plans");
  for (const auto& sample : samples) {
    SCOPED_TRACE(sample.path.string());
    auto plan = parser_of(sample.engine, sample.path.filename().string())(read_file(sample.path));
    ASSERT_TRUE(plan.has_value()) << plan.error().message;
    auto found = findings_of(*plan);
    fs::path expected_path = sample.path.string() + ".findings";
    if (std::getenv("DBVET_UPDATE_GOLDENS")) std::ofstream(expected_path, std::ios::binary) << found;
    if (!fs::exists(expected_path)) {
      ADD_FAILURE() << expected_path << " is missing: the plan rules find\n" << found;
      continue;
    }
    EXPECT_EQ(found, read_file(expected_path));
  }
}

// The samples exercise the plan rules: every plan rule that can fire on a plan alone fires on at
// least one sample (the rest need a query's statistics or a schema and have their own tests).
TEST(RulePlanSamples, MostPlanRulesFireOnSomeSample) {
  std::set<std::string> fired;
  for (const auto& sample : plan_samples()) {
    std::ifstream in(sample.path.string() + ".findings");
    std::string rule;
    std::string rest;
    while (in >> rule && std::getline(in, rest)) fired.insert(rule);
  }
  EXPECT_GE(fired.size(), kMinRulesFired) << "plan rules that fire on some sample";
}

}  // namespace
}  // namespace dbvet::testing
