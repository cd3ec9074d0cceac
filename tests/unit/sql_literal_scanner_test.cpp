// Differential test: the fingerprint key's scanner (detail::scan_literals) against the lexer it
// stands in for. Over the conformance logs and hundreds of thousands of generated strings full of
// what the lexer treats specially, the scanner must report exactly the lexer's literal tokens,
// `null` words and comments (start, end, kind); and the keys built on it must keep their contract.

#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "analyzer/sql/fingerprint.hpp"
#include "analyzer/sql/lexer.hpp"
#include "analyzer/sql/literal_scanner.hpp"
#include "tests/support/test_env.hpp"

namespace dbvet::sql {
namespace {

using detail::LiteralSpan;

// What the scanner must find, read off the lexer's tokens.
std::vector<LiteralSpan> lexer_spans(std::string_view query) {
  std::vector<LiteralSpan> out;
  Lexer lexer(query, Dialect::generic);
  for (Token t = lexer.next(); t.kind != TokenKind::end; t = lexer.next()) {
    LiteralSpan span{t.offset, static_cast<uint32_t>(t.offset + t.text.size()), t.kind, false};
    switch (t.kind) {
      case TokenKind::string:
      case TokenKind::hex_string:
      case TokenKind::bit_string:
      case TokenKind::dollar_string:
      case TokenKind::number:
      case TokenKind::placeholder:
      case TokenKind::comment:
        out.push_back(span);
        break;
      case TokenKind::identifier:
        if (iequals(t.text, "true") || iequals(t.text, "false")) {
          out.push_back(span);
        } else if (iequals(t.text, "null")) {
          span.null_word = true;
          out.push_back(span);
        }
        break;
      default:
        break;
    }
  }
  return out;
}

std::string describe(std::string_view query, const std::vector<LiteralSpan>& spans) {
  std::ostringstream out;
  for (const auto& s : spans) {
    out << "  [" << s.begin << "," << s.end << ") kind " << int(s.kind) << (s.null_word ? " null" : "") << " \""
        << query.substr(s.begin, s.end - s.begin) << "\"\n";
  }
  return out.str();
}

// Compares the scanner with the lexer on `query`; reports the first few differences.
void expect_same_spans(std::string_view query, size_t& failures) {
  auto expected = lexer_spans(query);
  auto actual = detail::literal_spans(query);
  if (expected == actual) return;
  if (++failures <= 10) {
    ADD_FAILURE() << "scanner differs from the lexer on [" << query << "]\nlexer:\n"
                  << describe(query, expected) << "scanner:\n"
                  << describe(query, actual);
  }
}

// The pt key as the lexer-based implementation built it before the scanner (kept here as the
// reference): the scanner's pt key must be the same bytes, with the same cacheability.
bool reference_pt_key(std::string_view q, std::string& key) {
  auto space = [](char c) { return c == ' ' || (c >= '\t' && c <= '\r'); };
  key.clear();
  size_t quotes = 0, delimiting_quotes = 0;
  for (size_t i = 0; i < q.size(); ++i) {
    switch (q[i]) {
      case '\'':
        ++quotes;
        break;
      case '\\':
      case '"':
      case '#':
      case '\x01':
      case '\x02':
        return false;
      case '-':
        if (i + 1 < q.size() && q[i + 1] == '-') return false;
        break;
      case '/':
        if (i + 1 < q.size() && q[i + 1] == '*') return false;
        break;
      default:
        break;
    }
  }
  if (q.starts_with("administrator command: ")) return false;
  size_t start = 0;
  while (start < q.size() && space(q[start])) ++start;
  if (start + 4 < q.size() && iequals(q.substr(start, 4), "call") && space(q[start + 4])) return false;
  auto append_digits = [&](std::string_view text) {
    bool in_digits = false;
    for (char c : text) {
      if (c >= '0' && c <= '9') {
        if (!in_digits) key += '\x02';
        in_digits = true;
      } else {
        key += c;
        in_digits = false;
      }
    }
  };
  Lexer lexer(q, Dialect::generic);
  size_t gap = 0;
  for (Token t = lexer.next(); t.kind != TokenKind::end; t = lexer.next()) {
    if (t.kind == TokenKind::comment) return false;
    key.append(q.substr(gap, t.offset - gap));
    gap = t.offset + t.text.size();
    if (t.kind == TokenKind::string || t.kind == TokenKind::hex_string || t.kind == TokenKind::bit_string) {
      size_t open = t.text.find('\'');
      if (open == std::string_view::npos || t.text.size() < open + 2 || t.text.back() != '\'' ||
          t.text.substr(open + 1, t.text.size() - open - 2).find('\'') != std::string_view::npos) {
        return false;
      }
      delimiting_quotes += 2;
      auto content = t.text.substr(open + 1, t.text.size() - open - 2);
      if (content.find_first_of("()") != std::string_view::npos) {
        key.append(t.text);
      } else {
        key.append(t.text.substr(0, open + 1));
        key += '\x01';
        key += '\'';
      }
    } else {
      append_digits(t.text);
    }
  }
  key.append(q.substr(gap));
  return quotes == delimiting_quotes;
}

// Compares the pt key and its cacheability with the reference on `query`.
size_t expect_reference_pt_key(const std::string& query, size_t& failures) {
  std::string expected, actual;
  const bool expected_cacheable = reference_pt_key(query, expected);
  bool cacheable = false;
  fingerprint_key(query, FingerprintMode::pt, actual, cacheable);
  if (cacheable == expected_cacheable && (!cacheable || actual == expected)) return expected_cacheable;
  if (++failures <= 10) {
    ADD_FAILURE() << "pt key differs from the reference on [" << query << "]: cacheable " << cacheable << " vs "
                  << expected_cacheable << ", key [" << actual << "] vs [" << expected << "]";
  }
  return expected_cacheable;
}

TEST(SqlLiteralScanner, KnownCases) {
  size_t failures = 0;
  for (std::string_view q : {"",
                             "'",
                             "''",
                             "'a''b'",
                             "'a'",
                             "E'a\\'b'",
                             "e'\\",
                             "N'x' X'1f' b'01' B'",
                             "ax'1'",
                             "0x",
                             "0x1g",
                             "0b12",
                             "0b",
                             "1e",
                             "1e+",
                             "1e-3x",
                             "1.",
                             ".5",
                             "..5",
                             "1.2.3",
                             "$",
                             "$1",
                             "$$",
                             "$$a$$",
                             "$a$ b $a$",
                             "$a",
                             "$a$",
                             "$_1$x$_1$",
                             "a$1",
                             "?",
                             "?12",
                             ":a",
                             "::a",
                             ":::a",
                             "a:b",
                             ":",
                             "%s",
                             "%d",
                             "%(x)s",
                             "%(x",
                             "%",
                             "%x",
                             "-- c",
                             "--",
                             "-",
                             "->",
                             "->>",
                             "# c\nx",
                             "/* c */",
                             "/*/",
                             "/",
                             "<=>",
                             "<>'a'",
                             "!\x80true",
                             "<>\x80true",
                             "TRUE",
                             "False",
                             "nULL",
                             "nulls",
                             "truex",
                             "\xF0\x9F\x98\x80true",
                             "\"a\"\"b\"",
                             "`a``b`",
                             "\"x",
                             "`x",
                             "@a",
                             "\\'a'"}) {
    expect_same_spans(q, failures);
  }
  EXPECT_EQ(failures, 0u);
}

TEST(SqlLiteralScanner, ConformanceLogsScanLikeTheLexer) {
  auto shared = testing::shared_dir();
  if (!shared || !std::filesystem::exists(*shared / "conformance")) {
    GTEST_SKIP() << "../shared/conformance is absent";
  }
  size_t failures = 0, files = 0;
  for (const char* dir : {"conformance/mysql-slowlog", "conformance/postgres-log"}) {
    if (!std::filesystem::exists(*shared / dir)) continue;
    for (const auto& entry : std::filesystem::directory_iterator(*shared / dir)) {
      if (entry.path().extension() == ".json") continue;
      std::string text = testing::read_file(entry.path());
      ++files;
      expect_same_spans(text, failures);  // the whole log as one text
      std::istringstream lines(text);
      for (std::string line; std::getline(lines, line);) expect_same_spans(line, failures);
    }
  }
  EXPECT_GT(files, 10u);
  EXPECT_EQ(failures, 0u);
}

// Pieces of SQL and single bytes the lexer treats specially.
const std::vector<std::string>& pieces() {
  static const std::vector<std::string> kPieces = {"SELECT",
                                                   "select",
                                                   "from",
                                                   "where",
                                                   "in",
                                                   "values",
                                                   "and",
                                                   "t1",
                                                   "a$b",
                                                   "db2.tbl_3",
                                                   "NULL",
                                                   "null",
                                                   "nulls",
                                                   "true",
                                                   "FALSE",
                                                   "e",
                                                   "E",
                                                   "x",
                                                   "X",
                                                   "b",
                                                   "B",
                                                   "n",
                                                   "N",
                                                   "s",
                                                   "d",
                                                   "0",
                                                   "1",
                                                   "42",
                                                   "0x1F",
                                                   "0b101",
                                                   "0b12",
                                                   "1.5e-3",
                                                   "2E+10",
                                                   ".5",
                                                   "1.",
                                                   "'str'",
                                                   "'it''s'",
                                                   "'a\\'b'",
                                                   "E'a\\'b'",
                                                   "x'ab'",
                                                   "B'01'",
                                                   "N'x'",
                                                   "\"dq\"",
                                                   "`bq`",
                                                   "$1",
                                                   "$$",
                                                   "$a$",
                                                   "$a$ 'q' $a$",
                                                   "$$x$$",
                                                   "?",
                                                   "?7",
                                                   ":name",
                                                   "::",
                                                   "%s",
                                                   "%d",
                                                   "%(name)s",
                                                   "%(",
                                                   ")s",
                                                   "/* c */",
                                                   "/*",
                                                   "*/",
                                                   "--",
                                                   "-- c\n",
                                                   "# c\n",
                                                   "->>",
                                                   "<=>",
                                                   "<>",
                                                   "!=",
                                                   "||",
                                                   ":=",
                                                   "(",
                                                   ")",
                                                   ",",
                                                   ";",
                                                   "=",
                                                   "+",
                                                   "-",
                                                   "*",
                                                   "/",
                                                   "\\",
                                                   "'",
                                                   "\"",
                                                   "`",
                                                   "$",
                                                   ":",
                                                   "?",
                                                   "%",
                                                   ".",
                                                   "#",
                                                   "\n",
                                                   " ",
                                                   "\t",
                                                   "@",
                                                   "!",
                                                   "<",
                                                   ">",
                                                   "|",
                                                   "&",
                                                   "\x80",
                                                   "\xC3\xA9",
                                                   "\xE2\x82\xAC",
                                                   "\xF0\x9F\x98\x80",
                                                   "\xF1",
                                                   "\xFF",
                                                   "\x01",
                                                   "\x02",
                                                   std::string(1, '\0')};
  return kPieces;
}

std::string random_statement(std::mt19937& rng) {
  const auto& p = pieces();
  std::string q;
  const size_t len = 1 + rng() % 12;
  for (size_t k = 0; k < len; ++k) {
    switch (rng() % 6) {
      case 0:
        q += ' ';
        break;
      case 1:
        q += "\n";
        break;
      default:
        break;
    }
    q += p[rng() % p.size()];
  }
  return q;
}

TEST(SqlLiteralScanner, RandomStringsScanLikeTheLexer) {
  std::mt19937 rng(7);
  size_t failures = 0;
  size_t pt_failures = 0, pt_cacheable = 0;
  for (int i = 0; i < 300000; ++i) {
    const std::string q = random_statement(rng);
    expect_same_spans(q, failures);
    if (i % 3 == 0) pt_cacheable += expect_reference_pt_key(q, pt_failures);
  }
  // Long strings and runs between them (the pt key reads those sixteen bytes at a time), with
  // the bytes pt mode refuses or keeps verbatim anywhere in them.
  static constexpr char kContent[] = "-/*#()\\\"\x01\x02'0123456789";
  for (int i = 0; i < 100000; ++i) {
    std::string q = "SELECT c FROM sbtest1 WHERE id";
    for (int part = 0; part < 3; ++part) {
      q += rng() % 2 ? " = '" : "=N'";
      for (size_t k = 0, len = rng() % 48; k < len; ++k) {
        q += rng() % 8 ? char('a' + rng() % 26) : kContent[rng() % (sizeof(kContent) - 1)];
      }
      q += rng() % 2 ? "' AND k" : "' OR k1 BETWEEN 10 AND 20 AND longer_column_name_here";
    }
    expect_same_spans(q, failures);
    pt_cacheable += expect_reference_pt_key(q, pt_failures);
  }
  EXPECT_EQ(pt_failures, 0u);
  EXPECT_GT(pt_cacheable, 20000u);  // the pt key was built and compared, not only refused
  // Raw bytes, weighted to the interesting ones.
  static constexpr char kBytes[] = "'\"`$:?%.-#/*\\eExXbBnN019 \n()s)";
  for (int i = 0; i < 100000; ++i) {
    std::string q(rng() % 24, ' ');
    for (auto& c : q) c = rng() % 3 ? kBytes[rng() % (sizeof(kBytes) - 1)] : char(rng() % 256);
    expect_same_spans(q, failures);
  }
  EXPECT_EQ(failures, 0u);
}

// Variants of random statements whose literal pieces are swapped for others: statements that
// share a key must share the fingerprint (whatever tokens the swaps make), and the returned hash
// is literal_values_hash.
TEST(SqlLiteralScanner, RandomStatementsWithEqualKeysShareTheFingerprint) {
  const std::vector<std::vector<std::string>> kSwaps = {
      {"0", "1", "42", "0x1F", "0b101", "1.5e-3", "2E+10", ".5", "1.", "?", "?7", "$1", ":name", "%s", "%d",
       "%(name)s"},
      {"'str'", "'it''s'", "'a\\'b'", "E'a\\'b'", "x'ab'", "B'01'", "N'x'", "$a$ 'q' $a$", "$$x$$", "''", "'('"},
      {"true", "FALSE", "TRUE", "false"}};
  std::mt19937 rng(11);
  for (auto mode : {FingerprintMode::canonical, FingerprintMode::pt}) {
    std::map<std::string, std::pair<std::string, std::string>> by_key;  // key -> (fingerprint, statement)
    size_t shared = 0, mismatches = 0;
    std::string key;
    for (int i = 0; i < 20000; ++i) {
      // A statement as pieces, some of them literal slots.
      std::vector<std::pair<int, std::string>> parts;  // (swap class or -1, text)
      const size_t len = 1 + rng() % 10;
      for (size_t k = 0; k < len; ++k) {
        if (rng() % 3 == 0) parts.emplace_back(-1, " ");
        if (rng() % 3 == 0) {
          int cls = static_cast<int>(rng() % kSwaps.size());
          parts.emplace_back(cls, kSwaps[cls][rng() % kSwaps[cls].size()]);
        } else {
          parts.emplace_back(-1, pieces()[rng() % pieces().size()]);
        }
      }
      for (int v = 0; v < 4; ++v) {
        std::string q;
        for (const auto& [cls, text] : parts) q += cls < 0 || v == 0 ? text : kSwaps[cls][rng() % kSwaps[cls].size()];
        bool cacheable = false;
        uint64_t h = fingerprint_key(q, mode, key, cacheable);
        ASSERT_EQ(h, literal_values_hash(q)) << q;
        if (!cacheable) continue;
        std::string fp = mode == FingerprintMode::pt ? fingerprint_pt(q) : fingerprint(q, mode).text;
        auto [it, inserted] = by_key.emplace(key, std::make_pair(fp, q));
        if (inserted) continue;
        ++shared;
        if (it->second.first != fp && ++mismatches <= 10) {
          ADD_FAILURE() << fingerprint_mode_name(mode) << ": same key, different fingerprints:\n  ["
                        << it->second.second << "] -> [" << it->second.first << "]\n  [" << q << "] -> [" << fp << "]";
        }
      }
    }
    EXPECT_EQ(mismatches, 0u);
    EXPECT_GT(shared, 2000u) << fingerprint_mode_name(mode);
  }
}

}  // namespace
}  // namespace dbvet::sql
