// Differential test: dbvet's pt fingerprint against pt-query-digest's own QueryRewriter, run
// through Perl on thousands of generated statements full of the patterns its regexes care about.
// Skips when percona-toolkit is not installed (scripts/bootstrap installs it for tests).

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

#include "analyzer/sql/fingerprint.hpp"
#include "tests/support/test_env.hpp"

namespace dbvet::sql {
namespace {

std::vector<std::string> generate(size_t n) {
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
                                                   "order by",
                                                   "ASC",
                                                   "asc",
                                                   "ascending",
                                                   "DESC",
                                                   "LIMIT",
                                                   "limit",
                                                   "OFFSET",
                                                   "UNION",
                                                   "union",
                                                   "ALL",
                                                   "NULL",
                                                   "null",
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
                                                   "col",
                                                   "`q t`",
                                                   "x",
                                                   "b",
                                                   "0x1F",
                                                   "-5",
                                                   "+3",
                                                   "1.5e-3",
                                                   "42",
                                                   "7",
                                                   "'str'",
                                                   "'it''s'",
                                                   "'a\\'b'",
                                                   "\"dq\"",
                                                   "\"a\\\"b\"",
                                                   "/* c */",
                                                   "/*!40001 SQL_NO_CACHE */",
                                                   "/**/",
                                                   "-- c\n",
                                                   "# c\n",
                                                   "(",
                                                   ")",
                                                   ",",
                                                   ",",
                                                   "?",
                                                   "=",
                                                   "<>",
                                                   ";",
                                                   "\n",
                                                   "\t",
                                                   "  ",
                                                   "md5",
                                                   "abcdef0123456789abcdef0123456789",
                                                   "sleep(1)",
                                                   "administrator command:",
                                                   "/*pt.checksum:1/2*/"};
  std::mt19937 rng(20241124);
  std::vector<std::string> out;
  for (size_t i = 0; i < n; ++i) {
    std::string q;
    size_t len = 1 + rng() % 24;
    for (size_t k = 0; k < len; ++k) {
      if (k) q += (rng() % 4 == 0) ? "" : " ";
      q += kPieces[rng() % kPieces.size()];
    }
    if (q.find('\0') == std::string::npos) out.push_back(q);
  }
  // Shapes of real statements.
  for (std::string s : {"INSERT INTO t (a,b) VALUES (1,'x'),(2,'y')",
                        "insert into t values(1),(2) on duplicate key update a=1",
                        "SELECT * FROM t WHERE a IN (1, 2, 3) ORDER BY a ASC, b asc LIMIT 1, 2",
                        "select a from t union select a from t union all select a from t",
                        "select x from t1 union select y from t2",
                        "SELECT /*!40001 SQL_NO_CACHE */ * FROM `film`",
                        "use `db`",
                        "USE db\n",
                        "call sp(1,2)",
                        "  CALL  x.y (1)",
                        "select 1 from dual where a = -1 and b = +2.5",
                        "select * from t order by x asc,y asc",
                        "select * from t ORDER BY x ASC limit 5 offset 10",
                        "select 'a' 'b' \"c\"",
                        "select * from t where a = 'x' -- trailing",
                        "# only a comment",
                        "",
                        " ",
                        "select * from t where c = null or d is NULL",
                        "INSERT INTO t VALUES (1),(2)",
                        "insert into t select 1"}) {
    out.push_back(s);
  }
  return out;
}

TEST(FingerprintPtDifferential, MatchesPerconaToolkitOnGeneratedStatements) {
  if (!std::filesystem::exists("/usr/bin/pt-query-digest") || !std::filesystem::exists("/usr/bin/perl")) {
    GTEST_SKIP() << "percona-toolkit is not installed: pt fingerprints not compared with pt-query-digest";
  }
  auto dir = testing::scratch_dir("fingerprint_pt_differential");
  auto corpus = generate(3000);
  {
    std::ofstream out(dir / "corpus");
    for (const auto& q : corpus) out << q << '\0';
    std::ofstream script(dir / "fp.pl");
    script << "require \"/usr/bin/pt-query-digest\";\nmy $qr = QueryRewriter->new();\n"
              "open(my $in, '<', $ARGV[0]) or die; open(my $out, '>', $ARGV[1]) or die;\n"
              "my $all = do { local $/; <$in> };\n"
              "my @q = split(/\\0/, $all, -1); pop @q;\nfor my $q (@q) { print $out $qr->fingerprint($q), \"\\0\"; }\n";
  }
  auto run = testing::run_program(
      {"/usr/bin/perl", (dir / "fp.pl").string(), (dir / "corpus").string(), (dir / "expected").string()});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  std::string expected_all = testing::read_file(dir / "expected");
  std::vector<std::string> expected;
  size_t at = 0;
  for (size_t end; (end = expected_all.find('\0', at)) != std::string::npos; at = end + 1) {
    expected.push_back(expected_all.substr(at, end - at));
  }
  ASSERT_EQ(expected.size(), corpus.size());
  int mismatches = 0;
  for (size_t i = 0; i < corpus.size(); ++i) {
    std::string ours = fingerprint_pt(corpus[i]);
    if (ours != expected[i] && ++mismatches <= 20) {
      ADD_FAILURE() << "statement: [" << corpus[i] << "]\n pt:    [" << expected[i] << "]\n dbvet: [" << ours << "]";
    }
  }
  EXPECT_EQ(mismatches, 0);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace dbvet::sql
