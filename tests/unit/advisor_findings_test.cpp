// The audit's interim checks and drop verification: a sort of a few rows is no finding, an index
// that makes another redundant is not also reported unused, and a drop is verified by planning
// without the index where the engine can hide one (an estimate otherwise).

#include <gtest/gtest.h>

#include "analyzer/advisor/findings.hpp"
#include "analyzer/advisor/shape.hpp"

namespace dbvet::advisor {
namespace {

model::Schema sessions_schema(std::optional<int64_t> covering_scans) {
  model::Table sessions;
  sessions.name = "sessions";
  sessions.estimated_rows = 60000;
  for (const char* c : {"session_id", "user_id", "created_at"}) {
    model::Column column;
    column.name = c;
    column.type = "INTEGER";
    sessions.columns.push_back(column);
  }
  model::Index short_index;
  short_index.name = "idx_sessions_user";
  short_index.table = "sessions";
  short_index.columns = {"user_id"};
  short_index.method = "btree";
  short_index.scans = 12;
  short_index.size_bytes = 1 << 20;
  model::Index covering = short_index;
  covering.name = "idx_sessions_user_created";
  covering.columns = {"user_id", "created_at"};
  covering.scans = covering_scans;
  sessions.indexes = {short_index, covering};
  model::Schema schema;
  schema.tables = {sessions};
  return schema;
}

TEST(AdvisorFindings, CoveringIndexOfARedundantOneIsNotUnused) {
  auto schema = sessions_schema(0);
  AuditOptions options;
  std::map<std::string, double> write_share;
  auto found = schema_findings({schema, options, write_share});
  bool redundant = false;
  for (const auto& f : found) {
    if (f.rule == "schema-redundant-index") redundant = f.evidence.at("index") == "idx_sessions_user";
    if (f.rule == "schema-unused-index") {
      EXPECT_NE(f.evidence.at("index"), "idx_sessions_user_created");
    }
  }
  EXPECT_TRUE(redundant);
}

ClassWork recent_sessions(const model::Schema& schema) {
  ClassWork work;
  work.id = "q1";
  work.sql = "SELECT session_id FROM sessions WHERE user_id = 7 ORDER BY created_at DESC LIMIT 10";
  work.calls = 10;
  work.shape = query_shape(work.sql, schema);
  return work;
}

model::Plan sorted_plan(double rows_sorted) {
  model::PlanNode scan;
  scan.operation = "Bitmap Heap Scan";
  scan.relation = "sessions";
  scan.access = model::AccessType::index_scan;
  model::PlanNode sort;
  sort.operation = "Sort";
  sort.plan_rows = rows_sorted;
  sort.children = {scan};
  model::Plan plan;
  plan.root.operation = "Limit";
  plan.root.children = {sort};
  return plan;
}

TEST(AdvisorFindings, SortOfAFewRowsIsNoFinding) {
  auto schema = sessions_schema(5);
  AuditOptions options;
  std::map<std::string, double> write_share;
  FindingContext context{schema, options, write_share};
  auto work = recent_sessions(schema);
  auto count_sorts = [&](const model::Plan& plan) {
    int sorts = 0;
    for (const auto& f : class_findings(work, plan, 10, context)) sorts += f.rule == "plan-sort-without-index";
    return sorts;
  };
  EXPECT_EQ(count_sorts(sorted_plan(3)), 0);
  EXPECT_EQ(count_sorts(sorted_plan(5000)), 1);
}

// Plans cost 100, or 150 with `idx_sessions_user` hidden; hiding is refused when `can_hide` is off.
class FakeWhatIf final : public model::WhatIf {
 public:
  explicit FakeWhatIf(bool can_hide) : can_hide_(can_hide) {}
  std::string method() const override { return "fake"; }
  core::Expected<model::WhatIfResult> plan_with(const std::string&, const std::vector<model::IndexCandidate>&,
                                                const std::vector<std::string>& hide) override {
    if (!hide.empty() && !can_hide_) return core::make_error(core::ErrorKind::unsupported, "cannot hide");
    model::WhatIfResult result;
    result.cost = hide.empty() ? 100 : 150;
    return result;
  }

 private:
  bool can_hide_;
};

TEST(AdvisorDrops, VerifiedByPlanningWithoutTheIndex) {
  auto schema = sessions_schema(5);
  std::vector<ClassWork> classes{recent_sessions(schema)};
  model::Recommendation drop;
  drop.type = model::RecommendationType::drop_index;
  drop.table = "sessions";
  drop.details["index"] = "idx_sessions_user";
  drop.verified = "estimate";
  std::vector<model::Recommendation> drops{drop};
  FakeWhatIf hiding(true);
  verify_drops(drops, classes, hiding);
  EXPECT_EQ(drops[0].verified, "fake");
  EXPECT_DOUBLE_EQ(*drops[0].cost_before, 1000);
  EXPECT_DOUBLE_EQ(*drops[0].cost_after, 1500);
  EXPECT_NE(drops[0].rationale.find("50% more without it"), std::string::npos) << drops[0].rationale;

  std::vector<model::Recommendation> unverified{drop};
  FakeWhatIf blind(false);
  std::vector<std::string> notes;
  verify_drops(unverified, classes, blind, &notes);
  EXPECT_EQ(unverified[0].verified, "estimate");
  EXPECT_FALSE(unverified[0].cost_after);
  EXPECT_TRUE(notes.empty());  // the command notes once that the engine cannot hide
}

}  // namespace
}  // namespace dbvet::advisor
