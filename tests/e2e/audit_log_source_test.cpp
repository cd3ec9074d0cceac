// `dbvet audit --log FILE` and `--source`: the Virtual Pet workload runs on a database of this
// test's own on the test servers (writes included, the database is disposable), the server logs it
// (PostgreSQL: log_min_duration_statement = 0 for that database; MariaDB: long_query_time = 0 while
// it runs), and the audit of that log, or of pg_stat_statements afterwards, finds the sample's
// planted problems the way the workload audit does. Classes whose example has placeholders (the
// statistics views' normalized text) are skipped and listed.

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <set>

#include "nlohmann/json.hpp"
#include "tests/integration/mysql_test_db.hpp"
#include "tests/integration/postgres_test_database.hpp"
#include "tests/support/audit_expectations.hpp"
#include "tests/support/test_env.hpp"

namespace dbvet::testing {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;

constexpr const char* kScale = "0.05";

std::string testenv_value(const std::string& key) {
  if (const char* value = std::getenv(key.c_str())) return value;
  const char* dir = std::getenv("DBVET_TESTENV_DIR");
  if (dir == nullptr) return {};
  std::ifstream env(fs::path(dir) / "env");
  std::string line;
  const std::string prefix = "export " + key + "='";
  std::string found;
  while (std::getline(env, line)) {
    if (line.rfind(prefix, 0) == 0) found = line.substr(prefix.size(), line.size() - prefix.size() - 1);
  }
  return found;
}

// What the server appended to its log since `start` (other tests may add lines of their own).
std::string log_since(const std::string& log, uintmax_t start, const fs::path& copy) {
  std::ifstream in(log, std::ios::binary);
  in.seekg(static_cast<std::streamoff>(start));
  std::ofstream out(copy, std::ios::binary);
  out << in.rdbuf();
  return copy.string();
}

// Runs the services' workloads on the target through dbvet capture, writes and all.
void run_workload(const std::string& url, const std::vector<std::string>& services) {
  std::vector<std::string> args{"capture",        url,   "--source", "workload", "--scale", kScale, "--allow-writes",
                                "--transactions", "200", "--format", "json"};
  for (auto& a : sample_workload_args(services)) args.push_back(a);
  auto result = run_dbvet(args);
  ASSERT_EQ(result.exit_code, 0) << result.err;
}

std::set<std::pair<std::string, std::string>> rules_on_tables(const json& report) {
  std::set<std::pair<std::string, std::string>> out;
  for (const auto& f : report["findings"]) {
    out.emplace(f["rule"].get<std::string>(), f["table"].is_string() ? f["table"].get<std::string>() : "");
  }
  return out;
}

std::set<std::string> index_tables(const json& report) {
  std::set<std::string> out;
  for (const auto& r : report["recommendations"]) {
    if (r["type"] == "index") out.insert(r["table"].get<std::string>());
  }
  return out;
}

json audit(const std::vector<std::string>& head) {
  std::vector<std::string> args = head;
  args.insert(args.end(), {"--format", "json"});
  for (auto& a : sample_config_args()) args.push_back(a);
  auto result = run_dbvet(args);
  EXPECT_EQ(result.exit_code, 0) << result.err;
  if (result.exit_code != 0) return json();
  return json::parse(result.out);
}

class AuditPostgresLog : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    database_ = new PostgresTestDatabase("dbvet_e2e_audit_log_" + std::to_string(static_cast<long>(getpid())));
    database_->run("CREATE EXTENSION hypopg");
    database_->run("CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
    auto gen = run_dbvet({"gen", "--sample", "virtualpet", "--service", "pet-service", "--scale", kScale, "--seed",
                          "42", "--no-progress", database_->url()});
    ASSERT_EQ(gen.exit_code, 0) << gen.err;
    auto log = testenv_value("DBVET_TEST_PG_LOG");
    ASSERT_FALSE(log.empty()) << "DBVET_TEST_PG_LOG is not set";
    database_->run("ALTER DATABASE " + name() + " SET log_min_duration_statement = 0");
    auto start = fs::file_size(log);
    run_workload(database_->url(), {"pet-service"});
    database_->run("ALTER DATABASE " + name() + " RESET log_min_duration_statement");
    log_ = new std::string(log_since(log, start, scratch_dir("audit_pg_log") / "pg.log"));
  }
  static void TearDownTestSuite() {
    delete database_;
    delete log_;
  }
  static std::string name() { return "dbvet_e2e_audit_log_" + std::to_string(static_cast<long>(getpid())); }
  static PostgresTestDatabase* database_;
  static std::string* log_;
};
PostgresTestDatabase* AuditPostgresLog::database_ = nullptr;
std::string* AuditPostgresLog::log_ = nullptr;

TEST_F(AuditPostgresLog, LogAuditFindsThePlantedProblems) {
  ASSERT_NE(log_, nullptr);
  auto report = audit({"audit", database_->url(), "--log", *log_});
  ASSERT_FALSE(report.is_null());
  EXPECT_EQ(report["input"]["kind"], "log");
  EXPECT_EQ(report["input"]["format"], "postgres-stderr");
  EXPECT_GT(report["input"]["events"].get<int>(), 100);
  EXPECT_EQ(report["verification"], "hypopg");
  auto found = rules_on_tables(report);
  // P1 (feedings sorted per pet) and P2 (the leaderboard).
  EXPECT_TRUE(found.count({"plan-sort-without-index", "feeding_events"})) << report["findings"].dump();
  EXPECT_TRUE(found.count({"plan-sort-without-index", "leaderboard_scores"})) << report["findings"].dump();
  auto tables = index_tables(report);
  for (const char* table : {"feeding_events", "leaderboard_scores"}) {
    EXPECT_TRUE(tables.count(table)) << table << " " << report["recommendations"].dump();
  }
  for (const auto& r : report["recommendations"]) {
    if (r["type"] == "index") {
      EXPECT_EQ(r["verified"], "hypopg") << r.dump();
    }
  }
}

TEST_F(AuditPostgresLog, SourcePgStatStatementsSkipsPlaceholdersAndPlansTheRest) {
  ASSERT_NE(database_, nullptr);
  auto report = audit({"audit", database_->url(), "--source", "pg_stat_statements"});
  ASSERT_FALSE(report.is_null());
  EXPECT_EQ(report["input"]["kind"], "source");
  // The normalized texts with $1 are listed as skipped, and a note says why.
  EXPECT_FALSE(report["input"]["skipped_placeholder_classes"].empty());
  bool noted = false;
  for (const auto& n : report["notes"]) noted |= n.get<std::string>().find("placeholders") != std::string::npos;
  EXPECT_TRUE(noted) << report["notes"].dump();
  // A text whose $n are compared with columns is planned with their typical values from pg_stats.
  bool valued = false;
  for (const auto& n : report["notes"]) {
    valued |= n.get<std::string>().find("planned with representative values from pg_stats") != std::string::npos;
  }
  EXPECT_TRUE(valued) << report["notes"].dump();
  // The dashboard's SELECT count(*) FROM feeding_events has no parameter: planned, flagged (P8).
  EXPECT_TRUE(rules_on_tables(report).count({"query-unfiltered-count", "feeding_events"})) << report["findings"].dump();
  for (const auto& q : report["queries"]) {
    EXPECT_EQ(q["example"].get<std::string>().find("$1"), std::string::npos) << q.dump();
  }
}

TEST_F(AuditPostgresLog, InputsAreAlternativesAndSourcesFitTheEngine) {
  ASSERT_NE(database_, nullptr);
  auto both = run_dbvet({"audit", database_->url(), "--log", *log_, "--source", "pg_stat_statements"});
  EXPECT_EQ(both.exit_code, 2) << both.err;
  auto wrong = run_dbvet({"audit", database_->url(), "--source", "performance_schema"});
  EXPECT_EQ(wrong.exit_code, 2) << wrong.err;
  EXPECT_NE(wrong.err.find("performance_schema"), std::string::npos) << wrong.err;
  auto missing = run_dbvet({"audit", database_->url(), "--log", "/nonexistent/dbvet.log"});
  EXPECT_NE(missing.exit_code, 0);
  EXPECT_NE(missing.err.find("/nonexistent/dbvet.log"), std::string::npos) << missing.err;
}

TEST(AuditMariadbLog, SlowLogAuditFindsThePlantedProblems) {
  MysqlTestDb database("e2e_audit_log_" + std::to_string(static_cast<long>(getpid())));
  auto gen = run_dbvet({"gen", "--sample", "virtualpet", "--service", "payment-service", "--scale", kScale, "--seed",
                        "42", "--no-progress", database.url()});
  ASSERT_EQ(gen.exit_code, 0) << gen.err;
  auto log = testenv_value("DBVET_TEST_MYSQL_SLOW_LOG");
  ASSERT_FALSE(log.empty()) << "DBVET_TEST_MYSQL_SLOW_LOG is not set";
  auto start = fs::file_size(log);
  // Global, since the workload runs in dbvet's own sessions: for as short a time as possible, and
  // put back as it was whatever happens.
  auto previous = database.writer().execute("SELECT @@GLOBAL.long_query_time");
  ASSERT_TRUE(previous && !previous->rows.empty() && previous->rows[0][0]);
  struct Restore {
    MysqlTestDb& database;
    std::string value;
    ~Restore() { (void)database.writer().execute_script("SET GLOBAL long_query_time = " + value); }
  } restore{database, *previous->rows[0][0]};
  database.script("SET GLOBAL long_query_time = 0");
  run_workload(database.url(), {"payment-service"});
  // A statement of another database in the same log (a new session sees the global setting).
  auto base = server_url("MYSQL");
  auto other = MysqlTestDb::open(base, false);
  ASSERT_TRUE(other);
  ASSERT_TRUE(other->execute("SELECT count(*) AS dbvet_other_database FROM information_schema.schemata"));
  auto slice = log_since(log, start, scratch_dir("audit_mariadb_log") / "slow.log");
  ASSERT_NE(read_file(slice).find(database.name()), std::string::npos);

  auto report = audit({"audit", database.url(), "--log", slice});
  ASSERT_FALSE(report.is_null());
  EXPECT_EQ(report["input"]["format"], "mysql-slowlog");
  EXPECT_FALSE(report["input"]["skipped_other_database_classes"].empty()) << report["input"].dump();
  for (const auto& q : report["queries"]) {
    EXPECT_EQ(q["example"].get<std::string>().find("dbvet_other_database"), std::string::npos) << q.dump();
  }
  // P3 (payments by user and status, sorted): a sort, and the (user_id, status, ...) index.
  EXPECT_TRUE(rules_on_tables(report).count({"plan-sort-without-index", "payments"})) << report["findings"].dump();
  bool payments_index = false;
  for (const auto& r : report["recommendations"]) {
    if (r["type"] != "index" || r["table"] != "payments") continue;
    auto columns = r["columns"];
    payments_index |= columns.size() >= 2 && columns[0] == "user_id" && columns[1] == "status";
    EXPECT_NE(r["ddl"].get<std::string>().find("ALGORITHM=INPLACE"), std::string::npos);
  }
  EXPECT_TRUE(payments_index) << report["recommendations"].dump();
}

}  // namespace
}  // namespace dbvet::testing
