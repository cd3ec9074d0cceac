// `dbvet audit` on the SQLite Virtual Pet sample: every planted problem of
// samples/virtualpet/expected.json that SQLite holds is found, nothing listed as fine is flagged,
// index advice is verified in the SQLite copy, and the target file is byte-for-byte unchanged.

#include <gtest/gtest.h>

#include <fstream>
#include <set>
#include <sstream>

#include "nlohmann/json.hpp"
#include "tests/support/test_env.hpp"

namespace dbvet::testing {
namespace {

using nlohmann::json;

std::vector<std::string> workload_args() {
  std::vector<std::string> args;
  auto dir = source_dir() / "samples/virtualpet/workloads/sqlite";
  std::ifstream in(dir / "weights.txt");
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    args.push_back("--workload");
    args.push_back((dir / line).string());
  }
  return args;
}

class AuditSqlite : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto dir = scratch_dir("audit_sqlite");
    db_ = new std::string((dir / "virtualpet.db").string());
    auto gen =
        run_dbvet({"gen", "--sample", "virtualpet", "--scale", "0.02", "--seed", "42", "--replace", "sqlite:" + *db_});
    ASSERT_EQ(gen.exit_code, 0) << gen.err;
    before_ = new std::string(read_file(*db_));
    std::vector<std::string> args{"audit",    "sqlite:" + *db_,
                                  "--scale",  "0.02",
                                  "--config", (source_dir() / "samples/virtualpet/dbvet.toml").string(),
                                  "--format", "json"};
    for (auto& a : workload_args()) args.push_back(a);
    auto result = run_dbvet(args);
    ASSERT_EQ(result.exit_code, 0) << result.err;
    doc_ = new json(json::parse(result.out));
  }
  static std::string* db_;
  static std::string* before_;
  static json* doc_;
};
std::string* AuditSqlite::db_ = nullptr;
std::string* AuditSqlite::before_ = nullptr;
json* AuditSqlite::doc_ = nullptr;

// The recommended keys start with the expected ones (a longer key that also removes a sort serves too).
bool same_columns(const json& a, const json& b) {
  if (a.size() < b.size()) return false;
  for (size_t i = 0; i < b.size(); ++i) {
    if (a[i].get<std::string>() != b[i].get<std::string>()) return false;
  }
  return true;
}

TEST_F(AuditSqlite, ContractFields) {
  ASSERT_NE(doc_, nullptr);
  EXPECT_EQ((*doc_)["kind"], "audit");
  EXPECT_EQ((*doc_)["target"]["engine"], "sqlite");
  EXPECT_TRUE(doc_->contains("dbvet_version"));
  for (const auto& f : (*doc_)["findings"]) {
    for (const char* key : {"rule", "severity", "query_id", "table", "message", "evidence"})
      EXPECT_TRUE(f.contains(key));
  }
  for (const auto& r : (*doc_)["recommendations"]) {
    for (const char* key : {"type", "table", "columns", "include", "where", "method", "ddl", "queries", "cost_before",
                            "cost_after", "improvement", "verified"}) {
      EXPECT_TRUE(r.contains(key)) << key;
    }
  }
}

TEST_F(AuditSqlite, EveryPlantedProblemIsFound) {
  ASSERT_NE(doc_, nullptr);
  auto expected = json::parse(read_file(source_dir() / "samples/virtualpet/expected.json"));
  for (const auto& problem : expected["problems"]) {
    auto engines = problem["engines"].get<std::vector<std::string>>();
    if (std::find(engines.begin(), engines.end(), "sqlite") == engines.end()) continue;
    std::string table = problem["table"];
    std::set<std::string> rules;
    for (const auto& r : problem["rules"]) rules.insert(r.get<std::string>());
    bool rule_found = false;
    for (const auto& f : (*doc_)["findings"]) {
      if (f["table"] == table && rules.count(f["rule"].get<std::string>())) rule_found = true;
    }
    EXPECT_TRUE(rule_found) << problem["id"] << ": none of its rules fired on " << table;
    const auto& want = problem["recommendation"];
    bool recommended = false;
    for (const auto& r : (*doc_)["recommendations"]) {
      if (r["type"] != want["type"] || r["table"] != want["table"]) continue;
      if (want["type"] == "index") {
        if (!same_columns(r["columns"], want["columns"])) continue;
        if (want.contains("where") && r["where"] != want["where"]) continue;
        EXPECT_EQ(r["verified"], "sqlite-copy") << problem["id"];
        EXPECT_GT(r["improvement"].get<double>(), 0.2) << problem["id"];
      }
      if (want["type"] == "drop_index" && r["details"]["index"] != want["index"]) continue;
      recommended = true;
    }
    EXPECT_TRUE(recommended) << problem["id"] << ": no " << want["type"] << " recommendation on " << want["table"]
                             << " " << want["columns"].dump();
  }
}

TEST_F(AuditSqlite, NothingFineIsFlagged) {
  ASSERT_NE(doc_, nullptr);
  std::set<std::string> tiny{"species", "items", "achievements", "currencies", "realm", "client", "keycloak_role"};
  for (const auto& f : (*doc_)["findings"]) {
    EXPECT_FALSE(tiny.count(f["table"].get<std::string>())) << f.dump();
    if (f["rule"] == "schema-unindexed-foreign-key") {
      EXPECT_FALSE(f["table"] == "feeding_events" && f["evidence"]["columns"] == "pet_id") << f.dump();  // F10
    }
    if (f["rule"] == "schema-redundant-index" || f["rule"] == "schema-unused-index") {
      EXPECT_NE(f["evidence"]["index"], "idx_pets_owner_created") << f.dump();  // F9
    }
    if (f["rule"] == "query-unfiltered-count") {
      EXPECT_EQ(f["evidence"]["query"].get<std::string>().find("WHERE"), std::string::npos) << f.dump();  // F6
    }
  }
  for (const auto& r : (*doc_)["recommendations"]) {
    if (r["type"] != "index") continue;
    EXPECT_FALSE(tiny.count(r["table"].get<std::string>())) << r.dump();
    // F3: sessions (user_id, created_at) is served; F4 wallets by user; F8 profiles by key.
    EXPECT_NE(r["table"], "sessions") << r.dump();
    EXPECT_NE(r["table"], "wallets") << r.dump();
    EXPECT_NE(r["table"], "profiles") << r.dump();
  }
}

TEST_F(AuditSqlite, TargetUnchanged) {
  ASSERT_NE(doc_, nullptr);
  EXPECT_TRUE(read_file(*db_) == *before_) << "the audit changed the database file";
}

TEST_F(AuditSqlite, AdviseGivesRecommendationsAlone) {
  ASSERT_NE(db_, nullptr);
  std::vector<std::string> args{"advise",   "sqlite:" + *db_, "--scale",        "0.02",
                                "--format", "json",           "--transactions", "60"};
  for (auto& a : workload_args()) args.push_back(a);
  auto result = run_dbvet(args);
  ASSERT_EQ(result.exit_code, 0) << result.err;
  auto doc = json::parse(result.out);
  EXPECT_EQ(doc["kind"], "advise");
  EXPECT_FALSE(doc.contains("findings"));
  EXPECT_FALSE(doc["recommendations"].empty());
}

TEST_F(AuditSqlite, FailOnWarningGates) {
  ASSERT_NE(db_, nullptr);
  auto dir = source_dir() / "samples/virtualpet/workloads/sqlite";
  auto result = run_dbvet({"audit", "sqlite:" + *db_, "--scale", "0.02", "--fail-on", "warning", "--workload",
                           (dir / "leaderboard.sql").string(), "--transactions", "5"});
  EXPECT_EQ(result.exit_code, 1) << result.err;
  auto usage = run_dbvet({"audit", "sqlite:" + *db_});
  EXPECT_EQ(usage.exit_code, 2);
}

}  // namespace
}  // namespace dbvet::testing
