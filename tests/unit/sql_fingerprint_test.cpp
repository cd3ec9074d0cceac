#include <gtest/gtest.h>

#include "analyzer/sql/fingerprint.hpp"
#include "analyzer/sql/fingerprint_md5.hpp"

namespace dbvet::sql {
namespace {

TEST(Md5, KnownDigests) {
  EXPECT_EQ(md5_hex_upper(""), "D41D8CD98F00B204E9800998ECF8427E");
  EXPECT_EQ(md5_hex_upper("The quick brown fox jumps over the lazy dog"), "9E107D9D372BB6826BD81D3542A419D6");
  EXPECT_EQ(md5_hex_upper(std::string(1000, 'a')), "CABE45DCC9AE5B66BA86600CCA6B8BA8");
}

// Cases from pt-query-digest 3.2.1's behaviour (QueryRewriter.t and the conformance logs).
TEST(FingerprintPt, ReproducesPtQuirks) {
  EXPECT_EQ(fingerprint_pt("SELECT /*!40001 SQL_NO_CACHE */ * FROM `film`"), "mysqldump");
  EXPECT_EQ(fingerprint_pt("SELECT * FROM t /*percona.checksums:1/2*/"), "percona-toolkit");
  EXPECT_EQ(fingerprint_pt("administrator command: Quit"), "administrator command: Quit");
  EXPECT_EQ(fingerprint_pt("CALL foo(1, 2, 3)"), "call foo");
  EXPECT_EQ(fingerprint_pt("use `foo`"), "use ?");
  EXPECT_EQ(fingerprint_pt("update db2.tuningdetail_21_265507 n set n.column1 = a.column1"),
            "update d?tuningdetail_?_? n set n.column? = a.column?");
  EXPECT_EQ(fingerprint_pt("INSERT INTO t (a, b) VALUES (1, 'x'), (2, 'y')"), "insert into t (a, b) values(?+)");
  EXPECT_EQ(fingerprint_pt("select * from t where a in (1, 2, 3) and b = 'x'"),
            "select * from t where a in(?+) and b = ?");
  EXPECT_EQ(fingerprint_pt("SELECT * FROM t LIMIT 10, 20"), "select * from t limit ?");
  EXPECT_EQ(fingerprint_pt("SELECT * FROM t LIMIT 10 OFFSET 20"), "select * from t limit ?");
  EXPECT_EQ(fingerprint_pt("select a from t order by a asc, b ASC"), "select a from t order by a, b");
  EXPECT_EQ(fingerprint_pt("select * from t where a is null and b = true"), "select * from t where a is ? and b = ?");
  EXPECT_EQ(fingerprint_pt("select 1 -- comment\nfrom t # another"), "select ? from t ");
  EXPECT_EQ(fingerprint_pt("select /* c */ a from t"), "select a from t");
  EXPECT_EQ(fingerprint_pt("  SELECT\n\t a   FROM   t\n"), "select a from t");
  EXPECT_EQ(fingerprint_pt("SELECT a FROM t  \n"), "select a from t ");  // pt keeps that space
  EXPECT_EQ(fingerprint_pt("select a from t union select a from t union all select a from t"),
            "select a from t /*repeat union all*/");
  EXPECT_EQ(fingerprint_pt("select \"x\", 'it''s' from t"), "select ?, ?? from t");
}

TEST(FingerprintPt, ChecksumIsUpperCaseMd5OfTheFingerprint) {
  EXPECT_EQ(pt_checksum("select ? from foo"), "70D09C12CC8777A12EE1CE1892CFD413");
}

TEST(FingerprintCanonical, Normalizes) {
  EXPECT_EQ(fingerprint_canonical("SELECT * FROM users WHERE id = 42"), "select * from users where id = ?");
  EXPECT_EQ(fingerprint_canonical("select * from t2 where a in (1,2,3)"), "select * from t2 where a in (?+)");
  EXPECT_EQ(fingerprint_canonical("INSERT INTO t VALUES (1,'a'),(2,'b'), (3, NULL)"), "insert into t values (?+)");
  EXPECT_EQ(fingerprint_canonical("select  a ,b from t -- trailing\n where x = -5;"), "select a, b from t where x = ?");
  EXPECT_EQ(fingerprint_canonical("select a - 5 from t"), "select a - ? from t");
  EXPECT_EQ(fingerprint_canonical("SELECT \"Col\" FROM t WHERE s = E'x\\'y' AND d = $$z$$"),
            "select \"Col\" from t where s = ? and d = ?");
  EXPECT_EQ(fingerprint_canonical("select count( * ) from t where a in (select b from u)"),
            "select count(*) from t where a in (select b from u)");
  // Same statement, different literals and layout: same fingerprint.
  EXPECT_EQ(fingerprint_canonical("SELECT name FROM pets WHERE owner_id = 7 LIMIT 10"),
            fingerprint_canonical("select name\n  from pets\n where owner_id=123 limit 50"));
  EXPECT_NE(fingerprint_canonical("select * from tbl1"), fingerprint_canonical("select * from tbl2"));
}

// Quoting that changes nothing is folded, so performance_schema's DIGEST_TEXT (which backquotes
// every name) and a slow log of the same statement share a class; quoting that matters is kept.
TEST(FingerprintCanonical, QuotingThatChangesNothingIsFolded) {
  EXPECT_EQ(fingerprint_canonical("SELECT `v` FROM `capt_items` WHERE `ID` = 3"),
            fingerprint_canonical("select v from capt_items where id = 9"));
  EXPECT_EQ(fingerprint_canonical("select \"users\".id from \"users\""), "select users.id from users");
  EXPECT_EQ(fingerprint_canonical("select \"Users\".id from \"Users\""), "select \"Users\".id from \"Users\"");
  EXPECT_EQ(fingerprint_canonical("select `order date` from `t-1`"), "select `order date` from `t-1`");
  EXPECT_EQ(fingerprint_canonical("select \"\" from t"), "select \"\" from t");
  EXPECT_NE(fingerprint_canonical("select \"Users\".id from \"Users\""),
            fingerprint_canonical("select users.id from users"));
}

TEST(FingerprintCanonical, IdIsSixteenHexDigits) {
  auto fp = fingerprint("select 1", FingerprintMode::canonical);
  EXPECT_EQ(fp.id.size(), 16u);
  EXPECT_EQ(fp.id, canonical_id("select ?"));
}

TEST(FingerprintPg, UsesLibpgQueryWhenItParses) {
  auto a = fingerprint("SELECT * FROM t WHERE a = 1", FingerprintMode::pg);
  auto b = fingerprint("select * from t where a = 99", FingerprintMode::pg);
  EXPECT_EQ(a.id, b.id);
  EXPECT_EQ(a.id, *pg_query_fingerprint_id("SELECT * FROM t WHERE a = 1"));
  // Not PostgreSQL: canonical fallback.
  auto c = fingerprint("SELECT * FROM `t` LIMIT 1, 2", FingerprintMode::pg);
  EXPECT_EQ(c.id, canonical_id(c.text));
}

TEST(LiteralValuesHash, DependsOnValuesOnly) {
  EXPECT_EQ(literal_values_hash("select * from t where a = 1"), literal_values_hash("SELECT * FROM t WHERE a=1"));
  EXPECT_NE(literal_values_hash("select * from t where a = 1"), literal_values_hash("select * from t where a = 2"));
}

}  // namespace
}  // namespace dbvet::sql
