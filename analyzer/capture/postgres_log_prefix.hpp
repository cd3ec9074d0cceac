#pragma once
// PostgreSQL's log_line_prefix compiled to a hand-written matcher (no regex on the hot path), the
// severity that follows it ("LOG:  "), and the timestamps the server prints.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "analyzer/core/expected.hpp"

namespace dbvet::capture::pglog {

enum class Severity : uint8_t {
  none,
  debug,
  info,
  notice,
  warning,
  error,
  log,
  fatal,
  panic,
  detail,
  hint,
  query,
  context,
  statement,
  location,
};

// The fields a prefix can carry, as views into the matched line.
struct PrefixFields {
  std::string_view timestamp;  // %t %m %s (the first met), or %n (epoch)
  bool epoch = false;          // timestamp came from %n
  std::string_view pid;
  std::string_view user;
  std::string_view database;
  std::string_view host;  // %h, or the host part of %r
  std::string_view line_number;
  size_t free_text = 0;
  std::optional<int64_t> unix_time;  // the timestamp parsed while matching (%t %m %s)  // characters matched by
                                     // free-text escapes (%u %d %a %h %r %i %b)
};

class LinePrefix {
 public:
  // Compiles a log_line_prefix written with the server's escapes (%t %m %n %p %l %u %d %a %h %r %c
  // %s %v %x %e %q %Q %i %b %P %%, with optional padding like %-10u).
  static core::Expected<LinePrefix> compile(std::string_view prefix);

  // Matches the prefix at the start of line, followed by "SEVERITY:" and spaces. On success sets
  // the fields, the severity and the position of the message.
  bool match(std::string_view line, PrefixFields& fields, Severity& severity, size_t& message_pos) const;

  const std::string& text() const { return text_; }
  size_t specificity() const { return tokens_.size(); }

 private:
  struct Token {
    enum Kind : uint8_t { literal, stamp, stamp_ms, epoch, digits, signed_digits, session, vxid, word, text, stop };
    Kind kind = literal;
    char escape = 0;
    bool padded = false;
    std::string lit;
    // For a text token: the literal that ends its value (the next token but %q), else -1; and
    // whether nothing but %q follows it (its value then ends at the severity).
    int follow = -1;
    bool last = false;
  };
  // Match without backtracking: every text value ends at the first occurrence of the literal
  // after it, %q is followed. That is the first path match_from tries, so when it matches, the
  // result is match_from's; when it does not, match_from tries the others.
  bool match_first_path(std::string_view line, PrefixFields& f, Severity& sev, size_t& msg) const;
  bool match_from(std::string_view line, size_t ti, size_t pos, PrefixFields& f, Severity& sev, size_t& msg) const;
  void assign(const Token& t, std::string_view value, PrefixFields& f) const;

  std::string text_;
  std::vector<Token> tokens_;
};

// "LOG:  " and friends at pos; returns the severity and sets msg to the message start.
Severity parse_severity(std::string_view line, size_t pos, size_t& msg);
// Finds the first "SEVERITY:  " in line (for lines whose prefix is unknown); npos when none.
size_t find_severity(std::string_view line, Severity& severity, size_t& msg);

// "YYYY-MM-DD HH:MM:SS[.fff][ TZ]" (also with 'T'); returns the characters consumed (0 when it does
// not start with a timestamp) and the Unix time, converted from the zone when it is known.
size_t parse_timestamp(std::string_view s, int64_t& unix_seconds, bool allow_zone = true);

// Parses a log_line_prefix line, or the text before a severity when the prefix is unknown,
// extracting what it can: a leading timestamp, [pid], user=, db=, client=/host=, user@db.
void guess_fields(std::string_view prefix_text, PrefixFields& fields);

// The log_line_prefix values detection tries, most specific first.
const std::vector<std::string>& common_prefixes();

}  // namespace dbvet::capture::pglog
