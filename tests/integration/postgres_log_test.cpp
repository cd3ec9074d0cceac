// A real log from the test PostgreSQL (stderr, default log_line_prefix '%m [%p] '): the statements
// this test runs are found with plausible durations, and pgBadger counts the same per class.
#include "analyzer/capture/postgres_log.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <pqxx/pqxx>
#include <string>
#include <thread>
#include <vector>

#include "analyzer/capture/line_source.hpp"
#include "analyzer/capture/pgbadger_normalize.hpp"
#include "tests/support/test_env.hpp"

namespace dbvet::capture {
namespace {

namespace fs = std::filesystem;

constexpr const char* kDb = "dbvet_it_postgres_log";
constexpr const char* kTable = "pglog_it_items";

std::string pg_log_path() {
  if (const char* p = std::getenv("DBVET_TEST_PG_LOG")) return p;
  const char* dir = std::getenv("DBVET_TESTENV_DIR");
  if (dir == nullptr) return {};
  std::ifstream env(fs::path(dir) / "env");
  std::string line;
  const std::string key = "export DBVET_TEST_PG_LOG='";
  while (std::getline(env, line)) {
    if (line.rfind(key, 0) == 0) return line.substr(key.size(), line.size() - key.size() - 1);
  }
  return {};
}

std::string url_for_db(const std::string& url, const std::string& db) {
  size_t slash = url.rfind('/');
  size_t q = url.find('?', slash);
  return url.substr(0, slash + 1) + db + (q == std::string::npos ? "" : url.substr(q));
}

struct Piece {
  std::vector<model::QueryEvent> events;  // ours only (they name kTable)
  uint64_t skipped = 0;
  std::string prefix;
};

Piece read_piece(const std::string& path, uint64_t begin, uint64_t end) {
  Piece p;
  auto src = open_line_source_range(path, begin, end);
  EXPECT_TRUE(src) << (src ? "" : src.error().message);
  if (!src) return p;
  auto reader = make_postgres_log_reader({}, [&](model::QueryEvent&& e) {
    if (e.sql.find(kTable) != std::string::npos) p.events.push_back(std::move(e));
  });
  std::string_view line;
  uint64_t off = 0;
  while ((*src)->next(line, off)) (*reader)->feed_line(line, off);
  (*reader)->finish();
  p.skipped = (*reader)->stats().skipped;
  p.prefix = (*reader)->log_line_prefix();
  return p;
}

TEST(PostgresLogIntegration, ReadsTheServersOwnLogLikePgBadger) {
  const std::string url = dbvet::testing::server_url("PG");
  const std::string log = pg_log_path();
  ASSERT_FALSE(log.empty()) << "DBVET_TEST_PG_LOG not found in $DBVET_TESTENV_DIR/env";
  ASSERT_TRUE(fs::exists(log)) << log;

  {
    pqxx::connection admin(url);
    pqxx::nontransaction tx(admin);
    tx.exec(std::string("DROP DATABASE IF EXISTS ") + kDb + " WITH (FORCE)");
    tx.exec(std::string("CREATE DATABASE ") + kDb);
    // Per database rather than ALTER SYSTEM: the other tests running in parallel are not logged.
    tx.exec(std::string("ALTER DATABASE ") + kDb + " SET log_min_duration_statement = 0");
  }
  const uint64_t before = fs::file_size(log);
  {
    pqxx::connection c(url_for_db(url, kDb));
    pqxx::nontransaction tx(c);
    tx.exec(std::string("CREATE TABLE ") + kTable + " (id int PRIMARY KEY, name text)");
    for (int i = 1; i <= 3; ++i) {
      tx.exec(std::string("INSERT INTO ") + kTable + " VALUES (" + std::to_string(i) + ", 'n" + std::to_string(i) +
              "')");
    }
    tx.exec(std::string("SELECT pg_sleep(0.05), count(*) FROM ") + kTable);
    tx.exec(std::string("SELECT name\n  FROM ") + kTable + "\n WHERE id = 2");
    c.prepare("pglog_it_q", std::string("SELECT name FROM ") + kTable + " WHERE id = $1");
    tx.exec_prepared("pglog_it_q", 1);
    tx.exec_prepared("pglog_it_q", 3);
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  const uint64_t after = fs::file_size(log);
  {
    pqxx::connection admin(url);
    pqxx::nontransaction tx(admin);
    tx.exec(std::string("ALTER DATABASE ") + kDb + " RESET log_min_duration_statement");
    tx.exec(std::string("DROP DATABASE ") + kDb + " WITH (FORCE)");
  }
  ASSERT_GT(after, before);

  Piece piece = read_piece(log, before, after);
  EXPECT_EQ(piece.prefix, "%m [%p] ");
  std::map<std::string, int> seen;
  for (const auto& e : piece.events) {
    EXPECT_GT(e.query_time_s, 0.0) << e.sql;
    EXPECT_LT(e.query_time_s, 30.0) << e.sql;
    EXPECT_TRUE(e.timestamp.has_value());
    ++seen[e.sql];
  }
  const std::string t = kTable;
  std::map<std::string, int> want = {
      {"CREATE TABLE " + t + " (id int PRIMARY KEY, name text)", 1},
      {"INSERT INTO " + t + " VALUES (1, 'n1')", 1},
      {"INSERT INTO " + t + " VALUES (2, 'n2')", 1},
      {"INSERT INTO " + t + " VALUES (3, 'n3')", 1},
      {"SELECT pg_sleep(0.05), count(*) FROM " + t, 1},
      {"SELECT name\n  FROM " + t + "\n WHERE id = 2", 1},
      {"SELECT name FROM " + t + " WHERE id = '1'", 1},
      {"SELECT name FROM " + t + " WHERE id = '3'", 1},
  };
  EXPECT_EQ(seen, want);
  for (const auto& e : piece.events) {
    if (e.sql.find("pg_sleep") != std::string::npos) {
      EXPECT_GE(e.query_time_s, 0.05);
    }
    if (e.sql.find("id = '") != std::string::npos) {
      EXPECT_EQ(e.prepared_sql, "SELECT name FROM " + t + " WHERE id = $1");
    }
  }

  // pgBadger on the same piece: same classes and counts for our statements.
  fs::path dir = dbvet::testing::scratch_dir("postgres_log_pgbadger");
  {
    std::ifstream in(log, std::ios::binary);
    in.seekg(static_cast<std::streamoff>(before));
    std::string bytes(after - before, '\0');
    in.read(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    std::ofstream out(dir / "piece.log", std::ios::binary);
    out << bytes;
  }
  auto r = dbvet::testing::run_program(
      {"pgbadger", "-q", "-j", "1", "-x", "json", "-o", (dir / "out.json").string(), (dir / "piece.log").string()});
  if (r.exit_code == 127 || r.err.find("No such file") != std::string::npos) {
    GTEST_SKIP() << "pgbadger is not installed (scripts/bootstrap test)";
  }
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto doc = nlohmann::json::parse(dbvet::testing::read_file(dir / "out.json"));
  std::map<std::string, uint64_t> theirs, ours;
  std::map<std::string, double> theirs_ms, ours_ms;
  for (const auto& [db, queries] : doc["normalyzed_info"].items()) {
    for (const auto& [query, info] : queries.items()) {
      if (query.find(kTable) == std::string::npos) continue;
      theirs[query] += info.value("count", uint64_t{0});
      const auto& d = info["duration"];
      theirs_ms[query] += d.is_string() ? std::stod(d.get<std::string>()) : d.get<double>();
    }
  }
  for (const auto& e : piece.events) {
    std::string key = normalize_like_pgbadger(e.sql);
    ++ours[key];
    ours_ms[key] += e.query_time_s * 1000.0;
  }
  EXPECT_EQ(ours, theirs);
  for (const auto& [key, ms] : theirs_ms) EXPECT_NEAR(ours_ms[key], ms, 1e-3) << key;
  EXPECT_EQ(ours.size(), 4u);  // create, insert, sleep, select name (multi-line and prepared)
}

}  // namespace
}  // namespace dbvet::capture
