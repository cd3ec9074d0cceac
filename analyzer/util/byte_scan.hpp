#pragma once
// Finding one byte in short runs of text. Log readers search lines of tens of bytes several times
// each; at those lengths memchr's call and set-up cost more than the search (it showed in
// profiles), so the first 64 bytes are searched inline, 16 at a time with SSE2, and only longer
// runs go to memchr. The SSE2 building blocks below are what the SQL scanners classify sixteen
// bytes at a time with; everything here is inline because it runs per byte of a log.

#include <cstddef>
#include <cstring>
#include <string_view>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace dbvet::util {

#if defined(__SSE2__)
namespace simd {

// Sixteen bytes from `p`, unaligned.
inline __m128i load16(const void* p) { return _mm_loadu_si128(static_cast<const __m128i*>(p)); }

// 0xFF in each byte of `v` equal to c.
inline __m128i bytes_equal(__m128i v, char c) { return _mm_cmpeq_epi8(v, _mm_set1_epi8(c)); }

// 0xFF in each byte of `v` in [first, first + count), as unsigned bytes: SSE2 has only signed
// compares, so the range is shifted to start at -128.
inline __m128i bytes_in_range(__m128i v, char first, int count) {
  return _mm_cmplt_epi8(_mm_add_epi8(v, _mm_set1_epi8(static_cast<char>(0x80 - first))),
                        _mm_set1_epi8(static_cast<char>(0x80 + count)));
}

// '0'..'9'.
inline __m128i digits(__m128i v) { return bytes_in_range(v, '0', 10); }

// A bit per byte (bit i for byte i) from the top bit of each byte of a compare result.
inline unsigned mask(__m128i bytes) { return static_cast<unsigned>(_mm_movemask_epi8(bytes)); }

}  // namespace simd
#endif

// The first `c` in [p, end), or end.
inline const char* find_byte(const char* p, const char* end, char c) {
#if defined(__SSE2__)
  const __m128i needle = _mm_set1_epi8(c);
  for (int round = 0; round < 4 && end - p >= 16; ++round, p += 16) {
    const __m128i chunk = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
    const int mask = _mm_movemask_epi8(_mm_cmpeq_epi8(chunk, needle));
    if (mask != 0) return p + __builtin_ctz(static_cast<unsigned>(mask));
  }
  if (end - p >= 16) {
    const void* found = std::memchr(p, c, static_cast<size_t>(end - p));
    return found != nullptr ? static_cast<const char*>(found) : end;
  }
#endif
  while (p < end && *p != c) ++p;
  return p;
}

// The position of the first `c` in s at or after `from`, or npos.
inline size_t find_byte(std::string_view s, char c, size_t from = 0) {
  if (from >= s.size()) return std::string_view::npos;
  const char* end = s.data() + s.size();
  const char* found = find_byte(s.data() + from, end, c);
  return found == end ? std::string_view::npos : static_cast<size_t>(found - s.data());
}

}  // namespace dbvet::util
