#pragma once
// The tokens of pgbench's expression language, for the parser (expr_parser.cpp).

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "analyzer/core/expected.hpp"

namespace dbvet::workload::detail {

enum class Tok { end, integer, real, ident, variable, op, lparen, rparen, comma };

struct Token {
  Tok kind = Tok::end;
  std::string text;  // identifiers lower-cased, operators as written
  int64_t integer = 0;
  double real = 0;
  size_t offset = 0;
};

core::Expected<std::vector<Token>> tokenize(std::string_view text);

}  // namespace dbvet::workload::detail
