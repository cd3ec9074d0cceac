#include <cstdint>
#include <string>

#include "analyzer/engines/postgres/copy_binary.hpp"
#include "gtest/gtest.h"

namespace dbvet::engines::postgres {
namespace {

std::string field(BinaryType type, std::string_view text) {
  std::string out;
  EXPECT_TRUE(append_copy_binary_field(out, type, text)) << text;
  return out;
}

// The big-endian integer after a field's 4-byte length.
int64_t payload(const std::string& bytes) {
  int64_t value = 0;
  for (size_t i = 4; i < bytes.size(); ++i) value = (value << 8) | static_cast<unsigned char>(bytes[i]);
  if (bytes.size() - 4 < 8 && (static_cast<unsigned char>(bytes[4]) & 0x80))
    value -= int64_t{1} << (8 * (bytes.size() - 4));
  return value;
}

bool refused(BinaryType type, std::string_view text) {
  std::string out = "kept";
  const bool accepted = append_copy_binary_field(out, type, text);
  EXPECT_EQ(out, "kept") << "a refused value leaves the buffer alone: " << text;
  return !accepted;
}

constexpr int64_t kPostgresEpoch = 946684800;  // 2000-01-01 00:00:00 UTC in Unix seconds

TEST(PostgresCopyBinary, HeaderTupleAndTrailerBytes) {
  std::string out;
  append_copy_binary_header(out);
  EXPECT_EQ(out, std::string("PGCOPY\n\xff\r\n\0\0\0\0\0\0\0\0\0", 19));
  out.clear();
  append_copy_binary_tuple_start(out, 3);
  append_copy_binary_null(out);
  append_copy_binary_trailer(out);
  EXPECT_EQ(out, std::string("\0\3\xff\xff\xff\xff\xff\xff", 8));
}

TEST(PostgresCopyBinary, TypesByName) {
  EXPECT_EQ(binary_type("int8"), BinaryType::int8);
  EXPECT_EQ(binary_type("varchar"), BinaryType::text);
  EXPECT_EQ(binary_type("bpchar"), BinaryType::text);
  EXPECT_EQ(binary_type("timestamptz"), BinaryType::timestamptz);
  EXPECT_FALSE(binary_type("numeric")) << "numeric goes by a text COPY";
  EXPECT_FALSE(binary_type("_int4")) << "arrays too";
}

TEST(PostgresCopyBinary, IntegersInTheirWidthAndRange) {
  EXPECT_EQ(field(BinaryType::int4, "42"), std::string("\0\0\0\4\0\0\0\x2a", 8));
  EXPECT_EQ(field(BinaryType::int2, "-1"), std::string("\0\0\0\2\xff\xff", 6));
  EXPECT_EQ(payload(field(BinaryType::int2, "-32768")), -32768);
  EXPECT_EQ(payload(field(BinaryType::int4, "+7")), 7);
  EXPECT_EQ(payload(field(BinaryType::int8, "-9223372036854775808")), INT64_MIN);
  EXPECT_EQ(payload(field(BinaryType::int8, "9223372036854775807")), INT64_MAX);
  EXPECT_TRUE(refused(BinaryType::int8, "9223372036854775808"));
  EXPECT_TRUE(refused(BinaryType::int4, "2147483648"));
  EXPECT_TRUE(refused(BinaryType::int2, "32768"));
  EXPECT_TRUE(refused(BinaryType::int4, ""));
  EXPECT_TRUE(refused(BinaryType::int4, "-"));
  EXPECT_TRUE(refused(BinaryType::int4, "12a"));
  EXPECT_TRUE(refused(BinaryType::int4, " 1"));
  EXPECT_TRUE(refused(BinaryType::int4, "1.0"));
}

TEST(PostgresCopyBinary, BooleansInPostgresSpellings) {
  EXPECT_EQ(field(BinaryType::boolean, "1"), std::string("\0\0\0\1\1", 5));
  EXPECT_EQ(field(BinaryType::boolean, "f"), std::string("\0\0\0\1\0", 5));
  EXPECT_EQ(field(BinaryType::boolean, "TRUE"), field(BinaryType::boolean, "t"));
  EXPECT_EQ(field(BinaryType::boolean, "off"), field(BinaryType::boolean, "0"));
  EXPECT_TRUE(refused(BinaryType::boolean, "maybe"));
  EXPECT_TRUE(refused(BinaryType::boolean, "2"));
  EXPECT_TRUE(refused(BinaryType::boolean, ""));
}

TEST(PostgresCopyBinary, TimestampsAsMicrosecondsSince2000) {
  EXPECT_EQ(payload(field(BinaryType::timestamptz, "2000-01-01 00:00:00+00")), 0);
  EXPECT_EQ(payload(field(BinaryType::timestamptz, "2026-01-01 00:00:00+00")), (1767225600 - kPostgresEpoch) * 1000000);
  EXPECT_EQ(payload(field(BinaryType::timestamptz, "1999-12-31 23:59:59.5+00")), -500000);
  EXPECT_EQ(payload(field(BinaryType::timestamptz, "2000-01-01 01:00:00+01")), 0);
  EXPECT_EQ(payload(field(BinaryType::timestamptz, "2000-01-01 00:00:00-05:30")), 19800LL * 1000000);
  EXPECT_EQ(payload(field(BinaryType::timestamptz, "2000-01-01T00:00:00.000001Z")), 1);
  EXPECT_EQ(payload(field(BinaryType::timestamp, "2000-02-29 23:59:59")), (59 * 86400 + 86399) * 1000000LL);
  EXPECT_EQ(payload(field(BinaryType::timestamp, "1970-01-01 00:00:00")), -kPostgresEpoch * 1000000);
  EXPECT_TRUE(refused(BinaryType::timestamptz, "2000-01-01 00:00:00")) << "no offset: the server's zone";
  EXPECT_TRUE(refused(BinaryType::timestamp, "2000-01-01 00:00:00+00"));
  EXPECT_TRUE(refused(BinaryType::timestamptz, "2001-02-29 00:00:00+00"));
  EXPECT_TRUE(refused(BinaryType::timestamptz, "2000-01-01 24:00:00+00"));
  EXPECT_TRUE(refused(BinaryType::timestamptz, "2000-01-01 00:00:00.1234567+00"));
  EXPECT_TRUE(refused(BinaryType::timestamptz, "2000-01-01+00"));
  EXPECT_TRUE(refused(BinaryType::timestamptz, "infinity"));
}

TEST(PostgresCopyBinary, InetJsonbAndText) {
  EXPECT_EQ(field(BinaryType::inet, "10.1.2.3"), std::string("\0\0\0\x08\x02\x20\0\x04\x0a\x01\x02\x03", 12));
  EXPECT_EQ(field(BinaryType::inet, "10.0.0.0/8")[5], '\x08');
  EXPECT_TRUE(refused(BinaryType::inet, "1.2.3"));
  EXPECT_TRUE(refused(BinaryType::inet, "256.1.1.1"));
  EXPECT_TRUE(refused(BinaryType::inet, "1.2.3.4/33"));
  EXPECT_TRUE(refused(BinaryType::inet, "::1")) << "IPv6 is not sent in binary";
  EXPECT_EQ(field(BinaryType::jsonb, "{}"), std::string("\0\0\0\3\1{}", 7));
  EXPECT_EQ(field(BinaryType::text, "h\xc3\xa9llo"), std::string("\0\0\0\6h\xc3\xa9llo", 10));
  EXPECT_EQ(field(BinaryType::text, ""), std::string("\0\0\0\0", 4)) << "empty is not NULL";
}

}  // namespace
}  // namespace dbvet::engines::postgres
