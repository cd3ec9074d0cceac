// A drop recommendation is verified by planning the workload without the index where the engine can
// hide one (an estimate otherwise).

#include <gtest/gtest.h>

#include "analyzer/pipeline/index_advisor.hpp"

namespace dbvet::pipeline {
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

ClassWork recent_sessions(const model::Schema& schema) {
  ClassWork work;
  work.id = "q1";
  work.sql = "SELECT session_id FROM sessions WHERE user_id = 7 ORDER BY created_at DESC LIMIT 10";
  work.calls = 10;
  work.shape = sql::analyze_query(work.sql, &schema).value();
  return work;
}

model::Recommendation drop_short_index() {
  model::Recommendation drop;
  drop.type = model::RecommendationType::drop_index;
  drop.table = "sessions";
  drop.details["index"] = "idx_sessions_user";
  drop.verified = "estimate";
  return drop;
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
  auto drop = drop_short_index();
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
  verify_drops(unverified, classes, blind, {}, &notes);
  EXPECT_EQ(unverified[0].verified, "estimate");
  EXPECT_FALSE(unverified[0].cost_after);
  EXPECT_TRUE(notes.empty());  // the command notes once that the engine cannot hide
}

// Without the new index the planner falls back to a scan when the old one is hidden (cost 300); with
// it, hiding changes nothing (cost 100).
class FallbackWhatIf final : public model::WhatIf {
 public:
  std::string method() const override { return "fake"; }
  core::Expected<model::WhatIfResult> plan_with(const std::string&, const std::vector<model::IndexCandidate>& add,
                                                const std::vector<std::string>& hide) override {
    model::WhatIfResult result;
    result.cost = !hide.empty() && add.empty() ? 300 : 100;
    return result;
  }
};

TEST(AdvisorDrops, SafeOnlyAfterTheRecommendedIndexesSaysSo) {
  auto schema = sessions_schema(5);
  std::vector<ClassWork> classes{recent_sessions(schema)};
  auto drop = drop_short_index();
  model::IndexCandidate created;
  created.table = "sessions";
  created.columns = {"user_id", "created_at"};
  FallbackWhatIf what_if;

  std::vector<model::Recommendation> after_advice{drop};
  verify_drops(after_advice, classes, what_if, {created});
  EXPECT_DOUBLE_EQ(*after_advice[0].cost_before, 1000);  // costs of the state the advice leads to
  EXPECT_DOUBLE_EQ(*after_advice[0].cost_after, 1000);
  EXPECT_EQ(after_advice[0].details["apply_after"], "recommended indexes");
  EXPECT_NE(after_advice[0].rationale.find("only after the recommended new indexes"), std::string::npos)
      << after_advice[0].rationale;
  EXPECT_NE(after_advice[0].rationale.find("q1 plans 200% costlier"), std::string::npos) << after_advice[0].rationale;

  std::vector<model::Recommendation> alone{drop};
  verify_drops(alone, classes, what_if);  // nothing recommended: the drop itself hurts
  EXPECT_FALSE(alone[0].details.count("apply_after"));
  EXPECT_NE(alone[0].rationale.find("200% more without it"), std::string::npos) << alone[0].rationale;
}

}  // namespace
}  // namespace dbvet::pipeline
