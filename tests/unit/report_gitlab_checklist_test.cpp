// GitLab Code Quality and the manual checklist over hand-made audit and bench documents: the
// GitLab issues carry the SARIF fingerprints and GitLab's severities, the checklist lists what the
// run did not verify with a command for each, and never a password.
#include <gtest/gtest.h>

#include "analyzer/report/ci_issues.hpp"
#include "analyzer/report/renderers.hpp"
#include "nlohmann/json.hpp"

namespace dbvet::report {
namespace {

using nlohmann::json;

json audit_doc() {
  return json::parse(R"json({
    "dbvet_version": "0.1.0", "kind": "audit",
    "target": {"engine": "mariadb", "url": "mysql://app:***@db:3306/shop"},
    "input": {"kind": "workload"},
    "findings": [
      {"rule": "plan-sort-without-index", "severity": "error", "query_id": "fd2b5baf119438f8",
       "table": "orders", "message": "sorts 3000 rows", "file": "workloads/shop.sql", "line": 7,
       "evidence": {}, "cost": 12.5},
      {"rule": "query-leading-wildcard-like", "severity": "warning", "query_id": "e0e5a58ea8448dec",
       "table": "products", "message": "wildcard", "evidence": {}, "cost": 0.5},
      {"rule": "schema-unused-index", "severity": "info", "query_id": "", "table": "orders",
       "message": "index idx_x is unused", "evidence": {"index": "idx_x"}, "cost": 0}
    ],
    "queries": [
      {"query_id": "fd2b5baf119438f8", "example": "SELECT * FROM orders WHERE customer_id = 3 ORDER BY placed_at",
       "calls": 10, "plan": "ALL orders; filesort"},
      {"query_id": "aaaa000000000001", "example": "UPDATE orders SET status = 'paid' WHERE order_id = 9",
       "calls": 4, "plan": "range orders PRIMARY"},
      {"query_id": "aaaa000000000002", "example": "INSERT INTO products (name) VALUES ('x')", "calls": 2, "plan": ""},
      {"query_id": "bbbb000000000003", "example": "SELECT count(*) FROM orders WHERE status = 'new'", "calls": 50,
       "plan": "ALL orders"}
    ],
    "recommendations": [
      {"type": "index", "table": "orders", "columns": ["customer_id", "placed_at"],
       "ddl": "ALTER TABLE orders ADD INDEX dbvet_orders_c_p (customer_id, placed_at)", "verified": "estimate",
       "queries": ["fd2b5baf119438f8"], "details": {"index": "dbvet_orders_c_p"}},
      {"type": "cache", "table": "orders", "method": "redis-cache-aside", "verified": "estimate",
       "queries": ["bbbb000000000003"], "ddl": "",
       "details": {"key": "dbvet:orders:bbbb0000:<parameters>", "ttl_s": "300", "invalidate_on": "orders"}}
    ],
    "notes": ["aaaa000000000002: EXPLAIN failed: read-only session"]
})json");
}

TEST(GitlabCodeQuality, IssuesWithSeveritiesLinesAndTheSarifFingerprints) {
  auto doc = audit_doc();
  auto issues = json::parse(render(doc, "gitlab").value());
  auto expected = ci_issues(doc);
  ASSERT_TRUE(issues.is_array());
  ASSERT_EQ(issues.size(), expected.size());
  for (size_t i = 0; i < issues.size(); ++i) {
    EXPECT_EQ(issues[i]["fingerprint"], expected[i].fingerprint);
    EXPECT_EQ(issues[i]["check_name"], expected[i].rule);
  }
  EXPECT_EQ(issues[0]["severity"], "critical");  // error
  EXPECT_EQ(issues[1]["severity"], "major");     // warning
  EXPECT_EQ(issues[2]["severity"], "info");
  EXPECT_EQ(issues[0]["location"]["path"], "workloads/shop.sql");
  EXPECT_EQ(issues[0]["location"]["lines"]["begin"], 7);
  // GitLab needs a path and a line even for a schema finding.
  EXPECT_EQ(issues[2]["location"]["path"], ".");
  EXPECT_EQ(issues[2]["location"]["lines"]["begin"], 1);
  EXPECT_NE(issues[2]["description"].get<std::string>().find("table orders"), std::string::npos);
  // The same document gives the same report: fingerprints do not change between runs.
  EXPECT_EQ(render(doc, "gitlab").value(), render(audit_doc(), "gitlab").value());
}

TEST(GitlabCodeQuality, AFingerprintIgnoresCostsAndMessages) {
  auto doc = audit_doc();
  auto before = json::parse(render(doc, "gitlab").value());
  doc["findings"][0]["cost"] = 99.0;
  doc["findings"][0]["message"] = "sorts 4000 rows";
  auto after = json::parse(render(doc, "gitlab").value());
  EXPECT_EQ(before[0]["fingerprint"], after[0]["fingerprint"]);
  EXPECT_NE(before[0]["fingerprint"], before[1]["fingerprint"]);
}

TEST(AuditChecklist, UnverifiedAdviceWritesCachesAndContracts) {
  std::string list = render(audit_doc(), "checklist").value();
  // The estimate-only index, with a re-check in the MariaDB sandbox and the query's plan.
  EXPECT_NE(list.find("- [ ] **New index `dbvet_orders_c_p` on `orders`**"), std::string::npos) << list;
  EXPECT_NE(list.find("--workload workloads/shop.sql --sandbox --verify --format json"), std::string::npos) << list;
  EXPECT_NE(list.find("dbvet explain 'mysql://app:***@db:3306/shop' 'SELECT * FROM orders WHERE customer_id = 3 "
                      "ORDER BY placed_at'"),
            std::string::npos)
      << list;
  // The planned write and the one EXPLAIN refused.
  EXPECT_NE(list.find("**Write `aaaa000000000001`** (4 calls)"), std::string::npos) << list;
  EXPECT_NE(list.find("was only planned (`range orders PRIMARY`)"), std::string::npos) << list;
  EXPECT_NE(list.find("**Write `aaaa000000000002`** (2 calls): `INSERT INTO products (name) VALUES ('x')` was not "
                      "explained"),
            std::string::npos)
      << list;
  // The cache on orders, invalidated by the UPDATE of orders but not by the INSERT into products.
  EXPECT_NE(list.find("**Cache `dbvet:orders:bbbb0000:<parameters>` after write `aaaa000000000001`**"),
            std::string::npos)
      << list;
  EXPECT_EQ(list.find("after write `aaaa000000000002`"), std::string::npos) << list;
  EXPECT_NE(list.find("redis-cli --scan --pattern 'dbvet:orders:bbbb0000:*'"), std::string::npos) << list;
  // A contract for the advised index.
  EXPECT_NE(list.find("uses_index = \"dbvet_orders_c_p\""), std::string::npos) << list;
  EXPECT_NE(list.find("dbvet check 'mysql://app:***@db:3306/shop' --contracts contracts.toml"), std::string::npos);
}

TEST(AuditChecklist, NoPasswordEvenWhenTheDocumentHasOne) {
  auto doc = audit_doc();
  doc["target"]["url"] = "mysql://app:hunter2@db:3306/shop";
  std::string list = render(doc, "checklist").value();
  EXPECT_EQ(list.find("hunter2"), std::string::npos) << list;
  EXPECT_NE(list.find("mysql://app:***@db:3306/shop"), std::string::npos) << list;
}

TEST(AuditChecklist, VerifiedAdviceNeedsNoItem) {
  auto doc = audit_doc();
  doc["recommendations"][0]["verified"] = "sandbox";
  std::string list = render(doc, "checklist").value();
  EXPECT_EQ(list.find("**New index"), std::string::npos) << list;
}

json bench_doc(json load_avg, std::vector<double> p95s) {
  json doc = {{"kind", "bench"},
              {"context", {{"num_cpus", 2}, {"load_avg", load_avg}}},
              {"benchmarks", json::array()},
              {"dbvet",
               {{"target", "postgresql://app:secret@db/shop"},
                {"engine", "postgresql"},
                {"load", {{"repetitions", p95s.size()}}},
                {"variants", json::array({{{"name", "baseline"}, {"kind", "baseline"}, {"spec", ""}},
                                          {{"name", "cache"}, {"kind", "cache"}, {"spec", "redis://:pw@cache:6379"}}})},
                {"summary", json::array({{{"query", "leaderboard"}, {"variant", "baseline"}, {"answer", "same"}}})},
                {"slas", json::array({{{"sla", "p95<20ms"},
                                       {"query", "leaderboard"},
                                       {"variant", "baseline"},
                                       {"measured", 2.1},
                                       {"passed", true}}})}}}};
  for (double p95 : p95s) {
    doc["benchmarks"].push_back({{"dbvet_query", "leaderboard"}, {"dbvet_variant", "baseline"}, {"p95_ms", p95}});
  }
  return doc;
}

TEST(BenchChecklist, AnSlaMeasuredOnALoadedMachine) {
  std::string list = render(bench_doc({3.5, 2.0, 1.0}, {2.0, 2.05, 2.1}), "checklist").value();
  EXPECT_NE(list.find("**SLA `p95<20ms` on `leaderboard`/`baseline`** (passed, measured 2.1): the load "
                      "average was 3.50 on 2 CPUs"),
            std::string::npos)
      << list;
  EXPECT_NE(list.find("dbvet bench 'postgresql://app:***@db/shop' --workload leaderboard.sql --repetitions 10 --sla "
                      "'p95<20ms'"),
            std::string::npos)
      << list;
  EXPECT_NE(list.find("**Cache variant `cache`**"), std::string::npos) << list;
  EXPECT_EQ(list.find("secret"), std::string::npos) << list;
  EXPECT_EQ(list.find(":pw@"), std::string::npos) << list;
}

TEST(BenchChecklist, QuietAndSteadyRunsNeedNoRerunButNoisyOrSingleOnesDo) {
  std::string quiet = render(bench_doc({0.2, 0.2, 0.2}, {2.0, 2.05, 2.1}), "checklist").value();
  EXPECT_EQ(quiet.find("**SLA"), std::string::npos) << quiet;
  std::string noisy = render(bench_doc({0.2, 0.2, 0.2}, {2.0, 3.0, 2.1}), "checklist").value();
  EXPECT_NE(noisy.find("the p95 of the repetitions spread 48%"), std::string::npos) << noisy;
  std::string once = render(bench_doc(json::array(), {2.0}), "checklist").value();
  EXPECT_NE(once.find("1 repetition(s) cannot tell noise from change"), std::string::npos) << once;
}

}  // namespace
}  // namespace dbvet::report
