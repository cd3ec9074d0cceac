#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <string>

#include "analyzer/util/byte_scan.hpp"

namespace dbvet::util {
namespace {

TEST(UtilByteScan, FindsTheFirstByteAtEveryLengthAndPosition) {
  // Lengths around the 16-byte chunks and the 64-byte inline limit, the needle at every place.
  for (size_t n : {0u, 1u, 15u, 16u, 17u, 31u, 32u, 63u, 64u, 65u, 80u, 200u}) {
    for (size_t at = 0; at <= n; ++at) {
      std::string text(n, 'x');
      if (at < n) text[at] = ':';
      if (at + 1 < n) text[at + 1] = ':';  // a second one after: the first is found
      const char* end = text.data() + n;
      EXPECT_EQ(find_byte(text.data(), end, ':'), text.data() + at) << n << " " << at;
      EXPECT_EQ(find_byte(text, ':'), at < n ? at : std::string_view::npos) << n << " " << at;
    }
  }
}

TEST(UtilByteScan, ShortRunsAgreeWithAPlainSearchWhateverTheNeighbouringBytes) {
  // The tails under 16 bytes are searched a word at a time: bytes next to the needle's value (a
  // borrow in the word's arithmetic), zero and high bytes, the needle itself zero, every length
  // and start, and the result checked against a plain byte loop.
  std::mt19937 rng(18);
  for (const char needle : {':', ',', ';', '\0', '\x80', '\xFF', '\n'}) {
    const char neighbours[] = {static_cast<char>(needle + 1),
                               static_cast<char>(needle - 1),
                               '\0',
                               '\xFF',
                               '\x80',
                               static_cast<char>(needle ^ 0x80),
                               'x',
                               needle};
    for (int trial = 0; trial < 400; ++trial) {
      std::string text(40, 'x');
      for (char& byte : text) byte = neighbours[rng() % (trial % 3 == 0 ? 8 : 7)];  // some with the needle
      for (size_t from = 0; from <= text.size(); ++from) {
        for (size_t to = from; to <= text.size() && to <= from + 40; ++to) {
          const char* begin = text.data() + from;
          const char* end = text.data() + to;
          const char* expected = std::find(begin, end, needle);
          ASSERT_EQ(find_byte(begin, end, needle), expected) << int(needle) << " " << from << " " << to;
          ASSERT_EQ(find_byte_in_short(begin, std::min(end, begin + 15), needle),
                    std::find(begin, std::min(end, begin + 15), needle));
        }
      }
    }
  }
}

TEST(UtilByteScan, SearchesFromAnOffset) {
  const std::string text = "a,b,c";
  EXPECT_EQ(find_byte(text, ','), 1u);
  EXPECT_EQ(find_byte(text, ',', 2), 3u);
  EXPECT_EQ(find_byte(text, ',', 4), std::string_view::npos);
  EXPECT_EQ(find_byte(text, ',', 5), std::string_view::npos);
  EXPECT_EQ(find_byte(text, ',', 99), std::string_view::npos);
  EXPECT_EQ(find_byte(std::string_view(), ','), std::string_view::npos);
  EXPECT_EQ(find_byte(std::string("\xFF\x80\n", 3), '\n'), 2u);  // high bytes are bytes
  EXPECT_EQ(find_byte(std::string("ab\0c", 4), '\0'), 2u);
}

TEST(UtilByteScan, ByteFinderFindsEveryByteInOrder) {
  // Texts around the 64-byte windows, the needles at random places; next() from every position
  // agrees with a plain search.
  std::mt19937 rng(7);
  for (size_t n : {0u, 1u, 15u, 63u, 64u, 65u, 127u, 128u, 129u, 200u, 1000u}) {
    for (int round = 0; round < 8; ++round) {
      std::string text(n, 'x');
      for (auto& c : text) {
        if (rng() % 9 == 0) c = '\n';
      }
      ByteFinder finder(text, '\n');
      ByteFinder sequential(text, '\n');
      size_t pos = 0;
      while (pos < n) {  // line by line, as the readers go
        const size_t expected = std::min(text.find('\n', pos), n);
        ASSERT_EQ(sequential.next(pos), expected) << n << " " << pos;
        pos = expected + 1;
      }
      for (size_t from = 0; from <= n + 1; from += 1 + rng() % 70) {  // forwards with jumps
        EXPECT_EQ(finder.next(from), std::min(text.find('\n', from), n)) << n << " " << from;
      }
      ByteFinder backwards(text, '\n');
      for (size_t from = n + 1; from-- > 0;) {
        EXPECT_EQ(backwards.next(from), std::min(text.find('\n', from), n)) << n << " " << from;
      }
    }
  }
}

TEST(UtilByteScan, SameBytesComparesEveryLength) {
  for (size_t n = 0; n <= 40; ++n) {
    const std::string a(n, 'a');
    EXPECT_TRUE(same_bytes(a.data(), a.data(), n));
    for (size_t at = 0; at < n; ++at) {
      std::string b = a;
      b[at] = 'b';
      EXPECT_FALSE(same_bytes(a.data(), b.data(), n)) << n << " " << at;
      EXPECT_FALSE(same_text(a, b));
      EXPECT_EQ(starts_with(b, a.substr(0, at)), true) << n << " " << at;
      EXPECT_EQ(starts_with(b, a.substr(0, at + 1)), false) << n << " " << at;
    }
  }
  EXPECT_TRUE(starts_with("SET timestamp=1;", "SET timestamp="));
  EXPECT_FALSE(starts_with("SET", "SET timestamp="));
  EXPECT_FALSE(same_text("abc", "abcd"));
  EXPECT_TRUE(same_text("", ""));
}

#if defined(__SSE2__)
TEST(UtilByteScan, SimdMasksMatchTheBytes) {
  std::string bytes(16, ' ');
  const std::string sample = "09/:az_AZ\x01\x02\x03\x80\xFF$(";
  for (size_t i = 0; i < 16; ++i) bytes[i] = sample[i];
  const __m128i v = simd::load16(bytes.data());
  unsigned digits = 0, markers = 0, colons = 0;
  for (unsigned i = 0; i < 16; ++i) {
    const unsigned char c = static_cast<unsigned char>(bytes[i]);
    if (c >= '0' && c <= '9') digits |= 1u << i;
    if (c >= 1 && c < 3) markers |= 1u << i;
    if (c == ':') colons |= 1u << i;
  }
  EXPECT_EQ(simd::mask(simd::digits(v)), digits);
  EXPECT_EQ(simd::mask(simd::bytes_in_range(v, 1, 2)), markers);
  EXPECT_EQ(simd::mask(simd::bytes_equal(v, ':')), colons);
  // Every byte value against a range that ends at 0x7F and one that wraps past it.
  for (int c = 0; c < 256; ++c) {
    const __m128i one = _mm_set1_epi8(static_cast<char>(c));
    EXPECT_EQ(simd::mask(simd::bytes_in_range(one, 'a', 26)), c >= 'a' && c <= 'z' ? 0xFFFFu : 0u) << c;
    EXPECT_EQ(simd::mask(simd::bytes_in_range(one, 0x70, 16)), c >= 0x70 && c < 0x80 ? 0xFFFFu : 0u) << c;
  }
}
#endif

}  // namespace
}  // namespace dbvet::util
