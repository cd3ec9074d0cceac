#pragma once

#include <cstddef>
#include <cstdint>

namespace dbvet::sql::detail {

// hash64's loop (FNV-1a, then a 64-bit finalizer), inline so that the key sinks hash literals
// without a call.
inline uint64_t chain_hash(const char* data, size_t size, uint64_t seed) {
  uint64_t h = 1469598103934665603ULL ^ seed;
#pragma GCC unroll 4
  for (size_t i = 0; i < size; ++i) {
    h ^= static_cast<unsigned char>(data[i]);
    h *= 1099511628211ULL;
  }
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdULL;
  h ^= h >> 33;
  h *= 0xc4ceb9fe1a85ec53ULL;
  h ^= h >> 33;
  return h;
}

}  // namespace dbvet::sql::detail
