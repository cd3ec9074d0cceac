#pragma once
// Numbers, durations and sizes read from text with std::from_chars: no locale, no exceptions, no
// allocation, and the whole text must be a number (std::stod would take "5xyz" as 5).

#include <charconv>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string_view>
#include <system_error>
#include <type_traits>

namespace dbvet::util {

// An integer of type T filling all of `text` (an optional leading '-' for signed types, no '+',
// no spaces); nullopt when empty, not a number or out of T's range.
template <typename T>
std::optional<T> parse_int(std::string_view text, int base = 10) {
  static_assert(std::is_integral_v<T>);
  T value{};
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, value, base);
  if (ec != std::errc() || ptr != end || text.empty()) return std::nullopt;
  return value;
}

// A double filling all of `text` ("1.5", "-2", "1e3"; no '+', no spaces, no hex); nullopt when
// it is not one or overflows.
std::optional<double> parse_double(std::string_view text);

// A plain decimal at `begin`: digits, optionally '.' and more digits, at most 15 digits in all,
// not followed by an exponent. These are nearly all the numbers logs hold ("0.000123", "42"),
// and they are read as the digits as an integer divided by a power of ten: both are exact
// doubles, so the one correctly rounded division gives what strtod and from_chars give
// (Clinger's fast path). Returns the end of the number read, or nullptr when the text does not
// start with such a decimal ("1." included), for the caller's general parser to decide.
// Inline: the log readers call it for every duration.
inline const char* parse_plain_decimal(const char* begin, const char* end, double& value) {
  static constexpr double kPowersOfTen[] = {1e0, 1e1, 1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                            1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15};
  const char* p = begin;
  uint64_t mantissa = 0;  // wraps on long inputs, which are refused below
  int digits = 0, decimals = 0;
  while (p != end && *p >= '0' && *p <= '9') {
    mantissa = mantissa * 10 + static_cast<uint64_t>(*p++ - '0');
    ++digits;
  }
  if (digits > 0 && p != end && *p == '.') {
    const char* frac = ++p;
    while (p != end && *p >= '0' && *p <= '9') {
      mantissa = mantissa * 10 + static_cast<uint64_t>(*p++ - '0');
      ++digits;
    }
    decimals = static_cast<int>(p - frac);
    if (decimals == 0) return nullptr;  // "1." : the general parser decides
  }
  if (digits == 0 || digits > 15 || (p != end && (*p == 'e' || *p == 'E'))) return nullptr;
  // Whole numbers (row counts) need no division.
  value = decimals == 0 ? static_cast<double>(mantissa) : static_cast<double>(mantissa) / kPowersOfTen[decimals];
  return p;
}

// "500ms", "10s", "10" (seconds), "2m", "1.5h" as milliseconds: a non-negative decimal and a unit
// (ms, s, m, h; none means seconds). nullopt when it is not one, is negative, or is over 1e12 ms.
// A positive duration under 1 ms counts as 1 ms, so that it never reads as "none".
std::optional<std::chrono::milliseconds> parse_duration(std::string_view text);

// "500MB", "2 GB", "64kB", "1048576" as bytes, with 1024-based units as PostgreSQL's size
// settings (b, k/kb, m/mb, g/gb, t/tb, any case, spaces allowed before the unit). nullopt when it
// is not one or is not positive.
std::optional<int64_t> parse_byte_size(std::string_view text);

}  // namespace dbvet::util
