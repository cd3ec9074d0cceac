#include "analyzer/workload/expr_lexer.hpp"

#include <cctype>
#include <cmath>
#include <limits>

#include "analyzer/util/ascii.hpp"
#include "fmt/format.h"

namespace dbvet::workload::detail {

using core::ErrorKind;
using core::Expected;
using core::make_error;

Expected<std::vector<Token>> tokenize(std::string_view text) {
  std::vector<Token> tokens;
  size_t i = 0;
  auto is_ident = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; };
  while (i < text.size()) {
    const char c = text[i];
    if (std::isspace(static_cast<unsigned char>(c))) {
      ++i;
      continue;
    }
    Token token;
    token.offset = i;
    if (std::isdigit(static_cast<unsigned char>(c)) ||
        (c == '.' && i + 1 < text.size() && std::isdigit(static_cast<unsigned char>(text[i + 1])))) {
      size_t j = i;
      bool is_real = false;
      while (j < text.size() && std::isdigit(static_cast<unsigned char>(text[j]))) ++j;
      if (j < text.size() && text[j] == '.') {
        is_real = true;
        ++j;
        while (j < text.size() && std::isdigit(static_cast<unsigned char>(text[j]))) ++j;
      }
      if (j < text.size() && (text[j] == 'e' || text[j] == 'E')) {
        size_t k = j + 1;
        if (k < text.size() && (text[k] == '+' || text[k] == '-')) ++k;
        if (k < text.size() && std::isdigit(static_cast<unsigned char>(text[k]))) {
          is_real = true;
          j = k;
          while (j < text.size() && std::isdigit(static_cast<unsigned char>(text[j]))) ++j;
        }
      }
      token.text = std::string(text.substr(i, j - i));
      if (is_real) {
        token.kind = Tok::real;
        token.real = std::strtod(token.text.c_str(), nullptr);
      } else {
        token.kind = Tok::integer;
        uint64_t value = 0;
        for (char d : token.text) {
          if (value > (std::numeric_limits<uint64_t>::max() - 9) / 10) {
            return make_error(ErrorKind::input, fmt::format("integer {} out of range at offset {}", token.text, i));
          }
          value = value * 10 + static_cast<uint64_t>(d - '0');
        }
        // 9223372036854775808 is allowed only right after a unary minus; checked by the parser.
        if (value > static_cast<uint64_t>(std::numeric_limits<int64_t>::max()) + 1) {
          return make_error(ErrorKind::input, fmt::format("integer {} out of range at offset {}", token.text, i));
        }
        token.integer = static_cast<int64_t>(value);  // wraps to INT64_MIN for 2^63
        token.real = static_cast<double>(value);
      }
      i = j;
    } else if (std::isalpha(static_cast<unsigned char>(c)) || c == '_') {
      size_t j = i;
      while (j < text.size() && is_ident(text[j])) ++j;
      token.kind = Tok::ident;
      token.text = util::to_lower(text.substr(i, j - i));
      i = j;
    } else if (c == ':') {
      size_t j = i + 1;
      while (j < text.size() && is_ident(text[j])) ++j;
      if (j == i + 1)
        return make_error(ErrorKind::input, fmt::format("expected a variable name after ':' at offset {}", i));
      token.kind = Tok::variable;
      token.text = std::string(text.substr(i + 1, j - i - 1));
      i = j;
    } else if (c == '(' || c == ')' || c == ',') {
      token.kind = c == '(' ? Tok::lparen : c == ')' ? Tok::rparen : Tok::comma;
      token.text = std::string(1, c);
      ++i;
    } else {
      static const char* const two[] = {"<=", ">=", "<>", "!=", "<<", ">>"};
      token.kind = Tok::op;
      for (const char* op : two) {
        if (text.substr(i, 2) == op) token.text = op;
      }
      if (token.text.empty()) {
        if (std::string_view("+-*/%<>=&|#~").find(c) == std::string_view::npos) {
          return make_error(ErrorKind::input, fmt::format("unexpected character '{}' at offset {}", c, i));
        }
        token.text = std::string(1, c);
      }
      i += token.text.size();
    }
    tokens.push_back(std::move(token));
  }
  Token end;
  end.offset = text.size();
  tokens.push_back(end);
  return tokens;
}

}  // namespace dbvet::workload::detail
