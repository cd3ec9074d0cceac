#pragma once
// One tokenizer for PostgreSQL, MySQL/MariaDB and SQLite statements. Tokens are views into the
// input (no allocation per token); the lexer never fails: anything it cannot classify becomes a
// one-character operator, and an unterminated quote or comment runs to the end of the input.

#include <cstdint>
#include <string_view>

#include "analyzer/util/ascii.hpp"

namespace dbvet::sql {

enum class Dialect { generic, postgres, mysql, sqlite };

enum class TokenKind : uint8_t {
  identifier,         // bare word, keywords included: select, users, t1
  quoted_identifier,  // "x" (PostgreSQL, SQLite), `x` (MySQL, SQLite), [x] is not recognised
  string,             // '...', E'...', N'...', and "..." in MySQL
  hex_string,         // X'ab', x'ab'
  bit_string,         // B'01', b'01'
  dollar_string,      // $tag$...$tag$ (PostgreSQL)
  number,             // 42, 4.2, .5, 1e-3, 0x1F, 0b101
  placeholder,        // ?, $1, :name, %s, %(name)s, @p (SQLite)
  comment,            // -- ..., # ... (MySQL), /* ... */ (nested in PostgreSQL)
  operator_,          // = <> != <= >= || :: + - * / % ...
  punctuation,        // ( ) , ; . [ ]
  end,
};

struct Token {
  TokenKind kind = TokenKind::end;
  std::string_view text;
  uint32_t offset = 0;        // byte offset in the input
  bool space_before = false;  // whitespace or a comment separates it from the previous token
};

class Lexer {
 public:
  explicit Lexer(std::string_view input, Dialect dialect = Dialect::generic) : in_(input), dialect_(dialect) {}
  // The next token, comments included; TokenKind::end at the end.
  Token next();
  // The next token that is not a comment.
  Token next_significant();

 private:
  Token make(TokenKind kind, size_t begin, bool space) const {
    return Token{kind, in_.substr(begin, pos_ - begin), static_cast<uint32_t>(begin), space};
  }
  void skip_quoted(char quote, bool backslash_escapes);
  bool try_dollar_quote();
  void skip_block_comment();
  void skip_number();

  std::string_view in_;
  size_t pos_ = 0;
  Dialect dialect_;
  bool pending_space_ = false;
};

// ASCII case-insensitive equality, for keywords (util's, named here for the SQL code).
using util::iequals;

}  // namespace dbvet::sql
