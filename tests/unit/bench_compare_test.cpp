#include <gtest/gtest.h>

#include <cmath>

#include "analyzer/report/compare_render.hpp"
#include "benchmarks/compare.hpp"
#include "nlohmann/json.hpp"

namespace dbvet::bench {
namespace {

using nlohmann::json;

// A Google Benchmark document with repetitions: iterations plus the aggregates it adds.
json google_benchmark(const std::string& name, const std::vector<double>& times) {
  json doc = {{"context", {{"date", "2026-01-01"}}}, {"benchmarks", json::array()}};
  for (size_t i = 0; i < times.size(); ++i) {
    doc["benchmarks"].push_back({{"name", name},
                                 {"run_name", name},
                                 {"run_type", "iteration"},
                                 {"repetitions", times.size()},
                                 {"repetition_index", i},
                                 {"iterations", 1000},
                                 {"real_time", times[i]},
                                 {"cpu_time", times[i]},
                                 {"time_unit", "ns"}});
  }
  doc["benchmarks"].push_back({{"name", name + "_mean"},
                               {"run_name", name},
                               {"run_type", "aggregate"},
                               {"aggregate_name", "mean"},
                               {"real_time", 1e9},
                               {"cpu_time", 1e9},
                               {"time_unit", "ns"}});
  return doc;
}

std::vector<double> around(double center, int n, double spread) {
  std::vector<double> out;
  for (int i = 0; i < n; ++i) out.push_back(center * (1 + spread * std::sin(i * 1.7 + center)));
  return out;
}

TEST(BenchCompare, ReadsGoogleBenchmarkRepetitionsAndSkipsAggregates) {
  auto run = parse_run(google_benchmark("BM_lex", {10, 11, 12}), "base.json");
  ASSERT_TRUE(run) << run.error().message;
  ASSERT_EQ(run->names.size(), 1u);
  const auto& samples = run->benchmarks.at("BM_lex").at("real_time");
  EXPECT_EQ(samples.values, (std::vector<double>{10, 11, 12}));
  EXPECT_EQ(samples.unit, "ns");
}

TEST(BenchCompare, RejectsADocumentWithoutBenchmarks) {
  auto run = parse_run(json{{"kind", "audit"}}, "audit.json");
  ASSERT_FALSE(run);
  EXPECT_NE(run.error().message.find("audit.json"), std::string::npos);
}

TEST(BenchCompare, SlowerBeyondThresholdIsARegression) {
  auto base = parse_run(google_benchmark("BM_a", around(100, 10, 0.01)), "base");
  auto head = parse_run(google_benchmark("BM_a", around(130, 10, 0.01)), "head");
  auto comparison = compare_runs(*base, *head, {});
  ASSERT_EQ(comparison.rows.size(), 2u);  // real_time and cpu_time
  for (const auto& row : comparison.rows) {
    EXPECT_EQ(row.verdict, Verdict::regressed) << row.metric;
    EXPECT_LT(row.p_adjusted, 0.05);
    EXPECT_GT(row.ratio_low, 1.05);
  }
  EXPECT_TRUE(comparison.regressed());
  EXPECT_EQ(comparison.summary_line(), "2 regressed, 0 improved, 0 unchanged");
  json doc = comparison;
  auto md = report::render_compare_md(doc, {});
  EXPECT_EQ(md.find("2 regressed, 0 improved, 0 unchanged"), md.find("**") + 2);
  EXPECT_NE(md.find("| Query | Metric | Base | Head | Change (95% CI) | p | Verdict |"), std::string::npos);
}

TEST(BenchCompare, SignificantButSmallChangeIsWithinNoise) {
  // 2% slower, every repetition: significant, but the interval never clears the 5% threshold.
  auto base = parse_run(google_benchmark("BM_a", around(100, 10, 0.002)), "base");
  auto head = parse_run(google_benchmark("BM_a", around(102, 10, 0.002)), "head");
  auto comparison = compare_runs(*base, *head, {});
  for (const auto& row : comparison.rows) {
    EXPECT_LT(row.p_adjusted, 0.05);
    EXPECT_EQ(row.verdict, Verdict::unchanged);
  }
  EXPECT_FALSE(comparison.regressed());
}

TEST(BenchCompare, FasterIsImprovedAndTooFewRepetitionsSaySo) {
  auto base = parse_run(google_benchmark("BM_a", around(100, 8, 0.01)), "base");
  auto head = parse_run(google_benchmark("BM_a", around(50, 8, 0.01)), "head");
  EXPECT_EQ(compare_runs(*base, *head, {}).count(Verdict::improved), 2u);

  auto base3 = parse_run(google_benchmark("BM_a", {100, 101, 99}), "base");
  auto head3 = parse_run(google_benchmark("BM_a", {200, 201, 199}), "head");
  auto few = compare_runs(*base3, *head3, {});
  EXPECT_EQ(few.count(Verdict::regressed), 0u);
  EXPECT_NE(few.rows.front().note.find("too few repetitions"), std::string::npos);
}

// Eight repetitions of one query under one variant, as dbvet bench writes them.
void add_dbvet_runs(json& doc, const std::string& query, const std::string& variant, double p95, double tps) {
  for (int i = 0; i < 8; ++i) {
    double wiggle = 1 + 0.01 * std::sin(i + p95);
    doc["benchmarks"].push_back({{"name", query + "/" + variant},
                                 {"run_name", query + "/" + variant},
                                 {"run_type", "iteration"},
                                 {"real_time", p95 * wiggle},
                                 {"cpu_time", p95 * wiggle},
                                 {"time_unit", "ms"},
                                 {"dbvet_variant", variant},
                                 {"p50_ms", p95 / 2 * wiggle},
                                 {"p95_ms", p95 * wiggle},
                                 {"p99_ms", p95 * 1.2 * wiggle},
                                 {"items_per_second", tps / wiggle},
                                 {"result_hash", "00000000000000aa"}});
  }
}

TEST(BenchCompare, DbvetRunsPairVariantsOfOneQueryAndThroughputIsHigherBetter) {
  auto dbvet_doc = [](const std::string& variant, double p95, double tps) {
    json doc = {{"kind", "bench"}, {"benchmarks", json::array()}};
    add_dbvet_runs(doc, "leaderboard", variant, p95, tps);
    return doc;
  };
  auto base = parse_run(dbvet_doc("baseline", 10, 100), "base");
  auto head = parse_run(dbvet_doc("index", 1, 1000), "head");
  auto comparison = compare_runs(*base, *head, {});
  ASSERT_EQ(comparison.rows.size(), 4u);
  EXPECT_EQ(comparison.count(Verdict::improved), 4u);
  EXPECT_NE(comparison.rows.front().name.find("baseline → index"), std::string::npos);
  json out = comparison;
  EXPECT_EQ(out["summary"]["improved"], 4);
}

// The answer check: a head whose hash differs is "answer changed"; a base whose own repetitions
// disagree (a workload that writes) is unstable, and then no change of answer is claimed.
TEST(BenchCompare, AnswerChangedOnlyWhenBothSidesAreStable) {
  auto doc_with = [](const std::string& variant, const std::string& hash, const std::string& other_hash) {
    json doc = {{"kind", "bench"}, {"benchmarks", json::array()}};
    add_dbvet_runs(doc, "history", variant, 10, 100);
    for (size_t i = 0; i < doc["benchmarks"].size(); ++i)
      doc["benchmarks"][i]["result_hash"] = i % 2 ? other_hash : hash;
    return doc;
  };
  auto stable = parse_run(doc_with("baseline", "aa", "aa"), "base");
  auto changed = parse_run(doc_with("index", "bb", "bb"), "head");
  auto unstable = parse_run(doc_with("baseline", "aa", "cc"), "base");
  EXPECT_EQ(unstable->result_hashes.at("history/baseline"), "unstable");
  auto flagged = compare_runs(*stable, *changed, {});
  ASSERT_FALSE(flagged.rows.empty());
  EXPECT_NE(flagged.rows.front().note.find("answer changed"), std::string::npos);
  auto not_flagged = compare_runs(*unstable, *changed, {});
  ASSERT_FALSE(not_flagged.rows.empty());
  EXPECT_EQ(not_flagged.rows.front().note.find("answer changed"), std::string::npos) << not_flagged.rows.front().note;
}

TEST(BenchCompare, OneRunComparesEveryVariantWithTheBaseVariant) {
  json doc = {{"kind", "bench"}, {"benchmarks", json::array()}};
  add_dbvet_runs(doc, "leaderboard", "baseline", 10, 100);
  add_dbvet_runs(doc, "leaderboard", "index", 1, 1000);
  add_dbvet_runs(doc, "leaderboard", "same", 10, 100);
  add_dbvet_runs(doc, "profile", "index", 3, 300);  // never measured under baseline
  auto run = parse_run(doc, "run.json");
  ASSERT_TRUE(run);
  auto comparison = compare_variants(*run, "", {});
  ASSERT_TRUE(comparison) << comparison.error().message;
  ASSERT_EQ(comparison->rows.size(), 8u);
  EXPECT_EQ(comparison->rows[0].name, "leaderboard (baseline → index)");
  EXPECT_EQ(comparison->rows[0].verdict, Verdict::improved);
  EXPECT_EQ(comparison->rows[4].name, "leaderboard (baseline → same)");
  EXPECT_EQ(comparison->count(Verdict::improved), 4u);
  EXPECT_EQ(comparison->count(Verdict::unchanged), 4u);
  EXPECT_EQ(comparison->only_in_head, std::vector<std::string>{"profile/index"});

  auto against_index = compare_variants(*run, "index", {});
  ASSERT_TRUE(against_index);
  EXPECT_EQ(against_index->count(Verdict::regressed), 8u);  // baseline and same are slower than index
  auto unknown = compare_variants(*run, "nope", {});
  ASSERT_FALSE(unknown);
  EXPECT_NE(unknown.error().message.find("no variant 'nope' (the run has: baseline, index, same)"), std::string::npos);

  json single = {{"kind", "bench"}, {"benchmarks", json::array()}};
  add_dbvet_runs(single, "leaderboard", "baseline", 10, 100);
  auto alone = compare_variants(*parse_run(single, "one.json"), "", {});
  ASSERT_FALSE(alone);
  EXPECT_NE(alone.error().message.find("one variant only"), std::string::npos);
}

TEST(BenchCompare, ParsesThresholds) {
  EXPECT_DOUBLE_EQ(*parse_fraction("5%", "--threshold"), 0.05);
  EXPECT_DOUBLE_EQ(*parse_fraction("0.05", "--alpha"), 0.05);
  EXPECT_FALSE(parse_fraction("five", "--threshold"));
}

}  // namespace
}  // namespace dbvet::bench
