// Format detection on a log whose first line is longer than the 64 KiB head it used to read (issue
// 18): the lines after it decide the format, as they do for any other log. (The same through a
// pipe, and an input with no newline at all, are in tests/e2e/digest_head_e2e_test.cpp.)

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "analyzer/pipeline/digest_runner.hpp"
#include "tests/support/test_env.hpp"

namespace dbvet {
namespace {

namespace fs = std::filesystem;

constexpr int kRecords = 50;

fs::path write(const fs::path& path, const std::string& text) {
  std::ofstream(path, std::ios::binary) << text;
  return path;
}

// The tail of a statement cut by log rotation: one line of `bytes` bytes.
std::string long_line(size_t bytes, const std::string& lead) {
  std::string line = lead;
  while (line.size() < bytes) line += "OR pet_id = 12345 ";
  return line;
}

std::string mysql_records() {
  std::string text;
  for (int i = 0; i < kRecords; ++i) {
    text += "# Time: 2024-03-01T10:00:" + std::to_string(10 + i % 50) + ".000000Z\n";
    text += "# User@Host: app[app] @ localhost []  Id: 7\n";
    text += "# Query_time: 0.500000  Lock_time: 0.000100 Rows_sent: 1  Rows_examined: 1000\n";
    text += "SET timestamp=1709287210;\nSELECT * FROM pets WHERE owner_id = " + std::to_string(i) + ";\n";
  }
  return text;
}

std::string postgres_records() {
  std::string text;
  for (int i = 0; i < kRecords; ++i) {
    text += "2024-03-01 10:00:00.000 UTC [4242] LOG:  duration: 12.500 ms  statement: SELECT * FROM pets WHERE id = " +
            std::to_string(i) + "\n";
  }
  return text;
}

pipeline::DigestResult digest(const fs::path& path, unsigned jobs = 1) {
  pipeline::DigestOptions options;
  options.files = {path.string()};
  options.jobs = jobs;
  auto result = pipeline::run_digest(options);
  EXPECT_TRUE(result.has_value()) << (result ? "" : result.error().message);
  if (!result) return pipeline::DigestResult();
  return std::move(*result);
}

TEST(DigestLongFirstLine, MysqlSlowLogWhoseFirstLineIsLongerThanTheHead) {
  auto dir = testing::scratch_dir("long-first-line-mysql");
  for (size_t size : {size_t{70} << 10, size_t{1} << 20, size_t{20} << 20}) {  // the last beyond kMaxLineBytes
    SCOPED_TRACE(size);
    auto log = write(dir / "slow.log", long_line(size, "SELECT * FROM pets WHERE ") + ";\n" + mysql_records());
    auto result = digest(log);
    EXPECT_EQ(result.format, "mysql-slowlog");
    EXPECT_GE(result.events + result.skipped, static_cast<uint64_t>(kRecords));
    EXPECT_GE(result.digest.classes().size(), 1u);
    // Read in parts, the same: no part starts right after the record's tail the log starts with
    // (read in one piece, that tail goes with the record after it).
    for (unsigned jobs : {2u, 3u}) {
      auto parted = digest(log, jobs);
      EXPECT_EQ(parted.events, result.events) << jobs;
      EXPECT_EQ(parted.skipped, result.skipped) << jobs;
      ASSERT_EQ(parted.digest.classes().size(), result.digest.classes().size());
      for (const auto& [id, c] : result.digest.classes()) {
        ASSERT_TRUE(parted.digest.classes().count(id)) << id;
        EXPECT_EQ(parted.digest.classes().at(id).count, c.count) << id;
      }
    }
  }
}

TEST(DigestLongFirstLine, PostgresLogWhoseFirstLineIsLongerThanTheHead) {
  auto dir = testing::scratch_dir("long-first-line-postgres");
  for (size_t size : {size_t{70} << 10, size_t{3} << 20}) {
    SCOPED_TRACE(size);
    auto log = write(dir / "postgresql.log", long_line(size, "\t") + "\n" + postgres_records());
    auto result = digest(log, 2);
    EXPECT_EQ(result.format, "postgres-stderr");
    EXPECT_EQ(result.events, static_cast<uint64_t>(kRecords));
  }
}

}  // namespace
}  // namespace dbvet
