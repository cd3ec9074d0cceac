// dbvet digest --state and dbvet merge (issue 18, "Past one machine"): the logs split across
// hosts, each digested into a state, merged centrally in any order, give byte for byte the output
// of one `dbvet digest` over all the logs, in every format the digest renders; states that cannot
// be merged are refused with the contract's exit codes and the file named. Also: format detection
// through a pipe when the first line is longer than 64 KiB, and an input of a gigabyte with no
// newline digested in bounded memory with a message naming it.

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "nlohmann/json.hpp"
#include "tests/support/test_env.hpp"

namespace dbvet {
namespace {

namespace fs = std::filesystem;
using testing::CommandResult;
using testing::run_dbvet;

std::vector<std::string> logs_in(const fs::path& dir, const std::string& not_containing = "\x01") {
  std::vector<std::string> out;
  for (const auto& entry : fs::directory_iterator(dir)) {
    const std::string name = entry.path().filename().string();
    if (name.find(".expected") != std::string::npos || name.ends_with(".md") || name.ends_with(".sh") ||
        name.ends_with(".py") || name.find(not_containing) != std::string::npos) {
      continue;
    }
    // Only logs dbvet digests on their own (pt's session files of slow006 are no log format).
    if (run_dbvet({"digest", "--no-progress", "--format", "json", entry.path().string()}).exit_code != 0) continue;
    out.push_back(entry.path().string());
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<std::string> concat(std::vector<std::string> a, const std::vector<std::string>& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

// All the files in one digest, then in three states merged in three orders: identical outputs,
// time buckets included (--class-trends on every host, as --format html of the whole has them).
void expect_merge_identical(const std::vector<std::string>& files, const std::vector<std::string>& options,
                            const std::string& scratch) {
  auto dir = testing::scratch_dir(scratch);
  std::vector<std::string> states;
  const size_t parts = 3;
  for (size_t k = 0; k < parts; ++k) {
    const size_t begin = files.size() * k / parts, end = files.size() * (k + 1) / parts;
    std::vector<std::string> slice(files.begin() + static_cast<long>(begin), files.begin() + static_cast<long>(end));
    states.push_back((dir / ("host" + std::to_string(k) + ".state")).string());
    auto run = run_dbvet(concat(
        concat({"digest", "--no-progress", "--format", "json", "--class-trends", "--state", states.back()}, options),
        slice));
    ASSERT_EQ(run.exit_code, 0) << run.err;
    ASSERT_TRUE(fs::exists(states.back()));
  }
  for (const std::string format : {"json", "text", "md", "html"}) {
    SCOPED_TRACE(format);
    auto whole = run_dbvet(concat(
        concat({"digest", "--no-progress", "--top", "0", "--format", format, "--class-trends"}, options), files));
    ASSERT_EQ(whole.exit_code, 0) << whole.err;
    for (const auto& order : {std::vector<size_t>{0, 1, 2}, {2, 1, 0}, {1, 2, 0}}) {
      std::vector<std::string> args = {"merge", "--no-progress", "--top", "0", "--format", format};
      for (size_t k : order) args.push_back(states[k]);
      auto merged = run_dbvet(args);
      ASSERT_EQ(merged.exit_code, 0) << merged.err;
      EXPECT_EQ(merged.out, whole.out) << "states in order " << order[0] << order[1] << order[2];
    }
  }
}

TEST(DigestMerge, MysqlConformanceLogsAcrossThreeStatesEqualOneDigestInEveryFormat) {
  auto shared = testing::shared_dir();
  if (!shared || !fs::exists(*shared / "conformance/mysql-slowlog")) {
    GTEST_SKIP() << "../shared/conformance/mysql-slowlog is absent";
  }
  const auto files = logs_in(*shared / "conformance/mysql-slowlog");
  expect_merge_identical(files, {"--fingerprint", "pt"}, "merge-mysql-pt");
  expect_merge_identical(files, {}, "merge-mysql-canonical");
}

TEST(DigestMerge, PostgresLogsAcrossThreeStatesEqualOneDigestInEveryFormat) {
  // Held-out logs of the repository and pgBadger's fixtures (but pgbouncer's own logs, refused by design).
  auto files = logs_in(testing::source_dir() / "tests/data/logs/heldout", "mysql");
  files.erase(std::remove_if(files.begin(), files.end(),
                             [](const std::string& f) { return f.find("pgbouncer") != std::string::npos; }),
              files.end());
  auto shared = testing::shared_dir();
  if (shared && fs::exists(*shared / "conformance/postgres-log")) {
    for (const auto& f : logs_in(*shared / "conformance/postgres-log", "pgbouncer")) files.push_back(f);
  }
  ASSERT_GE(files.size(), 6u);
  // The merge lists the states by the files they name: one run over the files in that order.
  std::sort(files.begin(), files.end());
  expect_merge_identical(files, {}, "merge-postgres");
}

// A log with every kind of server event (checkpoints, temporary files, locks, autovacuum,
// connections, sessions, errors), cut into three hosts' logs: the "server" section merges too.
TEST(DigestMerge, PostgresServerEventsAcrossThreeStatesEqualOneDigestInEveryFormat) {
  std::ifstream in(testing::source_dir() / "tests/data/logs/server_events/pg_events.log");
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  auto dir = testing::scratch_dir("merge-server-events-logs");
  const size_t first = text.find("\n2024-11-24 10:01:07") + 1, second = text.find("\n2024-11-24 10:02:00") + 1;
  ASSERT_GT(first, 0u);
  ASSERT_GT(second, first);
  std::vector<std::string> files;
  for (auto [name, part] :
       {std::pair{"a.log", text.substr(0, first)}, std::pair{"b.log", text.substr(first, second - first)},
        std::pair{"c.log", text.substr(second)}}) {
    std::ofstream(dir / name, std::ios::binary) << part;
    files.push_back((dir / name).string());
  }
  auto whole = run_dbvet(
      concat({"digest", "--no-progress", "--format", "json", "--log-prefix", "%m [%p] [%e] %q%u@%d "}, files));
  ASSERT_EQ(whole.exit_code, 0) << whole.err;
  const auto doc = nlohmann::json::parse(whole.out);
  EXPECT_EQ(doc["server"]["errors"]["count"].get<int>(), 6);
  EXPECT_EQ(doc["server"]["connections"]["count"].get<int>(), 2);
  expect_merge_identical(files, {"--log-prefix", "%m [%p] [%e] %q%u@%d "}, "merge-server-events");
}

std::string slow_log(int records, const std::string& table) {
  std::string text;
  for (int i = 0; i < records; ++i) {
    text += "# Time: 2024-03-01T10:00:00.000000Z\n# User@Host: app[app] @ localhost []  Id: 7\n";
    text += "# Query_time: 0.500000  Lock_time: 0.000100 Rows_sent: 1  Rows_examined: 1000\n";
    text += "SELECT * FROM " + table + " WHERE id = " + std::to_string(i) + ";\n";
  }
  return text;
}

fs::path write(const fs::path& path, const std::string& text) {
  std::ofstream(path, std::ios::binary) << text;
  return path;
}

TEST(DigestMerge, StatesThatCannotBeMergedAreRefusedWithTheContractsExitCodes) {
  auto dir = testing::scratch_dir("merge-refusals");
  auto mysql_log = write(dir / "slow.log", slow_log(5, "pets"));
  auto pg_log = write(dir / "postgresql.log",
                      "2024-03-01 10:00:00.000 UTC [42] LOG:  duration: 12.500 ms  statement: SELECT 1\n");
  const std::string a = (dir / "a.state").string(), b = (dir / "b.state").string(), pt = (dir / "pt.state").string(),
                    pg = (dir / "pg.state").string();
  ASSERT_EQ(run_dbvet({"digest", "--no-progress", "--state", a, mysql_log.string()}).exit_code, 0);
  ASSERT_EQ(run_dbvet({"digest", "--no-progress", "--state", b, mysql_log.string()}).exit_code, 0);
  ASSERT_EQ(run_dbvet({"digest", "--no-progress", "--fingerprint", "pt", "--state", pt, mysql_log.string()}).exit_code,
            0);
  ASSERT_EQ(run_dbvet({"digest", "--no-progress", "--state", pg, pg_log.string()}).exit_code, 0);

  auto good = run_dbvet({"merge", "--format", "json", a, b});
  ASSERT_EQ(good.exit_code, 0) << good.err;
  EXPECT_EQ(nlohmann::json::parse(good.out)["overall"]["events"].get<int>(), 10);

  auto modes = run_dbvet({"merge", a, pt});
  EXPECT_EQ(modes.exit_code, 2) << modes.err;
  EXPECT_NE(modes.err.find(pt), std::string::npos) << modes.err;
  EXPECT_NE(modes.err.find("--fingerprint"), std::string::npos) << modes.err;

  auto engines = run_dbvet({"merge", a, pg});
  EXPECT_EQ(engines.exit_code, 2) << engines.err;
  EXPECT_NE(engines.err.find("postgres logs"), std::string::npos) << engines.err;

  // Another format version: bytes 8-11 of the header.
  std::string bytes = testing::read_file(a);
  bytes[8] = 7;
  const std::string future = (dir / "future.state").string();
  write(future, bytes);
  auto version = run_dbvet({"merge", a, future});
  EXPECT_EQ(version.exit_code, 3) << version.err;
  EXPECT_NE(version.err.find(future + ": a digest state of format version 7"), std::string::npos) << version.err;

  const std::string cut = (dir / "cut.state").string();
  write(cut, testing::read_file(a).substr(0, testing::read_file(a).size() - 9));
  auto truncated = run_dbvet({"merge", a, cut});
  EXPECT_EQ(truncated.exit_code, 3) << truncated.err;
  EXPECT_NE(truncated.err.find(cut + ": truncated digest state"), std::string::npos) << truncated.err;

  auto not_state = run_dbvet({"merge", mysql_log.string()});
  EXPECT_EQ(not_state.exit_code, 3) << not_state.err;
  EXPECT_NE(not_state.err.find("not a dbvet digest state"), std::string::npos) << not_state.err;

  auto missing = run_dbvet({"merge", (dir / "absent.state").string()});
  EXPECT_EQ(missing.exit_code, 3) << missing.err;
  EXPECT_NE(missing.err.find("absent.state"), std::string::npos) << missing.err;
}

TEST(DigestHead, AFirstLineLongerThan64KiBThroughAPipe) {
  auto dir = testing::scratch_dir("head-long-first-line");
  std::string first = "SELECT * FROM pets WHERE ";
  while (first.size() < (200u << 10)) first += "OR id = 12345 ";
  auto log = write(dir / "slow.log", first + ";\n" + slow_log(40, "pets"));
  for (const std::string how : {"file", "pipe"}) {
    SCOPED_TRACE(how);
    auto run = how == "file" ? run_dbvet({"digest", "--no-progress", "--format", "json", log.string()})
                             : testing::run_shell("cat " + testing::shell_quoted(log.string()) +
                                                  " | \"$DBVET\" digest --no-progress --format json -");
    ASSERT_EQ(run.exit_code, 0) << run.err;
    auto doc = nlohmann::json::parse(run.out);
    EXPECT_EQ(doc["input"]["format"], "mysql-slowlog");
    // The 40 records after it; the tail itself goes with the first of them, as pt-query-digest reads it.
    EXPECT_EQ(doc["input"]["events"].get<uint64_t>() + doc["input"]["skipped"].get<uint64_t>(), 40u);
  }
}

TEST(DigestHead, AGigabyteWithNoNewlineInBoundedMemory) {
  auto dir = testing::scratch_dir("head-no-newline");
  const fs::path hole = dir / "hole.log";
  std::ofstream(hole).close();
  fs::resize_file(hole, uint64_t{1} << 30);  // sparse: a gigabyte of zeros, no newline
  // 200 MB of address space: the whole input would not fit, nor would a few copies of a 16 MiB line.
  auto run = testing::run_shell("ulimit -v 200000 && exec \"$DBVET\" digest -j 2 --no-progress --format json " +
                                testing::shell_quoted(hole.string()));
  fs::remove(hole);
  ASSERT_EQ(run.exit_code, 0) << run.err;
  auto doc = nlohmann::json::parse(run.out);
  EXPECT_EQ(doc["input"]["events"].get<uint64_t>(), 0u);
  EXPECT_EQ(doc["input"]["skipped_long_line_bytes"].get<uint64_t>(), uint64_t{1} << 30);
  EXPECT_NE(run.err.find(hole.string() + ": skipped 1 line(s) longer than 16 MiB"), std::string::npos) << run.err;
}

}  // namespace
}  // namespace dbvet
