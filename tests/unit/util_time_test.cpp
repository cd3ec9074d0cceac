#include <gtest/gtest.h>

#include <ctime>

#include "analyzer/util/time.hpp"

namespace dbvet::util {
namespace {

TEST(UtilTime, DaysFromCivilKnownDates) {
  EXPECT_EQ(days_from_civil(1970, 1, 1), 0);
  EXPECT_EQ(days_from_civil(1969, 12, 31), -1);
  EXPECT_EQ(days_from_civil(2000, 1, 1), 10957);                             // PostgreSQL's epoch
  EXPECT_EQ(days_from_civil(2000, 3, 1) - days_from_civil(2000, 2, 28), 2);  // 2000 is a leap year
  EXPECT_EQ(days_from_civil(1900, 3, 1) - days_from_civil(1900, 2, 28), 1);  // 1900 is not
  EXPECT_EQ(days_from_civil(2024, 3, 1) - days_from_civil(2024, 2, 28), 2);
  EXPECT_EQ(days_from_civil(2023, 3, 1) - days_from_civil(2023, 2, 28), 1);
  EXPECT_EQ(days_from_civil(0, 3, 1), -719468);                          // the algorithm's own anchor
  EXPECT_EQ(days_from_civil(-1, 12, 31), days_from_civil(0, 1, 1) - 1);  // negative years
  static_assert(days_from_civil(2038, 1, 19) == 24855);
}

TEST(UtilTime, CivilFromDaysInvertsDaysFromCivil) {
  for (int64_t days = -800000; days <= 800000; days += 997) {
    const CivilDate d = civil_from_days(days);
    EXPECT_EQ(days_from_civil(d.year, d.month, d.day), days) << days;
  }
  EXPECT_EQ(civil_from_days(-1), (CivilDate{1969, 12, 31}));
  EXPECT_EQ(civil_from_days(days_from_civil(2024, 2, 29)), (CivilDate{2024, 2, 29}));
  EXPECT_EQ(civil_from_days(days_from_civil(-400, 2, 29)), (CivilDate{-400, 2, 29}));
}

TEST(UtilTime, AgreesWithTimegm) {
  for (int64_t t : {0LL, 951782400LL, 1709164800LL, 4102444799LL, 253402300799LL}) {
    std::tm tm{};
    const time_t tt = static_cast<time_t>(t);
    gmtime_r(&tt, &tm);
    EXPECT_EQ(days_from_civil(tm.tm_year + 1900, unsigned(tm.tm_mon + 1), unsigned(tm.tm_mday)) * 86400 +
                  tm.tm_hour * 3600 + tm.tm_min * 60 + tm.tm_sec,
              t);
  }
}

TEST(UtilTime, ParsesBothSeparatorsWithoutRangeChecks) {
  auto f = parse_iso8601_fields("2024-02-29T23:59:60");
  ASSERT_TRUE(f);
  EXPECT_EQ(f->year, 2024);
  EXPECT_EQ(f->month, 2u);
  EXPECT_EQ(f->day, 29u);
  EXPECT_EQ(f->hour, 23);
  EXPECT_EQ(f->minute, 59);
  EXPECT_EQ(f->second, 60);
  EXPECT_EQ(to_epoch_seconds(*parse_iso8601_fields("1970-01-02 00:00:01")), 86401);
  // Range checks are the callers': hour 24 and month 13 are read as written.
  ASSERT_TRUE(parse_iso8601_fields("2024-13-01 24:00:00"));
  EXPECT_EQ(parse_iso8601_fields("2024-13-01 24:00:00")->month, 13u);
  // Only the first 19 bytes are read: a fraction or zone after them is the caller's.
  EXPECT_TRUE(parse_iso8601_fields("2024-01-01 00:00:00.123 UTC"));
}

TEST(UtilTime, RefusesOtherShapes) {
  EXPECT_FALSE(parse_iso8601_fields(""));
  EXPECT_FALSE(parse_iso8601_fields("2024-01-01 00:00:0"));  // 18 bytes
  EXPECT_FALSE(parse_iso8601_fields("2024-01-01_00:00:00"));
  EXPECT_FALSE(parse_iso8601_fields("2024/01/01 00:00:00"));
  EXPECT_FALSE(parse_iso8601_fields("2024-01-01  0:00:00"));
  EXPECT_FALSE(parse_iso8601_fields("-024-01-01 00:00:00"));
  EXPECT_FALSE(parse_iso8601_fields("2024-01-01 00:00:0x"));
}

TEST(UtilTime, FormatsUtc) {
  EXPECT_EQ(format_iso8601(0), "1970-01-01T00:00:00Z");
  EXPECT_EQ(format_iso8601(0, ' ', false), "1970-01-01 00:00:00");
  EXPECT_EQ(format_iso8601(-1), "1969-12-31T23:59:59Z");  // floor, not truncation
  EXPECT_EQ(format_iso8601(-86400), "1969-12-31T00:00:00Z");
  EXPECT_EQ(format_iso8601(951868799), "2000-02-29T23:59:59Z");  // leap day
  EXPECT_EQ(format_iso8601(1709251199, ' ', false), "2024-02-29 23:59:59");
  EXPECT_EQ(format_iso8601(253402300799), "9999-12-31T23:59:59Z");
  for (int64_t t : {-100000LL, 0LL, 1234567890LL, 1709164800LL}) {
    EXPECT_EQ(to_epoch_seconds(*parse_iso8601_fields(format_iso8601(t))), t);
  }
}

TEST(UtilTime, NowIsZuluAndCurrent) {
  const std::string now = now_iso8601();
  ASSERT_EQ(now.size(), 20u);
  EXPECT_EQ(now.back(), 'Z');
  const auto fields = parse_iso8601_fields(now);
  ASSERT_TRUE(fields);
  EXPECT_LE(std::abs(to_epoch_seconds(*fields) - static_cast<int64_t>(std::time(nullptr))), 5);
}

}  // namespace
}  // namespace dbvet::util
