#pragma once
// A scanner that finds, in one pass and without building tokens, exactly the spans that
// Lexer(query, Dialect::generic) returns as literals (strings, numbers, placeholders, dollar
// quotes, true/false), `null` words and comments: same start, end and kind. The fingerprint key
// (fingerprint_key) runs on it, copying the text between those spans in bulk; the lexer stays the
// reference, and a differential test holds the two together. Any change to the lexer's generic
// dialect must be mirrored here.

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>
#include <vector>

#include "analyzer/sql/lexer.hpp"
#include "analyzer/util/byte_scan.hpp"

namespace dbvet::sql::detail {

// What the scanner reports. `kind` is the lexer's: identifier for true/false/null (tell them
// apart with `null_word`), comment for comments.
struct LiteralSpan {
  uint32_t begin = 0;
  uint32_t end = 0;
  TokenKind kind = TokenKind::end;
  bool null_word = false;

  bool operator==(const LiteralSpan&) const = default;
};

// The spans of `query` in order (for tests: the hot path calls scan_literals with its own sink).
std::vector<LiteralSpan> literal_spans(std::string_view query);

namespace scan {

// What a byte does at the start of a token, and the lexer's character classes, in one table.
enum Action : uint8_t {
  kOne,    // whitespace and ( ) , ; [ ]: one byte that starts nothing longer
  kWord,   // letters, '_', bytes >= 0x80: an identifier, maybe a prefixed string or true/false/null
  kDigit,  // a number
  kDot,    // '.': a number when a digit follows
  kQuote,  // '\''
  kDoubleQuote,
  kBackquote,
  kDash,      // "--" comment or an operator
  kHash,      // '#' comment
  kSlash,     // "/*" comment or an operator
  kDollar,    // $1, $tag$...$tag$ or an operator
  kQuestion,  // ?, ?NNN
  kColon,     // :name, "::" or an operator
  kPercent,   // %s, %d, %(name)s or an operator
  kOperator,  // anything else
};

enum : uint8_t { kIdentStart = 1, kIdent = 2, kDigitBit = 4, kHexBit = 8, kPrefix = 16 };

struct Tables {
  uint8_t action[256] = {};
  uint8_t cls[256] = {};
  constexpr Tables() {
    for (int c = 0; c < 256; ++c) action[c] = kOperator;
    for (int c : {' ', '\t', '\n', '\r', '\f', '\v', '(', ')', ',', ';', '[', ']'}) action[c] = kOne;
    for (int c = 'a'; c <= 'z'; ++c) action[c] = kWord, cls[c] = kIdentStart | kIdent;
    for (int c = 'A'; c <= 'Z'; ++c) action[c] = kWord, cls[c] = kIdentStart | kIdent;
    for (int c = 0x80; c < 256; ++c) action[c] = kWord, cls[c] = kIdentStart | kIdent;  // UTF-8 letters
    action[static_cast<int>('_')] = kWord;
    cls[static_cast<int>('_')] = kIdentStart | kIdent;
    cls[static_cast<int>('$')] = kIdent;
    for (int c = '0'; c <= '9'; ++c) action[c] = kDigit, cls[c] = kIdent | kDigitBit | kHexBit;
    for (int c = 'a'; c <= 'f'; ++c) cls[c] |= kHexBit;
    for (int c = 'A'; c <= 'F'; ++c) cls[c] |= kHexBit;
    for (int c : {'e', 'E', 'n', 'N', 'x', 'X', 'b', 'B'}) cls[c] |= kPrefix;
    action[static_cast<int>('.')] = kDot;
    action[static_cast<int>('\'')] = kQuote;
    action[static_cast<int>('"')] = kDoubleQuote;
    action[static_cast<int>('`')] = kBackquote;
    action[static_cast<int>('-')] = kDash;
    action[static_cast<int>('#')] = kHash;
    action[static_cast<int>('/')] = kSlash;
    action[static_cast<int>('$')] = kDollar;
    action[static_cast<int>('?')] = kQuestion;
    action[static_cast<int>(':')] = kColon;
    action[static_cast<int>('%')] = kPercent;
  }
};
inline constexpr Tables kTables;

inline bool is(unsigned char c, uint8_t bits) { return kTables.cls[c] & bits; }

// Lower-cased 4 bytes, for the true/null/false test (identifier bytes only: letters, digits,
// '_', '$' and bytes >= 0x80, none of which folds onto another letter under | 0x20).
inline uint32_t lower4(const unsigned char* p) {
  uint32_t v;
  std::memcpy(&v, p, 4);
  return v | 0x20202020u;
}
inline constexpr uint32_t word4(const char (&w)[5]) {
  return uint32_t(uint8_t(w[0])) | uint32_t(uint8_t(w[1])) << 8 | uint32_t(uint8_t(w[2])) << 16 |
         uint32_t(uint8_t(w[3])) << 24;
}

#if defined(__SSE2__)
// A bit per byte of `v`: set for identifier bytes (letters, digits, '_', '$', bytes >= 0x80).
inline unsigned identifier_mask(__m128i v) {
  using namespace util::simd;
  const __m128i letter = bytes_in_range(_mm_or_si128(v, _mm_set1_epi8(0x20)), 'a', 26);
  const __m128i high = _mm_cmplt_epi8(v, _mm_setzero_si128());
  const __m128i other = _mm_or_si128(bytes_equal(v, '_'), bytes_equal(v, '$'));
  return mask(_mm_or_si128(_mm_or_si128(letter, digits(v)), _mm_or_si128(high, other)));
}
#endif

// The end of the run of identifier bytes from `i`, sixteen bytes at a time, so that a word costs
// a branch or two rather than one per byte and a mispredicted exit. Near the end, the last
// sixteen bytes of the statement are read (those before `i` masked off).
inline size_t skip_identifier(const unsigned char* s, size_t n, size_t i) {
#if defined(__SSE2__)
  while (i + 16 <= n) {
    const unsigned stop = ~identifier_mask(util::simd::load16(s + i)) & 0xFFFFu;
    if (stop) return i + static_cast<size_t>(__builtin_ctz(stop));
    i += 16;
  }
  if (i < n && n >= 16) {
    const size_t base = n - 16;  // i > base
    const unsigned ident = identifier_mask(util::simd::load16(s + base)) >> (i - base);
    const unsigned stop = ~ident & ((1u << (n - i)) - 1);
    return stop ? i + static_cast<size_t>(__builtin_ctz(stop)) : n;
  }
#endif
  while (i < n && is(s[i], kIdent)) ++i;
  return i;
}

// The end of a quoted run opened at `open` (Lexer::skip_quoted): doubled quotes continue it,
// a backslash escapes the next byte when `backslash_escapes`; unterminated, it runs to the end.
inline size_t skip_quoted(const unsigned char* s, size_t n, size_t open, unsigned char quote, bool backslash_escapes) {
  size_t i = open + 1;
  if (!backslash_escapes) {
    while (i < n) {
      const void* hit = std::memchr(s + i, quote, n - i);
      if (!hit) return n;
      i = static_cast<size_t>(static_cast<const unsigned char*>(hit) - s) + 1;
      if (i < n && s[i] == quote) {  // doubled quote
        ++i;
        continue;
      }
      return i;
    }
    return n;
  }
  while (i < n) {
    const unsigned char c = s[i];
    if (c == '\\') {
      i += 2;
      continue;
    }
    ++i;
    if (c == quote) {
      if (i < n && s[i] == quote) {
        ++i;
        continue;
      }
      return i;
    }
  }
  return n;
}

// The end of a number starting at `i` (Lexer::skip_number).
inline size_t skip_number(const unsigned char* s, size_t n, size_t i) {
  if (s[i] == '0' && i + 2 < n) {
    const unsigned char p = s[i + 1] | 0x20;
    if (p == 'x' && is(s[i + 2], kHexBit)) {
      i += 2;
      while (i < n && is(s[i], kHexBit)) ++i;
      return i;
    }
    if (p == 'b' && (s[i + 2] == '0' || s[i + 2] == '1')) {
      i += 2;
      while (i < n && (s[i] == '0' || s[i] == '1')) ++i;
      return i;
    }
  }
  while (i < n && is(s[i], kDigitBit)) ++i;
  if (i < n && s[i] == '.') {
    ++i;
    while (i < n && is(s[i], kDigitBit)) ++i;
  }
  if (i < n && (s[i] | 0x20) == 'e') {
    size_t e = i + 1;
    if (e < n && (s[e] == '+' || s[e] == '-')) ++e;
    if (e < n && is(s[e], kDigitBit)) {
      i = e;
      while (i < n && is(s[i], kDigitBit)) ++i;
    }
  }
  return i;
}

// The end of an operator starting at `i` (the end of Lexer::next): a known two- or three-byte
// operator, else one byte and the UTF-8 continuation bytes after it.
inline size_t skip_operator(const unsigned char* s, size_t n, size_t i) {
  if (i + 1 < n) {
    const unsigned char a = s[i], b = s[i + 1];
    bool two = false;
    switch (a) {
      case '<':
        two = b == '>' || b == '=' || b == '<';
        break;
      case '!':
        two = b == '=';
        break;
      case '>':
        two = b == '=' || b == '>';
        break;
      case '|':
        two = b == '|';
        break;
      case ':':
        two = b == ':' || b == '=';
        break;
      case '-':
        two = b == '>';
        break;
      case '&':
        two = b == '&';
        break;
      default:
        break;
    }
    if (two) {
      i += 2;
      // ->> and <=>
      if (i < n && s[i] == '>' && ((a == '-' && b == '>') || (a == '<' && b == '='))) ++i;
      return i;
    }
  }
  ++i;
  while (i < n && (s[i] & 0xC0) == 0x80) ++i;
  return i;
}

// The end of the comment starting at `i` running to the end of the line (not included).
inline size_t skip_line(const unsigned char* s, size_t n, size_t i) {
  const void* nl = std::memchr(s + i, '\n', n - i);
  return nl ? static_cast<size_t>(static_cast<const unsigned char*>(nl) - s) : n;
}

// The end of the block comment starting at `i` ("/*", not nested in the generic dialect).
inline size_t skip_block_comment(const unsigned char* s, size_t n, size_t i) {
  i += 2;
  while (i < n) {
    const void* star = std::memchr(s + i, '*', n - i);
    if (!star) return n;
    i = static_cast<size_t>(static_cast<const unsigned char*>(star) - s) + 1;
    if (i < n && s[i] == '/') return i + 1;
  }
  return n;
}

}  // namespace scan

// Runs the generic dialect's tokenization over `query` and calls, in order:
//   sink.literal(begin, end, kind)  for each token the lexer gives a literal kind or true/false
//                                   (kind identifier),
//   sink.null_word(begin, end)      for each `null` identifier,
//   sink.comment(begin, end)        for each comment.
// Every other token is skipped over without a call.
template <class Sink>
inline void scan_literals(std::string_view query, Sink& sink) {
  using namespace scan;
  const auto* s = reinterpret_cast<const unsigned char*>(query.data());
  const size_t n = query.size();
  size_t i = 0;
  while (i < n) {
    const unsigned char c = s[i];
    const size_t begin = i;
    const auto action = static_cast<Action>(kTables.action[c]);
    // The commonest tokens first, on plain branches (a jump table per token mispredicts).
    if (action == kOne) {
      ++i;
      continue;
    }
    if (action == kWord) {
      if (i + 1 < n && s[i + 1] == '\'' && is(c, kPrefix)) [[unlikely]] {  // E'..', N'..', X'..', B'..'
        const unsigned char p = c | 0x20;
        i = skip_quoted(s, n, i + 1, '\'', p == 'e');
        sink.literal(begin, i, p == 'x' ? TokenKind::hex_string : p == 'b' ? TokenKind::bit_string : TokenKind::string);
        continue;
      }
      i = skip_identifier(s, n, i + 1);
      const size_t len = i - begin;
      if (len == 4) {
        const uint32_t w = lower4(s + begin);
        if (w == word4("true")) {
          sink.literal(begin, i, TokenKind::identifier);
        } else if (w == word4("null")) {
          sink.null_word(begin, i);
        }
      } else if (len == 5 && lower4(s + begin) == word4("fals") && (s[begin + 4] | 0x20) == 'e') {
        sink.literal(begin, i, TokenKind::identifier);
      }
      continue;
    }
    switch (action) {
      case kOne:
      case kWord:
        break;  // above
      case kDot:
        if (!(i + 1 < n && is(s[i + 1], kDigitBit))) {
          ++i;
          break;
        }
        [[fallthrough]];
      case kDigit:
        i = skip_number(s, n, i);
        sink.literal(begin, i, TokenKind::number);
        break;
      case kQuote:
        i = skip_quoted(s, n, i, '\'', false);
        sink.literal(begin, i, TokenKind::string);
        break;
      case kDoubleQuote:
      case kBackquote:
        i = skip_quoted(s, n, i, c, false);
        break;
      case kDash:
        if (i + 1 < n && s[i + 1] == '-') {
          i = skip_line(s, n, i);
          sink.comment(begin, i);
        } else {
          i = skip_operator(s, n, i);
        }
        break;
      case kHash:
        i = skip_line(s, n, i);
        sink.comment(begin, i);
        break;
      case kSlash:
        if (i + 1 < n && s[i + 1] == '*') {
          i = skip_block_comment(s, n, i);
          sink.comment(begin, i);
        } else {
          i = skip_operator(s, n, i);
        }
        break;
      case kDollar: {
        if (i + 1 < n && is(s[i + 1], kDigitBit)) {  // $1
          ++i;
          while (i < n && is(s[i], kDigitBit)) ++i;
          sink.literal(begin, i, TokenKind::placeholder);
          break;
        }
        size_t j = i + 1;  // $tag$ (the tag an identifier without '$', or empty)
        if (j < n && is(s[j], kIdentStart)) {
          while (j < n && is(s[j], kIdent) && s[j] != '$') ++j;
        }
        if (j < n && s[j] == '$') {
          const std::string_view tag = query.substr(i, j + 1 - i);
          const size_t close = query.find(tag, j + 1);
          i = close == std::string_view::npos ? n : close + tag.size();
          sink.literal(begin, i, TokenKind::dollar_string);
        } else {
          i = skip_operator(s, n, i);
        }
        break;
      }
      case kQuestion:
        ++i;
        while (i < n && is(s[i], kDigitBit)) ++i;  // SQLite ?NNN
        sink.literal(begin, i, TokenKind::placeholder);
        break;
      case kColon:
        if (i + 1 < n && is(s[i + 1], kIdentStart) && (i == 0 || s[i - 1] != ':')) {
          ++i;
          while (i < n && is(s[i], kIdent)) ++i;
          sink.literal(begin, i, TokenKind::placeholder);
        } else {
          i = skip_operator(s, n, i);  // "::" included
        }
        break;
      case kPercent:
        if (i + 1 < n && (s[i + 1] == 's' || s[i + 1] == 'd')) {
          i += 2;
          sink.literal(begin, i, TokenKind::placeholder);
          break;
        }
        if (i + 1 < n && s[i + 1] == '(') {
          // %(name)s: the first ")s" after the '%', less than 64 bytes on.
          const size_t close = query.substr(0, i + 65 < n ? i + 65 : n).find(")s", i);
          if (close != std::string_view::npos) {
            i = close + 2;
            sink.literal(begin, i, TokenKind::placeholder);
            break;
          }
        }
        i = skip_operator(s, n, i);
        break;
      case kOperator:
        i = skip_operator(s, n, i);
        break;
    }
  }
}

}  // namespace dbvet::sql::detail
