// The cache-aside variant answered `SELECT last_insert_rowid()` from Redis, so inserts got the id of
// an earlier insert. These pin which statements may be cached and which never.

#include "benchmarks/cacheability.hpp"

#include <gtest/gtest.h>

namespace dbvet::bench {
namespace {

bool cached(const std::string& sql) { return cacheable(sql, SessionState{}); }

TEST(Cacheability, PlainReadsAreCached) {
  EXPECT_TRUE(cached("SELECT name FROM pets WHERE id = 42"));
  EXPECT_TRUE(cached("select count(*) from orders o join users u on u.id = o.user_id"));
  EXPECT_TRUE(cached("WITH t AS (SELECT 1) SELECT * FROM t"));
  // Names that only look like volatile functions: a table, a column, a quoted identifier.
  EXPECT_TRUE(cached("SELECT * FROM changes WHERE id = 1"));
  EXPECT_TRUE(cached("SELECT random_seed, now_playing FROM games"));
  EXPECT_TRUE(cached("SELECT \"now\" FROM t"));
  EXPECT_TRUE(cached("SELECT 'last_insert_id()' FROM t"));
}

TEST(Cacheability, LastInsertIdsAndSessionCountersAreNever) {
  for (const char* sql :
       {"SELECT last_insert_rowid()", "SELECT LAST_INSERT_ID()", "select lastval()", "SELECT currval('pets_id_seq')",
        "SELECT nextval('s')", "SELECT FOUND_ROWS()", "SELECT ROW_COUNT()", "SELECT changes()",
        "SELECT total_changes()", "SELECT SQL_CALC_FOUND_ROWS * FROM t LIMIT 1", "SELECT connection_id()",
        "SELECT pg_backend_pid()", "SELECT txid_current()"}) {
    EXPECT_FALSE(cached(sql)) << sql;
  }
}

TEST(Cacheability, ClockAndChanceAreNever) {
  for (const char* sql :
       {"SELECT now()", "SELECT * FROM t WHERE created > NOW() - INTERVAL 1 DAY", "SELECT CURRENT_TIMESTAMP",
        "select current_date", "SELECT curdate()", "SELECT SYSDATE()", "SELECT UTC_TIMESTAMP()",
        "SELECT * FROM t WHERE d < date('now')", "SELECT 'now'::timestamp", "SELECT localtimestamp",
        "SELECT clock_timestamp()", "SELECT random()", "SELECT * FROM t ORDER BY RAND() LIMIT 1", "SELECT uuid()",
        "SELECT gen_random_uuid()", "SELECT randomblob(16)", "SELECT unix_timestamp()"}) {
    EXPECT_FALSE(cached(sql)) << sql;
  }
}

TEST(Cacheability, SessionVariablesAndLockingReadsAreNever) {
  for (const char* sql :
       {"SELECT @@session.sql_mode", "SELECT @@tx_isolation", "SELECT @x", "SELECT @x := 1",
        "SELECT * FROM t WHERE id = 1 FOR UPDATE", "SELECT * FROM t FOR SHARE", "SELECT * FROM t LOCK IN SHARE MODE"}) {
    EXPECT_FALSE(cached(sql)) << sql;
  }
}

TEST(Cacheability, WritesAreNever) {
  for (const char* sql : {"INSERT INTO t VALUES (1)", "UPDATE t SET a = 1", "DELETE FROM t",
                          "WITH d AS (DELETE FROM t RETURNING *) SELECT * FROM d", "BEGIN", "COMMIT"}) {
    EXPECT_FALSE(cached(sql)) << sql;
  }
}

TEST(Cacheability, CommentsHideNothingAndAddNothing) {
  EXPECT_FALSE(cached("SELECT /* cached? */ now()"));
  EXPECT_TRUE(cached("SELECT a FROM t -- now()\n"));
  EXPECT_TRUE(cached("SELECT a FROM t /* random() */"));
}

TEST(Cacheability, AReadAfterAWriteInTheSameTransactionIsNever) {
  SessionState session;
  track("BEGIN", session);
  EXPECT_TRUE(cacheable("SELECT balance FROM accounts WHERE id = 1", session));
  track("SELECT balance FROM accounts WHERE id = 1", session);
  EXPECT_TRUE(cacheable("SELECT balance FROM accounts WHERE id = 1", session));
  track("UPDATE accounts SET balance = balance - 5 WHERE id = 1", session);
  // This transaction sees its own uncommitted update; no other session does.
  EXPECT_FALSE(cacheable("SELECT balance FROM accounts WHERE id = 1", session));
  track("SELECT balance FROM accounts WHERE id = 1", session);
  EXPECT_FALSE(cacheable("SELECT balance FROM accounts WHERE id = 2", session));
  track("END", session);
  EXPECT_TRUE(cacheable("SELECT balance FROM accounts WHERE id = 1", session));

  track("START TRANSACTION", session);
  track("INSERT INTO pets (name) VALUES ('x')", session);
  EXPECT_FALSE(cacheable("SELECT name FROM pets WHERE id = 3", session));
  track("ROLLBACK", session);
  EXPECT_TRUE(cacheable("SELECT name FROM pets WHERE id = 3", session));
}

TEST(Cacheability, AutocommitWritesLeaveLaterReadsCacheable) {
  // Outside a transaction a write commits at once and its tables' keys are invalidated.
  SessionState session;
  track("INSERT INTO pets (name) VALUES ('x')", session);
  EXPECT_TRUE(cacheable("SELECT name FROM pets WHERE id = 3", session));
}

TEST(Cacheability, VolatilePartNamesTheReason) {
  EXPECT_EQ(volatile_part("SELECT LAST_INSERT_ID()"), "last_insert_id");
  EXPECT_EQ(volatile_part("SELECT date('now')"), "now");
  EXPECT_EQ(volatile_part("SELECT @@autocommit"), "@");
  EXPECT_EQ(volatile_part("SELECT a FROM t"), "");
}

}  // namespace
}  // namespace dbvet::bench
