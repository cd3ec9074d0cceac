// `dbvet audit --sandbox` on the Virtual Pet payment service in MariaDB: every planted problem of
// samples/virtualpet/expected.json that MariaDB holds is found, nothing listed as fine is flagged,
// every index recommendation is verified in the sandbox database (and rendered as an online ALTER),
// the target's schema and rows are unchanged, and no sandbox database is left behind. Without
// --sandbox the advice says it is an estimate and nothing is created on the server.

#include <gtest/gtest.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <thread>

#include "analyzer/engines/sandbox_names.hpp"
#include "nlohmann/json.hpp"
#include "tests/integration/mysql_test_db.hpp"
#include "tests/support/audit_expectations.hpp"
#include "tests/support/test_env.hpp"

extern char** environ;

namespace dbvet::testing {
namespace {

using nlohmann::json;

constexpr const char* kScale = "0.05";

std::vector<std::string> audit_args(const std::string& url, const std::vector<std::string>& extra) {
  std::vector<std::string> args{"audit", url, "--scale", kScale, "--format", "json"};
  for (auto& a : sample_config_args()) args.push_back(a);
  args.insert(args.end(), extra.begin(), extra.end());
  for (auto& a : sample_workload_args({"payment-service"})) args.push_back(a);
  return args;
}

class AuditMariadb : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    sample_ = new AuditedSample<MysqlTestDb>();
    // Per process: ctest runs every test of the suite in a process of its own, side by side.
    sample_->database = std::make_unique<MysqlTestDb>("e2e_audit_" + std::to_string(static_cast<long>(getpid())));
    const auto& url = sample_->database->url();
    auto gen = run_dbvet({"gen", "--sample", "virtualpet", "--service", "payment-service", "--scale", kScale, "--seed",
                          "42", "--no-progress", url});
    ASSERT_EQ(gen.exit_code, 0) << gen.err;
    sample_->before = database_fingerprint(url);
    auto result = run_dbvet(audit_args(url, {"--sandbox"}));
    ASSERT_EQ(result.exit_code, 0) << result.err;
    sample_->report = json::parse(result.out);
  }
  static void TearDownTestSuite() { delete sample_; }
  // Sandbox databases made from this test's database (engines/sandbox_names.hpp): named
  // dbvet_sandbox_<pid>_<time>_<host>_<tag>_<the end of the database's name>, which holds our pid.
  static std::string sandboxes_left() {
    auto result = sample_->database->writer().execute(
        "SELECT schema_name FROM information_schema.schemata WHERE schema_name LIKE 'dbvet\\_sandbox\\_%'");
    EXPECT_TRUE(result) << result.error().message;
    if (!result) return "";
    size_t count = 0;
    for (const auto& row : result->rows) {
      auto parsed = row.empty() || !row[0] ? std::nullopt : engines::parse_sandbox_name(*row[0]);
      if (parsed && parsed->database.size() >= 10 && sample_->database->name().ends_with(parsed->database)) ++count;
    }
    return std::to_string(count);
  }
  // The end of the database's name that its sandboxes' names end with; it holds our pid.
  static std::string name_tail() {
    const auto& name = sample_->database->name();
    return name.substr(name.size() - 10);
  }
  static AuditedSample<MysqlTestDb>* sample_;
};
AuditedSample<MysqlTestDb>* AuditMariadb::sample_ = nullptr;

TEST_F(AuditMariadb, ContractFieldsAndSandboxVerification) {
  ASSERT_FALSE(sample_->report.is_null());
  expect_audit_contract(sample_->report, "mysql");
  EXPECT_EQ(sample_->report["verification"], "sandbox");
  expect_index_ddl_contains(sample_->report, ", ALGORITHM=INPLACE, LOCK=NONE");
}

TEST_F(AuditMariadb, EveryPlantedProblemIsFound) {
  ASSERT_FALSE(sample_->report.is_null());
  expect_planted_problems_found(sample_->report, "mysql", "sandbox");
}

TEST_F(AuditMariadb, NothingFineIsFlagged) {
  ASSERT_FALSE(sample_->report.is_null());
  expect_nothing_fine_flagged(sample_->report, "mysql");
}

TEST_F(AuditMariadb, TargetUnchangedAndNoSandboxLeft) {
  ASSERT_FALSE(sample_->report.is_null());
  EXPECT_EQ(database_fingerprint(sample_->database->url()), sample_->before);
  EXPECT_EQ(sandboxes_left(), "0");
  // The sample's persistent statistics went with the sandbox's tables.
  auto stats = sample_->database->writer().execute(
      "SELECT (SELECT count(*) FROM mysql.table_stats WHERE db_name LIKE 'dbvet\\_sandbox\\_%" + name_tail() +
      "') + (SELECT count(*) FROM mysql.column_stats WHERE db_name LIKE 'dbvet\\_sandbox\\_%" + name_tail() + "')");
  ASSERT_TRUE(stats) << stats.error().message;
  EXPECT_EQ(stats->rows.at(0).at(0).value_or(""), "0");
}

TEST_F(AuditMariadb, WithoutSandboxTheAdviceIsAnEstimate) {
  ASSERT_FALSE(sample_->report.is_null());
  auto result = run_dbvet(audit_args(sample_->database->url(), {"--transactions", "40"}));
  ASSERT_EQ(result.exit_code, 0) << result.err;
  auto report = json::parse(result.out);
  expect_unverified_estimate(report, "--sandbox");
  EXPECT_EQ(sandboxes_left(), "0");
  // P3's index is still proposed, as an estimate whose cost after is unknown.
  bool proposed = false;
  for (const auto& r : report["recommendations"]) {
    if (r["type"] != "index" || r["table"] != "payments") continue;
    proposed = r["columns"][0] == "user_id" && r["columns"][1] == "status";
    EXPECT_TRUE(r["cost_after"].is_null()) << r.dump();
  }
  EXPECT_TRUE(proposed) << report["recommendations"].dump();
}

TEST_F(AuditMariadb, InterruptedAuditDropsTheSandbox) {
  ASSERT_FALSE(sample_->report.is_null());
  // A closed terminal (SIGHUP) and a service stop (SIGTERM) as much as Ctrl-C.
  for (int signal : {SIGINT, SIGHUP, SIGTERM}) {
    SCOPED_TRACE(sigabbrev_np(signal));
    // Enough workload transactions to be still capturing when the interrupt comes.
    auto argv = audit_args(sample_->database->url(), {"--sandbox", "--transactions", "1000000"});
    argv.insert(argv.begin(), std::getenv("DBVET_BIN") ? std::getenv("DBVET_BIN") : "dbvet");
    std::vector<char*> args;
    for (auto& a : argv) args.push_back(a.data());
    args.push_back(nullptr);
    pid_t pid = 0;
    ASSERT_EQ(posix_spawn(&pid, args[0], nullptr, nullptr, args.data(), environ), 0);
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (sandboxes_left() == "0" && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    EXPECT_EQ(sandboxes_left(), "1");
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    kill(pid, signal);
    int status = 0;
    waitpid(pid, &status, 0);
    ASSERT_TRUE(WIFEXITED(status));
    EXPECT_EQ(WEXITSTATUS(status), 3);
    EXPECT_EQ(sandboxes_left(), "0");
  }
}

TEST_F(AuditMariadb, SandboxIsRefusedOnOtherEngines) {
  auto result = run_dbvet({"audit", "sqlite::memory:", "--sandbox", "--workload",
                           (source_dir() / "samples/virtualpet/workloads/sqlite/login.sql").string()});
  EXPECT_EQ(result.exit_code, 2) << result.err;
  EXPECT_NE(result.err.find("--sandbox is for MariaDB"), std::string::npos) << result.err;
}

// MariaDB indexes no expressions (MySQL 8.0.13+ does): the advice for `lower(email) = ...` on
// MariaDB offers no expression index, where every sandbox used to refuse its DDL with error 1064.
TEST(AuditMariadbDialect, NoExpressionIndexIsOfferedToMariadb) {
  MysqlTestDb database("dialect_" + std::to_string(static_cast<long>(getpid())));
  database.script(
      "CREATE TABLE people (id INT PRIMARY KEY, email VARCHAR(80), org_id INT) ENGINE=InnoDB;"
      "INSERT INTO people SELECT seq, CONCAT('P', seq, '@x.io'), seq % 50 FROM seq_1_to_3000;"
      "ANALYZE TABLE people;");
  const auto dir = scratch_dir("mariadb_dialect");
  const auto workload = dir / "workload.sql";
  {
    std::ofstream out(workload);
    out << "SELECT id FROM people WHERE lower(email) = 'p77@x.io';\n"
           "SELECT id FROM people WHERE org_id = 7;\n";
  }
  auto result = run_dbvet({"advise", database.url(), "-w", workload.string(), "--sandbox", "--format", "json"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  auto report = json::parse(result.out);
  const std::string text = report.dump();
  EXPECT_EQ(text.find("1064"), std::string::npos) << text;
  EXPECT_EQ(text.find("lower(email)))"), std::string::npos) << text;
  bool org_index = false;
  for (const auto& r : report["recommendations"]) {
    if (r.value("type", "") == "index") org_index |= r.value("ddl", "").find("(org_id)") != std::string::npos;
  }
  EXPECT_TRUE(org_index) << text;  // the sandbox planned the rest of the advice
}

}  // namespace
}  // namespace dbvet::testing
