#include "analyzer/digest/digest.hpp"

#include <gtest/gtest.h>

#include <bit>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <limits>
#include <random>

#include "analyzer/pipeline/digest_report.hpp"
#include "analyzer/pipeline/digest_runner.hpp"
#include "nlohmann/json.hpp"
#include "tests/support/test_env.hpp"

namespace dbvet::digest {
namespace {

model::QueryEvent event(std::string sql, double t, std::string db = "app", int64_t ts = 1700000000) {
  model::QueryEvent e;
  e.sql = std::move(sql);
  e.query_time_s = t;
  e.lock_time_s = t / 10;
  e.rows_sent = 1;
  e.rows_examined = 10;
  e.database = std::move(db);
  e.user = "app";
  e.timestamp = ts;
  return e;
}

TEST(DigestRounding, SameAsLlroundForEveryKindOfDouble) {
  auto check = [](double x) { ASSERT_EQ(round_half_away_from_zero(x), std::llround(x)) << std::hexfloat << x; };
  const double kEdges[] = {0.0,
                           -0.0,
                           0.5,
                           1.5,
                           2.5,
                           0.49999999999999994,
                           std::nextafter(0.5, 0.0),
                           std::nextafter(0.5, 1.0),
                           std::nextafter(1.5, 0.0),
                           0x1p52 - 0.5,
                           0x1p52,
                           0x1p52 + 1,
                           0x1p53 - 1,
                           0x1p53,
                           0x1p62,
                           std::nextafter(0x1p62, 0.0),
                           9e18,
                           -0.5,
                           -2.5,
                           -0.49999999999999994,
                           -1e18,
                           std::numeric_limits<double>::denorm_min(),
                           std::numeric_limits<double>::min(),
                           1e-300,
                           123456.5,
                           0.000254 * 1e6,
                           0.0000005 * 1e6};
  for (double x : kEdges) check(x);
  // Every fraction near the halves of small and large values, and random bit patterns in the
  // range the fast path takes (the rest goes to std::llround itself).
  for (double base : {0.0, 1.0, 1e3, 1e6, 1e9, 1e12, 1e15, 0x1p51, 0x1p52}) {
    for (double offset : {0.5, 0.25, 0.75, 0.0}) {
      double x = base + offset;
      for (int k = 0; k < 64; ++k, x = std::nextafter(x, 0.0)) check(x);
      x = base + offset;
      for (int k = 0; k < 64; ++k, x = std::nextafter(x, 1e300)) check(x);
    }
  }
  std::mt19937_64 rng(7);
  for (int i = 0; i < 200000; ++i) {
    const uint64_t bits = rng() >> (rng() % 4);  // all exponents, then mostly small positive ones
    check(std::bit_cast<double>(bits & 0x43CFFFFFFFFFFFFFULL));
    check(std::uniform_real_distribution<double>(0, 1e7)(rng));
    check(std::bit_cast<double>(rng()));  // negatives, infinities, NaNs too
  }
}

TEST(Digest, AggregatesByFingerprint) {
  Digest d(sql::FingerprintMode::canonical);
  d.add(event("SELECT * FROM pets WHERE id = 1", 0.010));
  d.add(event("select * from pets where id = 2", 0.030, "other", 1700000100));
  d.add(event("SELECT * FROM users", 1.0));
  ASSERT_EQ(d.classes().size(), 2u);
  auto ranked = d.ranked(Digest::OrderBy::total, 0);
  EXPECT_EQ(ranked[0]->fingerprint, "select * from users");
  const QueryClass& pets = *ranked[1];
  EXPECT_EQ(pets.count, 2u);
  EXPECT_EQ(pets.query_time.sum, 40000);
  EXPECT_EQ(pets.query_time.min, 10000);
  EXPECT_EQ(pets.query_time.max, 30000);
  EXPECT_NEAR(pets.stddev_s(), 0.010, 1e-9);
  EXPECT_EQ(pets.example.sql, "select * from pets where id = 2");  // the slowest
  EXPECT_EQ(*pets.first_seen, 1700000000);
  EXPECT_EQ(*pets.last_seen, 1700000100);
  EXPECT_EQ(pets.databases.values, (std::set<std::string>{"app", "other"}));
  EXPECT_NEAR(pets.distinct_parameters.estimate(), 2, 0.1);
  EXPECT_EQ(d.ranked(Digest::OrderBy::count, 1)[0]->fingerprint, "select * from pets where id = ?");
}

TEST(Digest, MergeDoesNotDependOnHowEventsWereSplit) {
  std::vector<model::QueryEvent> events;
  std::mt19937 rng(3);
  for (int i = 0; i < 3000; ++i) {
    events.push_back(event("select * from t" + std::to_string(rng() % 20) + " where a = " + std::to_string(rng() % 100),
                           double(rng() % 100000) / 1e6, "db" + std::to_string(rng() % 40), 1700000000 + i));
  }
  Digest whole, a, b, c;
  for (size_t i = 0; i < events.size(); ++i) {
    whole.add(events[i]);
    (i < 1000 ? a : i < 2200 ? b : c).add(events[i]);
  }
  Digest merged;
  merged.merge(c);
  merged.merge(a);
  merged.merge(b);
  pipeline::DigestResult r1, r2;
  r1.digest = whole;
  r2.digest = merged;
  pipeline::ReportOptions options;
  options.top = 0;
  EXPECT_EQ(pipeline::digest_to_json(r1, options).dump(), pipeline::digest_to_json(r2, options).dump());
}

TEST(DigestRunner, OneAndTwoJobsGiveIdenticalJson) {
  auto dir = testing::scratch_dir("digest_runner_jobs");
  auto path = dir / "slow.log";
  {
    std::ofstream out(path);
    std::mt19937 rng(5);
    for (int i = 0; i < 4000; ++i) {
      out << "# Time: 241124 10:" << (i / 60 % 60 < 10 ? "0" : "") << i / 60 % 60 << ":" << (i % 60 < 10 ? "0" : "")
          << i % 60 << "\n# User@Host: app[app] @ localhost []\n"
          << "# Query_time: 0.00" << rng() % 9000 + 1000
          << "  Lock_time: 0.000010  Rows_sent: 1  Rows_examined: " << rng() % 1000 << "\n";
      if (i % 700 == 0) out << "use db" << i / 700 << ";\n";
      out << "SET timestamp=" << 1732442400 + i << ";\n"
          << "SELECT * FROM t" << rng() % 7 << " WHERE id = " << rng() % 50 << ";\n";
    }
  }
  pipeline::DigestOptions options;
  options.files = {path.string()};
  options.mode = sql::FingerprintMode::pt;
  options.min_part_bytes = 4096;
  auto one = pipeline::run_digest(options);
  ASSERT_TRUE(one) << one.error().message;
  options.jobs = 2;
  auto two = pipeline::run_digest(options);
  ASSERT_TRUE(two) << two.error().message;
  options.jobs = 5;
  auto five = pipeline::run_digest(options);
  ASSERT_TRUE(five) << five.error().message;
  EXPECT_EQ(one->events, 4000u);
  pipeline::ReportOptions report;
  report.top = 0;
  auto j1 = pipeline::digest_to_json(*one, report).dump(1);
  EXPECT_EQ(j1, pipeline::digest_to_json(*two, report).dump(1));
  EXPECT_EQ(j1, pipeline::digest_to_json(*five, report).dump(1));
  std::filesystem::remove_all(dir);
}

TEST(DigestRunner, SplitPointsAreRecordStarts) {
  auto dir = testing::scratch_dir("digest_runner_split");
  auto path = dir / "slow.log";
  std::string text;
  for (int i = 0; i < 100; ++i) text += "# Time: 241124 10:00:00\n# Query_time: 1\nSELECT 1;\n";
  { std::ofstream(path) << text; }
  auto starts = pipeline::plan_split(path.string(), capture::LogFormat::mysql_slow, text.size(), 4);
  ASSERT_TRUE(starts);
  ASSERT_EQ(starts->size(), 4u);
  for (uint64_t s : *starts) EXPECT_EQ(text.compare(s, 8, "# Time: "), 0) << s;
  std::filesystem::remove_all(dir);
}

TEST(DigestRunner, UnknownFormatIsOneClearError) {
  auto dir = testing::scratch_dir("digest_runner_unknown");
  auto path = dir / "notes.txt";
  { std::ofstream(path) << "hello\nworld\n"; }
  pipeline::DigestOptions options;
  options.files = {path.string()};
  auto result = pipeline::run_digest(options);
  ASSERT_FALSE(result);
  EXPECT_NE(result.error().message.find("notes.txt"), std::string::npos);
  EXPECT_EQ(result.error().message.find('\n'), std::string::npos);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace dbvet::digest
