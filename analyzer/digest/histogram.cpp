#include "analyzer/digest/histogram.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>

namespace dbvet::digest {
namespace {

const double kGamma = (1 + LogHistogram::kRelativeError) / (1 - LogHistogram::kRelativeError);
const double kLogGamma = std::log(kGamma);

}  // namespace

thread_local LogHistogram::MemoEntry LogHistogram::memo_[LogHistogram::kMemoSize];

int LogHistogram::compute_index(double value) { return static_cast<int>(std::ceil(std::log(value) / kLogGamma)); }

// Filled before main: digests are made at run time, never by a static initializer.
const LogHistogram::IndexTables LogHistogram::kIndexTables = [] {
  IndexTables tables{};
  for (int64_t n = 1; n < kIndexTableSize; ++n) {
    tables.whole[n] = static_cast<int16_t>(compute_index(static_cast<double>(n)));
    tables.micros[n] = static_cast<int16_t>(compute_index(static_cast<double>(n) / 1e6));
  }
  return tables;
}();
double LogHistogram::estimate(int index) { return 2 * std::pow(kGamma, index) / (kGamma + 1); }
double LogHistogram::upper_bound(int index) { return std::pow(kGamma, index); }

void LogHistogram::add_other(double value) {
  if (!(value > kMinValue)) {  // also NaN and negatives
    value = 0;
  }
  if (count_ == 0) {
    min_ = max_ = value;
  } else {
    min_ = std::min(min_, value);
    max_ = std::max(max_, value);
  }
  ++count_;
  if (value == 0) {
    ++zeros_;
    return;
  }
  int index = index_of(value);
  if (counts_.empty()) {
    first_index_ = index;
    counts_.assign(1, 0);
  } else if (index < first_index_) {
    counts_.insert(counts_.begin(), static_cast<size_t>(first_index_ - index), 0);
    first_index_ = index;
  } else if (index >= first_index_ + static_cast<int>(counts_.size())) {
    counts_.resize(static_cast<size_t>(index - first_index_ + 1), 0);
  }
  ++counts_[static_cast<size_t>(index - first_index_)];
}

void LogHistogram::merge(const LogHistogram& other) {
  if (other.count_ == 0) return;
  if (count_ == 0) {
    *this = other;
    return;
  }
  min_ = std::min(min_, other.min_);
  max_ = std::max(max_, other.max_);
  count_ += other.count_;
  zeros_ += other.zeros_;
  if (other.counts_.empty()) return;
  if (counts_.empty()) {
    counts_ = other.counts_;
    first_index_ = other.first_index_;
    return;
  }
  int lo = std::min(first_index_, other.first_index_);
  int hi = std::max(first_index_ + static_cast<int>(counts_.size()),
                    other.first_index_ + static_cast<int>(other.counts_.size()));
  std::vector<uint64_t> merged(static_cast<size_t>(hi - lo), 0);
  for (size_t i = 0; i < counts_.size(); ++i) merged[i + static_cast<size_t>(first_index_ - lo)] += counts_[i];
  for (size_t i = 0; i < other.counts_.size(); ++i) {
    merged[i + static_cast<size_t>(other.first_index_ - lo)] += other.counts_[i];
  }
  counts_.swap(merged);
  first_index_ = lo;
}

double LogHistogram::quantile(double q) const {
  if (count_ == 0) return 0;
  q = std::clamp(q, 0.0, 1.0);
  uint64_t rank = static_cast<uint64_t>(std::floor(q * static_cast<double>(count_ - 1)));
  if (rank < zeros_) return 0;
  uint64_t seen = zeros_;
  for (size_t i = 0; i < counts_.size(); ++i) {
    seen += counts_[i];
    if (seen > rank) {
      return std::clamp(estimate(first_index_ + static_cast<int>(i)), min_, max_);
    }
  }
  return max_;
}

std::optional<LogHistogram> LogHistogram::from_parts(Parts parts) {
  uint64_t sum = parts.zeros;
  for (uint64_t c : parts.counts) {
    if (c > parts.count - sum) return std::nullopt;  // also guards the sum against overflow
    sum += c;
  }
  if (sum != parts.count || parts.zeros > parts.count) return std::nullopt;
  if (!parts.counts.empty() && (parts.counts.front() == 0 || parts.counts.back() == 0)) return std::nullopt;
  if (!(parts.min <= parts.max) || (parts.count == 0 && (parts.min != 0 || parts.max != 0))) return std::nullopt;
  // Index range that a double can reach (values up to 1e308 and down to kMinValue).
  if (parts.first_index < -3000 || parts.first_index + static_cast<int64_t>(parts.counts.size()) > 40000) {
    return std::nullopt;
  }
  LogHistogram h;
  h.count_ = parts.count;
  h.zeros_ = parts.zeros;
  h.first_index_ = parts.first_index;
  h.counts_ = std::move(parts.counts);
  h.min_ = parts.min;
  h.max_ = parts.max;
  return h;
}

std::vector<LogHistogram::Bucket> LogHistogram::buckets() const {
  std::vector<Bucket> out;
  if (zeros_) out.push_back({0, 0, zeros_});
  for (size_t i = 0; i < counts_.size(); ++i) {
    if (!counts_[i]) continue;
    int index = first_index_ + static_cast<int>(i);
    out.push_back({upper_bound(index - 1), upper_bound(index), counts_[i]});
  }
  return out;
}

}  // namespace dbvet::digest
