// MysqlSlowLogReader::feed_block reads the records that lie wholly in a block where they lie, and
// copies only what crosses a block boundary or needs changing ("\r\n" endings, a last line without
// a newline). Whatever the cut, it must emit exactly what feeding the same lines one by one emits.

#include <gtest/gtest.h>

#include <filesystem>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "analyzer/capture/log_reader.hpp"
#include "analyzer/capture/mysql_slowlog.hpp"
#include "tests/support/test_env.hpp"

namespace dbvet::capture {
namespace {

std::string describe(const model::QueryEvent& e) {
  std::ostringstream out;
  auto opt = [&](const std::optional<double>& v) { out << (v ? std::to_string(*v) : "-") << '|'; };
  out << e.byte_offset << '|' << e.sql << '|' << e.query_time_s << '|';
  opt(e.lock_time_s);
  opt(e.rows_sent);
  opt(e.rows_examined);
  opt(e.rows_affected);
  opt(e.bytes_sent);
  out << (e.timestamp ? std::to_string(*e.timestamp) : "-") << '|' << e.database << '|' << e.user << '|' << e.host;
  return out.str();
}

struct Reading {
  std::vector<std::string> events;
  uint64_t events_count = 0, skipped = 0, bytes = 0;
  std::vector<uint64_t> skipped_offsets;
};

Reading read_lines(std::string_view text) {
  Reading r;
  MysqlSlowLogReader reader([&](model::QueryEvent&& e) { r.events.push_back(describe(e)); });
  feed_lines(reader, text, 0);
  reader.finish();
  r.events_count = reader.stats().events;
  r.skipped = reader.stats().skipped;
  r.bytes = reader.stats().bytes;
  for (const auto& s : reader.stats().skipped_records) r.skipped_offsets.push_back(s.byte_offset);
  return r;
}

// Blocks of whole lines, cut after random lines (as a line source hands them out).
Reading read_blocks(std::string_view text, std::mt19937& rng, unsigned max_lines) {
  Reading r;
  MysqlSlowLogReader reader([&](model::QueryEvent&& e) { r.events.push_back(describe(e)); });
  std::uniform_int_distribution<unsigned> lines_per_block(1, max_lines);
  size_t pos = 0;
  while (pos < text.size()) {
    size_t end = pos;
    for (unsigned k = lines_per_block(rng); k > 0 && end < text.size(); --k) {
      size_t nl = text.find('\n', end);
      end = nl == std::string_view::npos ? text.size() : nl + 1;
    }
    reader.feed_block(text.substr(pos, end - pos), pos);
    pos = end;
  }
  reader.finish();
  r.events_count = reader.stats().events;
  r.skipped = reader.stats().skipped;
  r.bytes = reader.stats().bytes;
  for (const auto& s : reader.stats().skipped_records) r.skipped_offsets.push_back(s.byte_offset);
  return r;
}

void expect_same(const Reading& lines, const Reading& blocks) {
  EXPECT_EQ(blocks.events, lines.events);
  EXPECT_EQ(blocks.events_count, lines.events_count);
  EXPECT_EQ(blocks.skipped, lines.skipped);
  EXPECT_EQ(blocks.bytes, lines.bytes);
  EXPECT_EQ(blocks.skipped_offsets, lines.skipped_offsets);
}

const char* const kTricky =
    "/usr/sbin/mariadbd, Version: 10.11.6-MariaDB-0+deb12u1-log (Debian 12). started with:\n"
    "Tcp port: 3306  Unix socket: /run/mysqld/mysqld.sock\n"
    "Time\t\t    Id Command\tArgument\n"
    "# Time: 241124 10:00:01\n"
    "# User@Host: app[app] @ localhost [127.0.0.1]\n"
    "# Thread_id: 5  Schema: payments  QC_hit: No\n"
    "# Query_time: 0.250000  Lock_time: 0.000100  Rows_sent: 3  Rows_examined: 900\n"
    "use payments;\n"
    "SET timestamp=1732442401;\n"
    "SELECT *\n  FROM wallets\n WHERE user_id = 7;\n"
    "# User@Host: app[app] @ localhost [127.0.0.1]\r\n"
    "# Thread_id: 5  Schema:   QC_hit: No\r\n"
    "# Query_time: 0.001000  Lock_time: 0.000000  Rows_sent: 0  Rows_examined: 0\r\n"
    "SET timestamp=1732442402;\r\n"
    "UPDATE wallets SET balance = 5 WHERE id = 1;\r\n"
    "# User@Host: app[app] @ localhost [127.0.0.1]\n"
    "# Query_time: 1.5  Lock_time: 0  Rows_sent: 0  Rows_examined: 0\n"
    "# administrator command: Quit;\n"
    "# Query_time: 0.000002  Lock_time: 0  Rows_sent: 0  Rows_examined: 0\n"
    "# Time: 241124 10:00:05\n"
    "# User@Host: app[app] @ localhost [127.0.0.1]\n"
    "# Query_time: 0.1  Lock_time: 0  Rows_sent: 0  Rows_examined: 0\n"
    "/usr/sbin/mariadbd, Version: 10.11.6-MariaDB-0+deb12u1-log (Debian 12). started with:\n"
    "SELECT 1;\n"
    "# Query_time: 0.2  Lock_time: 0  Rows_sent: 0  Rows_examined: 0\n"
    "/usr/sbin/mysqld, Version: 5.7.40-log (MySQL Community Server (GPL)). started with:\n"
    "Tcp port: 3306  Unix socket: /var/run/mysqld/mysqld.sock\n"
    "Time                 Id Command    Argument\n"
    "SELECT 2;\n"
    "# Query_time: x  Lock_time: 0\n"
    "SELECT broken;\n"
    "# Query_time: 0.3  Lock_time: 0  Rows_sent: 1  Rows_examined: 1\n"
    "SELECT 'last' FROM t;";  // no final newline

TEST(MysqlSlowlogBlocks, TrickyLogGivesTheSameEventsWhateverTheBlocks) {
  const std::string text = kTricky;
  const Reading lines = read_lines(text);
  ASSERT_GE(lines.events.size(), 5u);
  std::mt19937 rng(7);
  for (unsigned max_lines : {1u, 2u, 3u, 5u, 1000u}) {
    for (int round = 0; round < 20; ++round) {
      SCOPED_TRACE("max_lines " + std::to_string(max_lines));
      expect_same(lines, read_blocks(text, rng, max_lines));
    }
  }
}

TEST(MysqlSlowlogBlocks, EveryConformanceLogGivesTheSameEventsWhateverTheBlocks) {
  auto shared = testing::shared_dir();
  if (!shared || !std::filesystem::exists(*shared / "conformance/mysql-slowlog")) {
    GTEST_SKIP() << "../shared/conformance/mysql-slowlog is absent";
  }
  std::mt19937 rng(11);
  int logs = 0;
  for (const auto& entry : std::filesystem::directory_iterator(*shared / "conformance/mysql-slowlog")) {
    if (entry.path().extension() == ".json") continue;
    SCOPED_TRACE(entry.path().filename().string());
    const std::string text = testing::read_file(entry.path());
    const Reading lines = read_lines(text);
    for (unsigned max_lines : {1u, 4u, 64u, 1u << 20}) expect_same(lines, read_blocks(text, rng, max_lines));
    ++logs;
  }
  EXPECT_GT(logs, 20);
}

}  // namespace
}  // namespace dbvet::capture
