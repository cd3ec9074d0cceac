#include "analyzer/core/redact.hpp"

namespace dbvet::core {

std::string redact_url(std::string_view text) {
  std::string out;
  size_t at = 0;
  while (at < text.size()) {
    size_t scheme_end = text.find("://", at);
    if (scheme_end == std::string_view::npos) break;
    size_t authority = scheme_end + 3;
    size_t end = authority;
    while (end < text.size() && text[end] != '/' && text[end] != '?' && text[end] != '#' && text[end] != ' ' &&
           text[end] != '\t' && text[end] != '\n' && text[end] != '\'' && text[end] != '"')
      ++end;
    // The password may hold an unescaped '@': the last one ends the user info, as in parse_target_url.
    size_t user_end = text.substr(authority, end - authority).rfind('@');
    out.append(text.substr(at, authority - at));
    if (user_end != std::string_view::npos) {
      std::string_view userinfo = text.substr(authority, user_end);
      size_t colon = userinfo.find(':');
      out.append(userinfo.substr(0, colon));
      if (colon != std::string_view::npos) out += ":***";
      out += '@';
      at = authority + user_end + 1;
    } else {
      at = authority;
    }
  }
  out.append(text.substr(at));
  // password=VALUE anywhere (a query parameter; libpq's key=value strings too).
  for (size_t found = 0; (found = out.find("password=", found)) != std::string::npos;) {
    size_t value = found + 9;
    size_t end = value;
    while (end < out.size() && out[end] != '&' && out[end] != ' ' && out[end] != '#' && out[end] != '\n') ++end;
    out.replace(value, end - value, "***");
    found = value + 3;
  }
  return out;
}

}  // namespace dbvet::core
