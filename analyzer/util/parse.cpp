#include "analyzer/util/parse.hpp"

#include <cmath>
#include <string>

#include "analyzer/util/ascii.hpp"

namespace dbvet::util {

std::optional<double> parse_double(std::string_view text) {
  double value = 0;
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (ec != std::errc() || ptr != end || text.empty()) return std::nullopt;
  return value;
}

namespace {
// The number at the start of text as std::stod reads it (leading spaces and a '+' skipped), for
// the option parsers that took the number with stod and the rest as its unit; nullopt when
// there is none.
std::optional<double> leading_number(std::string_view text, size_t& used) {
  size_t i = 0;
  while (i < text.size() && (text[i] == ' ' || (text[i] >= '\t' && text[i] <= '\r'))) ++i;
  if (i < text.size() && text[i] == '+') ++i;
  if (i < text.size() && text[i] == '-' && i > 0 && text[i - 1] == '+') return std::nullopt;  // "+-1"
  double value = 0;
  auto [ptr, ec] = std::from_chars(text.data() + i, text.data() + text.size(), value);
  if (ec != std::errc()) return std::nullopt;
  used = static_cast<size_t>(ptr - text.data());
  return value;
}
}  // namespace

std::optional<std::chrono::milliseconds> parse_duration(std::string_view text) {
  size_t used = 0;
  const auto number = leading_number(text, used);
  if (!number) return std::nullopt;
  const std::string_view unit = text.substr(used);
  const double factor = unit == "ms"                  ? 1
                        : unit == "s" || unit.empty() ? 1000
                        : unit == "m"                 ? 60000
                        : unit == "h"                 ? 3600000
                                                      : -1;
  if (factor < 0 || !(*number >= 0) || *number * factor > 1e12) return std::nullopt;
  if (*number == 0) return std::chrono::milliseconds(0);
  return std::chrono::milliseconds(std::max<int64_t>(1, static_cast<int64_t>(*number * factor)));
}

std::optional<int64_t> parse_byte_size(std::string_view text) {
  size_t used = 0;
  const auto number = leading_number(text, used);
  if (!number) return std::nullopt;
  std::string_view unit = text.substr(used);
  while (!unit.empty() && unit.front() == ' ') unit.remove_prefix(1);
  const std::string lowered = to_lower(unit);
  double scale = -1;
  if (lowered.empty() || lowered == "b") scale = 1;
  if (lowered == "kb" || lowered == "k") scale = 1024.0;
  if (lowered == "mb" || lowered == "m") scale = 1024.0 * 1024;
  if (lowered == "gb" || lowered == "g") scale = 1024.0 * 1024 * 1024;
  if (lowered == "tb" || lowered == "t") scale = 1024.0 * 1024 * 1024 * 1024;
  if (scale < 0 || !(*number > 0)) return std::nullopt;
  const double bytes = *number * scale;
  if (!(bytes < 9.2e18)) return std::nullopt;  // past int64: the cast would be undefined
  return static_cast<int64_t>(bytes);
}

}  // namespace dbvet::util
