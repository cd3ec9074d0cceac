#include <gtest/gtest.h>

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
