// The canonical fingerprint: built on the lexer, so quotes, comments, dollar quotes and numbers
// inside identifiers are understood rather than guessed at with patterns.

#include <pg_query.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <optional>

#include "analyzer/sql/fingerprint.hpp"
#include "analyzer/sql/lexer.hpp"

namespace dbvet::sql {
namespace {

bool is_literal(const Token& t) {
  switch (t.kind) {
    case TokenKind::string:
    case TokenKind::hex_string:
    case TokenKind::bit_string:
    case TokenKind::dollar_string:
    case TokenKind::number:
    case TokenKind::placeholder:
      return true;
    case TokenKind::identifier:
      return iequals(t.text, "true") || iequals(t.text, "false");
    default:
      return false;
  }
}

// Words after which a '-' or '+' starts a signed number rather than a subtraction.
bool expects_operand(std::string_view last) {
  static constexpr std::array<std::string_view, 24> kWords = {
      "select", "where",  "and", "or",     "then", "else", "when",    "by",   "values", "value", "in",       "return",
      "limit",  "offset", "set", "having", "on",   "not",  "between", "like", "is",     "case",  "interval", "("};
  if (last.empty()) return true;
  char c = last.back();
  if (c == '(' || c == ',' || c == '=' || c == '<' || c == '>' || c == '+' || c == '-' || c == '*' || c == '/' ||
      c == '%' || c == '|') {
    return true;
  }
  for (auto w : kWords) {
    if (iequals(last, w)) return true;
  }
  return false;
}

// Keywords that a '(' follows as an operand, not as a function call's arguments.
bool keyword_before_paren(std::string_view word) {
  static constexpr std::array<std::string_view, 34> kWords = {
      "in",     "values", "value",     "and",  "or",   "not",  "exists",  "from", "join",   "where", "on",    "as",
      "select", "using",  "any",       "all",  "some", "into", "when",    "then", "else",   "by",    "union", "set",
      "table",  "with",   "returning", "over", "is",   "like", "between", "case", "having", "return"};
  for (auto w : kWords) {
    if (iequals(word, w)) return true;
  }
  return false;
}

// The name inside `name` or "name" when quoting changes nothing: a plain identifier that the
// server would fold to the same name unquoted. MySQL compares column names without case, so a
// backquoted name folds to lower case; PostgreSQL keeps a double-quoted name's case, so only an
// all-lower-case one loses its quotes ("Users" stays). Then performance_schema's `col` text and a
// slow log's col text group together.
std::optional<std::string_view> plain_quoted_name(std::string_view quoted) {
  if (quoted.size() < 3) return std::nullopt;
  char quote = quoted.front();
  if ((quote != '`' && quote != '"') || quoted.back() != quote) return std::nullopt;
  std::string_view name = quoted.substr(1, quoted.size() - 2);
  auto lower_start = [](char c) { return (c >= 'a' && c <= 'z') || c == '_'; };
  auto upper = [](char c) { return c >= 'A' && c <= 'Z'; };
  auto digit = [](char c) { return c >= '0' && c <= '9'; };
  if (!(lower_start(name.front()) || (quote == '`' && upper(name.front())))) return std::nullopt;
  for (char c : name) {
    bool ok = lower_start(c) || digit(c) || c == '$' || (quote == '`' && upper(c));
    if (!ok) return std::nullopt;
  }
  return name;
}

struct Builder {
  std::string out;
  size_t last_at = 0;  // where the last token starts in `out`
  TokenKind last_kind = TokenKind::end;

  std::string_view last() const { return std::string_view(out).substr(last_at); }

  void emit(std::string_view text, TokenKind kind, bool lower) {
    bool space = !out.empty();
    if (space) {
      char first = text.front();
      char prev = out.back();
      if (first == ',' || first == ')' || first == '.' || first == ';' || prev == '(' || prev == '.') space = false;
      if (first == '(' && (last_kind == TokenKind::identifier || last_kind == TokenKind::quoted_identifier) &&
          !keyword_before_paren(last())) {
        space = false;
      }
    }
    if (space) out += ' ';
    size_t at = out.size();
    out.append(text);
    if (lower) {
      for (size_t i = at; i < out.size(); ++i) {
        if (out[i] >= 'A' && out[i] <= 'Z') out[i] = char(out[i] + 32);
      }
    }
    last_at = at;
    last_kind = kind;
  }
};

}  // namespace

std::string fingerprint_canonical(std::string_view query) {
  // The dialect only changes how quotes and comments read; "generic" accepts all three.
  Lexer lexer(query, Dialect::generic);
  Builder b;
  b.out.reserve(query.size());
  Token t = lexer.next_significant();
  while (t.kind != TokenKind::end) {
    // IN (...) / VALUES (...), (...): a list of literals becomes (?+).
    if (t.kind == TokenKind::identifier &&
        (iequals(t.text, "in") || iequals(t.text, "values") || iequals(t.text, "value"))) {
      b.emit(t.text, TokenKind::identifier, true);
      Lexer probe = lexer;
      Token u = probe.next_significant();
      bool collapsed = false;
      while (u.kind == TokenKind::punctuation && u.text == "(") {
        bool literal_list = true, any = false;
        Token v = probe.next_significant();
        while (v.kind != TokenKind::end && !(v.kind == TokenKind::punctuation && v.text == ")")) {
          bool ok = is_literal(v) ||
                    (v.kind == TokenKind::identifier && (iequals(v.text, "null") || iequals(v.text, "default"))) ||
                    (v.kind == TokenKind::punctuation && v.text == ",") ||
                    (v.kind == TokenKind::operator_ && (v.text == "-" || v.text == "+"));
          if (!ok) {
            literal_list = false;
            break;
          }
          any = any || v.kind != TokenKind::punctuation;
          v = probe.next_significant();
        }
        if (!literal_list || !any || v.kind == TokenKind::end) break;
        collapsed = true;
        lexer = probe;  // consume the list
        Lexer after = probe;
        Token comma = after.next_significant();
        if (comma.kind == TokenKind::punctuation && comma.text == ",") {
          Token open = after.next_significant();
          if (open.kind == TokenKind::punctuation && open.text == "(") {
            probe = after;
            u = open;
            continue;
          }
        }
        break;
      }
      if (collapsed) {
        b.emit("(?+)", TokenKind::punctuation, false);
      }
      t = lexer.next_significant();
      continue;
    }
    if (is_literal(t)) {
      b.emit("?", TokenKind::number, false);
    } else if (t.kind == TokenKind::operator_ && (t.text == "-" || t.text == "+") && expects_operand(b.last())) {
      Lexer probe = lexer;
      Token u = probe.next_significant();
      if (u.kind == TokenKind::number || u.kind == TokenKind::placeholder) {
        lexer = probe;
        b.emit("?", TokenKind::number, false);
      } else {
        b.emit(t.text, t.kind, false);
      }
    } else if (t.kind == TokenKind::punctuation && t.text == ";") {
      // statement terminators carry no meaning
    } else if (t.kind == TokenKind::quoted_identifier) {
      if (auto name = plain_quoted_name(t.text))
        b.emit(*name, TokenKind::identifier, true);
      else
        b.emit(t.text, t.kind, false);
    } else {
      b.emit(t.text, t.kind, t.kind == TokenKind::identifier);
    }
    t = lexer.next_significant();
  }
  return b.out;
}

uint64_t hash64(std::string_view data, uint64_t seed) {
  uint64_t h = 1469598103934665603ULL ^ seed;
  for (unsigned char c : data) {
    h ^= c;
    h *= 1099511628211ULL;
  }
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdULL;
  h ^= h >> 33;
  h *= 0xc4ceb9fe1a85ec53ULL;
  h ^= h >> 33;
  return h;
}

std::string canonical_id(std::string_view fingerprint) {
  static constexpr char kHex[] = "0123456789abcdef";
  uint64_t h = hash64(fingerprint);
  std::string out(16, '0');
  for (int i = 15; i >= 0; --i, h >>= 4) out[i] = kHex[h & 15];
  return out;
}

uint64_t literal_values_hash(std::string_view query) {
  Lexer lexer(query, Dialect::generic);
  uint64_t h = 0x9e3779b97f4a7c15ULL;
  for (Token t = lexer.next_significant(); t.kind != TokenKind::end; t = lexer.next_significant()) {
    if (is_literal(t) || (t.kind == TokenKind::identifier && iequals(t.text, "null"))) {
      h = hash64(t.text, h);
    }
  }
  return h;
}

namespace {

inline bool pt_space(char c) { return c == ' ' || (c >= '\t' && c <= '\r'); }

// Marker bytes in keys; statements that contain them are not cached in pt mode.
constexpr char kPtString = '\x01';  // the contents of a quoted string
constexpr char kPtDigits = '\x02';  // a run of digits

// Whether pt's regular expressions leave the statement's literal values nothing to act on but
// their own replacement: no comment, no backslash escape, no double quote, no CALL (whose name
// and arguments pt keeps) and no administrator command (kept whole). Counts the single quotes.
bool pt_cacheable_text(std::string_view q, size_t& quotes) {
  quotes = 0;
  const size_t n = q.size();
  for (size_t i = 0; i < n; ++i) {
    switch (q[i]) {
      case '\'':
        ++quotes;
        break;
      case '\\':
      case '"':
      case '#':
      case kPtString:
      case kPtDigits:
        return false;
      case '-':
        if (i + 1 < n && q[i + 1] == '-') return false;
        break;
      case '/':
        if (i + 1 < n && q[i + 1] == '*') return false;
        break;
      default:
        break;
    }
  }
  if (q.starts_with("administrator command: ")) return false;
  size_t i = 0;
  while (i < n && pt_space(q[i])) ++i;
  if (i + 4 < n && iequals(q.substr(i, 4), "call") && pt_space(q[i + 4])) return false;
  return true;
}

// Appends text with every run of digits replaced by one marker: pt turns each such run, whatever
// its length and value, into part of a '?' (digits are both the start and the body of its number
// pattern, and word characters for its \b).
void append_pt_digits(std::string& key, std::string_view text) {
  bool in_digits = false;
  for (char c : text) {
    if (c >= '0' && c <= '9') {
      if (!in_digits) key += kPtDigits;
      in_digits = true;
    } else {
      key += c;
      in_digits = false;
    }
  }
}

}  // namespace

uint64_t fingerprint_key(std::string_view query, FingerprintMode mode, std::string& key, bool& cacheable) {
  key.clear();
  size_t quotes = 0, delimiting_quotes = 0;
  const bool pt = mode == FingerprintMode::pt;
  cacheable = mode != FingerprintMode::pg && (!pt || pt_cacheable_text(query, quotes));
  Lexer lexer(query, Dialect::generic);
  // The canonical key is written through a pointer (a call per byte showed in profiles), the
  // buffer grown when a token might not fit (a kind byte, up to 5 length bytes and its text).
  if (!pt) key.resize(std::max(key.capacity(), query.size() + 64));
  char* w = key.data();
  uint64_t h = 0x9e3779b97f4a7c15ULL;
  size_t gap = 0;  // where the text after the previous token starts
  for (Token t = lexer.next(); t.kind != TokenKind::end; t = lexer.next()) {
    if (t.kind == TokenKind::comment) {
      cacheable = cacheable && !pt;
      continue;
    }
    const bool literal = is_literal(t);
    if (literal || (t.kind == TokenKind::identifier && iequals(t.text, "null"))) h = hash64(t.text, h);
    if (!cacheable) continue;
    if (pt) {
      // Every byte is kept but string contents and digit runs: pt's output depends on spacing.
      key.append(query.substr(gap, t.offset - gap));
      gap = t.offset + t.text.size();
      if (t.kind == TokenKind::string || t.kind == TokenKind::hex_string || t.kind == TokenKind::bit_string) {
        // Only 'content' with its two quotes: then pt's left-to-right pairing of single quotes
        // (checked below: every quote belongs to such a string) reads the same strings.
        size_t open = t.text.find('\'');
        if (open == std::string_view::npos || t.text.size() < open + 2 || t.text.back() != '\'' ||
            t.text.substr(open + 1, t.text.size() - open - 2).find('\'') != std::string_view::npos) {
          cacheable = false;
          continue;
        }
        delimiting_quotes += 2;
        auto content = t.text.substr(open + 1, t.text.size() - open - 2);
        if (content.find_first_of("()") != std::string_view::npos) {
          key.append(t.text);  // parentheses inside could change pt's multi-row INSERT cut
        } else {
          key.append(t.text.substr(0, open + 1));
          key += kPtString;
          key += '\'';
        }
      } else {
        append_pt_digits(key, t.text);
      }
    } else {
      // The canonical fingerprint reads only the significant tokens: their kinds, and the text of
      // those that are not literals (a literal only counts as a number/placeholder or not).
      if (literal) {
        if (w == key.data() + key.size()) {
          const size_t used = key.size();
          key.resize(2 * used + 8);
          w = key.data() + used;
        }
        *w++ = static_cast<char>(t.kind == TokenKind::number || t.kind == TokenKind::placeholder ? 0xF1
                                 : t.kind == TokenKind::identifier                               ? 0xF2
                                                                                                 : 0xF3);
      } else {
        if (static_cast<size_t>(key.data() + key.size() - w) < t.text.size() + 8) {
          const size_t used = static_cast<size_t>(w - key.data());
          key.resize(2 * key.size() + t.text.size() + 8);
          w = key.data() + used;
        }
        *w++ = static_cast<char>(t.kind);
        size_t len = t.text.size();
        while (len >= 0x80) {
          *w++ = static_cast<char>(0x80 | (len & 0x7F));
          len >>= 7;
        }
        *w++ = static_cast<char>(len);
        std::memcpy(w, t.text.data(), t.text.size());
        w += t.text.size();
      }
    }
  }
  if (cacheable && pt) {
    key.append(query.substr(gap));
    cacheable = quotes == delimiting_quotes;
  }
  if (!pt) key.resize(cacheable ? static_cast<size_t>(w - key.data()) : 0);
  return h;
}

std::optional<std::string> pg_query_fingerprint_id(std::string_view query) {
  std::string text(query);
  PgQueryFingerprintResult result = pg_query_fingerprint(text.c_str());
  std::optional<std::string> id;
  if (!result.error && result.fingerprint_str) id = std::string(result.fingerprint_str);
  pg_query_free_fingerprint_result(result);
  return id;
}

std::optional<FingerprintMode> parse_fingerprint_mode(std::string_view name) {
  if (name == "pt") return FingerprintMode::pt;
  if (name == "canonical") return FingerprintMode::canonical;
  if (name == "pg") return FingerprintMode::pg;
  return std::nullopt;
}

std::string_view fingerprint_mode_name(FingerprintMode mode) {
  switch (mode) {
    case FingerprintMode::pt:
      return "pt";
    case FingerprintMode::pg:
      return "pg";
    case FingerprintMode::canonical:
      break;
  }
  return "canonical";
}

Fingerprint fingerprint(std::string_view query, FingerprintMode mode) {
  Fingerprint fp;
  switch (mode) {
    case FingerprintMode::pt:
      fp.text = fingerprint_pt(query);
      fp.id = pt_checksum(fp.text);
      return fp;
    case FingerprintMode::pg:
      fp.text = fingerprint_canonical(query);
      if (auto id = pg_query_fingerprint_id(query)) {
        fp.id = *id;
        return fp;
      }
      fp.id = canonical_id(fp.text);
      return fp;
    case FingerprintMode::canonical:
      break;
  }
  fp.text = fingerprint_canonical(query);
  fp.id = canonical_id(fp.text);
  return fp;
}

}  // namespace dbvet::sql
