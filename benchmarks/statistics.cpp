#include "benchmarks/statistics.hpp"

#include <algorithm>
#include <cmath>
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
