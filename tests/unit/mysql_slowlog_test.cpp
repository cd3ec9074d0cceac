#include "analyzer/capture/mysql_slowlog.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <string>
#include <vector>

#include "analyzer/capture/log_formats.hpp"
#include "analyzer/digest/digest.hpp"

namespace dbvet::capture {
namespace {

std::vector<model::QueryEvent> read(const std::string& log, ReadStats* stats = nullptr) {
  std::vector<model::QueryEvent> events;
  MysqlSlowLogReader reader([&](model::QueryEvent&& e) { events.push_back(std::move(e)); });
  feed_text(reader, log);
  if (stats) *stats = reader.stats();
  return events;
}

// The reader remembers the last "SET timestamp" text it parsed: a repeated one, a changed one, one
// that is not a number after a valid one (the time before is inherited), and the valid one again.
TEST(MysqlSlowlog, RepeatedAndChangedTimestampsAreEachReadAsWritten) {
  std::string log;
  for (const char* stamp : {"1732442401", "1732442401", "1732442499", "1732442401", "17324424x1", "", "1732442401"}) {
    log +=
        "# User@Host: app[app] @ localhost [127.0.0.1]\n"
        "# Query_time: 0.001000  Lock_time: 0.000000  Rows_sent: 0  Rows_examined: 0\n"
        "SET timestamp=" +
        std::string(stamp) + ";\nSELECT 1;\n";
  }
  const auto events = read(log);
  ASSERT_EQ(events.size(), 7u);
  const int64_t expected[] = {1732442401, 1732442401, 1732442499, 1732442401, 1732442401, 1732442401, 1732442401};
  for (size_t i = 0; i < 7; ++i) {
    ASSERT_TRUE(events[i].timestamp.has_value()) << i;
    EXPECT_EQ(*events[i].timestamp, expected[i]) << i;
  }
  // Without an earlier time to inherit, a record whose stamp is not a number has none.
  const auto alone = read(
      "# User@Host: app[app] @ localhost [127.0.0.1]\n"
      "# Query_time: 0.001000  Lock_time: 0.000000  Rows_sent: 0  Rows_examined: 0\n"
      "SET timestamp=;\nSELECT 1;\n");
  ASSERT_EQ(alone.size(), 1u);
  EXPECT_FALSE(alone[0].timestamp.has_value());
}

// A server's start-up banner inside a record is dropped wherever its "mysqld," lies in the line
// (the reader looks for it sixteen bytes at a time, the last sixteen overlapping), read in blocks
// as a file is and line by line.
TEST(MysqlSlowlog, BannerLinesAreFoundAtEveryOffsetOfTheirName) {
  const std::string head =
      "# User@Host: app[app] @ localhost [127.0.0.1]\n"
      "# Query_time: 0.100000  Lock_time: 0.000000  Rows_sent: 0  Rows_examined: 0\n";
  for (size_t path = 0; path <= 40; ++path) {
    for (const char* rest :
         {" Version: 5.7.40-log (MySQL Community Server (GPL)). started with:", " Version: 8.0.36 started with:"}) {
      const std::string banner = "/" + std::string(path, 'p') + "/mysqld," + rest;
      const std::string log = head + banner + "\nSELECT 1;\n" + head + "SELECT 2;\n";
      std::vector<model::QueryEvent> blocks;
      MysqlSlowLogReader reader([&](model::QueryEvent&& e) { blocks.push_back(std::move(e)); });
      reader.feed_block(log, 0);
      reader.finish();
      for (const auto& events : {read(log), blocks}) {
        ASSERT_EQ(events.size(), 2u) << banner;
        EXPECT_EQ(events[0].sql, "SELECT 1") << banner;
        EXPECT_EQ(events[1].sql, "SELECT 2") << banner;
      }
    }
  }
}

TEST(MysqlSlowlog, MariaDbRecordsWithInheritedDatabase) {
  const std::string log =
      "/usr/sbin/mariadbd, Version: 10.11.6-MariaDB-0+deb12u1-log (Debian 12). started with:\n"
      "Tcp port: 3306  Unix socket: /run/mysqld/mysqld.sock\n"
      "Time\t\t    Id Command\tArgument\n"
      "# Time: 241124 10:00:01\n"
      "# User@Host: app[app] @ localhost [127.0.0.1]\n"
      "# Thread_id: 5  Schema: payments  QC_hit: No\n"
      "# Query_time: 0.250000  Lock_time: 0.000100  Rows_sent: 3  Rows_examined: 900\n"
      "# Rows_affected: 0  Bytes_sent: 321\n"
      "use payments;\n"
      "SET timestamp=1732442401;\n"
      "SELECT *\n  FROM wallets\n WHERE user_id = 7;\n"
      "# User@Host: app[app] @ localhost [127.0.0.1]\n"
      "# Thread_id: 5  Schema:   QC_hit: No\n"
      "# Query_time: 0.001000  Lock_time: 0.000000  Rows_sent: 0  Rows_examined: 0\n"
      "# Rows_affected: 1  Bytes_sent: 11\n"
      "SET timestamp=1732442402;\n"
      "UPDATE wallets SET balance = 5 WHERE id = 1;\n"
      "# Time: 241124 10:00:03\n"
      "# User@Host: app[app] @ localhost [127.0.0.1]\n"
      "# Query_time: 0.000010  Lock_time: 0.000000  Rows_sent: 0  Rows_examined: 0\n"
      "# administrator command: Quit;\n";
  ReadStats stats;
  auto events = read(log, &stats);
  ASSERT_EQ(events.size(), 3u);
  EXPECT_EQ(events[0].sql, "SELECT *\n  FROM wallets\n WHERE user_id = 7");
  EXPECT_DOUBLE_EQ(events[0].query_time_s, 0.25);
  EXPECT_DOUBLE_EQ(*events[0].lock_time_s, 0.0001);
  EXPECT_EQ(*events[0].rows_examined, 900);
  EXPECT_EQ(*events[0].bytes_sent, 321);
  EXPECT_EQ(events[0].database, "payments");
  EXPECT_EQ(events[0].user, "app");
  EXPECT_EQ(events[0].host, "localhost");
  EXPECT_EQ(*events[0].timestamp, 1732442401);
  EXPECT_EQ(events[1].database, "payments");  // inherited, as pt-query-digest does
  EXPECT_EQ(*events[1].rows_affected, 1);
  EXPECT_EQ(*events[1].timestamp, 1732442402);
  EXPECT_EQ(events[2].sql, "administrator command: Quit");
  EXPECT_EQ(*events[2].timestamp, 1732442403);
  EXPECT_EQ(stats.events, 3u);
  EXPECT_EQ(stats.skipped, 0u);
  EXPECT_EQ(stats.bytes, log.size());
}

TEST(MysqlSlowlog, MalformedRecordsAreCountedAndSkipped) {
  const std::string log =
      "# Time: 081116 15:07:11\n"
      "# Query_time: 18446744073708.796870.000036  Lock_time: 0.000036  Rows_sent: 1  Rows_examined: 127\n"
      "SELECT * FROM mytbl;\n"
      "# Time: 081116 15:07:12\n"
      "# Query_time: 0.5  Lock_time: 0  Rows_sent: 1  Rows_examined: 1\n"
      "SELECT 1;\n";
  ReadStats stats;
  auto events = read(log, &stats);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].sql, "SELECT 1");
  EXPECT_EQ(stats.skipped, 1u);
  ASSERT_EQ(stats.skipped_records.size(), 1u);
  EXPECT_EQ(stats.skipped_records[0].byte_offset, 0u);
  EXPECT_NE(stats.skipped_records[0].reason.find("Query_time"), std::string::npos);
}

TEST(MysqlSlowlog, StartsMidRecordAndNeverCrashesOnGarbage) {
  auto events = read("WHERE id = 3;\n# Time: 081116 15:07:12\n# Query_time: 1  Lock_time: 0\nSELECT 2;\n");
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].sql, "SELECT 2");
  for (std::string garbage : {"", "#", ";\n#", "# Query_time: \n", "use ;\n#", "\0\0\0", "# Time: 99\n;\n#;\n#"}) {
    read(garbage);
  }
}

TEST(LogFormats, DetectsTheSlowLogAndSplitsAtRecordBoundaries) {
  EXPECT_EQ(detect_log_format("# Time: 241124 10:00:01\n# User@Host: a[a] @ b []\n"), LogFormat::mysql_slow);
  EXPECT_FALSE(detect_log_format("hello world\n"));
  // pgbouncer's logfile and syslog lines: recognised, to be refused with a reason (issue 18)
  EXPECT_EQ(detect_log_format("2024-03-01 10:00:00.320 UTC [1021] LOG C-0x55d5f0a4b1c0: shop/app@10.0.1.23:54000 "
                              "login attempt: db=shop user=app tls=no\n"
                              "2024-03-01 10:01:00.000 UTC [1021] LOG stats: 12 xacts/s, 40 queries/s\n"),
            LogFormat::pgbouncer);
  EXPECT_EQ(detect_log_format("2012-09-12 16:00:01.123 4321 LOG Stats: 0 req/s, in 0 b/s\n"), LogFormat::pgbouncer);
  EXPECT_EQ(detect_log_format("Mar  1 10:00:00 db1 pgbouncer[1021]: C-0x55d5f0a4b1c0: shop/app@10.0.1.23:54000 "
                              "login attempt: db=shop user=app tls=no\n"),
            LogFormat::pgbouncer);
  EXPECT_FALSE(make_log_reader(LogFormat::pgbouncer, [](model::QueryEvent&&) {}));
  // a PostgreSQL log with the same timestamp and [pid] stays one
  EXPECT_EQ(detect_log_format("2024-03-01 10:00:00.320 UTC [1021] LOG:  duration: 1.000 ms  statement: SELECT 1\n"),
            LogFormat::postgres_stderr);
  EXPECT_FALSE(detect_log_format("# Time: 241124 10:00:01\n", Engine::postgres));
  EXPECT_TRUE(is_split_point(LogFormat::mysql_slow, "SELECT 1;", "# Time: 241124 10:00:01"));
  EXPECT_FALSE(is_split_point(LogFormat::mysql_slow, "SELECT 1", "# Time: 241124 10:00:01"));
  EXPECT_FALSE(is_split_point(LogFormat::mysql_slow, "SELECT 1;", "# Query_time: 1"));
}

// "# Time:" lines in the shapes servers write (read directly) and in others sscanf still reads.
TEST(MysqlSlowlog, TimeLinesInEveryShapeGiveTheirUtcSecond) {
  struct Case {
    const char* time;
    int64_t expected;  // date -u -d ... +%s
  };
  const Case cases[] = {
      {"2019-01-01T00:00:00.123456Z", 1546300800},  // MySQL 5.7+
      {"2024-02-29 23:59:59", 1709251199},
      {"071015 21:43:52", 1192484632},   // MySQL 5.1-5.6, MariaDB
      {"071015  1:43:52", 1192412632},   // an hour of one digit
      {"071015 1:43:52  ", 1192412632},  // a shape only sscanf reads
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.time);
    const std::string log = std::string("# Time: ") + c.time +
                            "\n# User@Host: app[app] @ localhost []\n# Query_time: 0.1  Lock_time: 0  Rows_sent: 0  "
                            "Rows_examined: 0\nSELECT 1;\n";
    auto events = read(log);
    ASSERT_EQ(events.size(), 1u);
    ASSERT_TRUE(events[0].timestamp.has_value());
    EXPECT_EQ(*events[0].timestamp, c.expected);
  }
}

// The fast decimal path takes at most 15 digits (exact in a double, one correctly rounded
// division); longer numbers go to strtod. Both must give strtod's value.
TEST(MysqlSlowlog, DecimalsOfAnyLengthReadAsStrtodReadsThem) {
  for (const char* text : {"0.000042", "123456789012345", "92183161342699.5", "921831613426995.7", "0.1234567890123456",
                           "1.", "1e3", "12345678901234567890"}) {
    SCOPED_TRACE(text);
    const std::string log = std::string("# User@Host: app[app] @ localhost []\n# Query_time: ") + text +
                            "  Lock_time: 0  Rows_sent: 0  Rows_examined: 0\nSELECT 1;\n";
    auto events = read(log);
    ASSERT_EQ(events.size(), 1u);
    EXPECT_EQ(events[0].query_time_s, std::strtod(text, nullptr));
  }
}

// The reader remembers the last User@Host line it read and reuses what it found there when the
// next one is the same: a line of the same length but other bytes must be read again.
TEST(MysqlSlowlog, RepeatedUserHostLinesGiveEachRecordItsOwnUserAndHost) {
  const char* lines[] = {"app[app] @ web1 [10.0.0.1]", "bob[bob] @ web2 [10.0.0.2]", "app[app] @ web1 [10.0.0.1]",
                         "app[app] @  [10.0.0.9]", "app[app] @ web1 [10.0.0.1]"};
  std::string log;
  for (const char* line : lines) {
    log += std::string("# User@Host: ") + line +
           "\n# Query_time: 0.1  Lock_time: 0  Rows_sent: 0  Rows_examined: 0\nSELECT 1;\n";
  }
  auto events = read(log);
  ASSERT_EQ(events.size(), 5u);
  const std::pair<const char*, const char*> expected[] = {
      {"app", "web1"}, {"bob", "web2"}, {"app", "web1"}, {"app", "10.0.0.9"}, {"app", "web1"}};
  for (size_t i = 0; i < 5; ++i) {
    EXPECT_EQ(events[i].user, expected[i].first) << i;
    EXPECT_EQ(events[i].host, expected[i].second) << i;
  }
}

// A value that is not a decimal leaves that attribute unset; a Query_time that is not one skips
// the record.
TEST(MysqlSlowlog, AttributesThatAreNotDecimalsAreLeftUnset) {
  const std::string log =
      "# User@Host: app[app] @ localhost []\n# Query_time: 0.5  Lock_time: x1  Rows_sent: 2  Rows_examined: 1e\n"
      "SELECT 1;\n"
      "# User@Host: app[app] @ localhost []\n# Query_time: 0.5x  Lock_time: 0  Rows_sent: 2  Rows_examined: 1\n"
      "SELECT 2;\n";
  ReadStats stats;
  auto events = read(log, &stats);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_FALSE(events[0].lock_time_s.has_value());
  ASSERT_TRUE(events[0].rows_sent.has_value());
  EXPECT_EQ(*events[0].rows_sent, 2);
  EXPECT_FALSE(events[0].rows_examined.has_value());
  EXPECT_EQ(stats.skipped, 1u);
}

}  // namespace
}  // namespace dbvet::capture
