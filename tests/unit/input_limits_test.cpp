// Memory stays bounded whatever the input: a line longer than kMaxLineBytes is dropped by the
// line source (counted, with where it began), a record longer than kMaxRecordBytes by the
// readers; and compare refuses documents that measured nothing or hold figures that are not
// non-negative numbers.

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "analyzer/capture/line_source.hpp"
#include "analyzer/capture/log_formats.hpp"
#include "analyzer/capture/log_reader.hpp"
#include "benchmarks/compare.hpp"
#include "nlohmann/json.hpp"
#include "tests/support/test_env.hpp"

namespace dbvet {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

fs::path write_file(const fs::path& path, const std::string& data) {
  std::ofstream(path, std::ios::binary) << data;
  return path;
}

TEST(InputLimits, LineSourceDropsALineLongerThanTheLimitAndSaysWhere) {
  auto dir = testing::scratch_dir("input-limits-lines");
  const std::string huge(capture::kMaxLineBytes + 5, 'x');
  auto path = write_file(dir / "long.log", "first\n" + huge + "\nsecond\r\n" + huge + "\nthird");
  for (bool blocks : {false, true}) {
    auto source = capture::open_line_source(path.string());
    ASSERT_TRUE(source) << source.error().message;
    std::string seen;
    std::vector<uint64_t> offsets;
    std::string_view text;
    uint64_t offset = 0;
    while (blocks ? (*source)->next_block(text, offset) : (*source)->next(text, offset)) {
      seen.append(text);
      if (!blocks) seen += '|';
      offsets.push_back(offset);
    }
    if (blocks) {
      EXPECT_EQ(seen, "first\nsecond\r\nthird");
    } else {
      EXPECT_EQ(seen, "first|second|third|");
      ASSERT_EQ(offsets.size(), 3u);
      EXPECT_EQ(offsets[1], 6 + huge.size() + 1);
      EXPECT_EQ(offsets[2], 6 + huge.size() + 1 + 8 + huge.size() + 1);
    }
    const auto& oversized = (*source)->oversized();
    EXPECT_EQ(oversized.lines, 2u);
    EXPECT_EQ(oversized.bytes, 2 * (huge.size() + 1));
    EXPECT_EQ(oversized.first_offset, 6u);
  }
}

TEST(InputLimits, LineSourceOfAnInputWithoutNewlineDeliversNothing) {
  auto dir = testing::scratch_dir("input-limits-nonewline");
  auto path = dir / "zeros.log";
  std::ofstream(path).close();
  fs::resize_file(path, 3 * capture::kMaxLineBytes);  // sparse: zeros, no newline
  auto source = capture::open_line_source(path.string());
  ASSERT_TRUE(source);
  std::string_view line;
  uint64_t offset = 0;
  EXPECT_FALSE((*source)->next(line, offset));
  EXPECT_EQ((*source)->oversized().lines, 1u);
  EXPECT_EQ((*source)->oversized().bytes, 3 * capture::kMaxLineBytes);
}

TEST(InputLimits, SlowLogRecordLongerThanTheLimitIsSkippedAndCounted) {
  std::vector<std::string> sqls;
  const std::string header =
      "# Time: 241124 10:00:00\n# User@Host: app[app] @ localhost []\n"
      "# Query_time: 0.001  Lock_time: 0.000010  Rows_sent: 1  Rows_examined: 5\n";
  std::string text = header + "SELECT 1;\n" + header + "SELECT\n";
  const std::string line(1 << 20, 'a');
  for (size_t i = 0; i < capture::kMaxRecordBytes / line.size() + 2; ++i) text += "  " + line + " +\n";
  text += "  1;\n" + header + "SELECT 3;\n";
  for (bool blocks : {false, true}) {
    sqls.clear();
    auto fresh = capture::make_log_reader(capture::LogFormat::mysql_slow,
                                          [&](model::QueryEvent&& event) { sqls.push_back(event.sql); });
    ASSERT_TRUE(fresh);
    if (blocks) {
      // Blocks of about 4 MiB of whole lines, as the line source hands them out.
      size_t pos = 0;
      while (pos < text.size()) {
        size_t end = text.find('\n', std::min(text.size() - 1, pos + (4 << 20)));
        end = end == std::string::npos ? text.size() : end + 1;
        (*fresh)->feed_block(std::string_view(text).substr(pos, end - pos), pos);
        pos = end;
      }
      (*fresh)->finish();
    } else {
      capture::feed_text(**fresh, text);
    }
    ASSERT_EQ(sqls.size(), 2u) << (blocks ? "blocks" : "lines");
    EXPECT_EQ(sqls[0].rfind("SELECT 1", 0), 0u) << sqls[0];
    EXPECT_EQ(sqls[1].rfind("SELECT 3", 0), 0u) << sqls[1];
    const auto& stats = (*fresh)->stats();
    EXPECT_EQ(stats.skipped, 1u);
    ASSERT_FALSE(stats.skipped_records.empty());
    EXPECT_EQ(stats.skipped_records[0].reason, capture::kRecordTooLong);
  }
}

TEST(InputLimits, PostgresRecordLongerThanTheLimitIsSkippedAndCounted) {
  std::vector<std::string> sqls;
  auto reader = capture::make_log_reader(
      capture::LogFormat::postgres_stderr, [&](model::QueryEvent&& event) { sqls.push_back(event.sql); }, "%m [%p] ");
  ASSERT_TRUE(reader);
  const std::string prefix = "2024-11-24 10:00:00.000 UTC [42] ";
  std::string text = prefix + "LOG:  duration: 1.000 ms  statement: SELECT 1\n";
  text += prefix + "LOG:  duration: 2.000 ms  statement: SELECT\n";
  const std::string line(1 << 20, 'a');
  for (size_t i = 0; i < capture::kMaxRecordBytes / line.size() + 2; ++i) text += "\t" + line + " +\n";
  text += "\t1\n" + prefix + "LOG:  duration: 3.000 ms  statement: SELECT 3\n";
  capture::feed_text(**reader, text);
  ASSERT_EQ(sqls.size(), 2u);
  EXPECT_EQ(sqls[0].rfind("SELECT 1", 0), 0u) << sqls[0];
  EXPECT_EQ(sqls[1].rfind("SELECT 3", 0), 0u) << sqls[1];
  EXPECT_EQ((*reader)->stats().skipped, 1u);
}

json dbvet_runs(const std::string& name, int iterations, int errors, double p95) {
  json entries = json::array();
  for (int i = 0; i < 6; ++i) {
    entries.push_back({{"name", name},
                       {"run_name", name},
                       {"run_type", "iteration"},
                       {"iterations", iterations},
                       {"errors", errors},
                       {"dbvet_variant", "baseline"},
                       {"p50_ms", p95 / 2},
                       {"p95_ms", p95 * (1 + 0.01 * i)},
                       {"p99_ms", p95 * 1.1},
                       {"items_per_second", 100.0 + i}});
  }
  return {{"kind", "bench"}, {"benchmarks", entries}};
}

TEST(InputLimits, CompareRefusesEmptyRunsAndBadFigures) {
  auto empty = bench::parse_run(json{{"benchmarks", json::array()}}, "empty.json");
  ASSERT_FALSE(empty);
  EXPECT_NE(empty.error().message.find("empty.json: no benchmark repetitions"), std::string::npos);
  EXPECT_EQ(empty.error().exit_code(), 3);

  json aggregates_only = {{"benchmarks", {{{"name", "BM_a_mean"}, {"run_type", "aggregate"}}}}};
  EXPECT_FALSE(bench::parse_run(aggregates_only, "agg.json"));

  json text = dbvet_runs("q/baseline", 50, 0, 10);
  text["benchmarks"][3]["p99_ms"] = "slow";
  auto bad = bench::parse_run(text, "text.json");
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().message.find("text.json: benchmarks[3].p99_ms: expected a number"), std::string::npos)
      << bad.error().message;

  json negative = {
      {"benchmarks", {{{"name", "BM_a"}, {"run_type", "iteration"}, {"real_time", -1.0}, {"cpu_time", 1.0}}}}};
  auto refused = bench::parse_run(negative, "neg.json");
  ASSERT_FALSE(refused);
  EXPECT_NE(refused.error().message.find("neg.json: benchmarks[0].real_time: expected a number >= 0"),
            std::string::npos)
      << refused.error().message;

  json boolean = dbvet_runs("q/baseline", 50, 0, 10);
  boolean["benchmarks"][0]["errors"] = true;
  EXPECT_FALSE(bench::parse_run(boolean, "bool.json"));
}

TEST(InputLimits, CompareCallsAQueryThatAlwaysFailedARegressionNeverNoise) {
  auto base = bench::parse_run(dbvet_runs("q/baseline", 50, 0, 10), "base");
  auto head = bench::parse_run(dbvet_runs("q/baseline", 0, 12, 0), "head");
  ASSERT_TRUE(base && head);
  EXPECT_TRUE(head->all_failed("q/baseline"));
  auto comparison = bench::compare_runs(*base, *head, {});
  ASSERT_FALSE(comparison.rows.empty());
  EXPECT_TRUE(comparison.regressed());
  for (const auto& row : comparison.rows) {
    EXPECT_EQ(row.verdict, bench::Verdict::regressed);
    EXPECT_EQ(row.note, "every execution failed in head");
  }
  // Google Benchmark's error_occurred on every repetition: the same.
  json errored = {{"benchmarks",
                   {{{"name", "BM_a"}, {"run_type", "iteration"}, {"error_occurred", true}},
                    {{"name", "BM_a"}, {"run_type", "iteration"}, {"error_occurred", true}}}}};
  json fine = {{"benchmarks",
                {{{"name", "BM_a"}, {"run_type", "iteration"}, {"real_time", 1.0}, {"cpu_time", 1.0}},
                 {{"name", "BM_a"}, {"run_type", "iteration"}, {"real_time", 1.1}, {"cpu_time", 1.1}}}}};
  auto broken = bench::parse_run(errored, "errored");
  auto working = bench::parse_run(fine, "fine");
  ASSERT_TRUE(broken && working);
  auto gb = bench::compare_runs(*working, *broken, {});
  ASSERT_EQ(gb.rows.size(), 1u);
  EXPECT_EQ(gb.rows[0].verdict, bench::Verdict::regressed);
  EXPECT_EQ(gb.rows[0].metric, "executions");
}

}  // namespace
}  // namespace dbvet
