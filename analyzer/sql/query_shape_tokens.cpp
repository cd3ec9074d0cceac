#include "analyzer/sql/query_shape_tokens.hpp"

#include <cctype>

#include "analyzer/util/ascii.hpp"

namespace dbvet::sql::detail {
namespace {

bool is_word_start(char c) { return std::isalpha(static_cast<unsigned char>(c)) || c == '_' || (c & 0x80); }
bool is_word_char(char c) { return is_word_start(c) || std::isdigit(static_cast<unsigned char>(c)) || c == '$'; }

// Whether the run of word characters at `i` (a digit) is a MySQL identifier rather than a number:
// it holds a letter or an underscore and is not a number's spelling (1e5, 0x1F, 0b101, 1_000).
bool is_identifier_with_leading_digits(const std::string& sql, size_t i) {
  size_t end = i;
  bool letter = false;
  while (end < sql.size() && is_word_char(sql[end]) && sql[end] != '$') {
    if (!std::isdigit(static_cast<unsigned char>(sql[end]))) letter = true;
    ++end;
  }
  if (!letter) return false;
  const std::string run = util::to_lower(sql.substr(i, end - i));
  auto all_of = [&](size_t from, const char* allowed) {
    return from < run.size() && run.find_first_not_of(allowed, from) == std::string::npos;
  };
  if (run.size() > 2 && run[0] == '0' && run[1] == 'x' && all_of(2, "0123456789abcdef")) return false;
  if (run.size() > 2 && run[0] == '0' && run[1] == 'b' && all_of(2, "01")) return false;
  if (all_of(0, "0123456789_")) return false;  // PostgreSQL 16's 1_000
  const size_t e = run.find('e');
  if (e != std::string::npos && e > 0 && run.find_first_not_of("0123456789", 0) == e &&
      (e + 1 == run.size() || all_of(e + 1, "0123456789"))) {
    return false;  // 1e5, and 1e followed by a sign (1e-5)
  }
  return true;
}

// Reads a quoted run starting at `i` (the opening quote); doubled quotes and, in single-quoted
// strings, backslashes escape. Returns the end offset and fills the unescaped value.
size_t read_quoted(const std::string& sql, size_t i, char quote, bool backslash, std::string& value) {
  size_t j = i + 1;
  while (j < sql.size()) {
    char c = sql[j];
    if (backslash && c == '\\' && j + 1 < sql.size()) {
      value += sql[j + 1];
      j += 2;
      continue;
    }
    if (c == quote) {
      if (j + 1 < sql.size() && sql[j + 1] == quote) {
        value += quote;
        j += 2;
        continue;
      }
      return j + 1;
    }
    value += c;
    ++j;
  }
  return j;  // unterminated: the rest is the token
}

}  // namespace

std::vector<Token> tokenize(const std::string& sql) {
  std::vector<Token> tokens;
  size_t i = 0;
  const size_t n = sql.size();
  while (i < n) {
    char c = sql[i];
    if (std::isspace(static_cast<unsigned char>(c))) {
      ++i;
      continue;
    }
    if ((c == '-' && i + 1 < n && sql[i + 1] == '-') || c == '#') {
      while (i < n && sql[i] != '\n') ++i;
      continue;
    }
    if (c == '/' && i + 1 < n && sql[i + 1] == '*') {
      size_t close = sql.find("*/", i + 2);
      i = close == std::string::npos ? n : close + 2;
      continue;
    }
    Token token;
    token.begin = i;
    if (c == '\'' || ((c == 'E' || c == 'e') && i + 1 < n && sql[i + 1] == '\'')) {
      size_t start = c == '\'' ? i : i + 1;
      token.kind = TokenKind::string;
      i = read_quoted(sql, start, '\'', true, token.value);
    } else if (c == '"' || c == '`') {
      token.kind = TokenKind::quoted_identifier;
      i = read_quoted(sql, i, c, false, token.value);
    } else if (c == '$' && i + 1 < n && std::isdigit(static_cast<unsigned char>(sql[i + 1]))) {
      token.kind = TokenKind::parameter;
      i += 1;
      while (i < n && std::isdigit(static_cast<unsigned char>(sql[i]))) ++i;
    } else if (c == '$') {
      // Dollar quoting: $$...$$ or $tag$...$tag$.
      size_t j = i + 1;
      while (j < n && is_word_char(sql[j]) && sql[j] != '$') ++j;
      if (j < n && sql[j] == '$') {
        std::string tag = sql.substr(i, j - i + 1);
        size_t close = sql.find(tag, j + 1);
        token.kind = TokenKind::string;
        token.value = sql.substr(j + 1, (close == std::string::npos ? n : close) - j - 1);
        i = close == std::string::npos ? n : close + tag.size();
      } else {
        token.kind = TokenKind::symbol;
        i += 1;
      }
    } else if (c == '?') {
      token.kind = TokenKind::parameter;
      i += 1;
    } else if (c == ':' && i + 1 < n && is_word_start(sql[i + 1]) && (i == 0 || sql[i - 1] != ':')) {
      token.kind = TokenKind::parameter;
      i += 1;
      while (i < n && is_word_char(sql[i]) && sql[i] != '$') ++i;
    } else if (std::isdigit(static_cast<unsigned char>(c)) && is_identifier_with_leading_digits(sql, i)) {
      // MySQL names may start with digits (`123_bar`, `12foo`): pt-query-digest lists them as tables.
      token.kind = TokenKind::word;
      while (i < n && is_word_char(sql[i])) ++i;
    } else if (std::isdigit(static_cast<unsigned char>(c)) ||
               (c == '.' && i + 1 < n && std::isdigit(static_cast<unsigned char>(sql[i + 1])))) {
      token.kind = TokenKind::number;
      while (i < n && (std::isalnum(static_cast<unsigned char>(sql[i])) || sql[i] == '.')) ++i;
    } else if (is_word_start(c)) {
      token.kind = TokenKind::word;
      while (i < n && is_word_char(sql[i])) ++i;
    } else {
      token.kind = TokenKind::symbol;
      static const char* const two_char[] = {"::", "<=", ">=", "<>", "!=", "||", "->", "=>"};
      i += 1;
      for (const char* op : two_char) {
        if (c == op[0] && token.begin + 1 < n && sql[token.begin + 1] == op[1]) {
          i = token.begin + 2;
          break;
        }
      }
    }
    token.end = i;
    token.text = sql.substr(token.begin, token.end - token.begin);
    if (token.kind == TokenKind::word) token.value = util::to_upper(token.text);
    if (token.kind == TokenKind::number || token.kind == TokenKind::parameter || token.kind == TokenKind::symbol) {
      token.value = token.text;
    }
    tokens.push_back(std::move(token));
  }
  return tokens;
}

}  // namespace dbvet::sql::detail
