#include "analyzer/digest/hyperloglog.hpp"

#include <algorithm>
#include <bit>
#include <cmath>

namespace dbvet::digest {

void HyperLogLog::allocate() { registers_.assign(size_t(1) << kPrecision, 0); }

void HyperLogLog::merge(const HyperLogLog& other) {
  if (other.registers_.empty()) return;
  if (registers_.empty()) {
    registers_ = other.registers_;
    return;
  }
  for (size_t i = 0; i < registers_.size(); ++i) registers_[i] = std::max(registers_[i], other.registers_[i]);
}

std::optional<HyperLogLog> HyperLogLog::from_registers(std::vector<uint8_t> registers) {
  if (!registers.empty() && registers.size() != (size_t(1) << kPrecision)) return std::nullopt;
  // add_hash's rank is at most 64 - kPrecision + 1 (the bit it sets bounds it).
  for (uint8_t r : registers) {
    if (r > 64 - kPrecision + 1) return std::nullopt;
  }
  HyperLogLog h;
  h.registers_ = std::move(registers);
  return h;
}

double HyperLogLog::estimate() const {
  if (registers_.empty()) return 0;
  const double m = static_cast<double>(registers_.size());
  double sum = 0;
  size_t zeros = 0;
  for (uint8_t r : registers_) {
    sum += std::ldexp(1.0, -static_cast<int>(r));
    zeros += r == 0;
  }
  const double alpha = 0.7213 / (1 + 1.079 / m);
  double e = alpha * m * m / sum;
  if (e <= 2.5 * m && zeros) e = m * std::log(m / static_cast<double>(zeros));  // linear counting
  return e;
}

}  // namespace dbvet::digest
