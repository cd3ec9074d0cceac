// `dbvet check` (plan contracts) on the SQLite Virtual Pet sample: the shipped contracts hold, the
// same contracts checked 20 times give 20 identical results, --update then a schema change gives a
// plan diff and exit 1, and every format the check kind renders says what broke and where.

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "analyzer/core/target_url.hpp"
#include "analyzer/engines/connection.hpp"
#include "nlohmann/json.hpp"
#include "tests/support/test_env.hpp"

namespace dbvet::testing {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

std::string shipped_contracts() { return (source_dir() / "samples/contracts/virtual_pet.toml").string(); }

// The result without the fields that are timings (docs/commands/check.md: `timing_s`, `p95_ms`).
json without_timings(json doc) {
  doc.erase("timing_s");
  for (auto& contract : doc["contracts"]) {
    for (auto& assertion : contract["assertions"]) assertion.erase("p95_ms");
  }
  return doc;
}

void write(const fs::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
}

void run_sql(const std::string& db, const std::string& sql) {
  auto url = core::parse_target_url("sqlite:" + db);
  ASSERT_TRUE(url.has_value());
  engines::ConnectOptions options;
  options.allow_writes = true;
  auto connection = engines::connect(*url, options);
  ASSERT_TRUE(connection.has_value()) << connection.error().message;
  auto status = (*connection)->execute_script(sql);
  ASSERT_TRUE(status.has_value()) << status.error().message;
}

class CheckSqlite : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new fs::path(scratch_dir("check_sqlite"));
    db_ = new std::string((*dir_ / "virtualpet.db").string());
    auto gen = run_dbvet({"gen", "--sample", "virtualpet", "--scale", "0.02", "--seed", "42", "--replace",
                          "--no-progress", "sqlite:" + *db_});
    ASSERT_EQ(gen.exit_code, 0) << gen.err;
  }
  static std::string target() { return "sqlite:" + *db_; }
  static fs::path* dir_;
  static std::string* db_;
};
fs::path* CheckSqlite::dir_ = nullptr;
std::string* CheckSqlite::db_ = nullptr;

TEST_F(CheckSqlite, TheShippedContractsHold) {
  ASSERT_NE(db_, nullptr);
  auto result = run_dbvet({"check", target(), "--contracts", shipped_contracts(), "--format", "json"});
  ASSERT_EQ(result.exit_code, 0) << result.out << result.err;
  auto doc = json::parse(result.out);
  EXPECT_EQ(doc["kind"], "check");
  EXPECT_EQ(doc["target"]["engine"], "sqlite");
  EXPECT_EQ(doc["summary"]["failed"], 0);
  EXPECT_GE(doc["summary"]["passed"].get<int>(), 3);
  for (const auto& contract : doc["contracts"]) {
    EXPECT_NE(contract["status"], "fail") << contract.dump(2);
    EXPECT_NE(contract["status"], "error") << contract.dump(2);
  }
  // Text names each contract and the summary.
  auto text = run_dbvet({"check", target(), "--contracts", shipped_contracts()});
  EXPECT_EQ(text.exit_code, 0) << text.err;
  EXPECT_NE(text.out.find("PASS  owner-pets"), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("contracts passed, 0 failed"), std::string::npos) << text.out;
}

TEST_F(CheckSqlite, TwentyChecksOfTheSameDatabaseGiveIdenticalResults) {
  ASSERT_NE(db_, nullptr);
  std::string first;
  for (int i = 0; i < 20; ++i) {
    auto result = run_dbvet({"check", target(), "--contracts", shipped_contracts(), "--format", "json"});
    ASSERT_EQ(result.exit_code, 0) << result.err;
    std::string compared = without_timings(json::parse(result.out)).dump(2);
    if (i == 0) {
      first = compared;
    } else {
      ASSERT_EQ(compared, first) << "run " << i + 1 << " differs";
    }
  }
}

TEST_F(CheckSqlite, UpdateThenASchemaChangeShowsThePlanDiffAndFails) {
  ASSERT_NE(db_, nullptr);
  auto dir = scratch_dir("check_sqlite_update");
  auto db = (dir / "copy.db").string();
  fs::copy_file(*db_, db, fs::copy_options::overwrite_existing);
  write(dir / "pets.toml", R"(# contracts of one query
[[contract]]
name = "owner-pets"
sql = "SELECT pet_id, name FROM pets WHERE owner_id = 7 ORDER BY created_at"
uses_index = "idx_pets_owner_created"
plan_unchanged = true
)");
  auto contracts = (dir / "pets.toml").string();
  auto before = run_dbvet({"check", "sqlite:" + db, "--contracts", contracts, "--format", "json"});
  ASSERT_EQ(before.exit_code, 0) << before.out << before.err;
  EXPECT_EQ(json::parse(before.out)["contracts"][0]["snapshot"]["state"], "missing");

  auto update = run_dbvet({"check", "sqlite:" + db, "--contracts", contracts, "--update", "--format", "json"});
  ASSERT_EQ(update.exit_code, 0) << update.out << update.err;
  auto snapshot = dir / "pets.plans" / "owner-pets.sqlite.plan";
  ASSERT_TRUE(fs::exists(snapshot));
  std::string stored = read_file(snapshot);
  EXPECT_NE(stored.find("idx_pets_owner_created"), std::string::npos) << stored;
  EXPECT_EQ(stored.find("cost"), std::string::npos) << stored;

  auto same = run_dbvet({"check", "sqlite:" + db, "--contracts", contracts, "--format", "json"});
  ASSERT_EQ(same.exit_code, 0) << same.out;
  EXPECT_EQ(json::parse(same.out)["contracts"][0]["snapshot"]["state"], "same");

  run_sql(db, "DROP INDEX idx_pets_owner_created");
  auto after = run_dbvet({"check", "sqlite:" + db, "--contracts", contracts, "--format", "json"});
  EXPECT_EQ(after.exit_code, 1) << after.out << after.err;
  auto doc = json::parse(after.out);
  const auto& contract = doc["contracts"][0];
  EXPECT_EQ(contract["status"], "fail");
  EXPECT_EQ(contract["snapshot"]["state"], "changed");
  ASSERT_TRUE(contract.contains("plan_diff")) << contract.dump(2);
  bool removed = false, added = false;
  for (const auto& line : contract["plan_diff"]) {
    auto text = line.get<std::string>();
    removed = removed || (text.rfind("- ", 0) == 0 && text.find("idx_pets_owner_created") != std::string::npos);
    added = added || text.rfind("+ ", 0) == 0;
  }
  EXPECT_TRUE(removed && added) << contract["plan_diff"].dump(2);
  for (const auto& assertion : contract["assertions"]) {
    EXPECT_EQ(assertion["status"], "fail") << assertion.dump();
  }
  EXPECT_EQ(contract["assertions"][0]["line"], 5);  // uses_index
  EXPECT_EQ(contract["assertions"][1]["line"], 6);  // plan_unchanged

  auto text = run_dbvet({"check", "sqlite:" + db, "--contracts", contracts});
  EXPECT_EQ(text.exit_code, 1);
  EXPECT_NE(text.out.find("plan changed since the snapshot"), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("- "), std::string::npos) << text.out;

  // JUnit: one test case per assertion, both failing, naming the file and line.
  auto junit = run_dbvet({"check", "sqlite:" + db, "--contracts", contracts, "--format", "junit"});
  EXPECT_EQ(junit.exit_code, 1);
  EXPECT_NE(junit.out.find("tests=\"2\" failures=\"2\""), std::string::npos) << junit.out;
  EXPECT_NE(junit.out.find("name=\"plan_unchanged\""), std::string::npos) << junit.out;
  EXPECT_NE(junit.out.find(contracts + ":6: contract 'owner-pets'"), std::string::npos) << junit.out;

  // SARIF: each result at its line of the contracts file.
  auto sarif = run_dbvet({"check", "sqlite:" + db, "--contracts", contracts, "--format", "sarif"});
  EXPECT_EQ(sarif.exit_code, 1);
  auto log = json::parse(sarif.out);
  const auto& results = log["runs"][0]["results"];
  ASSERT_EQ(results.size(), 2u) << sarif.out;
  EXPECT_EQ(results[0]["ruleId"], "contract-uses-index");
  EXPECT_EQ(results[0]["locations"][0]["physicalLocation"]["region"]["startLine"], 5);
  EXPECT_EQ(results[1]["ruleId"], "contract-plan-unchanged");
  EXPECT_EQ(results[1]["locations"][0]["physicalLocation"]["region"]["startLine"], 6);

  auto github = run_dbvet({"check", "sqlite:" + db, "--contracts", contracts, "--format", "github"});
  EXPECT_NE(github.out.find("::error file="), std::string::npos) << github.out;
  EXPECT_NE(github.out.find(",line=6,title=contract-plan-unchanged::"), std::string::npos) << github.out;
}

// The SARIF of broken contracts passes the SARIF Multitool's validate (as audit's and health's do,
// tests/e2e/sarif_validate_test.cpp; scripts/bootstrap test installs it).
TEST_F(CheckSqlite, BrokenContractsSarifValidates) {
  ASSERT_NE(db_, nullptr);
  auto dir = scratch_dir("check_sqlite_sarif");
  write(dir / "c.toml",
        "[[contract]]\nname = \"board\"\n"
        "sql = \"SELECT user_id FROM leaderboard_scores WHERE season = 4 ORDER BY score DESC LIMIT 10\"\n"
        "no_sort_without_index = true\nuses_index = \"idx_nothing\"\n\n"
        "[[contract]]\nname = \"gone\"\nsql = \"SELECT x FROM no_such_table\"\nmax_cost = 1\n");
  auto sarif = run_dbvet({"check", target(), "--contracts", (dir / "c.toml").string(), "--format", "sarif", "-o",
                          (dir / "c.sarif").string()});
  ASSERT_EQ(sarif.exit_code, 1) << sarif.err;
  auto log = json::parse(read_file(dir / "c.sarif"));
  EXPECT_EQ(log["runs"][0]["results"].size(), 3u) << log.dump(2);
  const char* configured = std::getenv("DBVET_SARIF_MULTITOOL");
  std::string multitool = configured != nullptr && *configured != '\0' ? configured : "sarif-multitool";
  auto report = dir / "validation.sarif";
  auto run = run_program({multitool, "validate", "-o", report.string(), (dir / "c.sarif").string()});
  ASSERT_TRUE(fs::exists(report)) << run.out << run.err;
  auto validation = json::parse(read_file(report));
  for (const auto& result : validation["runs"][0].value("results", json::array())) {
    std::string level = result.value("level", std::string("warning"));
    EXPECT_TRUE(level != "error" && level != "warning") << result.dump(2);
  }
}

TEST_F(CheckSqlite, ABrokenStatementFailsItsContract) {
  ASSERT_NE(db_, nullptr);
  auto dir = scratch_dir("check_sqlite_broken");
  write(dir / "c.toml", "[[contract]]\nname = \"gone\"\nsql = \"SELECT nope FROM no_such_table\"\nmax_cost = 1\n");
  auto result = run_dbvet({"check", target(), "--contracts", (dir / "c.toml").string(), "--format", "json"});
  EXPECT_EQ(result.exit_code, 1) << result.err;
  auto doc = json::parse(result.out);
  EXPECT_EQ(doc["contracts"][0]["status"], "error");
  EXPECT_NE(doc["contracts"][0]["error"].get<std::string>().find("no_such_table"), std::string::npos);
}

// Read-only: p95_ms never executes a writing statement, and the target's bytes stay the same.
TEST_F(CheckSqlite, TimingAWriteIsRefusedAndTheTargetIsUnchanged) {
  ASSERT_NE(db_, nullptr);
  auto dir = scratch_dir("check_sqlite_write");
  write(dir / "c.toml",
        "[[contract]]\nname = \"rename\"\nsql = \"UPDATE pets SET name = 'x' WHERE pet_id = 1\"\np95_ms = 100\n");
  std::string before = read_file(*db_);
  auto result = run_dbvet({"check", target(), "--contracts", (dir / "c.toml").string(), "--format", "json"});
  EXPECT_EQ(result.exit_code, 1) << result.out << result.err;
  auto doc = json::parse(result.out);
  const auto& assertion = doc["contracts"][0]["assertions"][0];
  EXPECT_EQ(assertion["status"], "fail");
  EXPECT_NE(assertion["message"].get<std::string>().find("runs only reading statements"), std::string::npos)
      << assertion.dump();
  EXPECT_EQ(read_file(*db_), before);
}

TEST_F(CheckSqlite, ABadContractsFileIsAUsageErrorNamingTheLine) {
  ASSERT_NE(db_, nullptr);
  auto dir = scratch_dir("check_sqlite_bad");
  write(dir / "bad.toml", "[[contract]]\nname = \"a\"\nsql = \"SELECT 1\"\nmax_cots = 3\n");
  auto path = (dir / "bad.toml").string();
  auto result = run_dbvet({"check", target(), "--contracts", path});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_NE(result.err.find(path + ":4: contract 'a': max_cots is not a contract key"), std::string::npos)
      << result.err;
  auto missing = run_dbvet({"check", target(), "--contracts", (dir / "none.toml").string()});
  EXPECT_EQ(missing.exit_code, 2) << missing.err;
  auto format = run_dbvet({"check", target(), "--contracts", path, "--format", "prom"});
  EXPECT_EQ(format.exit_code, 2) << format.err;
}

TEST_F(CheckSqlite, AnUnreachableServerIsARuntimeError) {
  auto dir = scratch_dir("check_sqlite_down");
  write(dir / "c.toml", "[[contract]]\nname = \"a\"\nsql = \"SELECT 1\"\nmax_cost = 1\n");
  auto result = run_dbvet({"--connect-timeout", "2s", "check", "postgresql://nobody@127.0.0.1:9/none", "--contracts",
                           (dir / "c.toml").string()});
  EXPECT_EQ(result.exit_code, 3) << result.err;
}

}  // namespace
}  // namespace dbvet::testing
