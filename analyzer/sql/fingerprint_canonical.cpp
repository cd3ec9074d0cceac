// The canonical fingerprint: built on the lexer, so quotes, comments, dollar quotes and numbers
// inside identifiers are understood rather than guessed at with patterns.

#include <pg_query.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <optional>

#include "analyzer/sql/fingerprint.hpp"
#include "analyzer/sql/fingerprint_hash.hpp"
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

uint64_t hash64(std::string_view data, uint64_t seed) { return detail::chain_hash(data.data(), data.size(), seed); }

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
