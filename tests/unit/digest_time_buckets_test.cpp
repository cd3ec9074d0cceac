// Per-class time buckets (issue 18, the HTML digest's per-class trends): calls and total time of
// each class in windows of the log's own time, only when asked (--class-trends, --format html),
// independent of the order of adds and merges, of -j and of states, and on the HTML page.

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <random>
#include <set>
#include <string>

#include "analyzer/digest/digest.hpp"
#include "analyzer/pipeline/digest_report.hpp"
#include "analyzer/pipeline/digest_runner.hpp"
#include "analyzer/pipeline/digest_state.hpp"
#include "analyzer/report/renderers.hpp"
#include "fmt/format.h"
#include "nlohmann/json.hpp"
#include "tests/support/test_env.hpp"

namespace dbvet {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

constexpr int64_t k20241124T100000 = 1732442400;  // 2024-11-24T10:00:00Z

// A MySQL slow log entry at 10:00:00 + `second` (under an hour).
std::string slow_entry(int second, double query_time, const std::string& sql) {
  return fmt::format(
      "# Time: 2024-11-24T10:{:02}:{:02}.000000Z\n# User@Host: app[app] @ localhost []\n# Query_time: {:.6f}  "
      "Lock_time: 0.000000 Rows_sent: 1  Rows_examined: 1\nSET timestamp={};\n{};\n",
      second / 60, second % 60, query_time, k20241124T100000 + second, sql);
}

fs::path write_log(const std::string& name, const std::string& text) {
  static const fs::path dir = testing::scratch_dir("digest_time_buckets");  // made (emptied) once
  fs::path path = dir / name;
  std::ofstream(path) << text;
  return path;
}

json digest_json(const fs::path& log, bool time_buckets, unsigned jobs = 1) {
  pipeline::DigestOptions options;
  options.files = {log.string()};
  options.mode = sql::FingerprintMode::pt;
  options.time_buckets = time_buckets;
  options.jobs = jobs;
  options.min_part_bytes = 512;  // several parts even for a small log
  auto result = pipeline::run_digest(options);
  EXPECT_TRUE(result.has_value()) << (result ? "" : result.error().message);
  if (!result) return json::object();
  pipeline::ReportOptions report;
  report.top = 0;
  return pipeline::digest_to_json(*result, report);
}

const json& class_with(const json& doc, const std::string& fingerprint_start) {
  for (const auto& c : doc["classes"]) {
    if (c["fingerprint"].get<std::string>().starts_with(fingerprint_start)) return c;
  }
  static const json none;
  ADD_FAILURE() << "no class " << fingerprint_start;
  return none;
}

TEST(DigestTimeBuckets, ASmallLogGivesEachClassItsWindowsAndTheOverallSum) {
  const auto log = write_log("small.log", slow_entry(5, 0.5, "SELECT * FROM t WHERE id = 1") +
                                              slow_entry(6, 0.125, "SELECT * FROM u") +
                                              slow_entry(7, 0.25, "SELECT * FROM t WHERE id = 2") +
                                              slow_entry(7, 0.25, "SELECT * FROM t WHERE id = 3") +
                                              slow_entry(20, 1, "SELECT * FROM t WHERE id = 4"));
  const json doc = digest_json(log, true);
  EXPECT_EQ(class_with(doc, "select * from t")["time_buckets"], json::parse(R"({"width": 1, "buckets": [
      {"start": "2024-11-24T10:00:05Z", "count": 1, "total_time": 0.5},
      {"start": "2024-11-24T10:00:07Z", "count": 2, "total_time": 0.5},
      {"start": "2024-11-24T10:00:20Z", "count": 1, "total_time": 1.0}]})"));
  EXPECT_EQ(class_with(doc, "select * from u")["time_buckets"], json::parse(R"({"width": 1, "buckets": [
      {"start": "2024-11-24T10:00:06Z", "count": 1, "total_time": 0.125}]})"));
  EXPECT_EQ(doc["overall"]["time_buckets"]["buckets"].size(), 4u);
  EXPECT_EQ(doc["overall"]["time_buckets"]["buckets"][1],
            json::parse(R"({"start": "2024-11-24T10:00:06Z", "count": 1, "total_time": 0.125})"));

  // Not asked for: not there, and the rest of the document is the same.
  json without = digest_json(log, false);
  EXPECT_FALSE(without["overall"].contains("time_buckets"));
  EXPECT_FALSE(without["classes"][0].contains("time_buckets"));
  json stripped = doc;
  stripped["overall"].erase("time_buckets");
  for (auto& c : stripped["classes"]) c.erase("time_buckets");
  stripped.erase("generated_at");
  without.erase("generated_at");
  EXPECT_EQ(stripped, without);
}

// 130 events 7 s apart fill 130 one-second windows: more than 120, so the class counts in
// 10-second windows (91 of them), the same read in one part or in several.
TEST(DigestTimeBuckets, AClassPastTheLimitWidensToTheNextWidthWhateverTheParts) {
  std::string text;
  for (int i = 0; i < 130; ++i) text += slow_entry(7 * i, 0.001, "SELECT * FROM t WHERE id = " + std::to_string(i));
  const auto log = write_log("wide.log", text);
  json one = digest_json(log, true, 1);
  const json& buckets = one["classes"][0]["time_buckets"];
  EXPECT_EQ(buckets["width"], 10);
  ASSERT_EQ(buckets["buckets"].size(), 91u);
  uint64_t events = 0;
  for (const auto& b : buckets["buckets"]) events += b["count"].get<uint64_t>();
  EXPECT_EQ(events, 130u);
  EXPECT_EQ(buckets["buckets"][0],
            json::parse(R"({"start": "2024-11-24T10:00:00Z", "count": 2, "total_time": 0.002})"));
  json split = digest_json(log, true, 4);
  one.erase("generated_at");
  split.erase("generated_at");
  EXPECT_EQ(split, one);
}

// The width is the narrowest at which the events fill at most kMax windows, whatever the order
// of adds and merges: random events added in one digest, or in parts merged in random order.
TEST(DigestTimeBuckets, MergesInAnyOrderEqualOneSequence) {
  std::mt19937_64 random(18);
  for (int round = 0; round < 20; ++round) {
    SCOPED_TRACE(round);
    const int events = 50 + static_cast<int>(random() % 3000);
    const int64_t spread = 1 + static_cast<int64_t>(random() % 2000000);
    digest::TimeBuckets whole;
    std::vector<digest::TimeBuckets> parts(1 + random() % 6);
    std::vector<int64_t> times;
    for (int i = 0; i < events; ++i) {
      const int64_t t = 1700000000 + static_cast<int64_t>(random() % spread) - (round % 3 == 0 ? 1800000000 : 0);
      const auto us = static_cast<int64_t>(random() % 1000);
      times.push_back(t);
      whole.add(t, us);
      parts[random() % parts.size()].add(t, us);
    }
    std::shuffle(parts.begin(), parts.end(), random);
    digest::TimeBuckets merged;
    for (const auto& p : parts) merged.merge(p);
    EXPECT_EQ(merged, whole);
    EXPECT_LE(whole.buckets.size(), digest::TimeBuckets::kMax);
    // Narrowest: at the width before, the events would fill more than kMax windows.
    const auto* width =
        std::find(std::begin(digest::kTimeBucketWidths), std::end(digest::kTimeBucketWidths), whole.width);
    ASSERT_NE(width, std::end(digest::kTimeBucketWidths));
    if (width != std::begin(digest::kTimeBucketWidths)) {
      const int64_t narrower = *(width - 1);
      std::set<int64_t> windows;
      for (int64_t t : times) windows.insert(t >= 0 ? t / narrower : -((-t + narrower - 1) / narrower));
      EXPECT_GT(windows.size(), digest::TimeBuckets::kMax);
    }
    uint64_t count = 0;
    for (const auto& b : whole.buckets) {
      count += b.count;
      EXPECT_EQ(b.start % whole.width, 0);
    }
    EXPECT_EQ(count, static_cast<uint64_t>(events));
  }
}

// States keep the windows: merged, they give the windows of one run; a state without them makes
// the merge drop them all.
TEST(DigestTimeBuckets, StatesKeepThemAndMergeThemOnlyWhenAllHaveThem) {
  std::string first, second;
  for (int i = 0; i < 40; ++i) first += slow_entry(3 * i, 0.002, "SELECT a FROM t WHERE id = " + std::to_string(i));
  for (int i = 40; i < 90; ++i) second += slow_entry(5 * i, 0.004, "SELECT a FROM t WHERE id = " + std::to_string(i));
  const auto a = write_log("a.log", first), b = write_log("b.log", second),
             both = write_log("both.log", first + second);
  auto state_of = [](const fs::path& log, bool time_buckets) {
    pipeline::DigestOptions options;
    options.files = {log.string()};
    options.mode = sql::FingerprintMode::pt;
    options.time_buckets = time_buckets;
    auto result = pipeline::run_digest(options);
    EXPECT_TRUE(result.has_value());
    auto decoded = pipeline::decode_digest_state(pipeline::encode_digest_state(*result), log.string());
    EXPECT_TRUE(decoded.has_value()) << decoded.error().message;
    return pipeline::NamedState{log.string(), std::move(*decoded)};
  };
  auto merged = pipeline::merge_digest_states({state_of(a, true), state_of(b, true)});
  ASSERT_TRUE(merged.has_value()) << merged.error().message;
  EXPECT_TRUE(merged->digest.time_buckets());
  json whole = digest_json(both, true);
  json from_states = pipeline::digest_to_json(*merged, {.top = 0});
  EXPECT_EQ(from_states["classes"][0]["time_buckets"], whole["classes"][0]["time_buckets"]);
  EXPECT_EQ(from_states["overall"]["time_buckets"], whole["overall"]["time_buckets"]);
  EXPECT_EQ(whole["classes"][0]["time_buckets"]["width"], 1);

  auto mixed = pipeline::merge_digest_states({state_of(a, true), state_of(b, false)});
  ASSERT_TRUE(mixed.has_value());
  EXPECT_FALSE(mixed->digest.time_buckets());
  json mixed_doc = pipeline::digest_to_json(*mixed, {.top = 0});
  EXPECT_FALSE(mixed_doc["overall"].contains("time_buckets"));
  EXPECT_FALSE(mixed_doc["classes"][0].contains("time_buckets"));
}

// The HTML digest embeds every shown class's windows, and its script draws one chart per class.
TEST(DigestTimeBuckets, TheHtmlPageCarriesEachClassesChartData) {
  const auto log = write_log("html.log", slow_entry(5, 0.5, "SELECT * FROM t WHERE id = 1") +
                                             slow_entry(65, 0.25, "SELECT * FROM u WHERE id = 2"));
  auto page = report::render(digest_json(log, true), "html", {});
  ASSERT_TRUE(page.has_value()) << page.error().message;
  for (const char* expected :
       {R"("time_buckets":{"buckets":[{"count":1,"start":"2024-11-24T10:00:05Z","total_time":0.5}])",
        R"("time_buckets":{"buckets":[{"count":1,"start":"2024-11-24T10:01:05Z","total_time":0.25}])",
        "function classTrend(", "Calls and query time over the log"}) {
    EXPECT_NE(page->find(expected), std::string::npos) << expected;
  }
}

}  // namespace
}  // namespace dbvet
