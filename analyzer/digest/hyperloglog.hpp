#pragma once
// A HyperLogLog sketch (Flajolet et al. 2007, with the small-range correction): the number of
// distinct values among the hashes added, within about 1.04 / sqrt(2^kPrecision) = 3.3%
// (standard error), in 2^kPrecision bytes allocated at the first add. Mergeable and independent
// of the order of adds and merges. The digest keeps one per class over the hashes of each
// execution's literal values: the distinct parameter sets the cache advisor needs.

#include <cstdint>
#include <vector>

namespace dbvet::digest {

class HyperLogLog {
 public:
  static constexpr int kPrecision = 10;
  void add_hash(uint64_t hash);
  void merge(const HyperLogLog& other);
  double estimate() const;

 private:
  std::vector<uint8_t> registers_;
};

}  // namespace dbvet::digest
