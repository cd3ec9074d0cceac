#pragma once
// A fixed, portable PRNG and the distributions built on it. std:: distributions are avoided on
// purpose: their output differs between standard libraries, and the sample must be byte-identical
// on every machine. Only integer arithmetic and IEEE double operations (+ - * / sqrt, and glibc's
// correctly rounded pow/log/exp) are used.

#include <cmath>
#include <cstdint>
#include <string_view>

namespace dbvet::core {

inline uint64_t splitmix64(uint64_t& state) {
  uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

// FNV-1a over bytes, continuing from `hash`.
inline uint64_t fnv1a(std::string_view bytes, uint64_t hash = 0xcbf29ce484222325ULL) {
  for (unsigned char c : bytes) {
    hash ^= c;
    hash *= 0x100000001b3ULL;
  }
  return hash;
}

// xoshiro256** (Blackman & Vigna), seeded through splitmix64.
class Random {
 public:
  explicit Random(uint64_t seed = 0) { reseed(seed); }
  // A stream per name (a table, a script): the same seed and name always give the same stream.
  Random(uint64_t seed, std::string_view stream) { reseed(seed ^ fnv1a(stream)); }

  void reseed(uint64_t seed) {
    uint64_t sm = seed;
    for (auto& word : s_) word = splitmix64(sm);
  }

  uint64_t next() {
    const uint64_t result = rotl(s_[1] * 5, 7) * 9;
    const uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = rotl(s_[3], 45);
    return result;
  }

  // Uniform in [0, 1).
  double uniform() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }

  // Uniform integer in [lo, hi] (inclusive), without modulo bias (Lemire's method).
  int64_t range(int64_t lo, int64_t hi) {
    if (hi <= lo) return lo;
    const uint64_t span = static_cast<uint64_t>(hi) - static_cast<uint64_t>(lo) + 1;
    if (span == 0) return static_cast<int64_t>(next());  // the full 64-bit range
    unsigned __int128 m = static_cast<unsigned __int128>(next()) * span;
    uint64_t low = static_cast<uint64_t>(m);
    if (low < span) {
      const uint64_t threshold = (0 - span) % span;
      while (low < threshold) {
        m = static_cast<unsigned __int128>(next()) * span;
        low = static_cast<uint64_t>(m);
      }
    }
    return static_cast<int64_t>(static_cast<uint64_t>(lo) + static_cast<uint64_t>(m >> 64));
  }

  bool chance(double probability) { return uniform() < probability; }

  // Zipf-distributed rank in [1, n] with exponent s > 1 (Devroye's rejection method, as pgbench's
  // random_zipfian): rank 1 is the most frequent.
  int64_t zipf(int64_t n, double s) {
    if (n <= 1) return 1;
    const double b = std::pow(2.0, s - 1.0);
    for (;;) {
      const double u = 1.0 - uniform();  // (0, 1]
      const double v = uniform();
      const double x = std::floor(std::pow(u, -1.0 / (s - 1.0)));
      // Out of range is rejected before t is computed: the same draws and results, one pow fewer
      // for most rejections (with s near 1, most candidates are far beyond n).
      if (!(x <= static_cast<double>(n))) continue;
      const double t = std::pow(1.0 + 1.0 / x, s - 1.0);
      if (v * x * (t - 1.0) / (b - 1.0) <= t / b) return static_cast<int64_t>(x);
    }
  }

  // pgbench's random_exponential: integer in [lo, hi], denser near lo; parameter > 0.
  int64_t exponential(int64_t lo, int64_t hi, double parameter) {
    const double cut = std::exp(-parameter);
    const double u = 1.0 - uniform();
    const double r = -std::log(cut + (1.0 - cut) * u) / parameter;
    return lo + static_cast<int64_t>(static_cast<double>(hi - lo + 1) * r);
  }

  // pgbench's random_gaussian: integer in [lo, hi] around the middle; parameter >= 2.
  int64_t gaussian(int64_t lo, int64_t hi, double parameter) {
    double stdev = 0;
    do {
      const double r1 = 1.0 - uniform();
      const double r2 = uniform();
      stdev = std::sqrt(-2.0 * std::log(r1)) * std::sin(2.0 * M_PI * r2);
    } while (stdev < -parameter || stdev >= parameter);
    const double r = (stdev + parameter) / (parameter * 2.0);
    return lo + static_cast<int64_t>(static_cast<double>(hi - lo + 1) * r);
  }

 private:
  static uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  uint64_t s_[4]{};
};

}  // namespace dbvet::core
