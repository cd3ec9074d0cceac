// The CI formats (SARIF, JUnit, GitHub annotations) over hand-made audit and health documents:
// what each says about a finding, where it says it is, and that a fingerprint ignores timings.
#include <gtest/gtest.h>

#include "analyzer/report/ci_issues.hpp"
#include "analyzer/report/ci_render.hpp"
#include "analyzer/report/renderers.hpp"
#include "nlohmann/json.hpp"

namespace dbvet::report {
namespace {

using nlohmann::json;

json audit_doc() {
  return json::parse(R"({
    "dbvet_version": "0.1.0", "kind": "audit",
    "input": {"kind": "log", "file": "logs/slow.log", "format": "mysql-slowlog"},
    "findings": [
      {"rule": "query-leading-wildcard-like", "severity": "warning", "query_id": "e0e5a58ea8448dec",
       "table": "pets", "message": "pets.name LIKE '%max%' starts with a wildcard\nsecond line",
       "evidence": {"column": "name", "calls": "2"}, "cost": 0.03},
      {"rule": "plan-sort-without-index", "severity": "error", "query_id": "fd2b5baf119438f8",
       "table": "leaderboard_scores", "message": "sorts 3000 rows", "file": "workloads/game.sql", "line": 7,
       "evidence": {}, "cost": 12.5},
      {"rule": "schema-unused-index", "severity": "info", "query_id": "", "table": "pets",
       "message": "index idx_x is unused", "evidence": {"index": "idx_x"}, "cost": 0}
    ],
    "recommendations": [
      {"type": "drop_index", "table": "pets", "columns": ["owner_id"], "ddl": "DROP INDEX idx_x",
       "rationale": "unused", "queries": [], "details": {"index": "idx_x"}}
    ]})");
}

TEST(CiIssues, FindingsAndAdviceWithTheirObjectsAndFiles) {
  auto issues = ci_issues(audit_doc());
  ASSERT_EQ(issues.size(), 4u);
  EXPECT_EQ(issues[0].file, "logs/slow.log");  // a query finding was found in the log
  EXPECT_EQ(issues[0].line, 0);
  EXPECT_EQ(ci_where(issues[0]), "table pets, column name, query e0e5a58ea8448dec");
  EXPECT_EQ(issues[1].file, "workloads/game.sql");  // a finding that knows its line keeps it
  EXPECT_EQ(issues[1].line, 7);
  EXPECT_EQ(issues[2].file, "");  // schema findings come from no input file
  EXPECT_EQ(issues[3].rule, "advice-drop-index");
  EXPECT_EQ(issues[3].severity, "info");
}

TEST(CiIssues, FingerprintsIgnoreCostAndMessageButNotTheQuery) {
  json doc = audit_doc();
  auto before = ci_issues(doc);
  doc["findings"][0]["cost"] = 99.0;
  doc["findings"][0]["evidence"]["calls"] = "17";
  doc["findings"][0]["message"] = "pets.name LIKE '%rex%' starts with a wildcard";
  EXPECT_EQ(ci_issues(doc)[0].fingerprint, before[0].fingerprint);
  doc["findings"][0]["query_id"] = "0000000000000001";
  EXPECT_NE(ci_issues(doc)[0].fingerprint, before[0].fingerprint);
  EXPECT_NE(before[0].fingerprint, before[1].fingerprint);
}

TEST(Sarif, RulesResultsLevelsAndLocations) {
  RenderOptions options;
  options.rule_summaries["query-leading-wildcard-like"] = "LIKE '%x' cannot use an index";
  auto sarif = json::parse(render_sarif(audit_doc(), options));
  EXPECT_EQ(sarif["version"], "2.1.0");
  const auto& run = sarif["runs"][0];
  EXPECT_EQ(run["tool"]["driver"]["name"], "dbvet");
  EXPECT_EQ(run["tool"]["driver"]["semanticVersion"], "0.1.0");
  const auto& rules = run["tool"]["driver"]["rules"];
  ASSERT_EQ(rules.size(), 4u);
  EXPECT_EQ(rules[0]["shortDescription"]["text"], "LIKE '%x' cannot use an index");
  EXPECT_EQ(rules[0]["helpUri"], std::string(kRepositoryBlobUrl) + "docs/rules/query-leading-wildcard-like.md");
  EXPECT_EQ(rules[1]["shortDescription"]["text"], "dbvet check plan-sort-without-index");  // no summary given
  const auto& results = run["results"];
  ASSERT_EQ(results.size(), 4u);
  EXPECT_EQ(results[0]["level"], "warning");
  EXPECT_EQ(results[1]["level"], "error");
  EXPECT_EQ(results[2]["level"], "note");
  EXPECT_EQ(results[1]["ruleIndex"], 1);
  // Without a line, the log is named in the properties and the objects are the location.
  EXPECT_FALSE(results[0]["locations"][0].contains("physicalLocation"));
  EXPECT_EQ(results[0]["properties"]["input_file"], "logs/slow.log");
  EXPECT_EQ(results[0]["locations"][0]["logicalLocations"][2]["fullyQualifiedName"], "pets/name/e0e5a58ea8448dec");
  const auto& physical = results[1]["locations"][0]["physicalLocation"];
  EXPECT_EQ(physical["artifactLocation"]["uri"], "workloads/game.sql");
  EXPECT_EQ(physical["region"]["startLine"], 7);
  EXPECT_EQ(results[0]["partialFingerprints"]["dbvetIssue/v1"].get<std::string>().size(), 16u);
}

TEST(Sarif, AbsolutePathsBecomeFileUris) {
  json doc = audit_doc();
  doc["findings"][1]["file"] = "/srv/my app/game.sql";
  auto sarif = json::parse(render_sarif(doc, {}));
  EXPECT_EQ(sarif["runs"][0]["results"][1]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
            "file:///srv/my%20app/game.sql");
}

TEST(GithubAnnotations, CommandsWithFileLineAndEscapedText) {
  std::string out = render_github_annotations(audit_doc(), {});
  EXPECT_NE(out.find("::error file=workloads/game.sql,line=7,title=plan-sort-without-index::table "
                     "leaderboard_scores, query fd2b5baf119438f8: sorts 3000 rows\n"),
            std::string::npos)
      << out;
  // '%' and newlines are escaped, so one finding is one command.
  EXPECT_NE(out.find("::warning file=logs/slow.log,title=query-leading-wildcard-like::table pets, column name, "
                     "query e0e5a58ea8448dec: pets.name LIKE '%25max%25' starts with a wildcard%0Asecond line\n"),
            std::string::npos)
      << out;
  EXPECT_NE(out.find("::notice title=schema-unused-index::"), std::string::npos) << out;
}

TEST(AuditJunit, OneCasePerRuleFailingOnWarningsAndErrors) {
  std::string out = render_audit_junit(audit_doc(), {});
  EXPECT_NE(out.find("<testsuite name=\"dbvet audit\" tests=\"3\" failures=\"2\">"), std::string::npos) << out;
  EXPECT_NE(out.find("<testcase classname=\"audit.plan\" name=\"plan-sort-without-index\"><failure "
                     "message=\"sorts 3000 rows\""),
            std::string::npos)
      << out;
  EXPECT_NE(out.find("error (table leaderboard_scores, query fd2b5baf119438f8, in workloads/game.sql): sorts"),
            std::string::npos)
      << out;
  // An info finding is reported but does not fail; advice is no test case.
  EXPECT_NE(out.find("name=\"schema-unused-index\"><system-out>"), std::string::npos) << out;
  EXPECT_EQ(out.find("advice-"), std::string::npos) << out;
}

TEST(AuditJunit, NoFindingsIsOnePassingCase) {
  std::string out = render_audit_junit(json{{"kind", "audit"}, {"findings", json::array()}}, {});
  EXPECT_NE(out.find("tests=\"1\" failures=\"0\""), std::string::npos) << out;
}

TEST(HealthJunit, ChecksOfEachTargetSkippedFailedAndDown) {
  auto doc = json::parse(R"({"kind": "health", "targets": [
    {"name": "users", "up": true, "checks": [
       {"id": "pg-unused-index", "status": "findings"}, {"id": "pg-bloat", "status": "skipped", "note": "no pgstattuple"},
       {"id": "pg-locks", "status": "failed", "note": "timeout"}, {"id": "pg-cache", "status": "ok"}],
     "findings": [{"check": "pg-unused-index", "severity": "warning", "object": "idx_a", "message": "idx_a is unused"}]},
    {"name": "payments", "up": false, "checks": [],
     "findings": [{"check": "target-down", "severity": "error", "object": "", "message": "connection refused"}]}]})");
  std::string out = render_health_junit(doc, {});
  EXPECT_NE(out.find("<testsuite name=\"dbvet health users\" tests=\"4\" failures=\"1\" errors=\"1\" skipped=\"1\">"),
            std::string::npos)
      << out;
  EXPECT_NE(out.find("name=\"pg-unused-index\"><failure message=\"idx_a is unused\""), std::string::npos) << out;
  EXPECT_NE(out.find("name=\"pg-bloat\"><skipped message=\"no pgstattuple\"/>"), std::string::npos) << out;
  EXPECT_NE(out.find("name=\"pg-locks\"><error message=\"pg-locks failed: timeout\"/>"), std::string::npos) << out;
  EXPECT_NE(out.find("<testcase classname=\"health.payments\" name=\"target-down\"><failure message=\"connection "
                     "refused\""),
            std::string::npos)
      << out;
}

TEST(Sarif, HealthFingerprintsLeaveOutASingleTargetsName) {
  auto doc = json::parse(R"({"kind": "health", "targets": [{"name": "sqlite:/tmp/a/vp.db", "findings": [
     {"check": "sqlite-journal-mode", "severity": "info", "object": "journal_mode", "message": "m"}]}]})");
  auto first = ci_issues(doc)[0].fingerprint;
  doc["targets"][0]["name"] = "sqlite:/tmp/b/vp.db";
  EXPECT_EQ(ci_issues(doc)[0].fingerprint, first);
}

}  // namespace
}  // namespace dbvet::report
