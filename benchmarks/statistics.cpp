#include "benchmarks/statistics.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <numeric>

namespace dbvet::bench {
namespace {

// Number of arrangements with U = u for sample sizes (m, n), for every u in 0..m*n: the
// recurrence c(m, n, u) = c(m-1, n, u-n) + c(m, n-1, u), built up row by row over m.
std::vector<double> exact_u_counts(size_t m, size_t n) {
  // table[j][u] holds c(i, j, u) for the current i.
  std::vector<std::vector<double>> table(n + 1);
  for (size_t j = 0; j <= n; ++j) table[j] = {1.0};  // c(0, j, 0) = 1
  for (size_t i = 1; i <= m; ++i) {
    std::vector<std::vector<double>> next(n + 1);
    next[0] = {1.0};  // c(i, 0, 0) = 1
    for (size_t j = 1; j <= n; ++j) {
      std::vector<double> counts(i * j + 1, 0.0);
      const auto& without_x = table[j];     // c(i-1, j, u - j)
      const auto& without_y = next[j - 1];  // c(i, j-1, u)
      for (size_t u = 0; u < without_y.size(); ++u) counts[u] += without_y[u];
      for (size_t u = 0; u < without_x.size(); ++u) counts[u + j] += without_x[u];
      next[j] = std::move(counts);
    }
    table = std::move(next);
  }
  return table[n];
}

// Ranks (1-based, average for ties) of the pooled samples and the tie term sum(t^3 - t).
double rank_sum_first(std::span<const double> x, std::span<const double> y, double& tie_term) {
  std::vector<std::pair<double, int>> pooled;
  pooled.reserve(x.size() + y.size());
  for (double v : x) pooled.emplace_back(v, 0);
  for (double v : y) pooled.emplace_back(v, 1);
  std::sort(pooled.begin(), pooled.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  double sum = 0;
  tie_term = 0;
  for (size_t i = 0; i < pooled.size();) {
    size_t j = i;
    while (j < pooled.size() && pooled[j].first == pooled[i].first) ++j;
    double t = static_cast<double>(j - i);
    double rank = (static_cast<double>(i + 1) + static_cast<double>(j)) / 2.0;
    for (size_t k = i; k < j; ++k) {
      if (pooled[k].second == 0) sum += rank;
    }
    tie_term += t * t * t - t;
    i = j;
  }
  return sum;
}

// splitmix64: small, fast and the same on every platform.
struct SplitMix {
  uint64_t state;
  uint64_t next() {
    uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  size_t below(size_t n) { return static_cast<size_t>((static_cast<unsigned __int128>(next()) * n) >> 64); }
};

double resampled_median(std::span<const double> values, SplitMix& rng, std::vector<double>& scratch) {
  scratch.resize(values.size());
  for (auto& v : scratch) v = values[rng.below(values.size())];
  return median(std::move(scratch));
}

double percentile_sorted(const std::vector<double>& sorted, double q) {
  if (sorted.empty()) return 0;
  double position = q * static_cast<double>(sorted.size() - 1);
  auto lower = static_cast<size_t>(std::floor(position));
  size_t upper = std::min(lower + 1, sorted.size() - 1);
  double fraction = position - static_cast<double>(lower);
  return sorted[lower] + (sorted[upper] - sorted[lower]) * fraction;
}

}  // namespace

double normal_sf(double z) { return 0.5 * std::erfc(z / std::sqrt(2.0)); }

double normal_quantile(double p) {
  if (p <= 0) return -INFINITY;
  if (p >= 1) return INFINITY;
  // Acklam's rational approximation (relative error 1.15e-9), then one Halley step on erfc, which
  // brings it to double precision.
  static constexpr double a[] = {-3.969683028665376e+01, 2.209460984245205e+02,  -2.759285104469687e+02,
                                 1.383577518672690e+02,  -3.066479806614716e+01, 2.506628277459239e+00};
  static constexpr double b[] = {-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02,
                                 6.680131188771972e+01, -1.328068155288572e+01};
  static constexpr double c[] = {-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00,
                                 -2.549732539343734e+00, 4.374664141464968e+00,  2.938163982698783e+00};
  static constexpr double d[] = {7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00,
                                 3.754408661907416e+00};
  constexpr double low = 0.02425;
  double x = 0;
  if (p < low) {
    double q = std::sqrt(-2 * std::log(p));
    x = (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
        ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  } else if (p <= 1 - low) {
    double q = p - 0.5, r = q * q;
    x = (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q /
        (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
  } else {
    double q = std::sqrt(-2 * std::log(1 - p));
    x = -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
        ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  }
  const double e = 0.5 * std::erfc(-x / std::sqrt(2.0)) - p;
  const double u = e * std::sqrt(2 * std::numbers::pi) * std::exp(x * x / 2);
  return x - u / (1 + x * u / 2);
}

double relative_spread(std::span<const double> values) {
  if (values.size() < 2) return 0;
  const double center = median({values.begin(), values.end()});
  if (center == 0) return 0;
  std::vector<double> deviations;
  deviations.reserve(values.size());
  for (double v : values) deviations.push_back(std::fabs(v - center));
  return 1.4826 * median(std::move(deviations)) / std::fabs(center);
}

double smallest_p_value(size_t n1, size_t n2) {
  if (n1 == 0 || n2 == 0) return 1;
  double c = 1;
  const size_t small = std::min(n1, n2);
  for (size_t i = 1; i <= small; ++i) c = c * static_cast<double>(n1 + n2 - small + i) / static_cast<double>(i);
  return std::min(1.0, 2.0 / c);
}

std::optional<double> minimum_detectable_change(size_t n1, double s1, size_t n2, double s2, double alpha,
                                                double power) {
  if (smallest_p_value(n1, n2) >= alpha) return std::nullopt;
  // A shift of delta standard errors is found with probability Phi(delta - z_{1-alpha/2}); the U
  // test needs pi/3 times the repetitions of a t test on normal data for the same power.
  const double standard_error = std::sqrt(s1 * s1 / static_cast<double>(n1) + s2 * s2 / static_cast<double>(n2)) *
                                std::sqrt(std::numbers::pi / 3);
  return (normal_quantile(1 - alpha / 2) + normal_quantile(power)) * standard_error;
}

double median(std::vector<double> values) {
  if (values.empty()) return 0;
  size_t mid = values.size() / 2;
  std::nth_element(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(mid), values.end());
  double upper = values[mid];
  if (values.size() % 2 == 1) return upper;
  double lower = *std::max_element(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(mid));
  return (lower + upper) / 2.0;
}

MannWhitney mann_whitney_u(std::span<const double> x, std::span<const double> y) {
  MannWhitney result;
  if (x.empty() || y.empty()) return result;
  const double n1 = static_cast<double>(x.size()), n2 = static_cast<double>(y.size());
  double tie_term = 0;
  double r1 = rank_sum_first(x, y, tie_term);
  double u1 = r1 - n1 * (n1 + 1) / 2.0;
  double u2 = n1 * n2 - u1;
  result.u = u1;
  double u_max = std::max(u1, u2);
  bool ties = tie_term > 0;
  if (!ties && (x.size() <= 8 || y.size() <= 8)) {
    // P(U >= u_max) under the null, doubled.
    auto counts = exact_u_counts(x.size(), y.size());
    double total = std::accumulate(counts.begin(), counts.end(), 0.0);
    double tail = 0;
    for (size_t u = static_cast<size_t>(std::llround(u_max)); u < counts.size(); ++u) tail += counts[u];
    result.p_value = std::min(1.0, 2.0 * tail / total);
    result.exact = true;
    return result;
  }
  double n = n1 + n2;
  double mu = n1 * n2 / 2.0;
  double variance = n1 * n2 / 12.0 * ((n + 1) - tie_term / (n * (n - 1)));
  if (variance <= 0) return result;  // every value equal: no evidence of a difference
  double z = (u_max - mu - 0.5) / std::sqrt(variance);
  result.p_value = std::clamp(2.0 * normal_sf(z), 0.0, 1.0);
  return result;
}

RatioInterval bootstrap_ratio_of_medians(std::span<const double> base, std::span<const double> head, double level,
                                         int resamples, uint64_t seed) {
  RatioInterval result;
  if (base.empty() || head.empty()) return result;
  double base_median = median({base.begin(), base.end()});
  double head_median = median({head.begin(), head.end()});
  if (base_median == 0) return result;
  result.ratio = head_median / base_median;
  SplitMix rng{seed};
  std::vector<double> ratios;
  ratios.reserve(static_cast<size_t>(resamples));
  std::vector<double> scratch;
  for (int i = 0; i < resamples; ++i) {
    double b = resampled_median(base, rng, scratch);
    double h = resampled_median(head, rng, scratch);
    if (b != 0) ratios.push_back(h / b);
  }
  std::sort(ratios.begin(), ratios.end());
  result.low = percentile_sorted(ratios, (1 - level) / 2);
  result.high = percentile_sorted(ratios, (1 + level) / 2);
  return result;
}

std::vector<double> holm_adjust(std::span<const double> p_values) {
  const size_t m = p_values.size();
  std::vector<size_t> order(m);
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return p_values[a] < p_values[b]; });
  std::vector<double> adjusted(m);
  double running = 0;
  for (size_t k = 0; k < m; ++k) {
    double value = std::min(1.0, static_cast<double>(m - k) * p_values[order[k]]);
    running = std::max(running, value);
    adjusted[order[k]] = running;
  }
  return adjusted;
}

}  // namespace dbvet::bench
