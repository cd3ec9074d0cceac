#include "analyzer/capture/postgres_log.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <charconv>
#include <cstring>
#include <iterator>
#include <string>
#include <vector>

#include "analyzer/capture/pgbadger_normalize.hpp"
#include "analyzer/capture/postgres_log_prefix.hpp"

namespace dbvet::capture {
namespace {

struct Run {
  std::vector<model::QueryEvent> events;
  ReadStats stats;
  std::string prefix;
  PgLogFormat format = PgLogFormat::auto_detect;
};

Run read(const std::string& text, PostgresLogOptions options = {}) {
  Run run;
  auto reader = make_postgres_log_reader(options, [&](model::QueryEvent&& e) { run.events.push_back(std::move(e)); });
  EXPECT_TRUE(reader);
  uint64_t off = 0;
  size_t start = 0;
  while (start < text.size()) {
    size_t nl = text.find('\n', start);
    if (nl == std::string::npos) nl = text.size();
    (*reader)->feed_line(std::string_view(text).substr(start, nl - start), off);
    off += nl - start + 1;
    start = nl + 1;
  }
  (*reader)->finish();
  run.stats = (*reader)->stats();
  run.prefix = (*reader)->log_line_prefix();
  run.format = (*reader)->format();
  return run;
}

TEST(PostgresLog, DefaultPrefixDurationStatement) {
  auto run = read(
      "2024-05-01 10:00:00.123 UTC [42] LOG:  duration: 1.500 ms  statement: SELECT 1\n"
      "2024-05-01 10:00:01.000 UTC [43] LOG:  checkpoint starting: time\n"
      "2024-05-01 10:00:02.000 UTC [42] LOG:  duration: 12.250 ms  statement: SELECT *\n"
      "\t  FROM t\n"
      "\tWHERE a = 'x'\n");
  EXPECT_EQ(run.format, PgLogFormat::stderr_log);
  EXPECT_EQ(run.prefix, "%m [%p] ");
  ASSERT_EQ(run.events.size(), 2u);
  EXPECT_EQ(run.events[0].sql, "SELECT 1");
  EXPECT_DOUBLE_EQ(run.events[0].query_time_s, 0.0015);
  EXPECT_EQ(run.events[0].timestamp, int64_t{1714557600});
  EXPECT_EQ(run.events[0].byte_offset, 0u);
  EXPECT_EQ(run.events[1].sql, "SELECT *\n  FROM t\nWHERE a = 'x'");
  EXPECT_DOUBLE_EQ(run.events[1].query_time_s, 0.01225);
  EXPECT_EQ(run.stats.events, 2u);
}

TEST(PostgresLog, PgBadgerPrefixFieldsAndTimezone) {
  auto run = read(
      "2017-09-06 08:41:41 CEST [36]: [121-1] user=alice,db=shop,app=pgbench,client=10.0.0.7 LOG:  duration: 2.280 ms  "
      "statement: END;\n");
  EXPECT_EQ(run.prefix, "%t [%p]: [%l-1] user=%u,db=%d,app=%a,client=%h ");
  ASSERT_EQ(run.events.size(), 1u);
  const auto& e = run.events[0];
  EXPECT_EQ(e.user, "alice");
  EXPECT_EQ(e.database, "shop");
  EXPECT_EQ(e.host, "10.0.0.7");
  EXPECT_EQ(e.timestamp, int64_t{1504687301 - 7200});  // 08:41:41 CEST = 06:41:41 UTC
}

TEST(PostgresLog, UserAtDbPrefixWithQ) {
  auto run = read(
      "2022-02-17 14:45:10.440 UTC [691] LOG:  database system is ready to accept connections\n"
      "2022-02-17 14:45:11.440 UTC [692] bob@app LOG:  duration: 0.140 ms  statement: select 1;\n");
  EXPECT_EQ(run.prefix, "%m [%p] %q%u@%d ");
  ASSERT_EQ(run.events.size(), 1u);
  EXPECT_EQ(run.events[0].user, "bob");
  EXPECT_EQ(run.events[0].database, "app");
}

// An unknown prefix: user@db is read only where a name stands on both sides of the '@'.
TEST(PostgresLog, GuessedUserAtDbNeedsANameOnBothSides) {
  pglog::PrefixFields decorated;
  pglog::guess_fields("@@app:pets:4242@@ 2026-12-03 08:00:00.123 UTC ", decorated);
  EXPECT_TRUE(decorated.user.empty()) << decorated.user;
  EXPECT_TRUE(decorated.database.empty()) << decorated.database;
  pglog::PrefixFields plain;
  pglog::guess_fields("2026-12-03 08:00:00 UTC [17] @@ bob@app ", plain);
  EXPECT_EQ(plain.user, "bob");
  EXPECT_EQ(plain.database, "app");
  EXPECT_EQ(plain.pid, "17");
}

TEST(PostgresLog, RdsPrefix) {
  auto run = read(
      "2023-01-02 03:04:05 UTC:10.1.2.3(5432):app_user@orders:[777]:LOG:  duration: 3.000 ms  statement: SELECT 2\n");
  EXPECT_EQ(run.prefix, "%t:%r:%u@%d:[%p]:");
  ASSERT_EQ(run.events.size(), 1u);
  EXPECT_EQ(run.events[0].host, "10.1.2.3");
  EXPECT_EQ(run.events[0].user, "app_user");
  EXPECT_EQ(run.events[0].database, "orders");
}

TEST(PostgresLog, ExplicitPrefixWithEscapes) {
  PostgresLogOptions o;
  o.log_line_prefix = "<%n|%p|%-8u|%d|%e> ";
  auto run = read("<1700000000.250|9|bob     |db1|00000> LOG:  duration: 5 ms  statement: SELECT 3\n", o);
  ASSERT_EQ(run.events.size(), 1u);
  EXPECT_EQ(run.events[0].user, "bob");
  EXPECT_EQ(run.events[0].database, "db1");
  EXPECT_EQ(run.events[0].timestamp, int64_t{1700000000});
  EXPECT_DOUBLE_EQ(run.events[0].query_time_s, 0.005);
}

TEST(PostgresLog, BadExplicitPrefixIsAUsageError) {
  PostgresLogOptions o;
  o.log_line_prefix = "%m %Z ";
  auto reader = make_postgres_log_reader(o, [](model::QueryEvent&&) {});
  ASSERT_FALSE(reader);
  EXPECT_EQ(reader.error().kind, core::ErrorKind::usage);
  EXPECT_NE(reader.error().message.find("%Z"), std::string::npos);
}

TEST(PostgresLog, ExecuteWithParametersParseBindIgnored) {
  auto run = read(
      "2021-12-03 07:14:48.593 UTC [4913] LOG:  duration: 1.163 ms  parse s1: SELECT $1, $2\n"
      "2021-12-03 07:14:48.594 UTC [4913] LOG:  duration: 0.700 ms  bind s1: SELECT $1, $2\n"
      "2021-12-03 07:14:48.594 UTC [4913] DETAIL:  parameters: $1 = '12', $2 = 'it''s\n"
      "\ttwo lines'\n"
      "2021-12-03 07:14:48.594 UTC [4913] LOG:  duration: 0.215 ms  execute s1: SELECT $1, $2\n"
      "2021-12-03 07:14:48.594 UTC [4913] DETAIL:  parameters: $1 = '12', $2 = 'it''s\n"
      "\ttwo lines'\n"
      "2021-12-03 07:14:48.595 UTC [4913] LOG:  duration: 0.100 ms  execute <unnamed>: SELECT $1\n"
      "2021-12-03 07:14:48.596 UTC [4913] LOG:  duration: 0.300 ms  execute s2: SELECT $1\n"
      "2021-12-03 07:14:48.596 UTC [4913] DETAIL:  parameters: $1 = NULL\n");
  ASSERT_EQ(run.events.size(), 3u);
  EXPECT_EQ(run.events[0].sql, "SELECT '12', 'it''s\ntwo lines'");
  EXPECT_EQ(run.events[0].prepared_sql, "SELECT $1, $2");
  EXPECT_DOUBLE_EQ(run.events[0].query_time_s, 0.000215);
  EXPECT_EQ(run.events[1].sql, "SELECT $1");  // no parameters logged
  EXPECT_EQ(run.events[2].sql, "SELECT NULL");
}

TEST(PostgresLog, StatementThenDuration) {
  auto run = read(
      "2024-01-01 00:00:00 UTC [1] LOG:  statement: UPDATE t\n"
      "\tSET a = 1\n"
      "2024-01-01 00:00:00 UTC [2] LOG:  statement: SELECT 9\n"
      "2024-01-01 00:00:01 UTC [1] LOG:  duration: 4.000 ms\n"
      "2024-01-01 00:00:01 UTC [2] LOG:  duration: 1.000 ms\n");
  ASSERT_EQ(run.events.size(), 2u);
  EXPECT_EQ(run.events[0].sql, "UPDATE t\nSET a = 1");
  EXPECT_DOUBLE_EQ(run.events[0].query_time_s, 0.004);
  EXPECT_EQ(run.events[1].sql, "SELECT 9");
  EXPECT_DOUBLE_EQ(run.events[1].query_time_s, 0.001);
}

TEST(PostgresLog, AutoExplainPlanAttachedToItsStatement) {
  auto run = read(
      "2024-01-01 00:00:00 UTC [5] LOG:  duration: 0.050 ms  plan:\n"
      "\tQuery Text: select * from t where id = 1;\n"
      "\tSeq Scan on t  (cost=0.00..1.01 rows=1 width=4) (actual time=0.01..0.02 rows=1 loops=1)\n"
      "\t  Filter: (id = 1)\n"
      "2024-01-01 00:00:00 UTC [5] LOG:  duration: 0.080 ms  statement: select * from t where id = 1;\n"
      "2024-01-01 00:00:01 UTC [6] LOG:  duration: 7.000 ms  plan:\n"
      "\t{\n"
      "\t  \"Query Text\": \"select \\\"x\\\"\\nfrom u\",\n"
      "\t  \"Plan\": {\"Node Type\": \"Seq Scan\"}\n"
      "\t}\n");
  ASSERT_EQ(run.events.size(), 2u);
  EXPECT_EQ(run.events[0].sql, "select * from t where id = 1;");
  EXPECT_DOUBLE_EQ(run.events[0].query_time_s, 0.00008);
  EXPECT_NE(run.events[0].plan_text.find("Seq Scan on t"), std::string::npos);
  EXPECT_NE(run.events[0].plan_text.find("Filter: (id = 1)"), std::string::npos);
  // A plan whose statement was not logged stands alone.
  EXPECT_EQ(run.events[1].sql, "select \"x\"\nfrom u");
  EXPECT_NE(run.events[1].plan_text.find("\"Node Type\""), std::string::npos);
  EXPECT_DOUBLE_EQ(run.events[1].query_time_s, 0.007);
}

TEST(PostgresLog, MalformedLinesSkippedWithOffset) {
  auto run = read(
      "garbage before any record\n"
      "2024-01-01 00:00:00.000 UTC [1] LOG:  duration: abc ms  statement: SELECT 1\n"
      "2024-01-01 00:00:00.000 UTC [1] LOG:  duration: 2 ms  statement: SELECT 2\n");
  ASSERT_EQ(run.events.size(), 1u);
  EXPECT_EQ(run.stats.skipped, 2u);
  ASSERT_EQ(run.stats.skipped_records.size(), 2u);
  EXPECT_EQ(run.stats.skipped_records[0].byte_offset, 0u);
  EXPECT_EQ(run.stats.skipped_records[1].byte_offset, 26u);
}

TEST(PostgresLog, CsvlogWithMultilineFieldsAndInlineParameters) {
  auto run = read(
      "2021-01-01 07:13:44.120 GMT,\"foobar\",\"shop\",77962,\"10.200.48.82:39364\",60e2b128.1308a,13,\"SELECT\","
      "2021-07-05 07:13:44 GMT,4/187623,0,LOG,00000,\"duration: 0.576 ms  execute pdo_1: select * from \"\"users\"\" "
      "where \"\"cn\"\" = $1\",\"parameters: $1 = 'foo.bar'\",,,,,,,,\"\",\"client backend\",,0\n"
      "2021-01-01 07:13:45.120 GMT,\"foobar\",\"shop\",77963,\"[local]\",60e2b128.1308b,1,\"SELECT\","
      "2021-07-05 07:13:44 GMT,4/187624,0,LOG,00000,\"duration: 10.000 ms  statement: select 1,\n"
      "  2\",,,,,,,,,\"psql\"\n");
  EXPECT_EQ(run.format, PgLogFormat::csv);
  ASSERT_EQ(run.events.size(), 2u);
  EXPECT_EQ(run.events[0].sql, "select * from \"users\" where \"cn\" = 'foo.bar'");
  EXPECT_EQ(run.events[0].user, "foobar");
  EXPECT_EQ(run.events[0].database, "shop");
  EXPECT_EQ(run.events[0].host, "10.200.48.82");
  EXPECT_EQ(run.events[1].sql, "select 1,\n  2");
  EXPECT_EQ(run.events[1].byte_offset, run.events[0].byte_offset + 281);
}

TEST(PostgresLog, Jsonlog) {
  auto run = read(
      "{\"timestamp\":\"2023-05-01 10:00:00.000 UTC\",\"user\":\"u1\",\"dbname\":\"d1\",\"pid\":123,"
      "\"remote_host\":\"127.0.0.1\",\"error_severity\":\"LOG\",\"message\":\"duration: 2.5 ms  execute s: "
      "SELECT $1\",\"detail\":\"parameters: $1 = 'a\\\"b'\",\"query_id\":-5}\n"
      "{\"timestamp\":\"2023-05-01 10:00:01.000 UTC\",\"pid\":124,\"error_severity\":\"LOG\","
      "\"message\":\"duration: 1 ms  statement: SELECT '\\u00e9'\"}\n"
      "not json\n");
  EXPECT_EQ(run.format, PgLogFormat::json);
  ASSERT_EQ(run.events.size(), 2u);
  EXPECT_EQ(run.events[0].sql, "SELECT 'a\"b'");
  EXPECT_EQ(run.events[0].user, "u1");
  EXPECT_EQ(run.events[0].database, "d1");
  EXPECT_EQ(run.events[1].sql, "SELECT '\xc3\xa9'");
  EXPECT_EQ(run.stats.skipped, 1u);
}

TEST(PostgresLog, SyslogContinuations) {
  auto run = read(
      "Feb 10 23:15:40 host postgres[10819]: [7-1] db=pg,user=me,app=psql,client=[local] LOG:  duration: 13.997 ms  "
      "statement: SELECT a,\n"
      "Feb 10 23:15:40 host postgres[10820]: [3-1] db=pg,user=me,app=psql,client=[local] LOG:  duration: 1.0 ms  "
      "statement: SELECT 5\n"
      "Feb 10 23:15:40 host postgres[10819]: [7-2] #011       b#011c\n"
      "Feb 10 23:15:40 host postgres[10819]: [7-3] #011FROM t;\n"
      "Feb 10 23:15:41 host postgres[10819]: [8-1] db=pg,user=me,app=psql,client=[local] LOG:  disconnection\n");
  EXPECT_EQ(run.format, PgLogFormat::syslog);
  EXPECT_EQ(run.prefix, "db=%d,user=%u,app=%a,client=%h ");
  ASSERT_EQ(run.events.size(), 2u);
  // order of completion: pid 10820 completes at finish, 10819 at its next record
  const auto& a = run.events[0].sql.starts_with("SELECT a") ? run.events[0] : run.events[1];
  EXPECT_EQ(a.sql, "SELECT a,\n       b\tc\nFROM t;");
  EXPECT_EQ(a.database, "pg");
  EXPECT_EQ(a.user, "me");
  EXPECT_TRUE(a.timestamp.has_value());
}

TEST(PostgresLog, HerokuLogplex) {
  auto run = read(
      "2019-03-07T10:12:58+00:00 app[postgres.12345]: [BLUE] [9-1] sql_error_code = 00000 LOG:  duration: 3.5 ms  "
      "statement: SELECT 7\n"
      "2019-03-07T10:12:59+00:00 app[postgres.12346]: [BLUE] [3-1] sql_error_code = 00000 LOG:  checkpoint\n");
  EXPECT_EQ(run.format, PgLogFormat::syslog);
  EXPECT_EQ(run.prefix, "sql_error_code = %e ");
  ASSERT_EQ(run.events.size(), 1u);
  EXPECT_EQ(run.events[0].sql, "SELECT 7");
  EXPECT_EQ(run.events[0].timestamp, int64_t{1551953578});
}

TEST(PostgresLog, JsonWrappersCloudNativePgAndCloudLogging) {
  auto run = read(
      "{\"level\":\"info\",\"ts\":1669575482.09,\"logger\":\"postgres\",\"msg\":\"record\",\"record\":{"
      "\"log_time\":\"2022-11-27 18:58:02.096 UTC\",\"user_name\":\"app\",\"database_name\":\"shop\","
      "\"process_id\":\"600\",\"error_severity\":\"LOG\",\"message\":\"duration: 4.000 ms  statement: SELECT 8\"}}\n"
      "{\"level\":\"info\",\"msg\":\"operator started\"}\n");
  ASSERT_EQ(run.events.size(), 1u);
  EXPECT_EQ(run.events[0].sql, "SELECT 8");
  EXPECT_EQ(run.events[0].database, "shop");
  EXPECT_EQ(run.stats.skipped, 0u);
  auto cloud = read(
      "{\"textPayload\":\"2023-01-01 00:00:00.000 UTC [1]: [1-1] db=d,user=u LOG:  duration: 2.000 ms  statement: "
      "SELECT 9\",\"timestamp\":\"2023-01-01T00:00:00.1Z\"}\n");
  ASSERT_EQ(cloud.events.size(), 1u);
  EXPECT_EQ(cloud.events[0].sql, "SELECT 9");
  EXPECT_EQ(cloud.events[0].user, "u");
  EXPECT_EQ(cloud.events[0].database, "d");
}

// 'gcloud logging read --format=json' prints Cloud SQL's entries as an indented array: main read
// it as a stderr log and made classes of its JSON lines (issue 18).
TEST(PostgresLog, CloudLoggingIndentedArray) {
  const std::string text =
      "[\n"
      "  {\n"
      "    \"insertId\": \"s=2\",\n"
      "    \"resource\": {\"labels\": {\"project_id\": \"p\"}, \"type\": \"cloudsql_database\"},\n"
      "    \"textPayload\": \"[5101]: [2-1] db=shop,user=app LOG:  duration: 1.000 ms  statement: SELECT '}{['\",\n"
      "    \"timestamp\": \"2024-03-01T10:00:03Z\"\n"
      "  },\n"
      "  {\n"
      "    \"insertId\": \"s=1\",\n"
      "    \"textPayload\": \"[5100]: [1-1] db=shop,user=app LOG:  duration: 2.500 ms  statement: SELECT \\\"a\\\"\\n  "
      "FROM t\",\n"
      "    \"timestamp\": \"2024-03-01T10:00:02Z\"\n"
      "  }\n"
      "]\n";
  EXPECT_EQ(detect_pg_log_format(text), PgLogFormat::json);
  auto run = read(text);
  ASSERT_EQ(run.events.size(), 2u);
  EXPECT_EQ(run.events[0].sql, "SELECT '}{['");
  EXPECT_EQ(run.events[1].sql, "SELECT \"a\"\n  FROM t");
  ASSERT_TRUE(run.events[1].timestamp);
  EXPECT_EQ(*run.events[1].timestamp, 1709287202);
  EXPECT_EQ(run.stats.skipped, 0u);
}

// RDS's "%t:%r:%u@%d:[%p]:" with an IPv6 client: %r holds the ':' that follows it. Main ended %r at
// the first ':' (host "2001", user "db8:0:1::17(40112):app").
TEST(PostgresLog, RdsPrefixWithIpv6Client) {
  const std::string text =
      "2024-03-01 10:00:21 UTC:2001:db8:0:1::17(40112):app@shop:[4202]:LOG:  duration: 1.000 ms  statement: SELECT 1\n"
      "2024-03-01 10:00:22 UTC:10.0.1.23(54321):app@shop:[4200]:LOG:  duration: 1.000 ms  statement: SELECT 2\n"
      "2024-03-01 10:00:23 UTC:[local]:app@shop:[4201]:LOG:  duration: 1.000 ms  statement: SELECT 3\n";
  for (const char* prefix : {"%t:%r:%u@%d:[%p]:", ""}) {  // given, and detected
    PostgresLogOptions options;
    options.format = PgLogFormat::stderr_log;
    options.log_line_prefix = prefix;
    auto run = read(text, options);
    ASSERT_EQ(run.events.size(), 3u) << prefix;
    EXPECT_EQ(run.events[0].host, "2001:db8:0:1::17") << prefix;
    EXPECT_EQ(run.events[1].host, "10.0.1.23") << prefix;
    EXPECT_EQ(run.events[2].host, "[local]") << prefix;
    for (const auto& e : run.events) {
      EXPECT_EQ(e.user, "app") << prefix;
      EXPECT_EQ(e.database, "shop") << prefix;
    }
  }
}

// The same log exported from CloudWatch Logs, each line after the event's time: main fell back to
// guessing the fields, and lost the client.
TEST(PostgresLog, RdsPrefixFromCloudWatch) {
  auto run = read(
      "2024-03-01T10:00:21.000Z 2024-03-01 10:00:21 UTC:2001:db8::17(40112):app@shop:[4202]:LOG:  duration: 1.000 ms  "
      "statement: SELECT 1\n"
      "2024-03-01T10:00:22.000Z 2024-03-01 10:00:22 UTC:10.0.1.23(54321):app@shop:[4200]:LOG:  duration: 1.000 ms  "
      "statement: SELECT 2\n");
  EXPECT_EQ(run.prefix, "%m %t:%r:%u@%d:[%p]:");
  ASSERT_EQ(run.events.size(), 2u);
  EXPECT_EQ(run.events[0].host, "2001:db8::17");
  EXPECT_EQ(run.events[1].host, "10.0.1.23");
  EXPECT_EQ(run.events[1].user, "app");
  EXPECT_EQ(run.events[1].database, "shop");
}

// A csvlog exported with its column names first (COPY ... CSV HEADER): pgBadger reads it, main
// refused it as no log format (issue 18). The header is no record, and no skipped line either.
TEST(PostgresLog, CsvlogWithHeaderRow) {
  const std::string text =
      "log_time,user_name,database_name,process_id,connection_from,session_id,session_line_num,command_tag,"
      "session_start_time,virtual_transaction_id,transaction_id,error_severity,sql_state_code,message,detail\n"
      "2024-03-01 10:00:00.807 UTC,\"app\",\"shop\",6100,\"10.0.1.23:56100\",65e1a2b3.17d4,1,\"idle\","
      "2024-03-01 09:59:00 UTC,3/10,0,LOG,00000,\"statement: SELECT 1\",\n";
  EXPECT_EQ(detect_pg_log_format(text), PgLogFormat::csv);
  PostgresLogOptions csv;
  csv.format = PgLogFormat::csv;
  auto run = read(text, csv);
  ASSERT_EQ(run.events.size(), 1u);
  EXPECT_EQ(run.events[0].sql, "SELECT 1");
  EXPECT_EQ(run.stats.skipped, 0u);
}

// Cloud SQL leaves the timestamp out of textPayload ("[PID]: [N-1] db=,user= "): the entry's
// "timestamp" dates the statement. Main read no statement of such a log (issue 18).
TEST(PostgresLog, CloudSqlTextPayloadWithoutTimestamp) {
  auto run = read(
      "{\"insertId\":\"s=1\",\"severity\":\"INFO\",\"textPayload\":\"[5100]: [3-1] db=shop,user=app LOG:  "
      "duration: 2.500 ms  statement: SELECT *\\n  FROM t WHERE id = 4\",\"timestamp\":\"2024-03-01T10:00:02.5Z\"}\n"
      "{\"insertId\":\"s=2\",\"severity\":\"INFO\",\"textPayload\":\"[5101]: [1-1] db=shop,user=app LOG:  "
      "duration: 1.000 ms  statement: SELECT 2\",\"timestamp\":\"2024-03-01T10:00:03Z\"}\n");
  ASSERT_EQ(run.events.size(), 2u);
  EXPECT_EQ(run.events[0].sql, "SELECT *\n  FROM t WHERE id = 4");
  EXPECT_EQ(run.events[0].user, "app");
  EXPECT_EQ(run.events[0].database, "shop");
  ASSERT_TRUE(run.events[0].timestamp);
  EXPECT_EQ(*run.events[0].timestamp, 1709287202);  // 2024-03-01T10:00:02Z
  ASSERT_TRUE(run.events[1].timestamp);
  EXPECT_EQ(*run.events[1].timestamp, 1709287203);
  EXPECT_EQ(run.stats.skipped, 0u);
}

TEST(PostgresLog, SubstituteParametersSkipsQuotesAndLongerNumbers) {
  std::string out;
  ASSERT_TRUE(substitute_parameters("SELECT '$1', $1, $10, x$1", "$1 = 'a', $10 = '7'", out));
  EXPECT_EQ(out, "SELECT '$1', 'a', '7', x$1");
  EXPECT_FALSE(substitute_parameters("SELECT $1", "garbage", out));
}

TEST(PgBadgerNormalize, FollowsPgBadgerRules) {
  EXPECT_EQ(normalize_like_pgbadger("SELECT * FROM t WHERE a = 1 AND b = 'x' "),
            "select * from t where a = ? and b = ?;");
  EXPECT_EQ(normalize_like_pgbadger("BEGIN;"), "begin;");
  EXPECT_EQ(normalize_like_pgbadger("select x as \"My'Col\" from \"T1\" where id in (1, 2,3)"),
            "select x AS \"MyCol\" from \"T1\" where id in (...);");
  EXPECT_EQ(normalize_like_pgbadger("/* c */ SELECT $1 -- trailing\n, col2 = NULL"), "select ? , col2 = ?;");
}

TEST(PgLogPrefix, TimestampsAndSeverity) {
  int64_t t = 0;
  EXPECT_EQ(pglog::parse_timestamp("2024-01-01 00:00:00.5 +02 rest", t), 25u);
  EXPECT_EQ(t, int64_t{1704067200 - 7200});
  EXPECT_EQ(pglog::parse_timestamp("2024-13-01 00:00:00", t), 0u);
  pglog::Severity s{};
  size_t msg = 0;
  EXPECT_EQ(pglog::find_severity("abc xLOG:  no LOG:  yes", s, msg), 14u);
  EXPECT_EQ(s, pglog::Severity::log);
  EXPECT_EQ(msg, 20u);
}

// The same second and zone read again (from the per-thread cache) and after other values.
TEST(PgLogPrefix, RepeatedTimestampsAndZones) {
  struct Case {
    const char* text;
    size_t consumed;
    int64_t unix_time;
  };
  const int64_t noon = 1704110400;  // 2024-01-01 12:00:00 UTC
  const Case cases[] = {
      {"2024-01-01 12:00:00 UTC [1]", 23, noon},
      {"2024-01-01 12:00:00 UTC [2]", 23, noon},
      {"2024-01-01 12:00:00 CET [3]", 23, noon - 3600},
      {"2024-01-01 12:00:00 CET", 23, noon - 3600},
      {"2024-01-01 12:00:00 CETX y", 24, noon},           // unknown zone: UTC
      {"2024-01-01 12:00:00 CET+03 y", 26, noon - 3600},  // "UTC+03" style suffix read, not applied
      {"2024-01-01 12:00:00 CET+3 y", 23, noon - 3600},
      {"2024-01-01 12:00:00 CET: y", 23, noon - 3600},
      {"2024-01-01 12:00:00 LOG:  y", 19, noon},  // a severity, not a zone
      {"2024-01-01 12:00:00.250 CET [4]", 27, noon - 3600},
      {"2024-01-01T12:00:00 CET", 23, noon - 3600},
      {"2024-01-01 12:00:01 CET", 23, noon - 3599},
      {"2024-01-01 12:00:01", 19, noon + 1},
      {"2024-01-01 12:00:01+02", 22, noon + 1 - 7200},
      {"2024-01-01 12:00:01 CE", 22, noon + 1},
      {"2024-01-01 12:00:01 CET", 23, noon - 3599},
      {"2024-01-01 12:00:0x CET", 0, 0},
  };
  for (const auto& c : cases) {
    int64_t t = 0;
    EXPECT_EQ(pglog::parse_timestamp(c.text, t), c.consumed) << c.text;
    if (c.consumed > 0) {
      EXPECT_EQ(t, c.unix_time) << c.text;
    }
  }
  int64_t t = 0;
  // log_timezone names print their abbreviation (issue 18): Pacific/Auckland, America/Anchorage,
  // Australia/Adelaide, Asia/Jakarta, Africa/Johannesburg; main took these as UTC.
  const struct {
    const char* text;
    int minutes;
  } named[] = {{"2024-01-01 12:00:00 NZDT", 780},
               {"2024-01-01 12:00:00 AKST", -540},
               {"2024-01-01 12:00:00 ACDT", 630},
               {"2024-01-01 12:00:00.5 WIB", 420},
               {"2024-01-01 12:00:00 SAST", 120}};
  for (const auto& n : named) {
    ASSERT_GT(pglog::parse_timestamp(n.text, t), 19u) << n.text;
    EXPECT_EQ(t, noon - n.minutes * 60) << n.text;
  }
  EXPECT_EQ(pglog::parse_timestamp("2024-01-01 12:00:01 CET", t, false), 19u);  // zones not read
  EXPECT_EQ(t, noon + 1);
}

// One LinePrefix matching line after line (it remembers the end of the last one) gives what a
// fresh one gives for each line.
TEST(PgLogPrefix, RepeatedMatchesEqualFreshMatches) {
  const char* prefixes[] = {
      "%t [%p]: [%l-1] user=%u,db=%d,app=%a,client=%h ",
      "%m [%p] %q%u@%d ",
      "%m [%p] %q[user=%u,db=%d,app=%a] ",
      "%t:%r:%u@%d:[%p]:",
      "%m [%p] %-10u %d ",
  };
  const char* lines[] = {
      "2024-01-01 12:00:00 UTC [42]: [1-1] user=bob,db=shop,app=psql,client=10.0.0.1 LOG:  duration: 1 ms",
      "2024-01-01 12:00:00 UTC [43]: [7-1] user=bob,db=shop,app=psql,client=10.0.0.1 LOG:  duration: 2 ms",
      "2024-01-01 12:00:00 UTC [43]: [8-1] user=bob,db=shop,app=psql,client=10.0.0.1 DETAIL:  parameters: $1 = '1'",
      "2024-01-01 12:00:00 UTC [43]: [9-1] user=bob,db=shop,app=psql,client=10.0.0.1 LOG:  ",
      "2024-01-01 12:00:00 UTC [43]: [9-1] user=bob,db=shop,app=psql,client=10.0.0.1 LOG:  ",
      "2024-01-01 12:00:00 UTC [43]: [9-1] user=bob,db=shop,app=psql,client=10.0.0.1 LOG:   x",
      "2024-01-01 12:00:00 UTC [43]: [9-1] user=bob,db=shop,app=psql,client=10.0.0.1 LOG: ",
      "2024-01-01 12:00:00 UTC [43]: [9-1] user=bob,db=shop,app=psql,client=10.0.0.1 LOG: x",
      "2024-01-01 12:00:00 UTC [43]: [9-1] user=bob,db=shop,app=psql,client=10.0.0.1 LOG:  x",
      "2024-01-01 12:00:00 UTC [43]: [9-1] user=bob,db=shop,app=psql,client=10.0.0.1 LOG: x",
      "2024-01-01 12:00:00 UTC [43]: [9-1] user=bob,db=shop,app=psql,client=10.0.0.1 LOG: ",
      "2024-01-01 12:00:00 UTC [43]: [9-1] user=bob,db=shop,app=psql,client=10.0.0.1 LOG:  ",
      "2024-01-01 12:00:00 UTC [43]: [9-1] user=bob,db=shop,app=psql,client=10.0.0.1 LOG:   ",
      "2024-01-01 12:00:00 UTC [43]: [9-1] user=bob,db=shop,app=psql,client=10.0.0.1 DETAIL:  parameters: $1 = '2'",
      "2024-01-01 12:00:00 UTC [43]: [9-1] user=bob,db=shop,app=psql,client=10.0.0.1 LOG:  statement: SELECT 1",
      "2024-01-01 12:00:00 UTC [43]: [9-1] user=bob,db=shop,app=psql,client=10.0.0.1 DETAIL:  parameters: $1 = '3'",
      "2024-01-01 12:00:00 UTC [43]: [9-1] user=bob,db=shop,app=psql,client=10.0.0.1 LOG:",
      "2024-01-01 12:00:00 UTC [44]: [2-1] user=al,db=shop,app=psql,client=10.0.0.1 LOG:  duration: 1 ms",
      "2024-01-01 12:00:00 UTC [44]: [2-1] user=a,db=b,db=shop,app=x,client=h LOG:  duration: 1 ms",
      "2024-01-01 12:00:00 UTC [44]: [2-1] user=a,db=b,db=shop,app=x,client=h LOG:  duration: 1 ms",
      "2024-01-01 12:00:00 UTC [44]: [2-1] user=,db=,app=,client= LOG:  x",
      "2024-01-01 12:00:00 UTC [44]: [2-1] user=[unknown],db=[unknown],app=,client= LOG:  x",
      "2024-01-01 12:00:00.123 UTC [45] bob@app LOG:  duration: 0.140 ms",
      "2024-01-01 12:00:00.123 UTC [45] bob@app LOG:  duration: 0.140 ms",
      "2024-01-01 12:00:00.123 UTC [46] LOG:  checkpoint starting",
      "2024-01-01 12:00:00.123 UTC [46] LOG:  checkpoint starting",
      "2024-01-01 12:00:00.123 UTC [45] bob@app LOG:  x",
      "2024-01-01 12:00:00.123 UTC [45] [user=u,db=d,app=a] LOG:  x",
      "2024-01-01 12:00:00.123 UTC [45] [user=u,db=d,app=a] ERROR:  x",
      "2024-01-01 12:00:00.123 UTC [45] [user=u,db=d,app=a b] LOG:  x",
      "2024-01-01 12:00:00 UTC:10.0.0.1(5432):bob@shop:[42]:LOG:  x",
      "2024-01-01 12:00:00 UTC:10.0.0.1(5433):bob@shop:[43]:LOG:  x",
      "2024-01-01 12:00:00 UTC:[local]:bob@shop:[43]:LOG:  x",
      "2024-01-01 12:00:00.123 UTC [45] bob        shop LOG:  x",
      "2024-01-01 12:00:00.123 UTC [46] bob        shop LOG:  x",
      "2024-01-01 12:00:00.123 UTC [46] bobby      shop LOG:  x",
      "\tcontinued",
      "",
  };
  for (const char* text : prefixes) {
    auto reused = pglog::LinePrefix::compile(text);
    ASSERT_TRUE(reused) << text;
    for (int pass = 0; pass < 2; ++pass) {
      for (const char* line : lines) {
        auto fresh = pglog::LinePrefix::compile(text);
        pglog::PrefixFields a, b;
        pglog::Severity sa{}, sb{};
        size_t ma = 0, mb = 0;
        bool matched = reused->match(line, a, sa, ma);
        ASSERT_EQ(matched, fresh->match(line, b, sb, mb)) << text << " | " << line;
        if (!matched) continue;
        EXPECT_EQ(sa, sb) << text << " | " << line;
        EXPECT_EQ(ma, mb) << text << " | " << line;
        EXPECT_EQ(a.timestamp, b.timestamp) << text << " | " << line;
        EXPECT_EQ(a.unix_time, b.unix_time) << text << " | " << line;
        EXPECT_EQ(a.pid, b.pid) << text << " | " << line;
        EXPECT_EQ(a.line_number, b.line_number) << text << " | " << line;
        EXPECT_EQ(a.user, b.user) << text << " | " << line;
        EXPECT_EQ(a.database, b.database) << text << " | " << line;
        EXPECT_EQ(a.host, b.host) << text << " | " << line;
        EXPECT_EQ(a.free_text, b.free_text) << text << " | " << line;
        // The fields are views into the line given, not into an earlier one.
        if (!a.user.empty()) {
          EXPECT_GE(a.user.data(), line);
          EXPECT_LE(a.user.data() + a.user.size(), line + std::strlen(line));
        }
      }
    }
  }
}

// Durations are read as from_chars reads them (a fast path for plain decimals).
TEST(PostgresLog, DurationsReadExactly) {
  const char* durations[] = {"0.138",
                             "1.039",
                             "12.250",
                             "0.1",
                             "3",
                             "00012.50",
                             "123456.789012",
                             "999999999999.999",
                             "1234567890.123456789",
                             "1e3",
                             "2.5E-1",
                             "1.",
                             "0.000001"};
  std::string log;
  for (const char* d : durations) {
    log += std::string("2024-01-01 12:00:00 UTC [1]: [1-1] user=u,db=d,app=a,client=h LOG:  duration: ") + d +
           " ms  statement: SELECT 1\n";
  }
  auto run = read(log);
  ASSERT_EQ(run.events.size(), std::size(durations));
  for (size_t i = 0; i < std::size(durations); ++i) {
    double ms = 0;
    std::string_view d = durations[i];
    std::from_chars(d.data(), d.data() + d.size(), ms);
    EXPECT_EQ(run.events[i].query_time_s, ms / 1000.0) << d;
  }
}

// Blocks cut anywhere between lines read like the lines one by one: a record whose message is
// still in the block when the block ends keeps a copy of it.
TEST(PostgresLog, BlocksReadLikeLines) {
  std::string log;
  for (int i = 0; i < 30; ++i) {
    std::string head = "2024-01-01 12:00:0" + std::to_string(i % 10) + " UTC [" + std::to_string(40 + i % 3) + "]: [" +
                       std::to_string(i) + "-1] user=u" + std::to_string(i % 2) + ",db=d,app=a,client=h ";
    switch (i % 4) {
      case 0:
        log += head + "LOG:  duration: 1.5 ms  statement: SELECT a\n\tFROM t\n\tWHERE id = " + std::to_string(i) + "\n";
        break;
      case 1:
        log += head + "LOG:  duration: 0.5 ms  execute S_1: SELECT $1\n";
        log += head + "DETAIL:  parameters: $1 = '" + std::to_string(i) + "'\n";
        break;
      case 2:
        log += head + "LOG:  statement: UPDATE t SET x = " + std::to_string(i) + "\n";
        log += head + "LOG:  duration: 0.2 ms\n";
        break;
      default:
        log += head + "LOG:  duration: 3 ms  statement: SELECT " + std::to_string(i) + "\n";
    }
  }
  PostgresLogOptions options;
  options.log_line_prefix = "%t [%p]: [%l-1] user=%u,db=%d,app=%a,client=%h ";
  auto by_line = read(log, options);
  ASSERT_GT(by_line.events.size(), 20u);
  for (size_t lines_per_block : {1u, 2u, 3u, 7u, 1000u}) {
    std::vector<model::QueryEvent> events;
    auto reader = make_postgres_log_reader(options, [&](model::QueryEvent&& e) { events.push_back(std::move(e)); });
    ASSERT_TRUE(reader);
    size_t start = 0;
    while (start < log.size()) {
      size_t end = start;
      for (size_t n = 0; n < lines_per_block && end < log.size(); ++n) end = log.find('\n', end) + 1;
      // A copy that dies after the call, as a line source's buffer is reused.
      std::string block = log.substr(start, end - start);
      (*reader)->feed_block(block, start);
      std::fill(block.begin(), block.end(), '#');
      start = end;
    }
    (*reader)->finish();
    ASSERT_EQ(events.size(), by_line.events.size()) << lines_per_block;
    for (size_t i = 0; i < events.size(); ++i) {
      EXPECT_EQ(events[i].sql, by_line.events[i].sql) << lines_per_block << " " << i;
      EXPECT_EQ(events[i].user, by_line.events[i].user) << lines_per_block << " " << i;
      EXPECT_EQ(events[i].byte_offset, by_line.events[i].byte_offset) << lines_per_block << " " << i;
      EXPECT_EQ(events[i].timestamp, by_line.events[i].timestamp) << lines_per_block << " " << i;
      EXPECT_EQ(events[i].query_time_s, by_line.events[i].query_time_s) << lines_per_block << " " << i;
    }
  }
}

}  // namespace
}  // namespace dbvet::capture
