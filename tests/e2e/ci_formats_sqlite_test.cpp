// --format gitlab and --format checklist of `dbvet audit` on the SQLite Virtual Pet sample with its
// workload scripts: GitLab fingerprints are the same in two runs, findings on a query point at the
// script's line, and the checklist lists the unverified advice, the planned writes and the
// invalidation of the dashboard count's cache by the feeding write.

#include <gtest/gtest.h>

#include <set>

#include "nlohmann/json.hpp"
#include "tests/support/audit_expectations.hpp"
#include "tests/support/test_env.hpp"

namespace dbvet::testing {
namespace {

using nlohmann::json;

class CiFormatsSqlite : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto dir = scratch_dir("ci_formats_sqlite");
    db_ = new std::string("sqlite:" + (dir / "virtualpet.db").string());
    auto gen = run_dbvet({"gen", "--sample", "virtualpet", "--scale", "0.02", "--seed", "42", "--replace", *db_});
    ASSERT_EQ(gen.exit_code, 0) << gen.err;
  }
  static void TearDownTestSuite() {
    delete db_;
    db_ = nullptr;
  }
  static CommandResult audit(const std::string& format) {
    std::vector<std::string> args{"audit", *db_, "--scale", "0.02", "--transactions", "100", "--format", format};
    for (auto& arg : sample_workload_args({"sqlite"})) args.push_back(arg);
    return run_dbvet(args);
  }
  static std::string* db_;
};
std::string* CiFormatsSqlite::db_ = nullptr;

TEST_F(CiFormatsSqlite, GitlabFingerprintsAreStableAndQueriesPointAtTheirScriptLine) {
  auto first = audit("gitlab");
  ASSERT_EQ(first.exit_code, 0) << first.err;
  auto second = audit("gitlab");
  ASSERT_EQ(second.exit_code, 0) << second.err;
  auto a = json::parse(first.out), b = json::parse(second.out);
  ASSERT_TRUE(a.is_array());
  ASSERT_FALSE(a.empty());
  std::multiset<std::string> fingerprints_a, fingerprints_b;
  for (const auto& issue : a) fingerprints_a.insert(issue["fingerprint"].get<std::string>());
  for (const auto& issue : b) fingerprints_b.insert(issue["fingerprint"].get<std::string>());
  EXPECT_EQ(fingerprints_a, fingerprints_b);
  const std::set<std::string> severities{"info", "minor", "major", "critical", "blocker"};
  bool script_line = false, major = false;
  for (const auto& issue : a) {
    EXPECT_TRUE(severities.count(issue["severity"].get<std::string>())) << issue.dump();
    major = major || issue["severity"] == "major";  // the sample's warnings
    const std::string path = issue["location"]["path"];
    int line = issue["location"]["lines"]["begin"];
    EXPECT_GE(line, 1) << issue.dump();
    if (path.size() > 4 && path.compare(path.size() - 4, 4, ".sql") == 0 && line > 1) script_line = true;
  }
  EXPECT_TRUE(major) << first.out;
  EXPECT_TRUE(script_line) << first.out;
}

TEST_F(CiFormatsSqlite, ChecklistListsAdviceWritesAndCacheInvalidation) {
  auto result = audit("checklist");
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const std::string& list = result.out;
  EXPECT_EQ(list.rfind("# dbvet audit: manual checks\n", 0), 0u) << list;
  EXPECT_NE(list.find("## Writes planned, not executed"), std::string::npos) << list;
  EXPECT_NE(list.find("- [ ] **Write `"), std::string::npos) << list;
  EXPECT_NE(list.find("INSERT INTO feeding_events"), std::string::npos) << list;
  // The dashboard's unfiltered count becomes a Redis counter on feeding_events, which the feeding
  // script writes.
  EXPECT_NE(list.find("- [ ] **Cache `dbvet:count:feeding_events` after write `"), std::string::npos) << list;
  EXPECT_NE(list.find("redis-cli --scan --pattern dbvet:count:feeding_events"), std::string::npos) << list;
  EXPECT_NE(list.find("dbvet check " + *db_ + " --contracts contracts.toml"), std::string::npos) << list;
}

}  // namespace
}  // namespace dbvet::testing
