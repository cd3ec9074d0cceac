#include <gtest/gtest.h>

#include <cstdlib>
#include <limits>
#include <string>

#include "analyzer/util/parse.hpp"

namespace dbvet::util {
namespace {

using std::chrono::milliseconds;

TEST(UtilParse, IntegersFillTheWholeText) {
  EXPECT_EQ(parse_int<int>("42"), 42);
  EXPECT_EQ(parse_int<int>("-7"), -7);
  EXPECT_EQ(parse_int<int64_t>("-9223372036854775808"), std::numeric_limits<int64_t>::min());
  EXPECT_EQ(parse_int<int64_t>("9223372036854775807"), std::numeric_limits<int64_t>::max());
  EXPECT_FALSE(parse_int<int64_t>("9223372036854775808"));  // overflow
  EXPECT_FALSE(parse_int<int16_t>("32768"));
  EXPECT_FALSE(parse_int<unsigned>("-1"));
  EXPECT_FALSE(parse_int<int>(""));
  EXPECT_FALSE(parse_int<int>("-"));
  EXPECT_FALSE(parse_int<int>("+1"));
  EXPECT_FALSE(parse_int<int>(" 1"));
  EXPECT_FALSE(parse_int<int>("12x"));
  EXPECT_EQ(parse_int<int>("ff", 16), 255);
}

TEST(UtilParse, DoublesFillTheWholeText) {
  EXPECT_EQ(parse_double("1.5"), 1.5);
  EXPECT_EQ(parse_double("-2"), -2.0);
  EXPECT_EQ(parse_double("1e3"), 1000.0);
  EXPECT_FALSE(parse_double(""));
  EXPECT_FALSE(parse_double("1.5ms"));
  EXPECT_FALSE(parse_double("1e400"));  // out of range
}

double strtod_of(const std::string& text) { return std::strtod(text.c_str(), nullptr); }

TEST(UtilParse, PlainDecimalsReadAsStrtodReadsThem) {
  for (std::string text : {"0", "42", "0.000123", "1.039", "123456789012345", "99999.9999999999", "0.1", "3.14159",
                           "000012", "1234.5678"}) {
    double value = -1;
    const char* end = text.data() + text.size();
    EXPECT_EQ(parse_plain_decimal(text.data(), end, value), end) << text;
    EXPECT_EQ(value, strtod_of(text)) << text;  // bit for bit
  }
  double value = 0;
  const std::string with_unit = "12.5 ms";
  EXPECT_EQ(parse_plain_decimal(with_unit.data(), with_unit.data() + with_unit.size(), value), with_unit.data() + 4);
  EXPECT_EQ(value, 12.5);
}

TEST(UtilParse, PlainDecimalLeavesOtherFormsToTheCaller) {
  for (std::string text :
       {"", ".5", "1.", "-1", "+1", "1e5", "1.5E-3", "1234567890123456", "12345678901234567890123", "x"}) {
    double value = 0;
    EXPECT_EQ(parse_plain_decimal(text.data(), text.data() + text.size(), value), nullptr) << text;
  }
}

TEST(UtilParse, Durations) {
  EXPECT_EQ(parse_duration("500ms"), milliseconds(500));
  EXPECT_EQ(parse_duration("10s"), milliseconds(10000));
  EXPECT_EQ(parse_duration("10"), milliseconds(10000));
  EXPECT_EQ(parse_duration("2m"), milliseconds(120000));
  EXPECT_EQ(parse_duration("1.5h"), milliseconds(5400000));
  EXPECT_EQ(parse_duration("0"), milliseconds(0));
  EXPECT_EQ(parse_duration("0.1ms"), milliseconds(1));   // never rounds a positive duration to none
  EXPECT_EQ(parse_duration(" 5s"), milliseconds(5000));  // as std::stod read it
  EXPECT_EQ(parse_duration("+5s"), milliseconds(5000));
  EXPECT_EQ(parse_duration("1e3ms"), milliseconds(1000));
  EXPECT_EQ(parse_duration("1000000000s"), milliseconds(1000000000000));  // the limit, 1e12 ms
  EXPECT_FALSE(parse_duration("1000000001s"));
  EXPECT_FALSE(parse_duration("-1s"));
  EXPECT_FALSE(parse_duration("+-1s"));
  EXPECT_FALSE(parse_duration(""));
  EXPECT_FALSE(parse_duration("s"));
  EXPECT_FALSE(parse_duration("5 s"));
  EXPECT_FALSE(parse_duration("5sec"));
  EXPECT_FALSE(parse_duration("5S"));
  EXPECT_FALSE(parse_duration("nan"));
  EXPECT_FALSE(parse_duration("inf"));
  EXPECT_FALSE(parse_duration("1e400"));
}

TEST(UtilParse, ByteSizes) {
  EXPECT_EQ(parse_byte_size("1048576"), 1048576);
  EXPECT_EQ(parse_byte_size("64kB"), 65536);
  EXPECT_EQ(parse_byte_size("500MB"), 500LL * 1024 * 1024);
  EXPECT_EQ(parse_byte_size("2 GB"), 2LL * 1024 * 1024 * 1024);
  EXPECT_EQ(parse_byte_size("1t"), 1LL << 40);
  EXPECT_EQ(parse_byte_size("1.5k"), 1536);
  EXPECT_EQ(parse_byte_size("10b"), 10);
  EXPECT_FALSE(parse_byte_size("0"));
  EXPECT_FALSE(parse_byte_size("-5MB"));
  EXPECT_FALSE(parse_byte_size(""));
  EXPECT_FALSE(parse_byte_size("MB"));
  EXPECT_FALSE(parse_byte_size("5 PB"));
  EXPECT_FALSE(parse_byte_size("9000000tb"));  // past int64
}

}  // namespace
}  // namespace dbvet::util
