#pragma once
// A mergeable log-bucketed histogram for latencies (the DDSketch construction): bucket i holds the
// values in (gamma^(i-1), gamma^i] with gamma = (1 + a) / (1 - a), and a bucket's estimate is
// 2 gamma^i / (gamma + 1). Every value in the bucket is then within a relative error a of the
// estimate, so a quantile read from it is within a = 1% of the exact value of the same rank
// (rank floor(q * (n - 1)) of the sorted values), whatever the distribution. Memory grows with
// log(max / min), not with the number of values: about 1200 counters for 1 us .. 10^4 s.
// Values at or below kMinValue count as zero; merging adds counts, so it is exact and its result
// does not depend on the order of the merges.

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <optional>
#include <vector>

namespace dbvet::digest {

class LogHistogram {
 public:
  static constexpr double kRelativeError = 0.01;
  static constexpr double kMinValue = 1e-9;

  // Inline for the common case: a value in the range of the buckets the histogram has.
  void add(double value) {
    if (value > kMinValue && count_ != 0 && !counts_.empty()) {
      add_in_range(value, index_of(value));
      return;
    }
    add_other(value);
  }
  // add(value) for a whole number (rows, bytes, microseconds: what the digest's spreads count),
  // and add(micros / 1e6) for a time in whole microseconds: the same buckets and bounds, the index
  // of the small ones (most of a log's) read from a table instead of the memo below.
  void add_whole(int64_t value) {
    const double v = static_cast<double>(value);
    if (value > 0 && value < kIndexTableSize && count_ != 0 && !counts_.empty()) {
      add_in_range(v, kIndexTables.whole[value]);
      return;
    }
    add(v);
  }
  void add_micros(int64_t micros) {
    const double v = static_cast<double>(micros) / 1e6;
    if (micros > 0 && micros < kIndexTableSize && count_ != 0 && !counts_.empty()) {
      add_in_range(v, kIndexTables.micros[micros]);
      return;
    }
    add(v);
  }
  // A zero (a statement that sent no rows...), inline: as add(0) counts it.
  void add_zero() {
    if (count_ == 0) max_ = 0;
    min_ = 0;  // the values are never negative
    ++count_;
    ++zeros_;
  }
  void merge(const LogHistogram& other);
  // The value of rank floor(q * (count - 1)) within kRelativeError; 0 when empty.
  double quantile(double q) const;
  uint64_t count() const { return count_; }
  // Occupied buckets as (lower bound, upper bound, count), in increasing order.
  struct Bucket {
    double lower = 0, upper = 0;
    uint64_t count = 0;
  };
  std::vector<Bucket> buckets() const;

  // Its exact contents, for a digest state written on one host and merged on another
  // (digest/state_codec.hpp): restoring them gives a histogram equal to the original.
  struct Parts {
    uint64_t count = 0, zeros = 0;
    int first_index = 0;
    std::vector<uint64_t> counts;
    double min = 0, max = 0;
  };
  Parts parts() const { return {count_, zeros_, first_index_, counts_, min_, max_}; }
  // Null when the parts cannot come from a histogram (counts that do not add up).
  static std::optional<LogHistogram> from_parts(Parts parts);

 private:
  void add_other(double value);
  // `value` (> kMinValue) counted in the bucket of `index` (index_of(value)) when the histogram
  // has that bucket, else by add_other.
  void add_in_range(double value, int index) {
    const size_t at = static_cast<size_t>(index - first_index_);
    if (at < counts_.size()) {
      if (value < min_) min_ = value;
      if (value > max_) max_ = value;
      ++count_;
      ++counts_[at];
      return;
    }
    add_other(value);
  }
  // ceil(log_gamma(value)). Log times repeat (microsecond resolution): a small direct-mapped memo
  // of the same function saves a log() per event and gives exactly the same index.
  static int index_of(double value) {
    uint64_t bits = 0;
    std::memcpy(&bits, &value, sizeof bits);
    MemoEntry& e = memo_[(bits ^ (bits >> 29) ^ (bits >> 41)) & (kMemoSize - 1)];
    if (e.value != value) {
      e.value = value;
      e.index = compute_index(value);
    }
    return e.index;
  }
  static int compute_index(double value);

 public:
  // compute_index of the whole numbers 1 .. kIndexTableSize - 1 and of as many microseconds in
  // seconds, filled by compute_index itself: the same index by construction (a test checks every
  // entry). 0 is never looked up (it counts as zero).
  static constexpr int64_t kIndexTableSize = int64_t{1} << 13;
  struct IndexTables {
    int16_t whole[kIndexTableSize];
    int16_t micros[kIndexTableSize];
  };
  static const IndexTables kIndexTables;
  // What compute_index gives, for the test of the tables.
  static int index_for_test(double value) { return compute_index(value); }

 private:
  struct MemoEntry {
    double value = -1;
    int index = 0;
  };
  static constexpr size_t kMemoSize = 4096;
  static thread_local MemoEntry memo_[kMemoSize];
  static double estimate(int index);
  static double upper_bound(int index);

  uint64_t count_ = 0;
  uint64_t zeros_ = 0;
  int first_index_ = 0;  // index of counts_[0]
  std::vector<uint64_t> counts_;
  double min_ = 0, max_ = 0;
};

}  // namespace dbvet::digest
