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
  std::string_view sqlstate;         // %e
  std::string_view query_id;         // %Q
  size_t free_text = 0;              // characters matched by free-text escapes (%u %d %a %h %r %i %b)
  std::optional<int64_t> unix_time;  // the timestamp parsed while matching (%t %m %s)
};

class LinePrefix {
 public:
  // Compiles a log_line_prefix written with the server's escapes (%t %m %n %p %l %u %d %a %h %r %c
  // %s %v %x %e %q %Q %i %b %P %%, with optional padding like %-10u).
  static core::Expected<LinePrefix> compile(std::string_view prefix);

  // Matches the prefix at the start of line, followed by "SEVERITY:" and spaces. On success sets
  // the fields, the severity and the position of the message. Not const: it remembers the end of
  // the last line it matched (see TailMemo), so one LinePrefix serves one reader (thread) at a time.
  bool match(std::string_view line, PrefixFields& fields, Severity& severity, size_t& message_pos);

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
    // A literal of up to 16 bytes as two words and the masks of its bytes, compared at once.
    uint64_t words[2] = {};
    uint64_t masks[2] = {};
  };
  // Where the first path stopped: on a token that does not match, at a severity (a text escape
  // that ends the prefix), or after the last token given.
  enum class PathEnd : uint8_t { failed, at_severity, done };

  // The part of the prefix after its last escape that is neither free text nor %q (tail_from_),
  // "-1] user=%u,db=%d,app=%a,client=%h " in "%t [%p]: [%l-1] user=%u,db=%d,app=%a,client=%h ",
  // usually reads the same bytes on every line, up to and with the severity. The first path over
  // it is a function of those bytes alone (it has no timestamp, and reads nothing past the
  // message start but, when "SEVERITY: " is followed by one space only, whether the character
  // at the message start is a space): the same bytes give the same fields, relative to the
  // tail's start, and message position. It is memoised for the last two tails seen (a LOG and
  // the DETAIL after it).
  struct Span {
    size_t offset = std::string_view::npos;  // npos: not set by the tail
    size_t size = 0;
  };
  struct TailMemo {
    bool valid = false;
    std::string bytes;        // from the tail's start to the message start
    bool reads_next = false;  // the severity read the character at the message start (not a space)
    Severity severity = Severity::none;
    size_t message = 0;
    size_t free_text = 0;
    Span user, database, host;
  };

  // Match without backtracking: every text value ends at the first occurrence of the literal
  // after it, %q is followed. That is the first path match_from tries, so when it matches, the
  // result is match_from's; when it does not, match_from tries the others.
  bool match_first_path(std::string_view line, PrefixFields& f, Severity& sev, size_t& msg);
  PathEnd first_path(std::string_view line, size_t begin, size_t end, size_t& pos, PrefixFields& f, Severity& sev,
                     size_t& msg) const;
  bool match_tail(std::string_view line, size_t pos, PrefixFields& f, Severity& sev, size_t& msg);
  bool match_from(std::string_view line, size_t ti, size_t pos, PrefixFields& f, Severity& sev, size_t& msg) const;
  static bool skip_field(Token::Kind kind, std::string_view line, size_t& pos, PrefixFields& f);
  void assign(const Token& t, std::string_view value, PrefixFields& f) const;

  std::string text_;
  std::vector<Token> tokens_;
  size_t tail_from_ = 0;
  bool memoise_tail_ = false;  // the tail has a free-text escape (else there is little to save)
  TailMemo memo_[2];
  uint8_t memo_victim_ = 0;  // the entry a new tail replaces: the one used less recently
};

// "LOG:  " and friends at pos; returns the severity and sets msg to the message start.
Severity parse_severity(std::string_view line, size_t pos, size_t& msg);
// "ERROR" for Severity::error...; "DEBUG" for every debug level, "" for none.
std::string_view severity_name(Severity severity);
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
