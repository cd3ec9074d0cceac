// The audit document is built wholly in the library (input, timing_s and applied included), and
// its text and Markdown, read from that document, show those too.
#include <gtest/gtest.h>

#include "analyzer/pipeline/audit_json.hpp"
#include "analyzer/report/audit_render.hpp"
#include "nlohmann/json.hpp"

namespace dbvet::report {
namespace {

pipeline::AuditResult applied_log_audit() {
  pipeline::AuditResult result;
  result.engine = "sqlite";
  result.target = "sqlite:pets.db";
  result.statements = 5;
  result.input.kind = "log";
  result.input.file = "slow.log";
  result.input.format = "mysql-slowlog";
  result.input.events = 5;
  result.input.skipped = 1;
  result.skipped_placeholder_classes = {"abc"};
  result.timings_s = {{"introspect", 0.25}, {"total", 1.5}};
  result.applied = std::vector<pipeline::AppliedIndex>{{"pets", "CREATE INDEX i ON pets (owner_id)", true, ""},
                                                       {"users", "CREATE INDEX j ON users (email)", false, "locked"}};
  return result;
}

TEST(AuditRender, JsonCarriesInputTimingAndApplied) {
  auto doc = pipeline::audit_to_json(applied_log_audit(), "audit");
  EXPECT_EQ(doc["input"]["kind"], "log");
  EXPECT_EQ(doc["input"]["file"], "slow.log");
  EXPECT_EQ(doc["input"]["skipped"], 1);
  EXPECT_EQ(doc["input"]["skipped_placeholder_classes"], nlohmann::json::array({"abc"}));
  EXPECT_EQ(doc["timing_s"]["total"], 1.5);
  ASSERT_EQ(doc["applied"].size(), 2u);
  EXPECT_EQ(doc["applied"][1]["status"], "failed");
  EXPECT_EQ(doc["applied"][1]["error"], "locked");
  EXPECT_TRUE(doc["applied"][0]["error"].is_null());
}

TEST(AuditRender, WorkloadInputWithoutApply) {
  pipeline::AuditResult result;
  result.transactions = 200;
  auto doc = pipeline::audit_to_json(result, "advise");
  EXPECT_EQ(doc["input"], (nlohmann::json{{"kind", "workload"}}));
  EXPECT_FALSE(doc.contains("applied"));
  EXPECT_NE(render_audit_text(doc, {}).find("input: workload (200 transactions)\n"), std::string::npos);
}

TEST(AuditRender, TextShowsInputTimingAndApplied) {
  auto text = render_audit_text(pipeline::audit_to_json(applied_log_audit(), "audit"), {});
  EXPECT_NE(
      text.find("input: log slow.log (mysql-slowlog): 5 events, 1 skipped; 1 classes with placeholders left out\n"),
      std::string::npos)
      << text;
  EXPECT_NE(text.find("\ntiming: introspect 0.250 s, total 1.500 s\n"), std::string::npos) << text;
  EXPECT_NE(text.find("\nApplied (1 of 2 index recommendations)\n  applied: CREATE INDEX i ON pets (owner_id)\n"
                      "  FAILED: CREATE INDEX j ON users (email) -- locked\n"),
            std::string::npos)
      << text;
}

TEST(AuditRender, MarkdownShowsInputTimingAndApplied) {
  auto md = render_audit_md(pipeline::audit_to_json(applied_log_audit(), "audit"), {});
  EXPECT_NE(md.find("\nInput: log slow.log (mysql-slowlog): 5 events, 1 skipped"), std::string::npos) << md;
  EXPECT_NE(md.find("\nTiming: introspect 0.250 s, total 1.500 s.\n"), std::string::npos) << md;
  EXPECT_NE(md.find("\n## Applied (1 of 2 index recommendations)\n\n- applied: CREATE INDEX i ON pets (owner_id)\n"),
            std::string::npos)
      << md;
}

}  // namespace
}  // namespace dbvet::report

namespace dbvet::report {
namespace {

// Gains as a person writes them: "12% more", not "-12% less"; small costs keep their digits
// (MariaDB's "cost 0 -> 0 (48% less)").
TEST(AuditRender, GainsReadAsAPersonWritesThem) {
  pipeline::AuditResult result;
  result.engine = "mariadb";
  auto recommendation = [](double before, double after) {
    model::Recommendation r;
    r.type = model::RecommendationType::index;
    r.table = "t";
    r.ddl = "CREATE INDEX i ON t (a)";
    r.cost_before = before;
    r.cost_after = after;
    r.improvement = 1 - after / before;
    r.verified = "sandbox";
    return r;
  };
  result.recommendations = {recommendation(0.42, 0.22), recommendation(100, 103), recommendation(50, 50.1)};
  auto text = render_audit_text(pipeline::audit_to_json(result, "audit"), {});
  EXPECT_NE(text.find("cost 0.42 -> 0.22 (48% less, verified: sandbox)"), std::string::npos) << text;
  EXPECT_NE(text.find("cost 100 -> 103 (3% more, verified: sandbox)"), std::string::npos) << text;
  EXPECT_NE(text.find("cost 50.0 -> 50.1 (no change, verified: sandbox)"), std::string::npos) << text;
  EXPECT_EQ(text.find("-3% less"), std::string::npos) << text;
}

}  // namespace
}  // namespace dbvet::report
