#pragma once
// A HyperLogLog sketch (Flajolet et al. 2007, with the small-range correction): the number of
// distinct values among the hashes added, within about 1.04 / sqrt(2^kPrecision) = 3.3%
// (standard error), in 2^kPrecision bytes allocated at the first add. Mergeable and independent
// of the order of adds and merges. The digest keeps one per class over the hashes of each
// execution's literal values: the distinct parameter sets the cache advisor needs.

#include <bit>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

namespace dbvet::digest {

class HyperLogLog {
 public:
  static constexpr int kPrecision = 10;
  // Inline: the digest adds one hash per event.
  void add_hash(uint64_t hash) {
    if (registers_.empty()) [[unlikely]]
      allocate();
    const size_t index = hash >> (64 - kPrecision);
    const uint64_t rest = (hash << kPrecision) | (uint64_t(1) << (kPrecision - 1));  // bounds the rank
    const auto rank = static_cast<uint8_t>(std::countl_zero(rest) + 1);
    if (registers_[index] < rank) registers_[index] = rank;
  }
  void merge(const HyperLogLog& other);
  double estimate() const;

  // Its registers (empty before the first add), for a digest state written on one host and
  // merged on another; from_registers is null for registers no sketch can have.
  const std::vector<uint8_t>& registers() const { return registers_; }
  static std::optional<HyperLogLog> from_registers(std::vector<uint8_t> registers);

 private:
  void allocate();
  std::vector<uint8_t> registers_;
};

}  // namespace dbvet::digest
