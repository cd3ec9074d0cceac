#include "analyzer/util/time.hpp"

#include <chrono>

namespace dbvet::util {

namespace {
void put2(char* out, int64_t value) {
  out[0] = static_cast<char>('0' + value / 10);
  out[1] = static_cast<char>('0' + value % 10);
}
}  // namespace

std::string format_iso8601(int64_t epoch_seconds, char separator, bool zulu) {
  // Floor division: a second before the epoch belongs to 1969-12-31.
  const int64_t days = epoch_seconds >= 0 ? epoch_seconds / 86400 : (epoch_seconds - 86399) / 86400;
  const int64_t seconds = epoch_seconds - days * 86400;
  const CivilDate date = civil_from_days(days);
  const int64_t year = date.year;
  char buffer[20];
  buffer[0] = static_cast<char>('0' + year / 1000 % 10);
  buffer[1] = static_cast<char>('0' + year / 100 % 10);
  put2(buffer + 2, year % 100);
  buffer[4] = '-';
  put2(buffer + 5, date.month);
  buffer[7] = '-';
  put2(buffer + 8, date.day);
  buffer[10] = separator;
  put2(buffer + 11, seconds / 3600);
  buffer[13] = ':';
  put2(buffer + 14, seconds / 60 % 60);
  buffer[16] = ':';
  put2(buffer + 17, seconds % 60);
  buffer[19] = 'Z';
  return std::string(buffer, zulu ? 20 : 19);
}

std::string now_iso8601() {
  const auto now = std::chrono::system_clock::now();
  return format_iso8601(std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count());
}

}  // namespace dbvet::util
