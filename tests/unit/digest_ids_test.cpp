// Every digest class carries the ids other tools use (issue 18): pt-query-digest's checksum, equal
// to the one pt-query-digest 3.2.1 itself printed for the conformance slow logs, whatever
// dbvet's fingerprint mode; libpg_query's fingerprint for PostgreSQL logs. pg_stat_statements'
// queryid and performance_schema's DIGEST cannot be computed from a log's text: the queryid is
// given when the log printed it (%Q, jsonlog's and csvlog's query_id).

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <string>

#include "analyzer/pipeline/digest_report.hpp"
#include "analyzer/pipeline/digest_runner.hpp"
#include "nlohmann/json.hpp"
#include "tests/support/test_env.hpp"

namespace dbvet {
namespace {

namespace fs = std::filesystem;

nlohmann::json digest_json(const std::string& file, sql::FingerprintMode mode) {
  pipeline::DigestOptions options;
  options.files = {file};
  options.mode = mode;
  auto result = pipeline::run_digest(options);
  EXPECT_TRUE(result.has_value()) << file << ": " << (result ? "" : result.error().message);
  if (!result) return nlohmann::json::object();
  pipeline::ReportOptions report;
  report.top = 0;
  return pipeline::digest_to_json(*result, report);
}

TEST(DigestIds, PtChecksumsAreThoseOfPtQueryDigestInEveryMode) {
  auto shared = testing::shared_dir();
  if (!shared || !fs::exists(*shared / "conformance/mysql-slowlog")) {
    GTEST_SKIP() << "../shared/conformance/mysql-slowlog is absent";
  }
  int compared = 0;
  for (const auto& entry : fs::directory_iterator(*shared / "conformance/mysql-slowlog")) {
    const fs::path log = entry.path();
    fs::path expected_path = log;
    expected_path += ".expected.json";
    if (log.extension() == ".json" || !fs::exists(expected_path)) continue;
    SCOPED_TRACE(log.filename().string());
    const std::string text = testing::read_file(expected_path);
    std::set<std::string> expected;
    if (text.find_first_not_of(" \n\t") != std::string::npos) {
      const auto doc = nlohmann::json::parse(text);
      for (const auto& c : doc["classes"]) expected.insert(c["checksum"].get<std::string>());
    }
    if (expected.empty()) continue;
    // pt mode: the classes are pt's, one checksum each.
    std::set<std::string> got;
    const auto pt = digest_json(log.string(), sql::FingerprintMode::pt);
    for (const auto& c : pt["classes"]) {
      EXPECT_EQ(c["ids"]["pt_checksum"], c["id"]);
      got.insert(c["ids"]["pt_checksum"].get<std::string>());
      EXPECT_TRUE(c["ids"]["pg_query_fingerprint"].is_null());
    }
    EXPECT_EQ(got, expected);
    // The other modes: each class's checksum names the pt class of its example.
    for (auto mode : {sql::FingerprintMode::canonical, sql::FingerprintMode::pg}) {
      const auto doc = digest_json(log.string(), mode);
      for (const auto& c : doc["classes"]) {
        ASSERT_TRUE(c["ids"]["pt_checksum"].is_string()) << c.dump();
        EXPECT_TRUE(expected.count(c["ids"]["pt_checksum"].get<std::string>())) << c.dump();
        ++compared;
      }
    }
  }
  EXPECT_GT(compared, 100);
}

TEST(DigestIds, PostgresClassesCarryLibpgQuerysFingerprintAndNoPtChecksum) {
  const auto log = testing::source_dir() / "tests/data/logs/heldout/rds.log";
  int parsed = 0;
  for (auto mode : {sql::FingerprintMode::canonical, sql::FingerprintMode::pg}) {
    const auto doc = digest_json(log.string(), mode);
    for (const auto& c : doc["classes"]) {
      EXPECT_TRUE(c["ids"]["pt_checksum"].is_null()) << c.dump();
      ASSERT_TRUE(c["ids"].contains("pg_query_fingerprint"));
      if (c["ids"]["pg_query_fingerprint"].is_null()) continue;
      ++parsed;
      EXPECT_EQ(c["ids"]["pg_query_fingerprint"].get<std::string>().size(), 16u);
      // In pg mode a statement libpg_query parses is classed by that very fingerprint.
      if (mode == sql::FingerprintMode::pg) {
        EXPECT_EQ(c["ids"]["pg_query_fingerprint"], c["id"]);
      }
    }
  }
  EXPECT_GT(parsed, 0);
}

std::set<std::string> queryids_of(const nlohmann::json& doc) {
  std::set<std::string> out;
  for (const auto& c : doc["classes"]) {
    if (!c["ids"].contains("pg_stat_statements_queryids")) continue;
    for (const auto& id : c["ids"]["pg_stat_statements_queryids"]) out.insert(id.get<std::string>());
  }
  return out;
}

// A log that prints the queryid gives it to its classes, from each of the three ways PostgreSQL
// writes it; 0 (compute_query_id off) and logs without it give none.
TEST(DigestIds, PostgresQueryidsAreThoseTheLogPrinted) {
  const fs::path dir = testing::scratch_dir("digest-ids-queryid");
  auto digest_of = [&](const std::string& name, const std::string& text) {
    const fs::path log = dir / name;
    { std::ofstream(log) << text; }
    return digest_json(log.string(), sql::FingerprintMode::canonical);
  };
  const auto stderr_log = digest_of(
      "stderr.log",
      "2024-03-01 10:00:00.001 UTC [71] [queryid=-4085914735474744567] app@shop LOG:  duration: 1.500 ms  "
      "statement: SELECT * FROM items WHERE id = 1\n"
      "2024-03-01 10:00:00.002 UTC [71] [queryid=-4085914735474744567] app@shop LOG:  duration: 2.500 ms  "
      "statement: SELECT * FROM items WHERE id = 2\n"
      "2024-03-01 10:00:00.003 UTC [72] [queryid=0] app@shop LOG:  duration: 0.500 ms  statement: SELECT 1\n");
  ASSERT_EQ(stderr_log["input"]["events"], 3) << stderr_log["input"];
  EXPECT_EQ(queryids_of(stderr_log), (std::set<std::string>{"-4085914735474744567"}));
  for (const auto& c : stderr_log["classes"]) {
    EXPECT_EQ(c["ids"].contains("pg_stat_statements_queryids"), c["count"] == 2) << c["fingerprint"];
  }
  // csvlog of PostgreSQL 14+: query_id is the 26th column, after backend_type and leader_pid.
  const auto csv = digest_of(
      "postgresql.csv",
      "2024-03-01 10:00:00.001 UTC,\"app\",\"shop\",71,\"10.0.0.5:5100\",65e1a2b3.47,1,\"SELECT\",2024-03-01 "
      "09:59:00 UTC,3/7,0,LOG,00000,\"duration: 1.500 ms  statement: SELECT * FROM items WHERE id = 1\",,,,,,,,,"
      "\"psql\",\"client backend\",,8541253216398157237\n");
  ASSERT_EQ(csv["input"]["events"], 1) << csv["input"];
  EXPECT_EQ(queryids_of(csv), (std::set<std::string>{"8541253216398157237"}));
  // PostgreSQL 15's jsonlog: a number.
  const auto jsonlog = digest_of(
      "postgresql.json",
      R"({"timestamp":"2024-03-01 10:00:00.001 UTC","user":"app","dbname":"shop","pid":71,)"
      R"("remote_host":"10.0.0.5","error_severity":"LOG","message":"duration: 1.500 ms  statement: SELECT 1",)"
      R"("query_id":1147616880456321454})"
      "\n");
  ASSERT_EQ(jsonlog["input"]["events"], 1) << jsonlog["input"];
  EXPECT_EQ(queryids_of(jsonlog), (std::set<std::string>{"1147616880456321454"}));
}

// pgBadger's own fixture with %Q in its prefix: every class carries the queryids of its lines.
TEST(DigestIds, PgBadgersQueryidFixtureGivesEachClassItsQueryids) {
  auto shared = testing::shared_dir();
  if (!shared || !fs::exists(*shared / "conformance/postgres-log/queryid.log.gz")) {
    GTEST_SKIP() << "../shared/conformance/postgres-log is absent";
  }
  const auto doc =
      digest_json((*shared / "conformance/postgres-log/queryid.log.gz").string(), sql::FingerprintMode::canonical);
  size_t with = 0;
  for (const auto& c : doc["classes"]) with += c["ids"].contains("pg_stat_statements_queryids");
  EXPECT_GE(with, 10u);
  // The first statement of the log: "set log_min_duration_statement to 0" with queryid=1081270519976314062.
  EXPECT_TRUE(queryids_of(doc).count("1081270519976314062"));
}

}  // namespace
}  // namespace dbvet
