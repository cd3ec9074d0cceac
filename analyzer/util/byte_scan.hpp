#pragma once
// Finding one byte in short runs of text. Log readers search lines of tens of bytes several times
// each; at those lengths memchr's call and set-up cost more than the search (it showed in
// profiles), so the first 64 bytes are searched inline, 16 at a time with SSE2, and only longer
// runs go to memchr. The SSE2 building blocks below are what the SQL scanners classify sixteen
// bytes at a time with; everything here is inline because it runs per byte of a log.

#include <bit>
#include <cstddef>
#include <cstdint>
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

// Whether two byte ranges of `size` bytes are equal: short ones (names, hosts, keys, a line's
// first bytes) in a few loads, overlapping at the ends, rather than a call to memcmp (GCC calls it
// for string and string_view comparisons, and the calls showed in profiles).
[[gnu::always_inline]] inline bool same_bytes(const char* a, const char* b, size_t size) {
  auto load8 = [](const char* p) {
    uint64_t v;
    std::memcpy(&v, p, 8);
    return v;
  };
  auto load4 = [](const char* p) {
    uint32_t v;
    std::memcpy(&v, p, 4);
    return v;
  };
  if (size >= 8) {
    if (size > 16) {  // fingerprint keys: 8 bytes a step, the last word overlapping
      size_t i = 0;
      for (; i + 8 < size; i += 8) {
        if (load8(a + i) != load8(b + i)) return false;
      }
      return load8(a + size - 8) == load8(b + size - 8);
    }
    return ((load8(a) ^ load8(b)) | (load8(a + size - 8) ^ load8(b + size - 8))) == 0;
  }
  if (size >= 4) return ((load4(a) ^ load4(b)) | (load4(a + size - 4) ^ load4(b + size - 4))) == 0;
  if (size == 0) return true;
  return a[0] == b[0] && a[size / 2] == b[size / 2] && a[size - 1] == b[size - 1];
}

// a == b, by same_bytes.
inline bool same_text(std::string_view a, std::string_view b) {
  return a.size() == b.size() && same_bytes(a.data(), b.data(), a.size());
}

// s.starts_with(prefix), by same_bytes: with a literal prefix, a load or two and a compare.
inline bool starts_with(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && same_bytes(s.data(), prefix.data(), prefix.size());
}

// The first `c` in [p, end) of fewer than 16 bytes, or end: two overlapping words (or halves) of
// bit tricks rather than a loop whose exit the branch predictor misses (a byte loop over the tails
// of short runs, "1796633482;" and the like, showed in profiles). The lowest flagged byte of a
// word is exact (a borrow only flags bytes above a real match), and the second word only
// re-reads bytes the first found no `c` in.
inline const char* find_byte_in_short(const char* p, const char* end, char c) {
  const size_t n = static_cast<size_t>(end - p);
  if constexpr (std::endian::native == std::endian::little) {
    constexpr uint64_t kOnes = 0x0101010101010101u, kHighs = 0x8080808080808080u;
    const uint64_t pattern = kOnes * static_cast<unsigned char>(c);
    auto matches = [&](uint64_t word) {
      const uint64_t x = word ^ pattern;  // zero bytes where `c` is
      return (x - kOnes) & ~x & kHighs;
    };
    auto first = [](uint64_t bits) { return static_cast<size_t>(__builtin_ctzll(bits)) / 8; };
    if (n >= 8) {
      uint64_t head, tail;
      std::memcpy(&head, p, 8);
      std::memcpy(&tail, end - 8, 8);
      if (const uint64_t m = matches(head)) return p + first(m);
      if (const uint64_t m = matches(tail)) return end - 8 + first(m);
      return end;
    }
    if (n >= 4) {
      uint32_t head, tail;
      std::memcpy(&head, p, 4);
      std::memcpy(&tail, end - 4, 4);
      if (const uint64_t m = matches(head) & 0x80808080u) return p + first(m);
      if (const uint64_t m = matches(tail) & 0x80808080u) return end - 4 + first(m);
      return end;
    }
  }
  while (p < end && *p != c) ++p;
  return p;
}

// The first `c` in [p, end), or end.
inline const char* find_byte(const char* p, const char* end, char c) {
#if defined(__SSE2__)
  const __m128i needle = _mm_set1_epi8(c);
  const char* const begin = p;
  for (int round = 0; round < 4 && end - p >= 16; ++round, p += 16) {
    const __m128i chunk = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
    const int mask = _mm_movemask_epi8(_mm_cmpeq_epi8(chunk, needle));
    if (mask != 0) return p + __builtin_ctz(static_cast<unsigned>(mask));
  }
  if (end - p >= 16) {
    const void* found = std::memchr(p, c, static_cast<size_t>(end - p));
    return found != nullptr ? static_cast<const char*>(found) : end;
  }
  if (end - begin >= 16) {  // the last 16 bytes in one load: those before p hold no `c`
    if (p == end) return end;
    const int mask = _mm_movemask_epi8(_mm_cmpeq_epi8(simd::load16(end - 16), needle));
    return mask != 0 ? end - 16 + __builtin_ctz(static_cast<unsigned>(mask)) : end;
  }
#endif
  return find_byte_in_short(p, end, c);
}

// The positions of one byte in a text, in order, for readers that cut a block into lines: a bit
// per byte for 64 bytes at a time (four SSE2 compares), so that finding the next newline is a
// shift and a count of trailing zeros. A search per line (find_byte, memchr) starts only once the
// previous line's end is known, and that wait per line showed in profiles.
class ByteFinder {
 public:
  ByteFinder(std::string_view text, char c) : text_(text), c_(c) {}

  // The position of the first `c` at or after `from`, or the text's size.
  size_t next(size_t from) {
    const size_t size = text_.size();
    if (from >= size) return size;
    if (from < window_ || from - window_ >= 64) load(from);
    for (;;) {
      const uint64_t ahead = mask_ >> (from - window_);
      if (ahead != 0) return from + static_cast<size_t>(__builtin_ctzll(ahead));
      if (window_ + 64 >= size) return size;  // the window held the text's last byte
      load(window_ + 64);
      from = window_;
    }
  }

 private:
  // The mask of the 64 bytes from `at` (those past the text clear).
  void load(size_t at) {
    const char* p = text_.data();
    const size_t size = text_.size();
    window_ = at;
#if defined(__SSE2__)
    auto mask64 = [&](const char* q) {
      const __m128i needle = _mm_set1_epi8(c_);
      uint64_t m = 0;
      for (int i = 0; i < 4; ++i) {
        m |= uint64_t{simd::mask(_mm_cmpeq_epi8(simd::load16(q + 16 * i), needle))} << (16 * i);
      }
      return m;
    };
    if (at + 64 <= size) {
      mask_ = mask64(p + at);
      return;
    }
    if (size >= 64) {  // the text's last 64 bytes, those before `at` shifted out
      mask_ = mask64(p + size - 64) >> (at - (size - 64));
      return;
    }
#endif
    mask_ = 0;
    const size_t end = at + 64 < size ? at + 64 : size;
    for (size_t i = at; i < end; ++i) mask_ |= uint64_t{p[i] == c_} << (i - at);
  }

  std::string_view text_;
  char c_;
  size_t window_ = SIZE_MAX;  // where the mask starts (none loaded yet)
  uint64_t mask_ = 0;         // bit i: text_[window_ + i] == c_
};

// The position of the first `c` in s at or after `from`, or npos.
inline size_t find_byte(std::string_view s, char c, size_t from = 0) {
  if (from >= s.size()) return std::string_view::npos;
  const char* end = s.data() + s.size();
  const char* found = find_byte(s.data() + from, end, c);
  return found == end ? std::string_view::npos : static_cast<size_t>(found - s.data());
}

}  // namespace dbvet::util
