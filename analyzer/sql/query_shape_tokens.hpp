#pragma once
// A small lexer for the three dialects, enough for query_shape: it finds the placeholders and
// backticks to rewrite for libpg_query and feeds the token-level fallback. Comments are dropped.

#include <cstddef>
#include <string>
#include <vector>

namespace dbvet::sql::detail {

enum class TokenKind { word, quoted_identifier, string, number, parameter, symbol };

struct Token {
  TokenKind kind = TokenKind::symbol;
  std::string text;   // as written
  std::string value;  // identifiers/words unquoted; strings without quotes and escapes; words upper-cased
  size_t begin = 0;   // byte offsets into the input
  size_t end = 0;
};

std::vector<Token> tokenize(const std::string& sql);

}  // namespace dbvet::sql::detail
