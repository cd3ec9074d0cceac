// The fingerprint keys: what the digest groups statements by before it computes a class's
// fingerprint text. One pass over the statement (literal_scanner.hpp) with a sink per mode, and
// before it a sixteen-bytes-at-a-time fast path for the statements most logs are made of.

#include <algorithm>
#include <array>
#include <cstring>
#include <optional>

#include "analyzer/sql/fingerprint.hpp"
#include "analyzer/sql/fingerprint_hash.hpp"
#include "analyzer/sql/lexer.hpp"
#include "analyzer/sql/literal_scanner.hpp"
#include "analyzer/util/byte_scan.hpp"

namespace dbvet::sql {

using detail::chain_hash;

namespace {

inline bool pt_space(char c) { return c == ' ' || (c >= '\t' && c <= '\r'); }

// Marker bytes in pt keys; statements that contain them are not cached in pt mode.
constexpr char kPtString = '\x01';  // the contents of a quoted string
constexpr char kPtDigits = '\x02';  // a run of digits

// Marker bytes in canonical keys, one per literal token, by what the canonical fingerprint tells
// apart; raw bytes >= 0xF0 are written behind kEscape, so a marker always is one.
constexpr char kEscape = '\xF0';
constexpr char kNumberMarker = '\xF1';  // number or placeholder: may take a sign
constexpr char kBooleanMarker = '\xF2';
constexpr char kStringMarker = '\xF3';  // string, hex, bit or dollar-quoted string

constexpr uint64_t kLiteralHashSeed = 0x9e3779b97f4a7c15ULL;

// The literal hash alone (pg mode, and the modes' sinks build on it).
struct LiteralHashSink {
  const char* q;
  uint64_t h = kLiteralHashSeed;
  void literal(size_t begin, size_t end, TokenKind) { h = chain_hash(q + begin, end - begin, h); }
  void null_word(size_t begin, size_t end) { h = chain_hash(q + begin, end - begin, h); }
  void comment(size_t, size_t) {}
};

// Whether [p, p + size) holds a byte >= 0xF0.
inline bool has_byte_from_f0(const char* p, size_t size) {
  size_t i = 0;
#if defined(__SSE2__)
  const __m128i high_nibble = _mm_set1_epi8(char(0xF0));
  auto any = [&](const char* at) {
    const __m128i v = util::simd::load16(at);
    return _mm_movemask_epi8(_mm_cmpeq_epi8(_mm_and_si128(v, high_nibble), high_nibble)) != 0;
  };
  if (size >= 16) {
    for (; i + 16 <= size; i += 16) {
      if (any(p + i)) return true;
    }
    return i < size && any(p + size - 16);  // the last bytes, overlapping the ones read
  }
#endif
  for (; i < size; ++i) {
    if (static_cast<unsigned char>(p[i]) >= 0xF0) return true;
  }
  return false;
}

// The canonical key: the statement's bytes with each literal token replaced by its marker and
// each comment by a space. The lexer reads the same tokens from any statement with this key,
// literal values aside (a literal never ends with ':', the one byte the lexer looks back at, and
// whatever a token's extent reads of the next token is decided the same way, or shows as a
// marker), so the canonical fingerprint, a function of the significant tokens with literals
// abstracted to their marker, is the same. Spacing is kept: it only costs cache misses.
struct CanonicalKeySink : LiteralHashSink {
  std::string& key;
  const size_t size;
  const bool escape;  // the statement has bytes >= 0xF0
  char* w;            // the key is written through a pointer: appends showed in profiles
  size_t copied = 0;  // where the bytes not yet written start

  // Room for the statement and some: a marker or a space stands for at least one byte, so the
  // key only outgrows the statement through escapes (copy_to grows it then).
  CanonicalKeySink(std::string_view query, std::string& out)
      : LiteralHashSink{query.data()}, key(out), size(query.size()), escape(has_byte_from_f0(q, size)) {
    key.resize(size + 16);
    w = key.data();
  }

  void copy_to(size_t end) {
    const char* p = q + copied;
    const size_t count = end - copied;
    copied = end;
    if (!escape) [[likely]] {
      std::memcpy(w, p, count);
      w += count;
      return;
    }
    const size_t used = static_cast<size_t>(w - key.data());
    if (key.size() < used + 2 * count + (size - end) + 16) {
      key.resize(used + 2 * count + (size - end) + 16);
      w = key.data() + used;
    }
    for (size_t i = 0; i < count; ++i) {
      if (static_cast<unsigned char>(p[i]) >= 0xF0) *w++ = kEscape;
      *w++ = p[i];
    }
  }
  void literal(size_t begin, size_t end, TokenKind kind) {
    LiteralHashSink::literal(begin, end, kind);
    copy_to(begin);
    *w++ = kind == TokenKind::number || kind == TokenKind::placeholder ? kNumberMarker
           : kind == TokenKind::identifier                             ? kBooleanMarker
                                                                       : kStringMarker;
    copied = end;
  }
  void comment(size_t begin, size_t end) {
    copy_to(begin);
    *w++ = ' ';  // a token boundary, as the comment was
    copied = end;
  }
  void finish() {
    copy_to(size);
    key.resize(static_cast<size_t>(w - key.data()));
  }
};

// What pt mode looks at in bytes outside strings, and inside strings.
enum : uint8_t {
  kPtPlain = 0,
  kPtDigit,       // outside strings: a digit run becomes kPtDigits
  kPtRefuse,      // not cacheable: \ " # the marker bytes, and a quote where only strings have them
  kPtDash,        // not cacheable when "--"
  kPtSlash,       // not cacheable when "/*"
  kPtParenthesis  // inside strings: kept verbatim
};

struct PtTables {
  uint8_t gap[256] = {};
  uint8_t string[256] = {};
  constexpr PtTables() {
    for (int c = '0'; c <= '9'; ++c) gap[c] = kPtDigit;
    for (int c : {int('\\'), int('"'), int('#'), int('\''), int(kPtString), int(kPtDigits)})
      gap[c] = string[c] = kPtRefuse;
    gap[static_cast<int>('-')] = string[static_cast<int>('-')] = kPtDash;
    gap[static_cast<int>('/')] = string[static_cast<int>('/')] = kPtSlash;
    string[static_cast<int>('(')] = string[static_cast<int>(')')] = kPtParenthesis;
  }
};
constexpr PtTables kPt;

// The first byte in [i, end) that pt mode looks at outside strings (kPt.gap): sixteen bytes at a
// time where there are sixteen.
#if defined(__SSE2__)
// A bit per byte of `v`: set for the bytes kPt.gap does not call plain.
inline unsigned pt_special_mask(__m128i v) {
  auto eq = [&](char c) { return _mm_cmpeq_epi8(v, _mm_set1_epi8(c)); };
  const __m128i digit = util::simd::digits(v);
  const __m128i marker = util::simd::bytes_in_range(v, 1, 2);
  const __m128i special = _mm_or_si128(_mm_or_si128(_mm_or_si128(digit, marker), _mm_or_si128(eq('\\'), eq('"'))),
                                       _mm_or_si128(_mm_or_si128(eq('#'), eq('\'')), _mm_or_si128(eq('-'), eq('/'))));
  return static_cast<unsigned>(_mm_movemask_epi8(special));
}
#endif

// The first byte in [i, end) that pt mode looks at outside strings (kPt.gap): sixteen bytes at a
// time, the last sixteen before `end` read whole near it (those before `i` masked off).
inline size_t skip_pt_plain(const unsigned char* s, size_t i, size_t end) {
#if defined(__SSE2__)
  while (i + 16 <= end) {
    const unsigned found = pt_special_mask(util::simd::load16(s + i));
    if (found) return i + static_cast<size_t>(__builtin_ctz(found));
    i += 16;
  }
  if (i < end && end >= 16) {
    const size_t base = end - 16;  // i > base
    const unsigned found = pt_special_mask(util::simd::load16(s + base)) >> (i - base);
    return found ? i + static_cast<size_t>(__builtin_ctz(found)) : end;
  }
#endif
  while (i < end && kPt.gap[s[i]] == kPtPlain) ++i;
  return i;
}

// What pt mode makes of the contents of a string [open + 1, end - 1) (`end` past its closing
// quote): refused (a byte or pair that changes how pt reads the statement), kept verbatim (a
// parenthesis inside could change pt's multi-row INSERT cut) or plain.
enum : int { kPtContentPlain, kPtContentParenthesis, kPtContentRefused };

inline int pt_string_content(const unsigned char* s, size_t open, size_t end) {
  bool parenthesis = false;
  size_t i = open + 1;
#if defined(__SSE2__)
  // Sixteen content bytes at a time (the byte after them is still in the statement: the
  // closing quote at least).
  for (; i + 16 < end; i += 16) {
    const __m128i v = util::simd::load16(s + i);
    const __m128i next = util::simd::load16(s + i + 1);
    auto eq = [](__m128i x, char c) { return _mm_cmpeq_epi8(x, _mm_set1_epi8(c)); };
    const __m128i marker = util::simd::bytes_in_range(v, 1, 2);
    const __m128i comment =
        _mm_or_si128(_mm_and_si128(eq(v, '-'), eq(next, '-')), _mm_and_si128(eq(v, '/'), eq(next, '*')));
    const __m128i refuse =
        _mm_or_si128(_mm_or_si128(_mm_or_si128(eq(v, '\''), eq(v, '\\')), _mm_or_si128(eq(v, '"'), eq(v, '#'))),
                     _mm_or_si128(marker, comment));
    if (_mm_movemask_epi8(refuse)) return kPtContentRefused;
    parenthesis = parenthesis || _mm_movemask_epi8(_mm_or_si128(eq(v, '('), eq(v, ')')));
  }
#endif
  for (; i + 1 < end; ++i) {
    switch (kPt.string[s[i]]) {
      case kPtPlain:
      case kPtDigit:
        break;
      case kPtParenthesis:
        parenthesis = true;
        break;
      case kPtDash:
      case kPtSlash:
        // A comment's second byte follows (i + 1 < end: the closing quote at most).
        if (s[i + 1] != (s[i] == '-' ? '-' : '*')) break;
        [[fallthrough]];
      default:
        return kPtContentRefused;
    }
  }
  return parenthesis ? kPtContentParenthesis : kPtContentPlain;
}

// The pt key: every byte kept but string contents and digit runs, since pt's output depends on
// spacing. Cacheable only where pt's regular expressions leave the literal values nothing to act
// on but their own replacement: no comment, no backslash escape, no double quote, no CALL (whose
// name and arguments pt keeps), no administrator command (kept whole), and every single quote a
// delimiter of a 'content' string, so that pt's left-to-right pairing of quotes reads the same
// strings.
struct PtKeySink : LiteralHashSink {
  std::string& key;
  const size_t size;
  char* w;  // written through a pointer, as the canonical key
  size_t copied = 0;
  bool cacheable = true;

  // The key is no longer than the statement but for empty strings, '' giving '<marker>'
  // (string_token grows it then).
  PtKeySink(std::string_view query, std::string& out) : LiteralHashSink{query.data()}, key(out), size(query.size()) {
    key.resize(size + 16);
    w = key.data();
  }

  // A dash or slash refuses the statement when a comment's second byte follows, wherever it is.
  bool opens_comment(size_t i) const { return i + 1 < size && q[i + 1] == (q[i] == '-' ? '-' : '*'); }

  // Copies the bytes up to `end`, outside strings, each digit run replaced by one marker: pt turns
  // each such run, whatever its length and value, into part of a '?' (digits are both the start
  // and the body of its number pattern, and word characters for its \b).
  void copy_to(size_t end) {
    const auto* s = reinterpret_cast<const unsigned char*>(q);
    size_t i = copied;
    while (i < end) {
      const size_t run = i;
      i = skip_pt_plain(s, i, end);
      std::memcpy(w, q + run, i - run);
      w += i - run;
      if (i == end) break;
      switch (kPt.gap[s[i]]) {
        case kPtDigit:
          *w++ = kPtDigits;
          while (++i < end && kPt.gap[s[i]] == kPtDigit) {
          }
          break;
        case kPtDash:
        case kPtSlash:
          if (opens_comment(i)) {
            cacheable = false;
            return;
          }
          *w++ = q[i++];
          break;
        default:
          cacheable = false;
          return;
      }
    }
    copied = end;
  }

  // A string, hex or bit string token: 'content' (after its prefix), its content without a quote,
  // becomes the quotes around a marker, or is kept when a parenthesis inside could change pt's
  // multi-row INSERT cut.
  void string_token(size_t begin, size_t end) {
    const size_t open = q[begin] == '\'' ? begin : begin + 1;
    if (end < open + 2 || q[end - 1] != '\'') {
      cacheable = false;
      return;
    }
    const int content = pt_string_content(reinterpret_cast<const unsigned char*>(q), open, end);
    if (content == kPtContentRefused) {
      cacheable = false;
      return;
    }
    const bool parenthesis = content == kPtContentParenthesis;
    const size_t used = static_cast<size_t>(w - key.data());
    if (key.size() < used + (size - begin) + 16) {
      key.resize(2 * key.size());
      w = key.data() + used;
    }
    if (parenthesis) {
      std::memcpy(w, q + begin, end - begin);
      w += end - begin;
    } else {
      std::memcpy(w, q + begin, open + 1 - begin);
      w += open + 1 - begin;
      *w++ = kPtString;
      *w++ = '\'';
    }
    copied = end;
  }

  void literal(size_t begin, size_t end, TokenKind kind) {
    LiteralHashSink::literal(begin, end, kind);
    if (!cacheable) return;
    switch (kind) {
      case TokenKind::string:
      case TokenKind::hex_string:
      case TokenKind::bit_string:
        copy_to(begin);
        if (cacheable) string_token(begin, end);
        break;
      case TokenKind::number:
        // Digit runs end with their token: 0b12 is the number 0b1, then 2.
        if (end < size && q[end] >= '0' && q[end] <= '9') copy_to(end);
        break;
      default:
        break;
    }
  }
  void comment(size_t, size_t) { cacheable = false; }
  void finish() {
    if (cacheable) copy_to(size);
    key.resize(cacheable ? static_cast<size_t>(w - key.data()) : 0);
  }
};

bool pt_cacheable_command(std::string_view q) {
  // The first bytes first: this runs for every statement.
  if (!q.empty() && q[0] == 'a' && q.starts_with("administrator command: ")) return false;
  size_t i = 0;
  const size_t n = q.size();
  while (i < n && pt_space(q[i])) ++i;
  return !(i + 4 < n && (q[i] | 0x20) == 'c' && iequals(q.substr(i, 4), "call") && pt_space(q[i + 4]));
}

#if defined(__SSE2__)
// The fast path of the fingerprint keys, for the statements most logs are made of: words,
// numbers, plain 'strings', spaces and the punctuation and operators that start nothing longer.
// It finds the bytes that matter sixteen at a time (number starts, digit runs for pt, words that
// may be true/false/null, quotes, and the bytes it leaves to the scanner) and writes the same key
// and literal hash as the scanner's sinks; at anything else it gives up, and the scanner does the
// statement from the start. The differential test (sql_fingerprint_key_test) holds the two
// paths together.
namespace simple {

// What the table says of an event byte that is neither a digit nor a word's t/f/n.
enum : uint8_t {
  kPlain = 0,  // a byte the scanner's sinks copy as it is, and that starts nothing longer here
  kGiveUp,     // what the fast path leaves to the scanner: " # $ % / : ? \\ `, controls, bytes >= 0x7F
  kQuote,
  kDash,  // a comment when "--"
  kDot,   // a number when a digit follows
};

struct Tables {
  uint8_t stop[256] = {};
  bool ident[256] = {};  // letters, digits, '_': a byte of a word here
  constexpr Tables() {
    for (int c = 0; c < 0x20; ++c) stop[c] = c >= 0x09 && c <= 0x0D ? kPlain : kGiveUp;
    for (int c = 0x7F; c < 256; ++c) stop[c] = kGiveUp;
    for (int c : {'"', '#', '$', '%', '/', ':', '?', '\\', '`'}) stop[c] = kGiveUp;
    stop[static_cast<int>('\'')] = kQuote;
    stop[static_cast<int>('-')] = kDash;
    stop[static_cast<int>('.')] = kDot;
    for (int c = '0'; c <= '9'; ++c) ident[c] = true;
    for (int c = 'a'; c <= 'z'; ++c) ident[c] = true;
    for (int c = 'A'; c <= 'Z'; ++c) ident[c] = true;
    ident[static_cast<int>('_')] = true;
  }
};
constexpr Tables kSimple;

// A bit per byte of sixteen.
struct Masks {
  unsigned ident = 0;    // letters, digits, '_'
  unsigned digit = 0;    // 0-9
  unsigned keyword = 0;  // t, f, n in either case
  unsigned other = 0;    // neither those nor the commonest plain bytes: the table tells what they are
};

inline Masks classify(__m128i v) {
  auto eq = [&](char c) { return _mm_cmpeq_epi8(v, _mm_set1_epi8(c)); };
  const __m128i folded = _mm_or_si128(v, _mm_set1_epi8(0x20));
  auto folded_eq = [&](char c) { return _mm_cmpeq_epi8(folded, _mm_set1_epi8(c)); };
  const __m128i letter = util::simd::bytes_in_range(folded, 'a', 26);
  const __m128i digit = util::simd::digits(v);
  const __m128i ident = _mm_or_si128(_mm_or_si128(letter, digit), eq('_'));
  const __m128i parenthesis = _mm_cmpeq_epi8(_mm_or_si128(v, _mm_set1_epi8(1)), _mm_set1_epi8(')'));  // ( )
  const __m128i common = _mm_or_si128(_mm_or_si128(eq(' '), eq('=')), _mm_or_si128(eq(','), parenthesis));
  Masks m;
  m.ident = static_cast<unsigned>(_mm_movemask_epi8(ident));
  m.digit = static_cast<unsigned>(_mm_movemask_epi8(digit));
  m.keyword = static_cast<unsigned>(
      _mm_movemask_epi8(_mm_or_si128(_mm_or_si128(folded_eq('t'), folded_eq('f')), folded_eq('n'))));
  m.other = ~static_cast<unsigned>(_mm_movemask_epi8(_mm_or_si128(ident, common))) & 0xFFFF;
  return m;
}

// Copies `count` bytes, a few loads for the short gaps between literals.
inline void copy_bytes(char* to, const char* from, size_t count) {
  if (count > 16) {  // sixteen at a time, the last sixteen overlapping
    for (size_t i = 0; i + 16 < count; i += 16) {
      _mm_storeu_si128(reinterpret_cast<__m128i*>(to + i), util::simd::load16(from + i));
    }
    _mm_storeu_si128(reinterpret_cast<__m128i*>(to + count - 16), util::simd::load16(from + count - 16));
    return;
  }
  if (count >= 8) {
    uint64_t a, b;
    std::memcpy(&a, from, 8);
    std::memcpy(&b, from + count - 8, 8);
    std::memcpy(to, &a, 8);
    std::memcpy(to + count - 8, &b, 8);
  } else if (count >= 4) {
    uint32_t a, b;
    std::memcpy(&a, from, 4);
    std::memcpy(&b, from + count - 4, 4);
    std::memcpy(to, &a, 4);
    std::memcpy(to + count - 4, &b, 4);
  } else if (count > 0) {
    to[0] = from[0];
    to[count / 2] = from[count / 2];
    to[count - 1] = from[count - 1];
  }
}

// The key of `query` in `buffer` (grown to one and a half times the statement, never shrunk:
// nothing is cleared per call), or false where the scanner must do it. The key written is the scanner's
// (CanonicalKeySink's, PtKeySink's) on every statement taken: the bytes the fast path takes are
// ones the scanner's sinks copy as they are, the literal tokens it finds start and end where the
// scanner's do (a word byte before a byte always means the same word here: the tokens that end
// next to a word byte without a space, numbers followed by letters or dots, prefixed strings,
// are given up on), and it hashes them in the same order.
template <bool kPtMode>
bool key(std::string_view query, std::string& buffer, std::string_view& key_out, uint64_t& hash_out) {
  const char* const q = query.data();
  const auto* s = reinterpret_cast<const unsigned char*>(q);
  const size_t n = query.size();
  // pt refuses CALL and administrator commands: only statements starting with a, c or a space
  // can be those.
  if (kPtMode && n > 0 && ((s[0] | 0x20) == 'a' || (s[0] | 0x20) == 'c' || pt_space(q[0])) &&
      !pt_cacheable_command(query)) {
    return false;
  }
  // A pt key can outgrow the statement: '' becomes three bytes. By at most half (a string takes
  // two bytes at least; everything else is copied or becomes one marker byte for one or more).
  if (buffer.size() < n + n / 2 + 16) buffer.resize(n + n / 2 + 16);
  char* const out = buffer.data();
  char* w = out;
  size_t copied = 0;
  uint64_t h = kLiteralHashSeed;
  auto copy_to = [&](size_t end) {
    copy_bytes(w, q + copied, end - copied);
    w += end - copied;
  };
  size_t pos = 0;
  while (pos < n) {
    Masks m;
    unsigned valid = 0xFFFF;
    if (pos + 16 <= n) {
      m = classify(util::simd::load16(s + pos));
    } else {
      if (n >= 16) {  // the last sixteen bytes, those before `pos` shifted out
        const unsigned shift = static_cast<unsigned>(pos - (n - 16));
        m = classify(util::simd::load16(s + n - 16));
        m.ident >>= shift, m.digit >>= shift, m.keyword >>= shift, m.other >>= shift;
      } else {
        unsigned char padded[16] = {};
        std::memcpy(padded, s + pos, n - pos);
        m = classify(util::simd::load16(padded));
      }
      valid = (1u << (n - pos)) - 1;
    }
    // Every byte before `pos` was looked at: s[pos - 1] is a word byte when in a word.
    const unsigned after_ident = ((m.ident << 1) | (pos > 0 && kSimple.ident[s[pos - 1]] ? 1u : 0u)) & 0xFFFF;
    unsigned events = (m.other | (m.digit & (kPtMode ? 0xFFFFu : ~after_ident)) | (m.keyword & ~after_ident)) & valid;
    size_t next = pos + 16;
    while (events) {
      const unsigned bit = static_cast<unsigned>(__builtin_ctz(events));
      events &= events - 1;
      const size_t p = pos + bit;
      size_t end = p + 1;  // past what this byte starts
      // Digits and t/f/n word starts by their masks, the rest by the table: plain branches, most
      // events being one of the first two.
      if (m.digit >> bit & 1) {
        // The run's end from the mask (the bits past the statement are clear), then byte by byte
        // when it reaches the chunk's end.
        end = p + static_cast<size_t>(__builtin_ctz(~(m.digit >> bit)));
        if (end == pos + 16) {
          while (end < n && s[end] >= '0' && s[end] <= '9') ++end;
        }
        if (!(after_ident >> bit & 1)) {  // a number: digits alone (not 1.5, 1e5, 0x1F, 10abc)
          if (end < n && (s[end] == '.' || detail::scan::is(s[end], detail::scan::kIdent))) return false;
          h = chain_hash(q + p, end - p, h);
          copy_to(p);
          *w++ = kPtMode ? kPtDigits : kNumberMarker;
        } else {  // pt: digits in a word
          copy_to(p);
          *w++ = kPtDigits;
        }
        copied = end;
      } else if (m.keyword >> bit & 1) {
        // A word starts: true, false or null when that is the whole word.
        auto word_ends = [&](size_t at) { return at == n || !detail::scan::is(s[at], detail::scan::kIdent); };
        size_t length = 0;
        if (p + 4 <= n) {
          const uint32_t w4 = detail::scan::lower4(s + p);
          if ((w4 == detail::scan::word4("true") || w4 == detail::scan::word4("null")) && word_ends(p + 4)) {
            length = 4;
          } else if (w4 == detail::scan::word4("fals") && p + 5 <= n && (s[p + 4] | 0x20) == 'e' && word_ends(p + 5)) {
            length = 5;
          }
        }
        if (!length) continue;
        end = p + length;
        h = chain_hash(q + p, length, h);
        if (!kPtMode && (s[p] | 0x20) != 'n') {  // true, false
          copy_to(p);
          *w++ = kBooleanMarker;
          copied = end;
        }
      } else {
        const uint8_t kind = kSimple.stop[s[p]];
        if (kind == kPlain) continue;
        if (kind == kDash) {
          if (p + 1 < n && s[p + 1] == '-') return false;
          continue;
        }
        if (kind == kDot) {
          if (p + 1 < n && s[p + 1] >= '0' && s[p + 1] <= '9') return false;
          continue;
        }
        if (kind != kQuote) return false;
        if (p > 0 && detail::scan::is(s[p - 1], detail::scan::kIdent)) return false;  // E'..', X'..', glued to a word
        const void* close = std::memchr(s + p + 1, '\'', n - p - 1);
        if (!close) return false;
        end = static_cast<size_t>(static_cast<const unsigned char*>(close) - s) + 1;
        if (end < n && s[end] == '\'') return false;  // a doubled quote
        h = chain_hash(q + p, end - p, h);
        copy_to(p);
        if (kPtMode) {
          const int content = pt_string_content(s, p, end);
          if (content == kPtContentRefused) return false;
          if (content == kPtContentParenthesis) {
            std::memcpy(w, q + p, end - p);
            w += end - p;
          } else {
            *w++ = '\'';
            *w++ = kPtString;
            *w++ = '\'';
          }
        } else {
          *w++ = kStringMarker;
        }
        copied = end;
      }
      // The bytes up to `end` are taken: their events go.
      if (end >= pos + 16) {
        next = end;
        break;
      }
      events &= ~0u << (end - pos);
    }
    pos = next;
  }
  copy_to(n);
  key_out = std::string_view(out, static_cast<size_t>(w - out));
  hash_out = h;
  return true;
}

}  // namespace simple
#endif

}  // namespace

namespace detail {

uint64_t fingerprint_key_scanned(std::string_view query, FingerprintMode mode, std::string& key, bool& cacheable) {
  key.clear();
  switch (mode) {
    case FingerprintMode::pt: {
      PtKeySink sink(query, key);
      sink.cacheable = pt_cacheable_command(query);
      detail::scan_literals(query, sink);
      sink.finish();
      cacheable = sink.cacheable;
      return sink.h;
    }
    case FingerprintMode::canonical: {
      CanonicalKeySink sink(query, key);
      detail::scan_literals(query, sink);
      sink.finish();
      cacheable = true;
      return sink.h;
    }
    case FingerprintMode::pg:
      break;
  }
  LiteralHashSink sink{query.data()};
  detail::scan_literals(query, sink);
  cacheable = false;
  return sink.h;
}

bool fingerprint_key_simple(std::string_view query, FingerprintMode mode, std::string& buffer, std::string_view& key,
                            uint64_t& literal_hash) {
#if defined(__SSE2__)
  if (mode == FingerprintMode::pt) return simple::key<true>(query, buffer, key, literal_hash);
  if (mode == FingerprintMode::canonical) return simple::key<false>(query, buffer, key, literal_hash);
#else
  (void)query, (void)mode, (void)buffer, (void)key, (void)literal_hash;
#endif
  return false;
}

}  // namespace detail

uint64_t fingerprint_key(std::string_view query, FingerprintMode mode, std::string& buffer, std::string_view& key,
                         bool& cacheable) {
  uint64_t literal_hash = 0;
  if (detail::fingerprint_key_simple(query, mode, buffer, key, literal_hash)) {
    cacheable = true;
    return literal_hash;
  }
  literal_hash = detail::fingerprint_key_scanned(query, mode, buffer, cacheable);
  key = buffer;
  return literal_hash;
}

uint64_t fingerprint_key(std::string_view query, FingerprintMode mode, std::string& key, bool& cacheable) {
  std::string_view view;
  const uint64_t literal_hash = fingerprint_key(query, mode, key, view, cacheable);
  key.resize(view.size());  // the view starts the buffer
  return literal_hash;
}

}  // namespace dbvet::sql
