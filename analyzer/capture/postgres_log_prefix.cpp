#include "analyzer/capture/postgres_log_prefix.hpp"

#include <array>
#include <cstring>
#include <optional>

#include "analyzer/util/time.hpp"

namespace dbvet::capture::pglog {
namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_upper_or_digit(char c) { return (c >= 'A' && c <= 'Z') || is_digit(c); }
bool is_alpha(char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); }
bool is_alnum(char c) { return is_alpha(c) || is_digit(c); }
bool is_hex(char c) { return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }

struct SeverityName {
  std::string_view name;
  Severity severity;
};
constexpr std::array<SeverityName, 19> kSeverities{{
    {"LOG", Severity::log},           {"ERROR", Severity::error},
    {"DETAIL", Severity::detail},     {"STATEMENT", Severity::statement},
    {"HINT", Severity::hint},         {"CONTEXT", Severity::context},
    {"WARNING", Severity::warning},   {"FATAL", Severity::fatal},
    {"NOTICE", Severity::notice},     {"INFO", Severity::info},
    {"PANIC", Severity::panic},       {"QUERY", Severity::query},
    {"LOCATION", Severity::location}, {"DEBUG", Severity::debug},
    {"DEBUG1", Severity::debug},      {"DEBUG2", Severity::debug},
    {"DEBUG3", Severity::debug},      {"DEBUG4", Severity::debug},
    {"DEBUG5", Severity::debug},
}};

}  // namespace

std::string_view severity_name(Severity severity) {
  for (const auto& s : kSeverities) {
    if (s.severity == severity) return s.name;
  }
  return {};
}

namespace {

Severity severity_of(std::string_view word) {
  if (word == "LOG") return Severity::log;  // the common case first
  for (const auto& s : kSeverities) {
    if (s.name.size() == word.size() && s.name[0] == word[0] && s.name == word) return s.severity;
  }
  return Severity::none;
}

int two(std::string_view s, size_t i) { return (s[i] - '0') * 10 + (s[i + 1] - '0'); }

struct ZoneName {
  std::string_view name;
  int minutes;
};
// The abbreviations %t/%m/csvlog print (the tz database's, through log_timezone), for the zones
// most servers run in; where one names two zones the more common is taken (IST: India, CST: US
// Central). Zones without one print an offset ("+03"), read as such.
constexpr std::array<ZoneName, 50> kZones{{
    {"UTC", 0},    {"GMT", 0},    {"CET", 60},   {"CEST", 120}, {"EET", 120},   {"EEST", 180},  {"WET", 0},
    {"WEST", 60},  {"MSK", 180},  {"BST", 60},   {"IST", 330},  {"JST", 540},   {"KST", 540},   {"AEST", 600},
    {"AEDT", 660}, {"EST", -300}, {"EDT", -240}, {"CST", -360}, {"CDT", -300},  {"MST", -420},  {"MDT", -360},
    {"PST", -480}, {"PDT", -420}, {"HST", -600}, {"HDT", -540}, {"AKST", -540}, {"AKDT", -480}, {"AST", -240},
    {"ADT", -180}, {"NST", -210}, {"NDT", -150}, {"NZST", 720}, {"NZDT", 780},  {"ACST", 570},  {"ACDT", 630},
    {"AWST", 480}, {"HKT", 480},  {"WIB", 420},  {"WITA", 480}, {"WIT", 540},   {"PKT", 300},   {"IDT", 180},
    {"SAST", 120}, {"CAT", 120},  {"EAT", 180},  {"WAT", 60},   {"ChST", 600},  {"SST", -660},  {"MET", 60},
    {"MEST", 120},
}};
int zone_minutes(std::string_view zone) {
  if (zone == "UTC" || zone == "GMT") return 0;
  for (const auto& z : kZones) {
    if (z.name.size() == zone.size() && z.name[0] == zone[0] && z.name == zone) return z.minutes;
  }
  return 0;  // unknown abbreviations are taken as UTC
}

// "+01", "-0530", "+05:30" at s[i]; returns characters consumed.
size_t parse_offset(std::string_view s, size_t i, int& minutes) {
  if (i >= s.size() || (s[i] != '+' && s[i] != '-')) return 0;
  size_t j = i + 1;
  if (j + 2 > s.size() || !is_digit(s[j]) || !is_digit(s[j + 1])) return 0;
  int h = two(s, j);
  j += 2;
  int m = 0;
  if (j < s.size() && s[j] == ':' && j + 3 <= s.size() && is_digit(s[j + 1]) && is_digit(s[j + 2])) {
    m = two(s, j + 1);
    j += 3;
  } else if (j + 2 <= s.size() && is_digit(s[j]) && is_digit(s[j + 1])) {
    m = two(s, j);
    j += 2;
  }
  minutes = (h * 60 + m) * (s[i] == '-' ? -1 : 1);
  return j - i;
}

}  // namespace

Severity parse_severity(std::string_view line, size_t pos, size_t& msg) {
  size_t i = pos;
  while (i < line.size() && is_upper_or_digit(line[i])) ++i;
  if (i == pos || i + 1 >= line.size() || line[i] != ':' || line[i + 1] != ' ') return Severity::none;
  Severity s = severity_of(line.substr(pos, i - pos));
  if (s == Severity::none) return s;
  i += 2;
  if (i < line.size() && line[i] == ' ') ++i;
  msg = i;
  return s;
}

size_t find_severity(std::string_view line, Severity& severity, size_t& msg) {
  size_t from = 0;
  while (from < line.size()) {
    const void* hit = std::memchr(line.data() + from, ':', line.size() - from);
    if (hit == nullptr) return std::string_view::npos;
    size_t colon = static_cast<size_t>(static_cast<const char*>(hit) - line.data());
    from = colon + 1;
    if (colon + 2 >= line.size() || line[colon + 1] != ' ' || line[colon + 2] != ' ') continue;
    size_t start = colon;
    while (start > 0 && is_upper_or_digit(line[start - 1])) --start;
    if (start == colon || (start > 0 && is_alpha(line[start - 1]))) continue;
    Severity s = parse_severity(line, start, msg);
    if (s != Severity::none) {
      severity = s;
      return start;
    }
  }
  return std::string_view::npos;
}

namespace {
// The "YYYY-MM-DD HH:MM:SS" part of a timestamp in seconds since the epoch, or nullopt when it is
// not one.
std::optional<int64_t> parse_date_time(const char* s) {
  const auto f = util::parse_iso8601_fields(s);
  if (!f) return std::nullopt;
  if (f->month < 1 || f->month > 12 || f->day < 1 || f->day > 31 || f->hour > 24 || f->minute > 59 || f->second > 60) {
    return std::nullopt;
  }
  return util::to_epoch_seconds(*f);
}

// A log prints the same second on many consecutive lines: its text and value, per thread (each
// -j part reads on its own thread) so that no reader shares it.
struct LastDateTime {
  char text[19] = {};
  int64_t seconds = 0;
  bool valid = false;
  // The last zone abbreviation read (" UTC"), and its offset.
  char zone[6] = {};
  size_t zone_size = 0;
  int zone_minutes = 0;
  // The last whole timestamp read with that zone ("2024-01-01 12:00:00 UTC"), and its value.
  char whole[32] = {};
  size_t whole_size = 0;
  int64_t whole_seconds = 0;
};

uint64_t word_at(const char* p) {
  uint64_t w = 0;
  std::memcpy(&w, p, 8);
  return w;
}

// Whether a and b have the same n bytes, 16 <= n <= 32: four words, overlapping, no call.
bool same_16_to_32(const char* a, const char* b, size_t n) {
  return word_at(a) == word_at(b) && word_at(a + 8) == word_at(b + 8) && word_at(a + n - 16) == word_at(b + n - 16) &&
         word_at(a + n - 8) == word_at(b + n - 8);
}

// Whether the alpha run of a zone abbreviation ends at s[j] and nothing after it is read: not a
// letter, nor ':' (a severity may follow), nor a sign ("UTC+3").
bool zone_ends_at(std::string_view s, size_t j) {
  return j == s.size() || (!is_alpha(s[j]) && s[j] != ':' && s[j] != '+' && s[j] != '-');
}
thread_local LastDateTime last_date_time;
}  // namespace

size_t parse_timestamp(std::string_view s, int64_t& unix_seconds, bool allow_zone) {
  if (s.size() < 19) return 0;
  int64_t date_time = 0;
  LastDateTime& last = last_date_time;
  if (allow_zone && last.whole_size > 0 && s.size() >= last.whole_size &&
      same_16_to_32(s.data(), last.whole, last.whole_size) && zone_ends_at(s, last.whole_size)) {
    unix_seconds = last.whole_seconds;  // the same bytes read the same way (see below)
    return last.whole_size;
  }
  if (last.valid && std::memcmp(s.data(), last.text, 19) == 0) {
    date_time = last.seconds;
  } else {
    auto parsed = parse_date_time(s.data());
    if (!parsed) return 0;
    date_time = *parsed;
    std::memcpy(last.text, s.data(), 19);
    last.seconds = date_time;
    last.valid = true;
  }
  size_t i = 19;
  if (i < s.size() && s[i] == '.') {
    ++i;
    while (i < s.size() && is_digit(s[i])) ++i;
  }
  if (allow_zone && last.zone_size > 0 && i < s.size() && s[i] == ' ' && s.size() - i - 1 >= last.zone_size &&
      std::memcmp(s.data() + i + 1, last.zone, last.zone_size) == 0) {
    // The same abbreviation as last time, ending there: what the code below decides, as the
    // characters it reads are the same (it stops at the first non-letter; only ':' or a sign
    // there makes it read further).
    size_t j = i + 1 + last.zone_size;
    if (zone_ends_at(s, j)) {
      unix_seconds = date_time - last.zone_minutes * 60;
      if (j <= sizeof last.whole) {
        std::memcpy(last.whole, s.data(), j);
        last.whole_size = j;
        last.whole_seconds = unix_seconds;
      }
      return j;
    }
  }
  int offset_min = 0;
  if (allow_zone && i < s.size()) {
    if (s[i] == 'Z') {
      ++i;
    } else if (size_t n = parse_offset(s, i, offset_min)) {
      i += n;
    } else if (s[i] == ' ' && i + 1 < s.size() && (is_alpha(s[i + 1]) || s[i + 1] == '+' || s[i + 1] == '-')) {
      size_t j = i + 1;
      int minutes = 0;
      if (size_t n2 = parse_offset(s, j, minutes)) {
        offset_min = minutes;
        i = j + n2;
      } else {
        while (j < s.size() && is_alpha(s[j])) ++j;
        std::string_view zone = s.substr(i + 1, j - i - 1);
        size_t dummy = 0;
        bool severity_follows = j < s.size() && s[j] == ':' && parse_severity(s, i + 1, dummy) != Severity::none;
        if (!severity_follows && zone.size() >= 1 && zone.size() <= 6) {
          offset_min = zone_minutes(zone);
          std::memcpy(last.zone, zone.data(), zone.size());
          last.zone_size = zone.size();
          last.zone_minutes = offset_min;
          i = j;
          // "UTC+3" style suffixes
          int extra = 0;
          if (size_t n3 = parse_offset(s, i, extra)) i += n3;
        }
      }
    }
  }
  unix_seconds = date_time - offset_min * 60;
  return i;
}

namespace {
// Where a %r value "host(port)" ends when `lit` follows it: after the first "(digits)" before a
// space that `lit` follows; npos when there is none. An IPv6 client ("2001:db8::17(40112)")
// holds the ':' that RDS's "%t:%r:%u@%d:[%p]:" puts after %r: ending %r at the first ':' made the
// host "2001" and the user "db8::17(40112):app".
size_t after_port(std::string_view line, size_t pos, const std::string& lit) {
  for (size_t i = pos; i < line.size() && line[i] != ' '; ++i) {
    if (line[i] != '(') continue;
    size_t j = i + 1;
    while (j < line.size() && line[j] >= '0' && line[j] <= '9') ++j;
    if (j > i + 1 && j < line.size() && line[j] == ')' && line.compare(j + 1, lit.size(), lit) == 0) return j + 1;
  }
  return std::string_view::npos;
}

// Whether `lit` is at line[pos]: prefix literals are a few bytes ("]: [", " user="), compared
// inline rather than through a memcmp call per literal per line.
inline bool literal_at(std::string_view line, size_t pos, const std::string& lit) {
  if (pos > line.size() || line.size() - pos < lit.size()) return false;
  const char* p = line.data() + pos;
  for (size_t i = 0; i < lit.size(); ++i) {
    if (p[i] != lit[i]) return false;
  }
  return true;
}

// The first occurrence of `lit` (not empty) at or after pos, like std::string_view::find.
inline size_t find_literal(std::string_view line, size_t pos, const std::string& lit) {
  while (pos < line.size()) {
    const void* hit = std::memchr(line.data() + pos, lit[0], line.size() - pos);
    if (hit == nullptr) return std::string_view::npos;
    size_t at = static_cast<size_t>(static_cast<const char*>(hit) - line.data());
    if (literal_at(line, at, lit)) return at;
    pos = at + 1;
  }
  return std::string_view::npos;
}
}  // namespace

core::Expected<LinePrefix> LinePrefix::compile(std::string_view prefix) {
  LinePrefix p;
  p.text_ = std::string(prefix);
  auto add_literal = [&p](char c) {
    if (p.tokens_.empty() || p.tokens_.back().kind != Token::literal) p.tokens_.push_back(Token{});
    p.tokens_.back().lit += c;
  };
  for (size_t i = 0; i < prefix.size(); ++i) {
    char c = prefix[i];
    if (c != '%') {
      add_literal(c);
      continue;
    }
    size_t j = i + 1;
    bool padded = false;
    if (j < prefix.size() && prefix[j] == '-') ++j;
    while (j < prefix.size() && is_digit(prefix[j])) {
      ++j;
      padded = true;
    }
    if (j >= prefix.size()) {
      return core::make_error(core::ErrorKind::usage, "log_line_prefix '" + std::string(prefix) +
                                                          "': a '%' at the end, expected an escape like %m");
    }
    char e = prefix[j];
    i = j;
    Token t;
    t.escape = e;
    t.padded = padded;
    switch (e) {
      case '%':
        add_literal('%');
        continue;
      case 't':
      case 's':
        t.kind = Token::stamp;
        break;
      case 'm':
        t.kind = Token::stamp_ms;
        break;
      case 'n':
        t.kind = Token::epoch;
        break;
      case 'p':
      case 'l':
      case 'x':
      case 'P':
        t.kind = Token::digits;
        break;
      case 'Q':
        t.kind = Token::signed_digits;
        break;
      case 'c':
        t.kind = Token::session;
        break;
      case 'v':
        t.kind = Token::vxid;
        break;
      case 'e':
        t.kind = Token::word;
        break;
      case 'u':
      case 'd':
      case 'a':
      case 'h':
      case 'r':
      case 'i':
      case 'b':
        t.kind = Token::text;
        break;
      case 'q':
        t.kind = Token::stop;
        break;
      default:
        return core::make_error(core::ErrorKind::usage, "log_line_prefix '" + std::string(prefix) +
                                                            "': unknown escape %" + std::string(1, e) +
                                                            ", expected one of %t %m %n %p %l %u %d %a %h %r %c "
                                                            "%s %v %x %e %q %Q %i %b %P %%");
    }
    p.tokens_.push_back(std::move(t));
  }
  for (Token& t : p.tokens_) {
    if (t.kind != Token::literal || t.lit.size() > 16) continue;
    char bytes[16] = {}, mask[16] = {};
    std::memcpy(bytes, t.lit.data(), t.lit.size());
    std::memset(mask, 0xFF, t.lit.size());
    std::memcpy(t.words, bytes, 16);
    std::memcpy(t.masks, mask, 16);
  }
  for (size_t i = 0; i < p.tokens_.size(); ++i) {
    if (p.tokens_[i].kind != Token::text) continue;
    size_t next = i + 1;
    while (next < p.tokens_.size() && p.tokens_[next].kind == Token::stop) ++next;
    if (next < p.tokens_.size() && p.tokens_[next].kind == Token::literal) p.tokens_[i].follow = static_cast<int>(next);
    p.tokens_[i].last = next >= p.tokens_.size();
  }
  for (size_t i = 0; i < p.tokens_.size(); ++i) {
    Token::Kind k = p.tokens_[i].kind;
    if (k != Token::literal && k != Token::text && k != Token::stop) p.tail_from_ = i + 1;
  }
  for (size_t i = p.tail_from_; i < p.tokens_.size(); ++i) {
    if (p.tokens_[i].kind == Token::text) p.memoise_tail_ = true;
  }
  return p;
}

inline void LinePrefix::assign(const Token& t, std::string_view v, PrefixFields& f) const {
  while (t.padded && !v.empty() && v.back() == ' ') v.remove_suffix(1);
  if (t.kind == Token::text) f.free_text += v.size();
  switch (t.escape) {
    case 't':
    case 'm':
    case 's':
      if (f.timestamp.empty()) f.timestamp = v;
      break;
    case 'n':
      if (f.timestamp.empty()) {
        f.timestamp = v;
        f.epoch = true;
      }
      break;
    case 'p':
      f.pid = v;
      break;
    case 'l':
      f.line_number = v;
      break;
    case 'e':
      f.sqlstate = v;
      break;
    case 'Q':
      f.query_id = v;
      break;
    case 'u':
      f.user = v;
      break;
    case 'd':
      f.database = v;
      break;
    case 'h':
      f.host = v;
      break;
    case 'r': {
      size_t paren = v.find('(');
      f.host = paren == std::string_view::npos ? v : v.substr(0, paren);
      break;
    }
    default:
      break;
  }
}

namespace {
// fields = PrefixFields{} member by member: the compiler makes the assignment of the whole a
// "rep stos", slow to start for a structure this small, once per line.
void clear(PrefixFields& f) {
  f.timestamp = {};
  f.epoch = false;
  f.pid = {};
  f.user = {};
  f.database = {};
  f.host = {};
  f.line_number = {};
  f.free_text = 0;
  f.unix_time.reset();
}
}  // namespace

bool LinePrefix::match(std::string_view line, PrefixFields& fields, Severity& severity, size_t& message_pos) {
  clear(fields);
  if (match_first_path(line, fields, severity, message_pos)) return true;
  clear(fields);
  return match_from(line, 0, 0, fields, severity, message_pos);
}

bool LinePrefix::match_first_path(std::string_view line, PrefixFields& f, Severity& sev, size_t& msg) {
  size_t pos = 0;
  switch (first_path(line, 0, tail_from_, pos, f, sev, msg)) {
    case PathEnd::failed:
      return false;
    case PathEnd::at_severity:
      return true;
    case PathEnd::done:
      break;
  }
  if (memoise_tail_) return match_tail(line, pos, f, sev, msg);
  switch (first_path(line, tail_from_, tokens_.size(), pos, f, sev, msg)) {
    case PathEnd::failed:
      return false;
    case PathEnd::at_severity:
      return true;
    case PathEnd::done:
      break;
  }
  sev = parse_severity(line, pos, msg);
  return sev != Severity::none;
}

bool LinePrefix::match_tail(std::string_view line, size_t pos, PrefixFields& f, Severity& sev, size_t& msg) {
  auto set = [&](std::string_view& field, const Span& span) {
    if (span.offset != std::string_view::npos) field = line.substr(pos + span.offset, span.size);
  };
  size_t rest = line.size() - pos;
  for (uint8_t k = 0; k < 2; ++k) {
    const TailMemo& m = memo_[k];
    if (!m.valid || rest < m.bytes.size() || std::memcmp(line.data() + pos, m.bytes.data(), m.bytes.size()) != 0) {
      continue;
    }
    if (m.reads_next && rest > m.bytes.size() && line[pos + m.bytes.size()] == ' ') continue;
    set(f.user, m.user);
    set(f.database, m.database);
    set(f.host, m.host);
    f.free_text += m.free_text;
    sev = m.severity;
    msg = pos + m.message;
    memo_victim_ = k ^ 1;
    return true;
  }
  PrefixFields tail;
  size_t end = pos;
  switch (first_path(line, tail_from_, tokens_.size(), end, tail, sev, msg)) {
    case PathEnd::failed:
      return false;
    case PathEnd::at_severity:
      break;
    case PathEnd::done:
      sev = parse_severity(line, end, msg);
      if (sev == Severity::none) return false;
      break;
  }
  auto span = [&](std::string_view field) {
    if (field.data() == nullptr) return Span{};
    return Span{static_cast<size_t>(field.data() - line.data()) - pos, field.size()};
  };
  TailMemo& m = memo_[memo_victim_];
  memo_victim_ ^= 1;
  m.valid = true;
  m.bytes.assign(line.substr(pos, msg - pos));
  // "SEVERITY:" then ' ', then a second ' ' taken (not read past) or anything else read and left.
  m.reads_next = line[msg - 2] != ' ';
  m.severity = sev;
  m.message = msg - pos;
  m.free_text = tail.free_text;
  m.user = span(tail.user);
  m.database = span(tail.database);
  m.host = span(tail.host);
  set(f.user, m.user);
  set(f.database, m.database);
  set(f.host, m.host);
  f.free_text += m.free_text;
  return true;
}

// Past the value of an escape that is not free text (a time, digits, a session id, a word),
// the same on both matching paths; false where a time does not parse.
inline bool LinePrefix::skip_field(Token::Kind kind, std::string_view line, size_t& pos, PrefixFields& f) {
  switch (kind) {
    case Token::stamp:
    case Token::stamp_ms: {
      int64_t value = 0;
      size_t n = parse_timestamp(line.substr(pos), value);
      if (n == 0) return false;
      if (f.timestamp.empty()) f.unix_time = value;
      pos += n;
      return true;
    }
    case Token::epoch:
      while (pos < line.size() && (is_digit(line[pos]) || line[pos] == '.')) ++pos;
      return true;
    case Token::signed_digits:
      if (pos < line.size() && line[pos] == '-') ++pos;
      [[fallthrough]];
    case Token::digits:
      while (pos < line.size() && is_digit(line[pos])) ++pos;
      return true;
    case Token::session:
      while (pos < line.size() && (is_hex(line[pos]) || line[pos] == '.')) ++pos;
      return true;
    case Token::vxid:
      while (pos < line.size() && (is_digit(line[pos]) || line[pos] == '/')) ++pos;
      return true;
    case Token::word:
      while (pos < line.size() && is_alnum(line[pos])) ++pos;
      return true;
    default:
      return true;
  }
}

LinePrefix::PathEnd LinePrefix::first_path(std::string_view line, size_t begin, size_t end, size_t& position,
                                           PrefixFields& f, Severity& sev, size_t& msg) const {
  size_t pos = position;  // in a register, not through the reference, while scanning
  for (size_t ti = begin; ti < end; ++ti) {
    const Token& t = tokens_[ti];
    if (t.padded) {
      while (pos < line.size() && line[pos] == ' ') ++pos;
    }
    size_t start = pos;
    switch (t.kind) {
      case Token::literal: {
        size_t words = t.lit.size() <= 8 ? 1 : 2;
        if (t.lit.size() <= 16 && line.size() - pos >= words * 8) {
          uint64_t w = 0;
          std::memcpy(&w, line.data() + pos, 8);
          if (((w ^ t.words[0]) & t.masks[0]) != 0) return PathEnd::failed;
          if (words == 2) {
            std::memcpy(&w, line.data() + pos + 8, 8);
            if (((w ^ t.words[1]) & t.masks[1]) != 0) return PathEnd::failed;
          }
        } else if (!literal_at(line, pos, t.lit)) {
          return PathEnd::failed;
        }
        pos += t.lit.size();
        continue;
      }
      case Token::stop:
        continue;
      case Token::stamp:
      case Token::stamp_ms:
      case Token::epoch:
      case Token::signed_digits:
      case Token::digits:
      case Token::session:
      case Token::vxid:
      case Token::word:
        if (!skip_field(t.kind, line, pos, f)) return PathEnd::failed;
        break;
      case Token::text: {
        if (t.follow >= 0) {
          const std::string& lit = tokens_[static_cast<size_t>(t.follow)].lit;
          size_t at = t.escape == 'r' ? after_port(line, pos, lit) : std::string_view::npos;
          if (at == std::string_view::npos) at = find_literal(line, pos, lit);
          if (at == std::string_view::npos) return PathEnd::failed;
          assign(t, line.substr(start, at - start), f);
          pos = at;
          continue;
        }
        if (t.last) {
          Severity s = Severity::none;
          size_t m = 0;
          size_t at = find_severity(line.substr(pos), s, m);
          if (at == std::string_view::npos) return PathEnd::failed;
          assign(t, line.substr(start, at), f);
          sev = s;
          msg = pos + m;
          return PathEnd::at_severity;
        }
        while (pos < line.size() && line[pos] != ' ') ++pos;
        break;
      }
    }
    if (t.padded) {
      size_t token_end = pos;
      while (pos < line.size() && line[pos] == ' ') ++pos;
      assign(t, line.substr(start, token_end - start), f);
    } else {
      assign(t, line.substr(start, pos - start), f);
    }
  }
  position = pos;
  return PathEnd::done;
}

bool LinePrefix::match_from(std::string_view line, size_t ti, size_t pos, PrefixFields& f, Severity& sev,
                            size_t& msg) const {
  for (; ti < tokens_.size(); ++ti) {
    const Token& t = tokens_[ti];
    if (t.padded) {
      while (pos < line.size() && line[pos] == ' ') ++pos;
    }
    size_t start = pos;
    switch (t.kind) {
      case Token::literal:
        if (!literal_at(line, pos, t.lit)) return false;
        pos += t.lit.size();
        continue;
      case Token::stop: {
        PrefixFields saved = f;
        if (match_from(line, ti + 1, pos, f, sev, msg)) return true;
        f = saved;
        sev = parse_severity(line, pos, msg);
        return sev != Severity::none;
      }
      case Token::stamp:
      case Token::stamp_ms:
      case Token::epoch:
      case Token::signed_digits:
      case Token::digits:
      case Token::session:
      case Token::vxid:
      case Token::word:
        if (!skip_field(t.kind, line, pos, f)) return false;
        break;
      case Token::text: {
        size_t next = ti + 1;
        while (next < tokens_.size() && tokens_[next].kind == Token::stop) ++next;
        if (next < tokens_.size() && tokens_[next].kind == Token::literal) {
          // Try each occurrence of the following literal (the value may contain it), for %r the
          // one after "(port)" first, as the first path does.
          const std::string& lit = tokens_[next].lit;
          if (size_t port = t.escape == 'r' ? after_port(line, pos, lit) : std::string_view::npos;
              port != std::string_view::npos) {
            PrefixFields saved = f;
            assign(t, line.substr(start, port - start), f);
            if (match_from(line, ti + 1, port, f, sev, msg)) return true;
            f = saved;
          }
          size_t at = line.find(lit, pos);
          while (at != std::string_view::npos) {
            PrefixFields saved = f;
            assign(t, line.substr(start, at - start), f);
            if (match_from(line, ti + 1, at, f, sev, msg)) return true;
            f = saved;
            at = line.find(lit, at + 1);
          }
          return false;
        }
        if (next >= tokens_.size()) {
          Severity s = Severity::none;
          size_t m = 0;
          size_t at = find_severity(line.substr(pos), s, m);
          if (at == std::string_view::npos) return false;
          assign(t, line.substr(start, at), f);
          sev = s;
          msg = pos + m;
          return true;
        }
        while (pos < line.size() && line[pos] != ' ') ++pos;
        break;
      }
    }
    if (t.padded) {
      size_t end = pos;
      while (pos < line.size() && line[pos] == ' ') ++pos;
      assign(t, line.substr(start, end - start), f);
    } else {
      assign(t, line.substr(start, pos - start), f);
    }
  }
  sev = parse_severity(line, pos, msg);
  return sev != Severity::none;
}

namespace {
std::string_view value_after(std::string_view text, std::string_view key) {
  size_t at = 0;
  while ((at = text.find(key, at)) != std::string_view::npos) {
    if (at == 0 || !is_alnum(text[at - 1])) {
      size_t b = at + key.size();
      size_t e = b;
      while (e < text.size() && text[e] != ',' && text[e] != ' ' && text[e] != ']') ++e;
      return text.substr(b, e - b);
    }
    at += key.size();
  }
  return {};
}
}  // namespace

void guess_fields(std::string_view text, PrefixFields& f) {
  int64_t ignored = 0;
  if (size_t n = parse_timestamp(text, ignored)) f.timestamp = text.substr(0, n);
  for (size_t b = text.find('['); b != std::string_view::npos; b = text.find('[', b + 1)) {
    size_t e = b + 1;
    while (e < text.size() && is_digit(text[e])) ++e;
    if (e > b + 1 && e < text.size() && (text[e] == ']' || text[e] == '-')) {
      f.pid = text.substr(b + 1, e - b - 1);
      break;
    }
  }
  f.user = value_after(text, "user=");
  f.database = value_after(text, "db=");
  if (f.database.empty()) f.database = value_after(text, "database=");
  f.host = value_after(text, "client=");
  if (f.host.empty()) f.host = value_after(text, "host=");
  if (f.user.empty() && f.database.empty()) {
    // %u@%d: a name on both sides of the '@'; anything else (a decoration such as "@@", an email
    // address in free text) is not read as user and database.
    auto name_char = [](char c) { return is_alnum(c) || c == '_' || c == '-' || c == '.' || c == '$'; };
    for (size_t at = text.find('@'); at != std::string_view::npos; at = text.find('@', at + 1)) {
      size_t b = at;
      while (b > 0 && name_char(text[b - 1])) --b;
      size_t e = at + 1;
      while (e < text.size() && name_char(text[e])) ++e;
      bool left_ends = b == 0 || text[b - 1] == ' ' || text[b - 1] == ':' || text[b - 1] == ']';
      bool right_ends = e == text.size() || text[e] == ' ' || text[e] == ':' || text[e] == ',';
      if (b < at && e > at + 1 && left_ends && right_ends) {
        f.user = text.substr(b, at - b);
        f.database = text.substr(at + 1, e - at - 1);
        break;
      }
    }
  }
}

const std::vector<std::string>& common_prefixes() {
  static const std::vector<std::string> prefixes = {
      "%t [%p]: [%l-1] user=%u,db=%d,app=%a,client=%h ",
      "%m [%p]: [%l-1] user=%u,db=%d,app=%a,client=%h ",
      "%t [%p]: [%l-1] db=%d,user=%u,app=%a,client=%h ",
      "%m [%p]: [%l-1] db=%d,user=%u,app=%a,client=%h ",
      "%t [%p]: [%l-1] user=%u,db=%d,host=%h,app=%a ",
      "%t [%p]: [%l-1] user=%u,db=%d ",
      "%m [%p]: [%l-1] user=%u,db=%d ",
      "%t [%p]: [%l-1] db=%d,user=%u ",
      "%m [%p]: [%l-1] db=%d,user=%u ",
      "%t [%p]: user=%u,db=%d,app=%a,client=%h ",
      "%m [%p]: user=%u,db=%d,app=%a,client=%h ",
      "%t [%p]: db=%d,user=%u,app=%a,client=%h ",
      "%m [%p]: db=%d,user=%u,app=%a,client=%h ",
      "%t [%p]: [%l-1] ",
      "%m [%p]: [%l-1] ",
      "%t [%p-%l] %q%u@%d ",
      "%m [%p-%l] %q%u@%d ",
      "%m [%p] [queryid=%Q] %q%u@%d ",
      "%m [%p] %q%u@%d ",
      "%t [%p] %q%u@%d ",
      "%m [%p] %q[user=%u,db=%d,app=%a] ",
      "%m [%p] user=%u,db=%d,app=%a,client=%h ",
      "%m [%p] user=%u,db=%d ",
      "%m [%p] db=%d,user=%u ",
      "%t:%r:%u@%d:[%p]:",
      "%m:%r:%u@%d:[%p]:",
      // RDS's, exported from CloudWatch Logs: each line after the event's ISO time
      "%m %t:%r:%u@%d:[%p]:",
      "%m [%p] ",
      "%t [%p] ",
      "%m [%p]: ",
      "%t [%p]: ",
      "%m %p ",
      "%m ",
      "%t ",
      // what follows the syslog header and [N-M]
      "db=%d,user=%u,app=%a,client=%h ",
      "user=%u,db=%d,app=%a,client=%h ",
      "user=%u,db=%d,host=%h ",
      "user=%u,db=%d ",
      "db=%d,user=%u ",
      "%u@%d ",
      "sql_error_code = %e ",
      // Cloud SQL's textPayload: its log_line_prefix without the timestamp, which the entry has
      "[%p]: [%l-1] db=%d,user=%u ",
      "[%p]: [%l-1] user=%u,db=%d ",
      "[%p]: [%l-1] ",
      "",
  };
  return prefixes;
}

}  // namespace dbvet::capture::pglog
