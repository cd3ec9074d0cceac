// dbvet capture's live sources on the real test servers: pg_stat_statements and performance_schema
// (snapshot and delta), and workload capture on PostgreSQL and SQLite.

#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <fstream>

#include "analyzer/pipeline/live/server_capture.hpp"
#include "analyzer/pipeline/live/workload_capture.hpp"
#include "nlohmann/json.hpp"
#include "tests/integration/mysql_test_db.hpp"
#include "tests/integration/postgres_test_database.hpp"
#include "tests/support/test_env.hpp"

namespace dbvet {
namespace {

using pipeline::live::LiveCapture;
using testing::MysqlTestDb;
using testing::PostgresTestDatabase;

std::unique_ptr<engines::Connection> open(const std::string& url, bool allow_writes = false) {
  auto parsed = core::parse_target_url(url);
  EXPECT_TRUE(parsed) << url;
  engines::ConnectOptions options;
  options.allow_writes = allow_writes;
  auto connection = engines::connect(*parsed, options);
  EXPECT_TRUE(connection) << connection.error().message;
  return connection ? std::move(*connection) : nullptr;
}

// The classes whose fingerprint mentions `word`.
std::vector<const digest::QueryClass*> classes_with(const LiveCapture& capture, const std::string& word) {
  std::vector<const digest::QueryClass*> out;
  for (const auto& [id, c] : capture.result.digest.classes()) {
    if (c.fingerprint.find(word) != std::string::npos) out.push_back(&c);
  }
  return out;
}

const digest::QueryClass* class_with(const LiveCapture& capture, const std::string& word) {
  auto found = classes_with(capture, word);
  EXPECT_LE(found.size(), 1u) << word;
  return found.empty() ? nullptr : found.front();
}

// The statements a dbvet session sends around its own reads (libpqxx's read-only transactions, the
// connect-time version check): none may reach a capture.
void expect_no_session_statements(const LiveCapture& captured) {
  for (const char* own : {"begin", "commit", "set transaction read only", "show server_version",
                          "set session max_statement_time", "set session transaction read only"}) {
    for (const auto& [id, c] : captured.result.digest.classes()) EXPECT_NE(c.fingerprint.rfind(own, 0), 0u) << own;
  }
  // dbvet's reads of the statistics themselves.
  EXPECT_TRUE(classes_with(captured, "from pg_stat_statements s").empty());
  EXPECT_TRUE(classes_with(captured, "pg_extension").empty());
  EXPECT_TRUE(classes_with(captured, "events_statements_summary_by_digest").empty());
}

TEST(CaptureLive, PgStatStatementsSnapshotCountsEachStatement) {
  PostgresTestDatabase db;
  db.run("CREATE EXTENSION pg_stat_statements");
  db.run("CREATE TABLE capt_items (id int PRIMARY KEY, v text)");
  db.run("INSERT INTO capt_items SELECT g, 'v' || g FROM generate_series(1, 50) g");
  for (int i = 1; i <= 5; ++i) db.run("SELECT v FROM capt_items WHERE id = " + std::to_string(i));
  for (int i = 1; i <= 2; ++i) db.run("SELECT count(*) FROM capt_items WHERE v <> 'x" + std::to_string(i) + "'");

  auto connection = open(db.url());
  ASSERT_TRUE(connection);
  auto captured = pipeline::live::capture_pg_stat_statements(*connection, {});
  ASSERT_TRUE(captured) << captured.error().message;
  const auto* point = class_with(*captured, "from capt_items where id =");
  ASSERT_NE(point, nullptr);
  EXPECT_EQ(point->count, 5u);
  // The server's normalized text ($1) falls in the same class as the statement with its literal.
  EXPECT_EQ(point->id, sql::fingerprint("SELECT v FROM capt_items WHERE id = 42", sql::FingerprintMode::canonical).id);
  EXPECT_GT(point->query_time.sum, 0);
  EXPECT_EQ(point->rows_sent.sum, 5);
  const auto* count = class_with(*captured, "count(*) from capt_items");
  ASSERT_NE(count, nullptr);
  EXPECT_EQ(count->count, 2u);
  // dbvet's own statements are left out, even after several captures by the same role (the
  // statements CREATE EXTENSION runs itself, nested, are the server's and stay).
  auto again = pipeline::live::capture_pg_stat_statements(*connection, {});
  ASSERT_TRUE(again) << again.error().message;
  again = pipeline::live::capture_pg_stat_statements(*connection, {});
  ASSERT_TRUE(again) << again.error().message;
  expect_no_session_statements(*again);
  ASSERT_NE(class_with(*again, "from capt_items where id ="), nullptr);
  EXPECT_EQ(class_with(*again, "from capt_items where id =")->count, 5u);

  auto doc = pipeline::live::live_capture_to_json(*captured, {digest::Digest::OrderBy::total, 0});
  EXPECT_EQ(doc["kind"], "digest");
  EXPECT_EQ(doc["input"]["format"], "pg_stat_statements");
  bool seen = false;
  for (const auto& c : doc["classes"]) {
    if (c["id"] != point->id) continue;
    seen = true;
    EXPECT_EQ(c["count"], 5);
    EXPECT_EQ(c["server_ids"].size(), 1u);
    EXPECT_TRUE(c["query_time"]["p95"].is_null());  // pg_stat_statements keeps no percentiles
    EXPECT_TRUE(c["query_time"]["max"].is_number());
    EXPECT_TRUE(c["query_time"]["stddev"].is_number());
  }
  EXPECT_TRUE(seen);
}

TEST(CaptureLive, PgStatStatementsDeltaSeesOnlyTheInterval) {
  PostgresTestDatabase db;
  db.run("CREATE EXTENSION pg_stat_statements");
  db.run("CREATE TABLE capt_delta (id int PRIMARY KEY, v text)");
  for (int i = 1; i <= 3; ++i) db.run("SELECT v FROM capt_delta WHERE id = " + std::to_string(i));
  db.run("SELECT id FROM capt_delta WHERE v = 'before'");

  auto connection = open(db.url());
  ASSERT_TRUE(connection);
  pipeline::live::ServerCaptureOptions options;
  options.duration = std::chrono::milliseconds(2000);
  // The interval between the two snapshots: its statements run in the wait, no sleep and no race.
  std::chrono::milliseconds waited{0};
  options.wait = [&](std::chrono::milliseconds duration) {
    waited = duration;
    for (int i = 4; i <= 5; ++i) db.run("SELECT v FROM capt_delta WHERE id = " + std::to_string(i));
  };
  auto captured = pipeline::live::capture_pg_stat_statements(*connection, options);
  EXPECT_EQ(waited, options.duration);
  ASSERT_TRUE(captured) << captured.error().message;
  const auto* point = class_with(*captured, "from capt_delta where id =");
  ASSERT_NE(point, nullptr);
  EXPECT_EQ(point->count, 2u);
  EXPECT_TRUE(classes_with(*captured, "from capt_delta where v =").empty());
  auto doc = pipeline::live::live_capture_to_json(*captured, {});
  for (const auto& c : doc["classes"]) {
    if (c["id"] == point->id) {
      EXPECT_TRUE(c["query_time"]["max"].is_null());  // not known for an interval
    }
  }
}

TEST(CaptureLive, PgStatStatementsMissingIsOneClearLine) {
  PostgresTestDatabase db;
  auto result = testing::run_dbvet({"capture", "--format", "json", "--no-progress", db.url()});
  EXPECT_EQ(result.exit_code, 3);
  EXPECT_NE(result.err.find("pg_stat_statements is not installed"), std::string::npos) << result.err;
  EXPECT_EQ(std::count(result.err.begin(), result.err.end(), '\n'), 1) << result.err;
  EXPECT_EQ(result.err.find(db.password()), std::string::npos);
  EXPECT_TRUE(result.out.empty());
}

TEST(CaptureLive, PerformanceSchemaSnapshotAndDelta) {
  // performance_schema keeps a dropped schema's digests: a name of its own per run.
  MysqlTestDb db("capture_ps_" + std::to_string(::getpid()));
  db.script(
      "CREATE TABLE capt_items (id INT PRIMARY KEY, v VARCHAR(20)); "
      "INSERT INTO capt_items VALUES (1, 'a'), (2, 'b'), (3, 'c')");
  for (int i = 1; i <= 4; ++i)
    ASSERT_TRUE(db.writer().execute("SELECT v FROM capt_items WHERE id = " + std::to_string(i)));
  ASSERT_TRUE(db.writer().execute("SELECT id FROM capt_items WHERE v = 'before'"));

  auto connection = open(db.url());
  ASSERT_TRUE(connection);
  auto snapshot = pipeline::live::capture_performance_schema(*connection, {});
  ASSERT_TRUE(snapshot) << snapshot.error().message;
  // MariaDB's digest text backquotes names; the canonical fingerprint folds quoting that changes nothing.
  const auto* point = class_with(*snapshot, "from capt_items where id =");
  ASSERT_NE(point, nullptr) << pipeline::live::live_capture_to_json(*snapshot, {}).dump(1);
  EXPECT_EQ(point->count, 4u);
  EXPECT_EQ(point->rows_sent.sum, 3);  // id 4 does not exist
  EXPECT_EQ(point->rows_examined.count, 4u);
  EXPECT_TRUE(point->first_seen.has_value());
  EXPECT_TRUE(classes_with(*snapshot, "events_statements_summary_by_digest").empty());
  expect_no_session_statements(*snapshot);
  auto doc = pipeline::live::live_capture_to_json(*snapshot, {});
  EXPECT_EQ(doc["input"]["format"], "performance_schema");

  pipeline::live::ServerCaptureOptions options;
  options.duration = std::chrono::milliseconds(2000);
  options.wait = [&](std::chrono::milliseconds) {
    for (int i = 1; i <= 3; ++i)
      ASSERT_TRUE(db.writer().execute("SELECT v FROM capt_items WHERE id = " + std::to_string(i)));
  };
  auto delta = pipeline::live::capture_performance_schema(*connection, options);
  ASSERT_TRUE(delta) << delta.error().message;
  const auto* later = class_with(*delta, "from capt_items where id =");
  ASSERT_NE(later, nullptr);
  EXPECT_EQ(later->count, 3u);
  EXPECT_EQ(later->rows_sent.sum, 3);
  EXPECT_TRUE(classes_with(*delta, "where `v`").empty());
  EXPECT_TRUE(classes_with(*delta, "where v").empty());
  expect_no_session_statements(*delta);
}

std::filesystem::path write_script(const std::filesystem::path& dir, const std::string& name, const std::string& text) {
  auto path = dir / name;
  std::ofstream(path) << text;
  return path;
}

pipeline::live::WorkloadFile load(const std::filesystem::path& path) {
  auto script = workload::load_script(path.string());
  EXPECT_TRUE(script) << script.error().message;
  return *script;
}

void expect_two_classes_times(const LiveCapture& captured, const std::string& table, uint64_t runs) {
  ASSERT_EQ(captured.result.digest.classes().size(), 2u) << pipeline::live::live_capture_to_json(captured, {}).dump(1);
  for (const auto& [id, c] : captured.result.digest.classes()) {
    EXPECT_EQ(c.count, runs) << c.fingerprint;
    EXPECT_EQ(c.histogram.count(), runs);
    EXPECT_NE(c.fingerprint.find(table), std::string::npos);
  }
  EXPECT_EQ(captured.result.events, 2 * runs);
  EXPECT_EQ(captured.result.format, "workload");
  auto doc = pipeline::live::live_capture_to_json(captured, {});
  for (const auto& c : doc["classes"]) {
    EXPECT_TRUE(c["query_time"]["p95"].is_number());
    // The example keeps its literals: the :id variable was substituted.
    EXPECT_EQ(c["example"]["sql"].get<std::string>().find(":id"), std::string::npos);
  }
}

constexpr const char* kTwoStatements =
    "\\set id random(1, 20)\n"
    "SELECT v FROM capt_work WHERE id = :id;\n"
    "SELECT count(*) FROM capt_work WHERE id > :id;\n";

TEST(CaptureLive, WorkloadOnSqliteTimesEveryStatement) {
  auto dir = testing::scratch_dir("capture_workload_sqlite");
  const std::string url = "sqlite:" + (dir / "work.db").string();
  {
    auto writer = open(url, true);
    ASSERT_TRUE(writer);
    ASSERT_TRUE(
        writer->execute_script("CREATE TABLE capt_work (id INTEGER PRIMARY KEY, v TEXT);"
                               "WITH RECURSIVE g(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM g WHERE n < 20) "
                               "INSERT INTO capt_work SELECT n, 'v' || n FROM g;"));
  }
  auto connection = open(url);
  ASSERT_TRUE(connection);
  pipeline::live::WorkloadCaptureOptions options;
  options.transactions = 7;
  auto captured =
      pipeline::live::capture_workload(*connection, {load(write_script(dir, "two.sql", kTwoStatements))}, options);
  ASSERT_TRUE(captured) << captured.error().message;
  expect_two_classes_times(*captured, "capt_work", 7);

  // Writes are refused unless allowed, before anything runs.
  auto writing = load(write_script(dir, "write.sql", "UPDATE capt_work SET v = 'x' WHERE id = 1;\n"));
  auto refused = pipeline::live::capture_workload(*connection, {writing}, options);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().kind, core::ErrorKind::usage);
  EXPECT_NE(refused.error().message.find("write.sql:1"), std::string::npos) << refused.error().message;
  EXPECT_NE(refused.error().message.find("--allow-writes"), std::string::npos);

  auto writer = open(url, true);
  options.allow_writes = true;
  options.transactions = 3;
  auto allowed = pipeline::live::capture_workload(*writer, {writing}, options);
  ASSERT_TRUE(allowed) << allowed.error().message;
  ASSERT_EQ(allowed->result.digest.classes().size(), 1u);
  EXPECT_EQ(allowed->result.digest.classes().begin()->second.rows_affected.sum, 3);
}

TEST(CaptureLive, WorkloadOnPostgresGivesTwoClassesTimesN) {
  PostgresTestDatabase db;
  db.run("CREATE TABLE capt_work (id int PRIMARY KEY, v text)");
  db.run("INSERT INTO capt_work SELECT g, 'v' || g FROM generate_series(1, 20) g");
  auto dir = testing::scratch_dir("capture_workload_pg");
  auto connection = open(db.url());
  ASSERT_TRUE(connection);
  pipeline::live::WorkloadCaptureOptions options;
  options.transactions = 12;
  options.seed = 3;
  auto captured =
      pipeline::live::capture_workload(*connection, {load(write_script(dir, "two.sql", kTwoStatements))}, options);
  ASSERT_TRUE(captured) << captured.error().message;
  expect_two_classes_times(*captured, "capt_work", 12);
}

}  // namespace
}  // namespace dbvet
