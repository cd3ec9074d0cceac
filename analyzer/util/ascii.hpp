#pragma once
// ASCII case folding and comparison. SQL keywords, identifiers and unit names are ASCII; bytes
// outside A-Z / a-z (UTF-8 included) are left as they are, whatever the process locale says.

#include <string>
#include <string_view>

namespace dbvet::util {

constexpr bool is_ascii_upper(char c) { return c >= 'A' && c <= 'Z'; }
constexpr bool is_ascii_lower(char c) { return c >= 'a' && c <= 'z'; }
constexpr bool is_ascii_digit(char c) { return c >= '0' && c <= '9'; }

constexpr char to_lower(char c) { return is_ascii_upper(c) ? static_cast<char>(c + 32) : c; }
constexpr char to_upper(char c) { return is_ascii_lower(c) ? static_cast<char>(c - 32) : c; }

inline std::string to_lower(std::string_view text) {
  std::string out(text);
  for (auto& c : out) c = to_lower(c);
  return out;
}
inline std::string to_upper(std::string_view text) {
  std::string out(text);
  for (auto& c : out) c = to_upper(c);
  return out;
}
// Overloads so that string literals and std::string pick the string form, not the char one.
inline std::string to_lower(const std::string& text) { return to_lower(std::string_view(text)); }
inline std::string to_upper(const std::string& text) { return to_upper(std::string_view(text)); }
inline std::string to_lower(const char* text) { return to_lower(std::string_view(text)); }
inline std::string to_upper(const char* text) { return to_upper(std::string_view(text)); }

// Inline: most calls compare a word with a keyword of another length and end at the size check
// (the fingerprint hot path calls it for every identifier).
inline bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (to_lower(a[i]) != to_lower(b[i])) return false;
  }
  return true;
}

inline bool istarts_with(std::string_view text, std::string_view prefix) {
  return text.size() >= prefix.size() && iequals(text.substr(0, prefix.size()), prefix);
}

}  // namespace dbvet::util
