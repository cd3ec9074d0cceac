#pragma once
// A mergeable log-bucketed histogram for latencies (the DDSketch construction): bucket i holds the
// values in (gamma^(i-1), gamma^i] with gamma = (1 + a) / (1 - a), and a bucket's estimate is
// 2 gamma^i / (gamma + 1). Every value in the bucket is then within a relative error a of the
// estimate, so a quantile read from it is within a = 1% of the exact value of the same rank
// (rank floor(q * (n - 1)) of the sorted values), whatever the distribution. Memory grows with
// log(max / min), not with the number of values: about 1200 counters for 1 us .. 10^4 s.
// Values at or below kMinValue count as zero; merging adds counts, so it is exact and its result
// does not depend on the order of the merges.

#include <cstdint>
#include <vector>

namespace dbvet::digest {

class LogHistogram {
 public:
  static constexpr double kRelativeError = 0.01;
  static constexpr double kMinValue = 1e-9;

  void add(double value);
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

 private:
  static int index_of(double value);
  static double estimate(int index);
  static double upper_bound(int index);

  uint64_t count_ = 0;
  uint64_t zeros_ = 0;
  int first_index_ = 0;  // index of counts_[0]
  std::vector<uint64_t> counts_;
  double min_ = 0, max_ = 0;
};

}  // namespace dbvet::digest
