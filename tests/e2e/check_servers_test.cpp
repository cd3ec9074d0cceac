// `dbvet check` (plan contracts) against the real PostgreSQL and MariaDB test servers: the shipped
// Virtual Pet contracts hold on the sample (with and without --analyze), results repeat exactly, and
// a dropped index after --update gives a plan diff and exit 1.

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <memory>

#include "nlohmann/json.hpp"
#include "tests/integration/mysql_test_db.hpp"
#include "tests/integration/postgres_test_database.hpp"
#include "tests/support/test_env.hpp"

namespace dbvet::testing {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

std::string shipped_contracts() { return (source_dir() / "samples/contracts/virtual_pet.toml").string(); }

std::string suffix() { return std::to_string(static_cast<long>(getpid())); }

json without_timings(json doc) {
  doc.erase("timing_s");
  for (auto& contract : doc["contracts"]) {
    for (auto& assertion : contract["assertions"]) assertion.erase("p95_ms");
  }
  return doc;
}

json check_json(const std::string& url, const std::vector<std::string>& extra, int expected_exit) {
  std::vector<std::string> args{"check", url, "--contracts", shipped_contracts(), "--format", "json"};
  args.insert(args.end(), extra.begin(), extra.end());
  auto result = run_dbvet(args);
  EXPECT_EQ(result.exit_code, expected_exit) << result.out << result.err;
  return result.out.empty() ? json() : json::parse(result.out);
}

const json* contract_named(const json& doc, const std::string& name) {
  for (const auto& contract : doc["contracts"]) {
    if (contract["name"] == name) return &contract;
  }
  return nullptr;
}

void expect_all_hold(const json& doc) {
  EXPECT_EQ(doc["summary"]["failed"], 0) << doc.dump(2);
  for (const auto& contract : doc["contracts"]) {
    EXPECT_TRUE(contract["status"] == "pass" || contract["status"] == "skipped") << contract.dump(2);
  }
}

class CheckPostgres : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    database_ = new PostgresTestDatabase("dbvet_e2e_check_" + suffix());
    auto gen = run_dbvet(
        {"gen", "--sample", "virtualpet", "--scale", "0.02", "--seed", "42", "--no-progress", database_->url()});
    ASSERT_EQ(gen.exit_code, 0) << gen.err;
  }
  static void TearDownTestSuite() {
    delete database_;
    database_ = nullptr;
  }
  static PostgresTestDatabase* database_;
};
PostgresTestDatabase* CheckPostgres::database_ = nullptr;

TEST_F(CheckPostgres, TheShippedContractsHold) {
  ASSERT_NE(database_, nullptr);
  auto doc = check_json(database_->url(), {}, 0);
  EXPECT_EQ(doc["target"]["engine"], "postgres");
  expect_all_hold(doc);
  const auto* profile = contract_named(doc, "pet-profile");
  ASSERT_NE(profile, nullptr);
  EXPECT_EQ((*profile)["status"], "pass");
  // The PostgreSQL-only keys of [contract.postgres] apply: the cost is judged, the estimate waits for --analyze.
  bool cost = false, estimate_skipped = false;
  for (const auto& assertion : (*profile)["assertions"]) {
    cost = cost || (assertion["assertion"] == "max_cost" && assertion["status"] == "pass");
    estimate_skipped =
        estimate_skipped || (assertion["assertion"] == "row_estimate_within" && assertion["status"] == "skipped");
  }
  EXPECT_TRUE(cost && estimate_skipped) << profile->dump(2);
  const auto* wallet = contract_named(doc, "wallet-balance");
  ASSERT_NE(wallet, nullptr);
  EXPECT_EQ((*wallet)["status"], "skipped");  // a MariaDB and SQLite contract
}

TEST_F(CheckPostgres, WithAnalyzeTheEstimatesAreJudged) {
  ASSERT_NE(database_, nullptr);
  auto doc = check_json(database_->url(), {"--analyze"}, 0);
  expect_all_hold(doc);
  EXPECT_TRUE(doc["analyzed"].get<bool>());
  const auto* profile = contract_named(doc, "pet-profile");
  ASSERT_NE(profile, nullptr);
  bool judged = false;
  for (const auto& assertion : (*profile)["assertions"]) {
    judged = judged || (assertion["assertion"] == "row_estimate_within" && assertion["status"] == "pass");
  }
  EXPECT_TRUE(judged) << profile->dump(2);
}

TEST_F(CheckPostgres, TwentyChecksGiveIdenticalResults) {
  ASSERT_NE(database_, nullptr);
  std::string first;
  for (int i = 0; i < 20; ++i) {
    std::string compared = without_timings(check_json(database_->url(), {}, 0)).dump(2);
    if (i == 0) {
      first = compared;
    } else {
      ASSERT_EQ(compared, first) << "run " << i + 1 << " differs";
    }
  }
}

TEST_F(CheckPostgres, ADroppedIndexAfterUpdateIsAPlanDiff) {
  ASSERT_NE(database_, nullptr);
  auto dir = scratch_dir("check_pg_update");
  {
    std::ofstream out(dir / "c.toml");
    out << "[[contract]]\nname = \"feedings\"\nsql = \"SELECT event_id, fed_at FROM feeding_events WHERE pet_id = 1\"\n"
           "plan_unchanged = true\nmax_cost = 1000\n";
  }
  auto contracts = (dir / "c.toml").string();
  auto update = run_dbvet({"check", database_->url(), "--contracts", contracts, "--update", "--format", "json"});
  ASSERT_EQ(update.exit_code, 0) << update.out << update.err;
  ASSERT_TRUE(fs::exists(dir / "c.plans" / "feedings.postgres.plan"));
  database_->run("DROP INDEX idx_feeding_events_pet");
  auto after = run_dbvet({"check", database_->url(), "--contracts", contracts, "--format", "json"});
  database_->run("CREATE INDEX idx_feeding_events_pet ON feeding_events (pet_id)");
  database_->run("ANALYZE feeding_events");
  EXPECT_EQ(after.exit_code, 1) << after.out << after.err;
  auto doc = json::parse(after.out);
  const auto& contract = doc["contracts"][0];
  EXPECT_EQ(contract["snapshot"]["state"], "changed");
  ASSERT_TRUE(contract.contains("plan_diff")) << contract.dump(2);
  std::string diff = contract["plan_diff"].dump();
  EXPECT_NE(diff.find("idx_feeding_events_pet"), std::string::npos) << diff;
  EXPECT_NE(diff.find("+ Seq Scan on feeding_events"), std::string::npos) << diff;
}

class CheckMariadb : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    database_ = new MysqlTestDb("e2e_check_" + suffix());
    auto gen = run_dbvet(
        {"gen", "--sample", "virtualpet", "--scale", "0.02", "--seed", "42", "--no-progress", database_->url()});
    ASSERT_EQ(gen.exit_code, 0) << gen.err;
  }
  static void TearDownTestSuite() {
    delete database_;
    database_ = nullptr;
  }
  static MysqlTestDb* database_;
};
MysqlTestDb* CheckMariadb::database_ = nullptr;

TEST_F(CheckMariadb, TheShippedContractsHold) {
  ASSERT_NE(database_, nullptr);
  auto doc = check_json(database_->url(), {}, 0);
  EXPECT_EQ(doc["target"]["engine"], "mariadb");
  expect_all_hold(doc);
  for (const char* name : {"wallet-balance", "order-history"}) {
    const auto* contract = contract_named(doc, name);
    ASSERT_NE(contract, nullptr) << name;
    EXPECT_EQ((*contract)["status"], "pass") << contract->dump(2);
  }
  auto analyzed = check_json(database_->url(), {"--analyze"}, 0);
  expect_all_hold(analyzed);
}

TEST_F(CheckMariadb, ABrokenContractFailsWithJunitAndSarif) {
  ASSERT_NE(database_, nullptr);
  auto dir = scratch_dir("check_mariadb_fail");
  {
    std::ofstream out(dir / "c.toml");
    out << "[[contract]]\nname = \"refunds\"\n"
           "sql = \"SELECT * FROM payments WHERE user_id = 3 AND status = 'refunded'\"\n"
           "uses_index = \"idx_payments_user_status\"\n";
  }
  auto contracts = (dir / "c.toml").string();
  auto junit = run_dbvet({"check", database_->url(), "--contracts", contracts, "--format", "junit"});
  EXPECT_EQ(junit.exit_code, 1) << junit.err;
  EXPECT_NE(junit.out.find("failures=\"1\""), std::string::npos) << junit.out;
  EXPECT_NE(junit.out.find(contracts + ":4: contract 'refunds': the plan does not use idx_payments_user_status"),
            std::string::npos)
      << junit.out;
}

}  // namespace
}  // namespace dbvet::testing
