// Expected values computed once with scipy 1.10.1:
//   scipy.stats.mannwhitneyu(x, y, alternative='two-sided')  (method='auto')
#include <gtest/gtest.h>

#include <vector>

#include "benchmarks/statistics.hpp"

namespace dbvet::bench {
namespace {

TEST(BenchStatistics, MannWhitneyExactSmallSamples) {
  std::vector<double> x{1.1, 2.2, 3.3, 4.4, 5.5}, y{6.1, 7.2, 8.3, 9.4};
  auto r = mann_whitney_u(x, y);
  EXPECT_TRUE(r.exact);
  EXPECT_DOUBLE_EQ(r.u, 0.0);
  EXPECT_NEAR(r.p_value, 0.015873015873015872, 1e-12);

  std::vector<double> a{3.1, 1.2, 4.7, 2.5, 6.0, 5.3}, b{4.0, 7.7, 6.6, 8.1, 5.9, 9.2, 7.1};
  auto s = mann_whitney_u(a, b);
  EXPECT_DOUBLE_EQ(s.u, 4.0);
  EXPECT_NEAR(s.p_value, 0.013986013986013986, 1e-12);
}

TEST(BenchStatistics, MannWhitneyTiesUseNormalApproximationWithTieCorrection) {
  std::vector<double> x{1, 2, 2, 3, 3, 3, 4, 5, 5, 6, 7, 8}, y{2, 3, 4, 4, 5, 6, 6, 7, 8, 8, 9, 9, 10};
  auto r = mann_whitney_u(x, y);
  EXPECT_FALSE(r.exact);
  EXPECT_DOUBLE_EQ(r.u, 40.0);
  EXPECT_NEAR(r.p_value, 0.040130769711572735, 1e-12);
}

TEST(BenchStatistics, MannWhitneyLargeSamplesNormalApproximation) {
  std::vector<double> x{10.002, 10.597, 9.452,  8.219,  9.091,  8.017,  10.12, 12.68, 9.016, 8.759,
                        10.98,  10.714, 10.211, 8.139,  9.941,  11.391, 7.312, 9.085, 6.198, 7.421,
                        6.317,  9.53,   7.465,  10.543, 10.314, 9.626,  4.966, 8.923, 9.903, 10.227};
  std::vector<double> y{7.94,   10.044, 9.043,  9.382, 13.122, 9.385,  10.935, 12.769, 9.833,
                        10.777, 11.221, 11.128, 8.55,  11.152, 13.718, 7.906,  12.719, 11.239,
                        9.717,  15.001, 12.525, 8.601, 11.149, 12.153, 10.622};
  auto r = mann_whitney_u(x, y);
  EXPECT_FALSE(r.exact);
  EXPECT_DOUBLE_EQ(r.u, 198.0);
  EXPECT_NEAR(r.p_value, 0.002850702772951739, 1e-12);
  // Symmetric in its p-value.
  EXPECT_NEAR(mann_whitney_u(y, x).p_value, r.p_value, 1e-15);
}

TEST(BenchStatistics, MannWhitneyIdenticalSamplesGiveOne) {
  std::vector<double> x(12, 5.0);
  EXPECT_DOUBLE_EQ(mann_whitney_u(x, x).p_value, 1.0);
  EXPECT_DOUBLE_EQ(mann_whitney_u({}, x).p_value, 1.0);
}

TEST(BenchStatistics, HolmAdjustment) {
  std::vector<double> p{0.01, 0.04, 0.03, 0.005};
  auto adjusted = holm_adjust(p);
  ASSERT_EQ(adjusted.size(), 4u);
  EXPECT_NEAR(adjusted[0], 0.03, 1e-15);
  EXPECT_NEAR(adjusted[1], 0.06, 1e-15);
  EXPECT_NEAR(adjusted[2], 0.06, 1e-15);
  EXPECT_NEAR(adjusted[3], 0.02, 1e-15);
  EXPECT_NEAR(holm_adjust(std::vector<double>{0.7, 0.6})[0], 1.0, 1e-15);
}

TEST(BenchStatistics, BootstrapRatioOfMediansIsDeterministicAndCoversTheRatio) {
  std::vector<double> base{10, 11, 9.5, 10.2, 10.8, 9.9, 10.1, 10.4, 9.7, 10.3};
  std::vector<double> head;
  for (double v : base) head.push_back(v * 1.5);
  auto a = bootstrap_ratio_of_medians(base, head);
  auto b = bootstrap_ratio_of_medians(base, head);
  EXPECT_DOUBLE_EQ(a.low, b.low);
  EXPECT_DOUBLE_EQ(a.high, b.high);
  EXPECT_NEAR(a.ratio, 1.5, 1e-12);
  EXPECT_LT(a.low, 1.5 + 1e-12);
  EXPECT_GT(a.high, 1.5 - 1e-12);
  EXPECT_GT(a.low, 1.3);
  EXPECT_LT(a.high, 1.7);
  auto same = bootstrap_ratio_of_medians(base, base);
  EXPECT_LT(same.low, 1.0 + 1e-12);
  EXPECT_GT(same.high, 1.0 - 1e-12);
  EXPECT_DOUBLE_EQ(median({3, 1, 2, 4}), 2.5);
}

}  // namespace
}  // namespace dbvet::bench
