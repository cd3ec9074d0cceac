// dbvet capture --source slowlog on the real test servers: MariaDB's slow log named by
// slow_query_log_file, PostgreSQL's log (pg_current_logfile() is null on the test server, which
// runs without the logging collector: the clear error, then --log-file), whole file and interval.

#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <sstream>
#include <thread>

#include "analyzer/pipeline/live/server_log_capture.hpp"
#include "nlohmann/json.hpp"
#include "tests/integration/mysql_test_db.hpp"
#include "tests/integration/postgres_test_database.hpp"
#include "tests/support/test_env.hpp"

namespace dbvet {
namespace {

using pipeline::live::LiveCapture;
using testing::MysqlTestDb;
using testing::PostgresTestDatabase;

std::unique_ptr<engines::Connection> open(const std::string& url) {
  auto parsed = core::parse_target_url(url);
  EXPECT_TRUE(parsed) << url;
  auto connection = engines::connect(*parsed, {});
  EXPECT_TRUE(connection) << connection.error().message;
  return connection ? std::move(*connection) : nullptr;
}

// A variable of scripts/testenv's env file (export NAME='value'), or of the environment.
std::string testenv_value(const std::string& name) {
  if (const char* set = std::getenv(name.c_str())) return set;
  const char* dir = std::getenv("DBVET_TESTENV_DIR");
  if (dir == nullptr) return {};
  std::istringstream lines(testing::read_file(std::filesystem::path(dir) / "env"));
  const std::string start = "export " + name + "='";
  for (std::string line; std::getline(lines, line);) {
    if (line.rfind(start, 0) == 0 && line.size() > start.size() && line.back() == '\'') {
      return line.substr(start.size(), line.size() - start.size() - 1);
    }
  }
  return {};
}

const digest::QueryClass* class_with(const LiveCapture& capture, const std::string& word) {
  const digest::QueryClass* found = nullptr;
  for (const auto& [id, c] : capture.result.digest.classes()) {
    if (c.fingerprint.find(word) == std::string::npos) continue;
    EXPECT_EQ(found, nullptr) << "two classes with " << word;
    found = &c;
  }
  return found;
}

TEST(CaptureServerLog, MariaDbSlowLogWholeFileAndInterval) {
  MysqlTestDb db("capture_slowlog_" + std::to_string(::getpid()));
  db.script(
      "CREATE TABLE capt_slow (id INT PRIMARY KEY, v VARCHAR(20)); INSERT INTO capt_slow VALUES (1, 'a'), (2, 'b')");
  ASSERT_TRUE(db.writer().execute("SET SESSION long_query_time = 0"));
  for (int i = 1; i <= 3; ++i)
    ASSERT_TRUE(db.writer().execute("SELECT v FROM capt_slow WHERE id = " + std::to_string(i)));

  auto connection = open(db.url());
  ASSERT_TRUE(connection);
  auto location = pipeline::live::locate_server_log(*connection, "");
  ASSERT_TRUE(location) << location.error().message;
  EXPECT_EQ(location->path, testenv_value("DBVET_TEST_MYSQL_SLOW_LOG"));
  EXPECT_EQ(location->database, db.name());

  // MariaDB writes a statement's slow-log entry after the client has its result: wait (bounded)
  // until a last statement of the session is in the log, so that the three before it are too.
  auto wait_until_logged = [&](const std::string& marker) {
    ASSERT_TRUE(db.writer().execute(marker));
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (testing::read_file(location->path).find(marker) == std::string::npos &&
           std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
  };
  wait_until_logged("SELECT 'end of the first statements " + db.name() + "'");
  auto whole = pipeline::live::capture_server_log(*connection, {});
  ASSERT_TRUE(whole) << whole.error().message;
  EXPECT_EQ(whole->result.format, "mysql-slowlog");
  const auto* point = class_with(*whole, "from capt_slow where id = ?");
  ASSERT_NE(point, nullptr);
  EXPECT_EQ(point->count, 3u);
  EXPECT_EQ(point->rows_sent.sum, 2);  // id 3 does not exist
  EXPECT_EQ(point->databases.values, std::set<std::string>{db.name()});
  EXPECT_GT(point->histogram.count(), 0u);  // real executions: percentiles, unlike the statistics sources
  for (const auto& [id, c] : whole->result.digest.classes()) {
    EXPECT_EQ(c.databases.values.count(db.name()), 1u) << c.fingerprint;  // only the target's database
  }

  pipeline::live::ServerLogOptions options;
  options.duration = std::chrono::milliseconds(2000);
  // The interval between the two sizes of the log: its statements run in the wait, no timer. MariaDB
  // writes a statement's slow-log entry after the client has its result, so the wait ends when the
  // server has logged a last statement of the session (a wait on the server, bounded).
  const std::string end_of_interval = "SELECT 'end of interval " + db.name() + "'";
  std::chrono::milliseconds waited{0};
  options.wait = [&](std::chrono::milliseconds duration) {
    waited = duration;
    for (int i = 1; i <= 2; ++i)
      ASSERT_TRUE(db.writer().execute("SELECT v FROM capt_slow WHERE id = " + std::to_string(i)));
    wait_until_logged(end_of_interval);
  };
  auto interval = pipeline::live::capture_server_log(*connection, options);
  EXPECT_EQ(waited, options.duration);
  ASSERT_TRUE(interval) << interval.error().message;
  const auto* later = class_with(*interval, "from capt_slow where id = ?");
  ASSERT_NE(later, nullptr);
  EXPECT_EQ(later->count, 2u);
  EXPECT_EQ(class_with(*interval, "create table"), nullptr);

  // The command line: the same digest as JSON.
  auto run = testing::run_dbvet(
      {"capture", "--source", "slowlog", "--format", "json", "--top", "0", "--no-progress", db.url()});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  auto doc = nlohmann::json::parse(run.out);
  EXPECT_EQ(doc["kind"], "digest");
  EXPECT_EQ(doc["input"]["format"], "mysql-slowlog");
  bool seen = false;
  for (const auto& c : doc["classes"]) {
    if (c["fingerprint"] != point->fingerprint) continue;
    seen = true;
    EXPECT_EQ(c["count"], 5);
    EXPECT_TRUE(c["query_time"]["p95"].is_number());
  }
  EXPECT_TRUE(seen) << run.out;

  // performance_schema's text of the same statement ("SELECT `v` FROM `capt_slow` WHERE `id` = ?")
  // falls in the same class, with the same id, so a live capture and a log cross-reference.
  auto live = testing::run_dbvet(
      {"capture", "--source", "performance_schema", "--format", "json", "--top", "0", "--no-progress", db.url()});
  ASSERT_EQ(live.exit_code, 0) << live.err;
  auto live_doc = nlohmann::json::parse(live.out);
  bool same_class = false;
  for (const auto& c : live_doc["classes"]) {
    if (c["fingerprint"] == point->fingerprint) same_class = c["id"] == point->id;
  }
  EXPECT_TRUE(same_class) << point->fingerprint << "\n" << live.out.substr(0, 3000);
  const std::string password = core::parse_target_url(db.url())->password.value_or("");
  ASSERT_FALSE(password.empty());
  EXPECT_EQ(run.out.find(password), std::string::npos);
}

TEST(CaptureServerLog, PostgresWithoutCollectorIsOneClearLineThenLogFile) {
  PostgresTestDatabase db;
  auto connection = open(db.url());
  ASSERT_TRUE(connection);
  auto missing = pipeline::live::capture_server_log(*connection, {});
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().kind, core::ErrorKind::unsupported);
  EXPECT_NE(missing.error().message.find("pg_current_logfile() is null"), std::string::npos) << missing.error().message;
  EXPECT_NE(missing.error().message.find("--log-file"), std::string::npos);
  EXPECT_EQ(missing.error().message.find(db.password()), std::string::npos);

  const std::string log = testenv_value("DBVET_TEST_PG_LOG");
  ASSERT_FALSE(log.empty());
  const std::string name = db.url().substr(db.url().rfind('/') + 1);
  db.run("CREATE TABLE capt_pglog (id int PRIMARY KEY, v text)");
  db.run("ALTER DATABASE " + name + " SET log_min_duration_statement = 0");
  pipeline::live::ServerLogOptions options;
  options.log_file = log;
  options.duration = std::chrono::milliseconds(2500);
  options.wait = [&](std::chrono::milliseconds) {
    for (int i = 1; i <= 4; ++i) db.run("SELECT v FROM capt_pglog WHERE id = " + std::to_string(i));
  };
  auto captured = pipeline::live::capture_server_log(*connection, options);
  ASSERT_TRUE(captured) << captured.error().message;
  EXPECT_EQ(captured->result.format, "postgres-stderr");
  const auto* point = class_with(*captured, "from capt_pglog where id = ?");
  ASSERT_NE(point, nullptr);
  EXPECT_EQ(point->count, 4u);

  auto run = testing::run_dbvet({"capture", "--source", "slowlog", "--no-progress", db.url()});
  EXPECT_EQ(run.exit_code, 3);
  EXPECT_EQ(std::count(run.err.begin(), run.err.end(), '\n'), 1) << run.err;
  EXPECT_EQ(run.err.find(db.password()), std::string::npos);
}

TEST(CaptureServerLog, UnreadableLogIsOneClearError) {
  auto status = pipeline::live::check_log_readable("/nonexistent/dbvet/slow.log", "slow_query_log_file");
  ASSERT_FALSE(status);
  EXPECT_EQ(status.error().kind, core::ErrorKind::input);
  EXPECT_NE(status.error().message.find("/nonexistent/dbvet/slow.log (slow_query_log_file)"), std::string::npos);
  EXPECT_NE(status.error().message.find("does not exist"), std::string::npos);
  auto directory = pipeline::live::check_log_readable("/tmp", "--log-file");
  ASSERT_FALSE(directory);
  EXPECT_NE(directory.error().message.find("not a regular file"), std::string::npos);
}

}  // namespace
}  // namespace dbvet
