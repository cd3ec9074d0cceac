#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <vector>

#include "analyzer/digest/histogram.hpp"
#include "analyzer/digest/hyperloglog.hpp"

namespace dbvet::digest {
namespace {

double exact_quantile(std::vector<double> values, double q) {
  std::sort(values.begin(), values.end());
  return values[static_cast<size_t>(std::floor(q * static_cast<double>(values.size() - 1)))];
}

TEST(LogHistogram, QuantilesWithinOnePercentOfExact) {
  std::mt19937_64 rng(42);
  std::lognormal_distribution<double> lognormal(-6, 2.5);  // ~1 us .. seconds
  std::exponential_distribution<double> exponential(20);
  std::uniform_real_distribution<double> uniform(1e-6, 30);
  for (int dist = 0; dist < 3; ++dist) {
    LogHistogram h;
    std::vector<double> values;
    for (int i = 0; i < 50000; ++i) {
      double v = dist == 0 ? lognormal(rng) : dist == 1 ? exponential(rng) : uniform(rng);
      v = std::max(v, 1e-7);
      values.push_back(v);
      h.add(v);
    }
    for (double q : {0.0, 0.01, 0.25, 0.5, 0.9, 0.95, 0.99, 0.999, 1.0}) {
      double exact = exact_quantile(values, q);
      double estimate = h.quantile(q);
      EXPECT_LE(std::fabs(estimate - exact), LogHistogram::kRelativeError * exact + 1e-15)
          << "distribution " << dist << " q " << q << " exact " << exact << " estimate " << estimate;
    }
  }
}

TEST(LogHistogram, MergeEqualsOneHistogramOfEverything) {
  std::mt19937_64 rng(7);
  std::lognormal_distribution<double> d(-4, 2);
  LogHistogram all, a, b;
  for (int i = 0; i < 10000; ++i) {
    double v = d(rng);
    all.add(v);
    (i % 3 ? a : b).add(v);
  }
  a.merge(b);
  EXPECT_EQ(a.count(), all.count());
  for (double q : {0.5, 0.95, 0.99}) EXPECT_EQ(a.quantile(q), all.quantile(q));
}

TEST(LogHistogram, ZerosAndEmpty) {
  LogHistogram h;
  EXPECT_EQ(h.quantile(0.5), 0);
  h.add(0);
  h.add(0);
  h.add(1);
  EXPECT_EQ(h.quantile(0.5), 0);
  EXPECT_NEAR(h.quantile(1.0), 1, 0.01);
}

TEST(LogHistogram, IndexTablesHoldTheComputedIndexOfEveryEntry) {
  // Every value the tables answer for, against the log() the other values take.
  for (int64_t n = 1; n < LogHistogram::kIndexTableSize; ++n) {
    ASSERT_EQ(LogHistogram::kIndexTables.whole[n], LogHistogram::index_for_test(static_cast<double>(n))) << n;
    ASSERT_EQ(LogHistogram::kIndexTables.micros[n], LogHistogram::index_for_test(static_cast<double>(n) / 1e6)) << n;
  }
}

TEST(LogHistogram, WholeNumbersAndMicrosecondsCountAsTheirDoubles) {
  // add_whole(n) is add(n) and add_micros(us) is add(us / 1e6), for values in the tables, past
  // them, zero, and in an order that grows the buckets both ways.
  std::mt19937_64 rng(18);
  LogHistogram whole, whole_as_double, micros, micros_as_double;
  for (int i = 0; i < 200000; ++i) {
    const int64_t n = i % 7 == 0 ? 0 : static_cast<int64_t>(rng() % (i % 3 == 0 ? 20000000 : 10000));
    whole.add_whole(n);
    whole_as_double.add(static_cast<double>(n));
    micros.add_micros(n);
    micros_as_double.add(static_cast<double>(n) / 1e6);
  }
  auto same = [](const LogHistogram& a, const LogHistogram& b) {
    const auto pa = a.parts(), pb = b.parts();
    return pa.count == pb.count && pa.zeros == pb.zeros && pa.first_index == pb.first_index && pa.counts == pb.counts &&
           pa.min == pb.min && pa.max == pb.max;
  };
  EXPECT_TRUE(same(whole, whole_as_double));
  EXPECT_TRUE(same(micros, micros_as_double));
}

TEST(HyperLogLog, EstimatesDistinctCounts) {
  for (uint64_t n : {10ull, 1000ull, 100000ull}) {
    HyperLogLog hll;
    std::mt19937_64 rng(n);
    for (uint64_t i = 0; i < n; ++i) {
      uint64_t h = rng();
      hll.add_hash(h);
      hll.add_hash(h);  // repeats do not count
    }
    EXPECT_NEAR(hll.estimate(), double(n), double(n) * 0.1 + 1) << n;
  }
}

TEST(HyperLogLog, MergeIsUnion) {
  HyperLogLog a, b, all;
  std::mt19937_64 rng(1);
  for (int i = 0; i < 5000; ++i) {
    uint64_t h = rng();
    (i % 2 ? a : b).add_hash(h);
    all.add_hash(h);
  }
  a.merge(b);
  EXPECT_EQ(a.estimate(), all.estimate());
}

}  // namespace
}  // namespace dbvet::digest
