#include "analyzer/engines/postgres/copy_binary.hpp"

#include <array>
#include <limits>

#include "analyzer/util/time.hpp"

namespace dbvet::engines::postgres {
namespace {

template <class T>
void put_be(std::string& out, T value) {
  auto bits = static_cast<std::make_unsigned_t<T>>(value);
  char bytes[sizeof(T)];
  for (size_t i = 0; i < sizeof(T); ++i) bytes[i] = static_cast<char>((bits >> (8 * (sizeof(T) - 1 - i))) & 0xff);
  out.append(bytes, sizeof(T));
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }

std::optional<int64_t> parse_integer(std::string_view text, int64_t min, int64_t max) {
  size_t i = 0;
  bool negative = false;
  if (i < text.size() && (text[i] == '-' || text[i] == '+')) negative = text[i++] == '-';
  if (i == text.size() || text.size() - i > 19) return std::nullopt;
  // Accumulated negatively, so that the minimum of int64 fits.
  int64_t value = 0;
  for (; i < text.size(); ++i) {
    if (!is_digit(text[i])) return std::nullopt;
    const int digit = text[i] - '0';
    if (value < (std::numeric_limits<int64_t>::min() + digit) / 10) return std::nullopt;
    value = value * 10 - digit;
  }
  if (!negative) {
    if (value == std::numeric_limits<int64_t>::min()) return std::nullopt;
    value = -value;
  }
  if (value < min || value > max) return std::nullopt;
  return value;
}

// Exactly `count` digits at `at`.
bool digits(std::string_view text, size_t at, size_t count, int& value) {
  if (at + count > text.size()) return false;
  value = 0;
  for (size_t i = at; i < at + count; ++i) {
    if (!is_digit(text[i])) return false;
    value = value * 10 + (text[i] - '0');
  }
  return true;
}

int days_in_month(int year, int month) {
  static constexpr std::array<int, 12> kDays = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return month == 2 && leap ? 29 : kDays[static_cast<size_t>(month - 1)];
}

// Microseconds since 2000-01-01 00:00:00 (UTC when `with_offset`), PostgreSQL's timestamp form.
std::optional<int64_t> parse_timestamp(std::string_view text, bool with_offset) {
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
  if (!digits(text, 0, 4, year) || text.size() < 19 || text[4] != '-' || !digits(text, 5, 2, month) || text[7] != '-' ||
      !digits(text, 8, 2, day) || (text[10] != ' ' && text[10] != 'T') || !digits(text, 11, 2, hour) ||
      text[13] != ':' || !digits(text, 14, 2, minute) || text[16] != ':' || !digits(text, 17, 2, second)) {
    return std::nullopt;
  }
  if (year < 1 || month < 1 || month > 12 || day < 1 || day > days_in_month(year, month) || hour > 23 || minute > 59 ||
      second > 59) {
    return std::nullopt;
  }
  size_t at = 19;
  int64_t micros = 0;
  if (at < text.size() && text[at] == '.') {
    ++at;
    int scale = 100000;
    const size_t start = at;
    while (at < text.size() && is_digit(text[at])) {
      if (at - start >= 6) return std::nullopt;  // the server would round: not ours to guess
      micros += (text[at++] - '0') * scale;
      scale /= 10;
    }
    if (at == start) return std::nullopt;
  }
  int64_t offset_seconds = 0;
  if (at < text.size()) {
    if (!with_offset) return std::nullopt;
    if (text[at] == 'Z' && at + 1 == text.size()) {
      at = text.size();
    } else if (text[at] == '+' || text[at] == '-') {
      const int sign = text[at] == '-' ? -1 : 1;
      int hours = 0, minutes = 0;
      if (!digits(text, at + 1, 2, hours)) return std::nullopt;
      at += 3;
      if (at < text.size() && text[at] == ':') ++at;
      if (at < text.size()) {
        if (!digits(text, at, 2, minutes) || at + 2 != text.size()) return std::nullopt;
        at += 2;
      }
      if (hours > 15 || minutes > 59) return std::nullopt;
      offset_seconds = sign * (hours * 3600 + minutes * 60);
    } else {
      return std::nullopt;
    }
  } else if (with_offset) {
    return std::nullopt;
  }
  constexpr int64_t kPostgresEpochDays = 10957;  // 2000-01-01 after 1970-01-01
  const int64_t days =
      util::days_from_civil(year, static_cast<unsigned>(month), static_cast<unsigned>(day)) - kPostgresEpochDays;
  const int64_t seconds = days * 86400 + hour * 3600 + minute * 60 + second - offset_seconds;
  return seconds * 1000000 + micros;
}

std::optional<bool> parse_bool(std::string_view text) {
  if (text.size() == 1) {  // the usual forms, without a copy
    if (text[0] == '1' || text[0] == 't' || text[0] == 'T' || text[0] == 'y' || text[0] == 'Y') return true;
    if (text[0] == '0' || text[0] == 'f' || text[0] == 'F' || text[0] == 'n' || text[0] == 'N') return false;
    return std::nullopt;
  }
  if (text.size() > 5) return std::nullopt;
  char lower[5];
  for (size_t i = 0; i < text.size(); ++i)
    lower[i] = static_cast<char>(text[i] >= 'A' && text[i] <= 'Z' ? text[i] + 32 : text[i]);
  const std::string_view word(lower, text.size());
  if (word == "true" || word == "yes" || word == "on") return true;
  if (word == "false" || word == "no" || word == "off") return false;
  return std::nullopt;
}

// inet's binary form: family, bits, is_cidr, address length, address bytes.
bool append_inet(std::string& out, std::string_view text) {
  std::array<unsigned char, 4> address{};
  size_t at = 0;
  for (size_t part = 0; part < 4; ++part) {
    if (part && (at >= text.size() || text[at++] != '.')) return false;
    const size_t start = at;
    int value = 0;
    while (at < text.size() && is_digit(text[at]) && at - start < 3) value = value * 10 + (text[at++] - '0');
    if (at == start || value > 255) return false;
    address[part] = static_cast<unsigned char>(value);
  }
  int bits = 32;
  if (at < text.size()) {
    if (text[at++] != '/') return false;
    const size_t start = at;
    bits = 0;
    while (at < text.size() && is_digit(text[at]) && at - start < 2) bits = bits * 10 + (text[at++] - '0');
    if (at == start || at != text.size() || bits > 32) return false;
  }
  constexpr char kPgsqlAfInet = 2;  // AF_INET + 0, as PostgreSQL defines it on every platform
  put_be<int32_t>(out, 8);
  out += kPgsqlAfInet;
  out += static_cast<char>(bits);
  out += '\0';  // not cidr
  out += '\4';
  out.append(reinterpret_cast<const char*>(address.data()), address.size());
  return true;
}

}  // namespace

std::optional<BinaryType> binary_type(std::string_view typname) {
  if (typname == "int2") return BinaryType::int2;
  if (typname == "int4") return BinaryType::int4;
  if (typname == "int8") return BinaryType::int8;
  if (typname == "bool") return BinaryType::boolean;
  if (typname == "text" || typname == "varchar" || typname == "bpchar" || typname == "json") return BinaryType::text;
  if (typname == "timestamptz") return BinaryType::timestamptz;
  if (typname == "timestamp") return BinaryType::timestamp;
  if (typname == "inet") return BinaryType::inet;
  if (typname == "jsonb") return BinaryType::jsonb;
  return std::nullopt;
}

void append_copy_binary_header(std::string& out) {
  static constexpr char kSignature[] = "PGCOPY\n\377\r\n";
  out.append(kSignature, sizeof kSignature);  // with its terminating NUL, which is part of it
  put_be<int32_t>(out, 0);
  put_be<int32_t>(out, 0);
}

void append_copy_binary_trailer(std::string& out) { put_be<int16_t>(out, -1); }
void append_copy_binary_tuple_start(std::string& out, int16_t fields) { put_be<int16_t>(out, fields); }
void append_copy_binary_null(std::string& out) { put_be<int32_t>(out, -1); }

bool append_copy_binary_field(std::string& out, BinaryType type, std::string_view text) {
  switch (type) {
    case BinaryType::int2: {
      auto value = parse_integer(text, std::numeric_limits<int16_t>::min(), std::numeric_limits<int16_t>::max());
      if (!value) return false;
      put_be<int32_t>(out, 2);
      put_be<int16_t>(out, static_cast<int16_t>(*value));
      return true;
    }
    case BinaryType::int4: {
      auto value = parse_integer(text, std::numeric_limits<int32_t>::min(), std::numeric_limits<int32_t>::max());
      if (!value) return false;
      put_be<int32_t>(out, 4);
      put_be<int32_t>(out, static_cast<int32_t>(*value));
      return true;
    }
    case BinaryType::int8: {
      auto value = parse_integer(text, std::numeric_limits<int64_t>::min(), std::numeric_limits<int64_t>::max());
      if (!value) return false;
      put_be<int32_t>(out, 8);
      put_be<int64_t>(out, *value);
      return true;
    }
    case BinaryType::boolean: {
      auto value = parse_bool(text);
      if (!value) return false;
      put_be<int32_t>(out, 1);
      out += *value ? '\1' : '\0';
      return true;
    }
    case BinaryType::text:
      if (text.size() > static_cast<size_t>(std::numeric_limits<int32_t>::max())) return false;
      put_be<int32_t>(out, static_cast<int32_t>(text.size()));
      out.append(text);
      return true;
    case BinaryType::jsonb:
      if (text.size() >= static_cast<size_t>(std::numeric_limits<int32_t>::max())) return false;
      put_be<int32_t>(out, static_cast<int32_t>(text.size() + 1));
      out += '\1';  // jsonb's binary format version; the server still parses the JSON text
      out.append(text);
      return true;
    case BinaryType::timestamptz:
    case BinaryType::timestamp: {
      auto value = parse_timestamp(text, type == BinaryType::timestamptz);
      if (!value) return false;
      put_be<int32_t>(out, 8);
      put_be<int64_t>(out, *value);
      return true;
    }
    case BinaryType::inet:
      return append_inet(out, text);
  }
  return false;
}

}  // namespace dbvet::engines::postgres
