// Nothing is lost (issue 14): a write error on -o FILE or on standard output is a runtime error
// (exit 3) naming what could not be written, for every command; -o FILE is written beside the file
// and renamed at the end, so a failed run leaves an existing FILE as it was.

#include <fcntl.h>
#include <gtest/gtest.h>
#include <spawn.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "tests/support/test_env.hpp"

extern char** environ;

namespace dbvet::testing {
namespace {

namespace fs = std::filesystem;

const char* dbvet_bin() { return std::getenv("DBVET_BIN") ? std::getenv("DBVET_BIN") : "dbvet"; }

fs::path write_text(const fs::path& path, const std::string& text) {
  std::ofstream(path) << text;
  return path;
}

// An SQLite file with t(id, k, v) and a workload that reads it.
struct SqliteFixture {
  fs::path dir, db, workload;
  explicit SqliteFixture(const std::string& name) {
    dir = scratch_dir(name);
    db = dir / "pets.db";
    sqlite3* handle = nullptr;
    sqlite3_open(db.c_str(), &handle);
    sqlite3_exec(handle,
                 "CREATE TABLE t (id INTEGER PRIMARY KEY, k INTEGER NOT NULL, v TEXT NOT NULL);"
                 "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 3000) "
                 "INSERT INTO t SELECT i, i % 300, 'v' || i FROM n;",
                 nullptr, nullptr, nullptr);
    sqlite3_close(handle);
    workload = write_text(dir / "lookup.sql", "\\set k random(1, 299)\nSELECT count(*), max(v) FROM t WHERE k = :k;\n");
  }
  std::string target() const { return "sqlite:" + db.string(); }
  ~SqliteFixture() { fs::remove_all(dir); }
};

fs::path write_slow_log(const fs::path& path) {
  std::ofstream out(path);
  for (int i = 0; i < 200; ++i) {
    out << "# Time: 241124 10:00:" << (10 + i % 50) << "\n# User@Host: app[app] @ localhost [127.0.0.1]\n"
        << "# Query_time: 0.0" << (100 + i) << "  Lock_time: 0.000010  Rows_sent: 1  Rows_examined: " << i << "\n"
        << "SET timestamp=" << 1732442400 + i << ";\n"
        << "SELECT * FROM pets WHERE owner_id = " << i << ";\n";
  }
  return path;
}

// Files in `dir` that a dbvet run left behind as temporaries of -o.
std::vector<std::string> temporaries(const fs::path& dir) {
  std::vector<std::string> found;
  for (const auto& entry : fs::directory_iterator(dir)) {
    if (entry.path().filename().string().find(".dbvet-") != std::string::npos) found.push_back(entry.path());
  }
  return found;
}

// Runs dbvet with standard output on `fd` (closed here after the start); waits; the exit code.
int run_with_stdout(const std::vector<std::string>& args, int fd, std::string* err_text = nullptr) {
  std::vector<std::string> argv{dbvet_bin()};
  argv.insert(argv.end(), args.begin(), args.end());
  std::vector<char*> raw;
  for (auto& a : argv) raw.push_back(a.data());
  raw.push_back(nullptr);
  auto err_path = scratch_dir("stdout-err") / "err";
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, fd, STDOUT_FILENO);
  posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  pid_t pid = 0;
  int spawned = posix_spawn(&pid, raw[0], &actions, nullptr, raw.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  close(fd);
  if (spawned != 0) return -1;
  int status = 0;
  waitpid(pid, &status, 0);
  if (err_text) *err_text = read_file(err_path);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

TEST(OutputIntegrity, DevFullIsARuntimeErrorForEveryCommand) {
  SqliteFixture fixture("out-devfull");
  auto log = write_slow_log(fixture.dir / "slow.log");
  auto bench_json = fixture.dir / "run.json";
  auto bench = run_dbvet({"bench", fixture.target(), "-w", fixture.workload.string(), "-t", "20", "--no-progress",
                          "--format", "json", "-o", bench_json.string()});
  ASSERT_EQ(bench.exit_code, 0) << bench.err;

  std::vector<std::pair<std::string, std::vector<std::string>>> runs = {
      {"digest", {"digest", log.string()}},
      {"explain", {"explain", fixture.target(), "SELECT * FROM t WHERE k = 3"}},
      {"compare", {"compare", bench_json.string(), bench_json.string()}},
      {"audit", {"audit", fixture.target(), "-w", fixture.workload.string(), "--transactions", "20"}},
      {"bench", {"bench", fixture.target(), "-w", fixture.workload.string(), "-t", "5", "--no-progress"}},
      {"health", {"health", fixture.target()}},
  };
  for (const auto& [name, args] : runs) {
    SCOPED_TRACE(name);
    // The same run succeeds when its output has room: the failure below is the write's.
    auto fine = run_dbvet(args);
    ASSERT_EQ(fine.exit_code, 0) << fine.err;
    std::vector<std::string> to_full{"-o", "/dev/full"};
    to_full.insert(to_full.end(), args.begin(), args.end());
    auto full = run_dbvet(to_full);
    EXPECT_EQ(full.exit_code, 3) << full.err;
    EXPECT_NE(full.err.find("cannot write /dev/full: No space left on device"), std::string::npos) << full.err;

    std::string err;
    int code = run_with_stdout(args, open("/dev/full", O_WRONLY), &err);
    EXPECT_EQ(code, 3) << err;
    EXPECT_NE(err.find("cannot write standard output: No space left on device"), std::string::npos) << err;
  }
}

TEST(OutputIntegrity, AClosedPipeIsExit3WithoutNoise) {
  int fds[2];
  ASSERT_EQ(pipe(fds), 0);
  close(fds[0]);  // the reader is gone before dbvet writes: every write gets EPIPE
  std::string err;
  int code = run_with_stdout({"rules", "list"}, fds[1], &err);
  EXPECT_EQ(code, 3) << err;  // not killed by SIGPIPE (141), not 0: the output was lost
  EXPECT_EQ(err, "");
}

TEST(OutputIntegrity, DevStdoutIsWrittenWhereItStandsNotReplaced) {
  SqliteFixture fixture("out-devstdout");
  auto log = write_text(fixture.dir / "log.txt", "first line\n");
  auto run = run_program({"/bin/sh", "-c", std::string("\"$0\" explain \"$1\" 'SELECT 1' -o /dev/stdout >>\"$2\""),
                          dbvet_bin(), fixture.target(), log.string()});
  EXPECT_EQ(run.exit_code, 0) << run.err;
  auto text = read_file(log);
  EXPECT_EQ(text.rfind("first line\n", 0), 0u) << text;
  EXPECT_NE(text.find("QUERY PLAN"), std::string::npos) << text;
}

TEST(OutputIntegrity, AFailedExplainLeavesTheExistingFileAsItWas) {
  SqliteFixture fixture("out-explain-keep");
  auto kept = write_text(fixture.dir / "plan.txt", "the plan of yesterday\n");
  auto bad = run_dbvet({"explain", fixture.target(), "SELEC * FROM t", "-o", kept.string()});
  EXPECT_EQ(bad.exit_code, 3) << bad.err;
  EXPECT_EQ(read_file(kept), "the plan of yesterday\n");
  EXPECT_EQ(temporaries(fixture.dir), std::vector<std::string>{});

  auto good = run_dbvet({"explain", fixture.target(), "SELECT * FROM t WHERE k = 3", "-o", kept.string()});
  ASSERT_EQ(good.exit_code, 0) << good.err;
  EXPECT_NE(read_file(kept).find("SCAN"), std::string::npos) << read_file(kept);
  EXPECT_EQ(temporaries(fixture.dir), std::vector<std::string>{});
}

TEST(OutputIntegrity, ATruncatedGzipLeavesTheExistingReportAsItWas) {
  auto dir = scratch_dir("out-digest-keep");
  auto log = write_slow_log(dir / "slow.log");
  ASSERT_EQ(run_program({"/bin/gzip", "-k", "-f", log.string()}).exit_code, 0);
  std::string gz = read_file(dir / "slow.log.gz");
  write_text(dir / "cut.log.gz", gz.substr(0, gz.size() / 2));
  auto report = write_text(dir / "report.json", "{\"kept\": true}\n");
  auto run = run_dbvet({"digest", (dir / "cut.log.gz").string(), "--format", "json", "-o", report.string()});
  EXPECT_EQ(run.exit_code, 3) << run.err;
  EXPECT_EQ(read_file(report), "{\"kept\": true}\n");
  EXPECT_EQ(temporaries(dir), std::vector<std::string>{});
  fs::remove_all(dir);
}

TEST(OutputIntegrity, TheRenamedFileKeepsTheModeOfTheOneItReplaces) {
  auto dir = scratch_dir("out-mode");
  auto log = write_slow_log(dir / "slow.log");
  auto report = write_text(dir / "report.txt", "old\n");
  fs::permissions(report, fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read);
  auto run = run_dbvet({"digest", log.string(), "-o", report.string()});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_NE(read_file(report), "old\n");
  EXPECT_EQ(fs::status(report).permissions() & fs::perms::all,
            fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read);
  fs::remove_all(dir);
}

}  // namespace
}  // namespace dbvet::testing
