#pragma once
// Calendar arithmetic and ISO-8601 date-times in UTC, without the C library's time zone state
// (timegm/gmtime_r are slow, and log readers convert a timestamp per record). Howard Hinnant's
// days_from_civil / civil_from_days: proleptic Gregorian calendar, any year, negative included.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace dbvet::util {

// Days since 1970-01-01 of year-month-day (month 1..12, day 1..31; not range-checked).
constexpr int64_t days_from_civil(int64_t year, unsigned month, unsigned day) {
  year -= month <= 2;
  const int64_t era = (year >= 0 ? year : year - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(year - era * 400);
  const unsigned doy = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

struct CivilDate {
  int64_t year = 1970;
  unsigned month = 1;
  unsigned day = 1;
  friend bool operator==(const CivilDate&, const CivilDate&) = default;
};

// The date of a day counted from 1970-01-01.
constexpr CivilDate civil_from_days(int64_t days) {
  days += 719468;
  const int64_t era = (days >= 0 ? days : days - 146096) / 146097;
  const int64_t doe = days - era * 146097;
  const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int64_t mp = (5 * doy + 2) / 153;
  CivilDate date;
  date.day = static_cast<unsigned>(doy - (153 * mp + 2) / 5 + 1);
  date.month = static_cast<unsigned>(mp < 10 ? mp + 3 : mp - 9);
  date.year = yoe + era * 400 + (date.month <= 2 ? 1 : 0);
  return date;
}

// The fields of "YYYY-MM-DDTHH:MM:SS" or "YYYY-MM-DD HH:MM:SS", as written, not range-checked:
// callers differ on what they accept (hour 24, second 60).
struct DateTimeFields {
  int year = 0;
  unsigned month = 0, day = 0;
  int hour = 0, minute = 0, second = 0;
};

// Reads exactly the 19 bytes at `s` (the caller checks that they are there); nullopt when they
// are not the shape above. Inline: log readers call it per record.
inline std::optional<DateTimeFields> parse_iso8601_fields(const char* s) {
  for (unsigned i : {0u, 1u, 2u, 3u, 5u, 6u, 8u, 9u, 11u, 12u, 14u, 15u, 17u, 18u}) {
    if (s[i] < '0' || s[i] > '9') return std::nullopt;
  }
  if (s[4] != '-' || s[7] != '-' || (s[10] != ' ' && s[10] != 'T') || s[13] != ':' || s[16] != ':') return std::nullopt;
  auto two = [s](unsigned i) { return (s[i] - '0') * 10 + (s[i + 1] - '0'); };
  DateTimeFields f;
  f.year = two(0) * 100 + two(2);
  f.month = static_cast<unsigned>(two(5));
  f.day = static_cast<unsigned>(two(8));
  f.hour = two(11);
  f.minute = two(14);
  f.second = two(17);
  return f;
}
inline std::optional<DateTimeFields> parse_iso8601_fields(std::string_view s) {
  if (s.size() < 19) return std::nullopt;
  return parse_iso8601_fields(s.data());
}

// Seconds since the epoch of a date-time read as UTC (fields not range-checked).
constexpr int64_t to_epoch_seconds(const DateTimeFields& f) {
  return days_from_civil(f.year, f.month, f.day) * 86400 + f.hour * 3600 + f.minute * 60 + f.second;
}

// "2024-03-01 12:34:56" (separator ' ') or "2024-03-01T12:34:56Z" (separator 'T', zulu) for
// seconds since the epoch in UTC. Years are written with four digits (0000..9999).
std::string format_iso8601(int64_t epoch_seconds, char separator = 'T', bool zulu = true);

// The current time, "YYYY-MM-DDTHH:MM:SSZ".
std::string now_iso8601();

}  // namespace dbvet::util
