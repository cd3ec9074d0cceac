// pt-query-digest 3.2.1 conformance: for every MySQL slow log in ../shared/conformance, dbvet's
// pt-mode digest has the same classes (fingerprint, checksum), counts and Query_time sums as
// pt-query-digest's own JSON output saved beside the log.

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "analyzer/capture/log_formats.hpp"
#include "analyzer/capture/mysql_slowlog.hpp"
#include "analyzer/digest/digest.hpp"
#include "nlohmann/json.hpp"
#include "tests/support/test_env.hpp"

namespace dbvet {
namespace {

// Logs where dbvet deliberately differs from pt-query-digest, and why.
const std::map<std::string, std::string> kKnownDifferences = {};

digest::Digest digest_file(const std::filesystem::path& path, capture::ReadStats* stats_out = nullptr) {
  digest::Digest digest(sql::FingerprintMode::pt);
  capture::MysqlSlowLogReader reader([&](model::QueryEvent&& e) { digest.add(e); });
  capture::feed_text(reader, testing::read_file(path));
  if (stats_out) *stats_out = reader.stats();
  return digest;
}

TEST(MysqlSlowlogConformance, EveryClassMatchesPtQueryDigest) {
  auto shared = testing::shared_dir();
  if (!shared || !std::filesystem::exists(*shared / "conformance/mysql-slowlog")) {
    GTEST_SKIP() << "../shared/conformance/mysql-slowlog is absent: conformance not checked";
  }
  int logs = 0;
  for (const auto& entry : std::filesystem::directory_iterator(*shared / "conformance/mysql-slowlog")) {
    auto path = entry.path();
    if (path.extension() == ".json") continue;
    auto expected_path = path;
    expected_path += ".expected.json";
    if (!std::filesystem::exists(expected_path)) continue;
    std::string name = path.filename().string();
    if (kKnownDifferences.count(name)) continue;
    ++logs;
    SCOPED_TRACE(name);
    auto digest = digest_file(path);
    std::string expected_text = testing::read_file(expected_path);
    std::map<std::string, const nlohmann::json*> expected;
    nlohmann::json doc;
    if (expected_text.find_first_not_of(" \n\t") != std::string::npos) {
      doc = nlohmann::json::parse(expected_text);
      for (const auto& c : doc["classes"]) expected[c["checksum"].get<std::string>()] = &c;
    }
    // pt-query-digest printed nothing for this log (it gave up on it): no class either.
    EXPECT_EQ(digest.classes().size(), expected.size());
    for (const auto& [id, c] : digest.classes()) {
      auto it = expected.find(id);
      if (it == expected.end()) {
        ADD_FAILURE() << "class not in pt-query-digest's output: " << id << " " << c.fingerprint;
        continue;
      }
      const auto& e = *it->second;
      EXPECT_EQ(c.fingerprint, e["fingerprint"].get<std::string>());
      EXPECT_EQ(c.count, e["query_count"].get<uint64_t>()) << c.fingerprint;
      double expected_sum = std::stod(e["metrics"]["Query_time"]["sum"].get<std::string>());
      EXPECT_NEAR(static_cast<double>(c.query_time.sum) / 1e6, expected_sum, 1e-6) << c.fingerprint;
    }
  }
  EXPECT_GT(logs, 10);
}

}  // namespace
}  // namespace dbvet
