#include "analyzer/sql/lexer.hpp"

namespace dbvet::sql {
namespace {

// Character classes in one table: the hot loop does one load per character.
enum : uint8_t { kSpace = 1, kIdentStart = 2, kIdent = 4, kDigit = 8, kHex = 16 };

struct CharTable {
  uint8_t bits[256] = {};
  constexpr CharTable() {
    for (int c : {' ', '\t', '\n', '\r', '\f', '\v'}) bits[c] = kSpace;
    for (int c = 'a'; c <= 'z'; ++c) bits[c] = kIdentStart | kIdent;
    for (int c = 'A'; c <= 'Z'; ++c) bits[c] = kIdentStart | kIdent;
    for (int c = 0x80; c < 256; ++c) bits[c] = kIdentStart | kIdent;  // UTF-8 letters
    bits[static_cast<int>('_')] = kIdentStart | kIdent;
    bits[static_cast<int>('$')] = kIdent;
    for (int c = '0'; c <= '9'; ++c) bits[c] = kIdent | kDigit | kHex;
    for (int c = 'a'; c <= 'f'; ++c) bits[c] |= kHex;
    for (int c = 'A'; c <= 'F'; ++c) bits[c] |= kHex;
  }
};
constexpr CharTable kTable;

inline bool has(char c, uint8_t bit) { return kTable.bits[static_cast<unsigned char>(c)] & bit; }

}  // namespace

void Lexer::skip_quoted(char quote, bool backslash_escapes) {
  ++pos_;  // the opening quote
  while (pos_ < in_.size()) {
    char c = in_[pos_];
    if (c == '\\' && backslash_escapes) {
      pos_ += 2;
      continue;
    }
    ++pos_;
    if (c == quote) {
      if (pos_ < in_.size() && in_[pos_] == quote) {  // doubled quote
        ++pos_;
        continue;
      }
      return;
    }
  }
  pos_ = in_.size();
}

bool Lexer::try_dollar_quote() {
  size_t i = pos_ + 1;
  if (i < in_.size() && has(in_[i], kIdentStart) && in_[i] != '$') {
    while (i < in_.size() && has(in_[i], kIdent) && in_[i] != '$') ++i;
  }
  if (i >= in_.size() || in_[i] != '$') return false;
  std::string_view tag = in_.substr(pos_, i + 1 - pos_);
  size_t close = in_.find(tag, i + 1);
  pos_ = close == std::string_view::npos ? in_.size() : close + tag.size();
  return true;
}

void Lexer::skip_block_comment() {
  pos_ += 2;
  int depth = 1;
  const bool nested = dialect_ == Dialect::postgres;
  while (pos_ < in_.size()) {
    if (in_[pos_] == '*' && pos_ + 1 < in_.size() && in_[pos_ + 1] == '/') {
      pos_ += 2;
      if (--depth == 0) return;
    } else if (nested && in_[pos_] == '/' && pos_ + 1 < in_.size() && in_[pos_ + 1] == '*') {
      pos_ += 2;
      ++depth;
    } else {
      ++pos_;
    }
  }
}

void Lexer::skip_number() {
  const size_t n = in_.size();
  if (in_[pos_] == '0' && pos_ + 2 <= n && pos_ + 1 < n) {
    char p = in_[pos_ + 1];
    if ((p == 'x' || p == 'X') && pos_ + 2 < n && has(in_[pos_ + 2], kHex)) {
      pos_ += 2;
      while (pos_ < n && has(in_[pos_], kHex)) ++pos_;
      return;
    }
    if ((p == 'b' || p == 'B') && pos_ + 2 < n && (in_[pos_ + 2] == '0' || in_[pos_ + 2] == '1')) {
      pos_ += 2;
      while (pos_ < n && (in_[pos_] == '0' || in_[pos_] == '1')) ++pos_;
      return;
    }
  }
  while (pos_ < n && has(in_[pos_], kDigit)) ++pos_;
  if (pos_ < n && in_[pos_] == '.') {
    ++pos_;
    while (pos_ < n && has(in_[pos_], kDigit)) ++pos_;
  }
  if (pos_ < n && (in_[pos_] == 'e' || in_[pos_] == 'E')) {
    size_t e = pos_ + 1;
    if (e < n && (in_[e] == '+' || in_[e] == '-')) ++e;
    if (e < n && has(in_[e], kDigit)) {
      pos_ = e;
      while (pos_ < n && has(in_[pos_], kDigit)) ++pos_;
    }
  }
}

Token Lexer::next_significant() {
  Token t = next();
  bool space = false;
  while (t.kind == TokenKind::comment) {
    space = true;
    t = next();
  }
  t.space_before = t.space_before || space;
  return t;
}

Token Lexer::next() {
  const size_t n = in_.size();
  bool space = pending_space_;
  pending_space_ = false;
  while (pos_ < n && has(in_[pos_], kSpace)) {
    ++pos_;
    space = true;
  }
  if (pos_ >= n) return Token{TokenKind::end, {}, static_cast<uint32_t>(n), space};
  const size_t begin = pos_;
  const char c = in_[pos_];
  const char next_c = pos_ + 1 < n ? in_[pos_ + 1] : '\0';
  const bool mysql = dialect_ == Dialect::mysql;

  // Prefixed strings: E'..', N'..', X'..', B'..'.
  if (next_c == '\'' &&
      (c == 'e' || c == 'E' || c == 'n' || c == 'N' || c == 'x' || c == 'X' || c == 'b' || c == 'B')) {
    ++pos_;
    bool escapes = mysql || c == 'e' || c == 'E';
    skip_quoted('\'', escapes);
    TokenKind kind = (c == 'x' || c == 'X')   ? TokenKind::hex_string
                     : (c == 'b' || c == 'B') ? TokenKind::bit_string
                                              : TokenKind::string;
    return make(kind, begin, space);
  }
  if (has(c, kIdentStart)) {
    ++pos_;
    while (pos_ < n && has(in_[pos_], kIdent)) ++pos_;
    return make(TokenKind::identifier, begin, space);
  }
  if (has(c, kDigit) || (c == '.' && has(next_c, kDigit))) {
    skip_number();
    if (pos_ < n && has(in_[pos_], kIdentStart) && mysql) {  // MySQL identifiers may start with digits
      while (pos_ < n && has(in_[pos_], kIdent)) ++pos_;
      return make(TokenKind::identifier, begin, space);
    }
    return make(TokenKind::number, begin, space);
  }
  switch (c) {
    case '\'':
      skip_quoted('\'', mysql);
      return make(TokenKind::string, begin, space);
    case '"':
      skip_quoted('"', mysql);
      return make(mysql ? TokenKind::string : TokenKind::quoted_identifier, begin, space);
    case '`':
      skip_quoted('`', false);
      return make(TokenKind::quoted_identifier, begin, space);
    case '-':
      if (next_c == '-') {
        while (pos_ < n && in_[pos_] != '\n') ++pos_;
        pending_space_ = true;
        return make(TokenKind::comment, begin, space);
      }
      break;
    case '#':
      if (mysql || dialect_ == Dialect::generic) {
        while (pos_ < n && in_[pos_] != '\n') ++pos_;
        pending_space_ = true;
        return make(TokenKind::comment, begin, space);
      }
      break;
    case '/':
      if (next_c == '*') {
        skip_block_comment();
        pending_space_ = true;
        return make(TokenKind::comment, begin, space);
      }
      break;
    case '$':
      if (has(next_c, kDigit)) {
        ++pos_;
        while (pos_ < n && has(in_[pos_], kDigit)) ++pos_;
        return make(TokenKind::placeholder, begin, space);
      }
      if (dialect_ != Dialect::mysql && try_dollar_quote()) return make(TokenKind::dollar_string, begin, space);
      break;
    case '?':
      ++pos_;
      while (pos_ < n && has(in_[pos_], kDigit)) ++pos_;  // SQLite ?NNN
      return make(TokenKind::placeholder, begin, space);
    case ':':
      if (has(next_c, kIdentStart) && (pos_ == 0 || in_[pos_ - 1] != ':')) {
        ++pos_;
        while (pos_ < n && has(in_[pos_], kIdent)) ++pos_;
        return make(TokenKind::placeholder, begin, space);
      }
      if (next_c == ':') {
        pos_ += 2;
        return make(TokenKind::operator_, begin, space);
      }
      break;
    case '%':
      if (next_c == 's' || next_c == 'd') {
        pos_ += 2;
        return make(TokenKind::placeholder, begin, space);
      }
      if (next_c == '(') {
        size_t close = in_.find(")s", pos_);
        if (close != std::string_view::npos && close - pos_ < 64) {
          pos_ = close + 2;
          return make(TokenKind::placeholder, begin, space);
        }
      }
      break;
    case '@':
      if (dialect_ == Dialect::sqlite && has(next_c, kIdentStart)) {
        ++pos_;
        while (pos_ < n && has(in_[pos_], kIdent)) ++pos_;
        return make(TokenKind::placeholder, begin, space);
      }
      break;
    case '(':
    case ')':
    case ',':
    case ';':
    case '.':
    case '[':
    case ']':
      ++pos_;
      return make(TokenKind::punctuation, begin, space);
    default:
      break;
  }
  // Operators: the longest run of operator characters that forms a known SQL operator.
  static constexpr std::string_view kTwo[] = {"<>", "!=", "<=", ">=", "||", "::", "->", "<<", ">>", "&&", ":="};
  if (pos_ + 1 < n) {
    std::string_view two = in_.substr(pos_, 2);
    for (auto op : kTwo) {
      if (two == op) {
        pos_ += 2;
        if (op == "->" && pos_ < n && in_[pos_] == '>') ++pos_;  // ->>
        if (op == "<=" && pos_ < n && in_[pos_] == '>') ++pos_;  // <=>
        return make(TokenKind::operator_, begin, space);
      }
    }
  }
  ++pos_;
  // Keep UTF-8 sequences whole even when they are not letters.
  while (pos_ < n && (static_cast<unsigned char>(in_[pos_]) & 0xC0) == 0x80) ++pos_;
  return make(TokenKind::operator_, begin, space);
}

}  // namespace dbvet::sql
