#pragma once
// One tokenizer for PostgreSQL, MySQL/MariaDB and SQLite statements. Tokens are views into the
// input (no allocation per token); the lexer never fails: anything it cannot classify becomes a
// one-character operator, and an unterminated quote or comment runs to the end of the input.

#include <cstdint>
#include <string_view>

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

// Case-insensitive ASCII comparison, for keywords.
// ASCII case-insensitive equality. Inline: most calls compare a word with a keyword of another
// length and end at the size check (the fingerprint hot path calls it for every identifier).
inline bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x >= 'A' && x <= 'Z') x = char(x + 32);
    if (y >= 'A' && y <= 'Z') y = char(y + 32);
    if (x != y) return false;
  }
  return true;
}

}  // namespace dbvet::sql
