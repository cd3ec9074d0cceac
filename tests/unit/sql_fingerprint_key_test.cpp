// The fingerprint cache key (sql::fingerprint_key): statements that share a key must share the
// fingerprint, in pt and canonical modes, whatever their literal values; the literal hash it
// returns is literal_values_hash; and executions of one query with other values share the key.

#include <gtest/gtest.h>

#include <map>
#include <random>
#include <string>
#include <vector>

#include "analyzer/sql/fingerprint.hpp"

namespace dbvet::sql {
namespace {

// Statement shapes full of what pt's regular expressions and the lexer care about.
std::vector<std::string> templates() {
  static const std::vector<std::string> kPieces = {"SELECT",
                                                   "select",
                                                   "INSERT INTO",
                                                   "insert ignore into",
                                                   "REPLACE INTO",
                                                   "VALUES",
                                                   "values",
                                                   "value",
                                                   "IN",
                                                   "in",
                                                   "ORDER BY",
                                                   "ASC",
                                                   "asc",
                                                   "LIMIT",
                                                   "OFFSET",
                                                   "UNION",
                                                   "union",
                                                   "ALL",
                                                   "NULL",
                                                   "true",
                                                   "FALSE",
                                                   "use",
                                                   "CALL",
                                                   "call",
                                                   "from",
                                                   "where",
                                                   "and",
                                                   "t1",
                                                   "db2.tbl_3",
                                                   "a1b2",
                                                   "`q t`",
                                                   "`a'b`",
                                                   "x",
                                                   "b",
                                                   "e",
                                                   "0x1F",
                                                   "-5",
                                                   "+3",
                                                   "1.5e-3",
                                                   "42",
                                                   "'str'",
                                                   "'s(1)'",
                                                   "'it''s'",
                                                   "'a\\'b'",
                                                   "\"dq\"",
                                                   "x'ab'",
                                                   "B'01'",
                                                   "E'x'",
                                                   "N'x'",
                                                   "$1",
                                                   "$a$ 'q' $a$",
                                                   "/* c */",
                                                   "/*!40001 SQL_NO_CACHE */",
                                                   "-- c\n",
                                                   "# c\n",
                                                   "(",
                                                   ")",
                                                   ",",
                                                   "?",
                                                   "=",
                                                   "-",
                                                   "--",
                                                   "<>",
                                                   ";",
                                                   "\n",
                                                   "\t",
                                                   "  ",
                                                   "sleep(1)",
                                                   "administrator command:",
                                                   "/*pt.checksum:1/2*/",
                                                   ":name",
                                                   "'",
                                                   "sbtest7",
                                                   "id=9",
                                                   "k=k+1",
                                                   "between 5 and 70"};
  std::mt19937 rng(4);
  std::vector<std::string> out;
  for (int i = 0; i < 4000; ++i) {
    std::string q;
    size_t len = 1 + rng() % 16;
    for (size_t k = 0; k < len; ++k) {
      if (k) q += (rng() % 4 == 0) ? "" : " ";
      q += kPieces[rng() % kPieces.size()];
    }
    out.push_back(q);
  }
  for (std::string s : {"SELECT c FROM sbtest4 WHERE id=9682;", "UPDATE sbtest1 SET k=k+1 WHERE id=5021",
                        "UPDATE sbtest9 SET c='83868641912-28773972837-60736120486' WHERE id=49",
                        "INSERT INTO sbtest3 (id, k, c, pad) VALUES (5, 4991, '6848-9643', '2272-1958')",
                        "DELETE FROM sbtest2 WHERE id=5", "SELECT c FROM sbtest1 WHERE id BETWEEN 10 AND 109",
                        "INSERT INTO t VALUES ('a', 1), ('b', 2)", "insert into t values('x)'), ('y')",
                        "select * from t where a = 'x' and b in (1, 2, 3) limit 10, 20"}) {
    out.push_back(s);
  }
  return out;
}

// The same statement with other literal values: each run of digits and each quoted string's
// contents (quotes paired left to right, as pt pairs them) replaced by random ones.
std::string vary(const std::string& q, std::mt19937& rng) {
  static const std::string kContent = "ab Z09_-.,()*/#\\\"x'\n";
  std::string out;
  for (size_t i = 0; i < q.size();) {
    char c = q[i];
    if (c >= '0' && c <= '9') {
      while (i < q.size() && q[i] >= '0' && q[i] <= '9') ++i;
      size_t n = 1 + rng() % 4;
      for (size_t k = 0; k < n; ++k) out += char('0' + rng() % 10);
    } else if (c == '\'' && q.find('\'', i + 1) != std::string::npos && rng() % 2) {
      size_t close = q.find('\'', i + 1);
      out += '\'';
      size_t n = rng() % 5;
      for (size_t k = 0; k < n; ++k) {
        // Mostly harmless characters; sometimes ones that change how pt reads the statement.
        out += rng() % 4 ? char('a' + rng() % 26) : kContent[rng() % kContent.size()];
      }
      out += '\'';
      i = close + 1;
    } else {
      out += c;
      ++i;
    }
  }
  return out;
}

void check_mode(FingerprintMode mode) {
  std::mt19937 rng(mode == FingerprintMode::pt ? 1 : 2);
  std::map<std::string, std::pair<std::string, std::string>> by_key;  // key -> (fingerprint, statement)
  size_t cacheable_count = 0, shared = 0, mismatches = 0;
  std::string key;
  for (const auto& base : templates()) {
    for (int v = 0; v < 12; ++v) {
      std::string q = v == 0 ? base : vary(base, rng);
      bool cacheable = false;
      uint64_t h = fingerprint_key(q, mode, key, cacheable);
      ASSERT_EQ(h, literal_values_hash(q)) << q;
      if (!cacheable) continue;
      ++cacheable_count;
      std::string fp = mode == FingerprintMode::pt ? fingerprint_pt(q) : fingerprint(q, mode).text;
      auto [it, inserted] = by_key.emplace(key, std::make_pair(fp, q));
      if (inserted) continue;
      ++shared;
      if (it->second.first != fp && ++mismatches <= 10) {
        ADD_FAILURE() << "same key, different fingerprints:\n  [" << it->second.second << "] -> [" << it->second.first
                      << "]\n  [" << q << "] -> [" << fp << "]";
      }
    }
  }
  EXPECT_EQ(mismatches, 0u);
  // The key is only useful if most statements can use it and their variants share it.
  EXPECT_GT(cacheable_count, 10000u);
  EXPECT_GT(shared, 5000u);
}

TEST(FingerprintKey, SameKeySameFingerprintInPtMode) { check_mode(FingerprintMode::pt); }
TEST(FingerprintKey, SameKeySameFingerprintInCanonicalMode) { check_mode(FingerprintMode::canonical); }

TEST(FingerprintKey, ExecutionsWithOtherValuesShareTheKey) {
  for (auto mode : {FingerprintMode::pt, FingerprintMode::canonical}) {
    std::string a, b;
    bool ca = false, cb = false;
    fingerprint_key("UPDATE sbtest1 SET c='0-1-2' WHERE id=5021", mode, a, ca);
    fingerprint_key("UPDATE sbtest7 SET c='33-44-555' WHERE id=7", mode, b, cb);
    EXPECT_TRUE(ca && cb);
    if (mode == FingerprintMode::pt) {
      EXPECT_EQ(a, b);  // pt folds the table number too
    }
    fingerprint_key("SELECT c FROM t WHERE id = 5", mode, a, ca);
    fingerprint_key("SELECT c FROM t WHERE id = 700", mode, b, cb);
    EXPECT_TRUE(ca && cb);
    EXPECT_EQ(a, b);
    // Different spacing is a different pt fingerprint, so a different pt key. (The canonical key
    // keeps the spacing too, though the fingerprint does not: a cache miss, never a wrong class.)
    fingerprint_key("SELECT c FROM t WHERE id=5", mode, b, cb);
    if (mode == FingerprintMode::pt) {
      EXPECT_NE(a, b);
    }
  }
  std::string key;
  bool cacheable = true;
  fingerprint_key("select 1 -- a comment", FingerprintMode::pt, key, cacheable);
  EXPECT_FALSE(cacheable);
  fingerprint_key("select 1 from t", FingerprintMode::pg, key, cacheable);
  EXPECT_FALSE(cacheable);
}

// The fast path (detail::fingerprint_key_simple) against the scanner's: wherever it takes a
// statement, the same key and literal hash, and a statement the scanner calls cacheable.
struct PathComparison {
  size_t taken = 0, mismatches = 0;
  std::string buffer, scanned;

  void compare(const std::string& q, FingerprintMode mode) {
    std::string_view fast_key;
    uint64_t fast_hash = 0;
    // A dirty buffer, longer or shorter than the statement: the fast path must not depend on it.
    buffer.assign(q.size() % 7 ? q.size() / 2 : q.size() * 3, '\xF3');
    if (!detail::fingerprint_key_simple(q, mode, buffer, fast_key, fast_hash)) return;
    ++taken;
    bool cacheable = false;
    const uint64_t hash = detail::fingerprint_key_scanned(q, mode, scanned, cacheable);
    if ((!cacheable || fast_key != scanned || fast_hash != hash) && ++mismatches <= 10) {
      ADD_FAILURE() << fingerprint_mode_name(mode) << " [" << q << "]: cacheable " << cacheable << ", keys [" << scanned
                    << "] [" << fast_key << "], hashes " << hash << " " << fast_hash;
    }
  }
};

TEST(FingerprintKey, FastPathWritesTheScannersKeys) {
  for (auto mode : {FingerprintMode::pt, FingerprintMode::canonical}) {
    PathComparison paths;
    std::mt19937 rng(mode == FingerprintMode::pt ? 5 : 6);
    size_t statements = 0;
    for (const auto& base : templates()) {
      for (int v = 0; v < 4; ++v, ++statements) paths.compare(v == 0 ? base : vary(base, rng), mode);
    }
    // Byte soup from what the fast path looks at, at every position of a 16-byte chunk and
    // across chunks: words that are or almost are true/false/null, digit runs in and out of
    // words, quotes, dots, dashes, and now and then bytes it gives up at (or should).
    static const std::vector<std::string> kTaken = {"true",
                                                    "TRUE",
                                                    "false",
                                                    "False",
                                                    "null",
                                                    "NULL",
                                                    "nul",
                                                    "nulls",
                                                    "truex",
                                                    "fals",
                                                    "falsey",
                                                    "t",
                                                    "f",
                                                    "n",
                                                    "x",
                                                    "E",
                                                    "b",
                                                    "N",
                                                    "0",
                                                    "12",
                                                    "007",
                                                    "a1",
                                                    "sbtest2",
                                                    "_9",
                                                    "9_",
                                                    "a.b",
                                                    "'",
                                                    "''",
                                                    "'a'",
                                                    "'(x)'",
                                                    "'a-b'",
                                                    "'1 2'",
                                                    "'\xF1\xC3\xA9'",
                                                    "'$1 ? :a %s `x` \"'",
                                                    "'\n\t'",
                                                    " ",
                                                    "  ",
                                                    "\t",
                                                    "\n",
                                                    "\r\n",
                                                    "=",
                                                    ",",
                                                    "(",
                                                    ")",
                                                    ";",
                                                    "-",
                                                    "->",
                                                    "->>",
                                                    "<=>",
                                                    "!=",
                                                    "+",
                                                    "*",
                                                    "@",
                                                    "[1]",
                                                    "{",
                                                    "~",
                                                    "select",
                                                    "SELECT c FROM",
                                                    "WHERE id=",
                                                    "in (1, 2)",
                                                    "tf",
                                                    "nt"};
    static const std::vector<std::string> kGiveUp = {"1e5",
                                                     "1.5",
                                                     ".5",
                                                     "5.",
                                                     "0x1F",
                                                     "0b01",
                                                     "'it''s'",
                                                     "'a--b'",
                                                     "'a/*'",
                                                     "'#'",
                                                     "'\\'",
                                                     "'\x01'",
                                                     "--",
                                                     "/",
                                                     "#",
                                                     "$",
                                                     "$1",
                                                     "?",
                                                     ":a",
                                                     "::",
                                                     "%s",
                                                     "\"",
                                                     "`",
                                                     "\\",
                                                     "\x01",
                                                     "\x02",
                                                     "\x7F",
                                                     "\xC3\xA9",
                                                     "\xF1",
                                                     "call",
                                                     "CALL ",
                                                     "administrator command: ",
                                                     "x'",
                                                     "E'a'",
                                                     "5'a'",
                                                     "a'b'",
                                                     std::string(1, '\0')};
    for (int i = 0; i < 60000; ++i, ++statements) {
      std::string q;
      const size_t pieces = 1 + rng() % 24;
      for (size_t k = 0; k < pieces; ++k) {
        if (k && rng() % 3 == 0) q += ' ';
        q += rng() % 40 ? kTaken[rng() % kTaken.size()] : kGiveUp[rng() % kGiveUp.size()];
      }
      if (rng() % 8 == 0) q = q.substr(0, rng() % (q.size() + 1));  // cut anywhere, in a string too
      paths.compare(q, mode);
    }
    // Keys longer than their statement (pt: '' becomes three bytes), across many chunks.
    for (size_t count : {1, 7, 100, 5000}) {
      std::string q = "insert into t values (";
      for (size_t k = 0; k < count; ++k) q += k % 3 ? "'', " : "'' ";
      q += "'')";
      paths.compare(q, mode);
      ++statements;
    }
    EXPECT_EQ(paths.mismatches, 0u);
    // It must take a good share of these, or the comparison shows little.
    EXPECT_GT(paths.taken, statements / 4) << fingerprint_mode_name(mode);
  }
}

}  // namespace
}  // namespace dbvet::sql
