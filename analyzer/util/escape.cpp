#include "analyzer/util/escape.hpp"

#include <cctype>

namespace dbvet::util {

std::string escape_markup(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string shell_quote(std::string_view text) {
  bool bare = !text.empty();
  for (unsigned char c : text) {
    bool safe = std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '/' || c == ':' || c == '=' || c == '@' ||
                c == ',' || c == '+' || c == '%';
    bare = bare && safe;
  }
  if (bare) return std::string(text);
  std::string out = "'";
  for (char c : text) {
    if (c == '\'') {
      out += "'\\''";
    } else {
      out += c;
    }
  }
  return out + "'";
}

}  // namespace dbvet::util
