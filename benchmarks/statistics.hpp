#pragma once
// The statistics behind `dbvet compare`: the Mann-Whitney U test (as scipy.stats.mannwhitneyu with
// alternative='two-sided', method='auto'), a bootstrap confidence interval of the ratio of
// medians, and Holm's step-down correction for many comparisons. No distributional assumption:
// latencies are skewed and repetitions few.

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

namespace dbvet::bench {

struct MannWhitney {
  double u = 0;        // U of the first sample (rank sum of x minus n1(n1+1)/2)
  double p_value = 1;  // two-sided
  bool exact = false;  // exact distribution (small samples without ties) or normal approximation
};

// As scipy 1.10 chooses: the exact distribution unless both samples have
// more than 8 values or there are ties; otherwise the normal approximation with tie correction and
// continuity correction. Empty samples give p = 1.
MannWhitney mann_whitney_u(std::span<const double> x, std::span<const double> y);

struct RatioInterval {
  double ratio = 1;  // median(head) / median(base)
  double low = 1, high = 1;
};

// Percentile bootstrap of median(head) / median(base): `resamples` draws of each sample with
// replacement, the (1-level)/2 and (1+level)/2 percentiles of the ratios. Deterministic for a seed.
RatioInterval bootstrap_ratio_of_medians(std::span<const double> base, std::span<const double> head,
                                         double level = 0.95, int resamples = 2000, uint64_t seed = 0x6462766574);

// Holm-Bonferroni adjusted p-values, in the order given.
std::vector<double> holm_adjust(std::span<const double> p_values);

double median(std::vector<double> values);
// Standard normal survival function P(Z > z).
double normal_sf(double z);
// Its inverse: the z with P(Z <= z) = p, for 0 < p < 1.
double normal_quantile(double p);

// The noise of repetitions as a fraction of their median: 1.4826 * MAD / median, which is the
// standard deviation for normal data but is not moved by one stalled repetition. 0 for fewer than
// two values or a zero median.
double relative_spread(std::span<const double> values);

// The smallest two-sided p-value the exact U test can give for these sizes: 2 / C(n1+n2, n1). No
// difference, however large, gets below it.
double smallest_p_value(size_t n1, size_t n2);

// The minimum detectable change: the smallest relative change of the median that the U test at
// level `alpha` finds with probability `power`, for n1 and n2 repetitions whose relative spreads
// are s1 and s2 (normal approximation, with the U test's efficiency of 3/pi against the t test).
// nullopt when these sizes cannot reach p < alpha at all (smallest_p_value), whatever the change.
std::optional<double> minimum_detectable_change(size_t n1, double s1, size_t n2, double s2, double alpha, double power);

}  // namespace dbvet::bench
