// Every digest class carries the ids other tools use (issue 18): pt-query-digest's checksum, equal
// to the one pt-query-digest 3.2.1 itself printed for the conformance slow logs, whatever
// dbvet's fingerprint mode; libpg_query's fingerprint for PostgreSQL logs. pg_stat_statements'
// queryid and performance_schema's DIGEST cannot be computed from a log and are not given.

#include <gtest/gtest.h>

#include <filesystem>
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

}  // namespace
}  // namespace dbvet
