// Nothing is left behind (issue 14): SIGHUP, SIGTERM and SIGINT during `bench --sandbox` drop every
// sandbox (SQLite copies, PostgreSQL and MariaDB databases) and exit 3 with what was measured
// marked as interrupted; a sandbox that a kill -9 left is reported by the next run and removed by
// `dbvet sandbox clean`.

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

#include "analyzer/core/target_url.hpp"
#include "analyzer/engines/connection.hpp"
#include "nlohmann/json.hpp"
#include "tests/integration/bench_test_helpers.hpp"
#include "tests/support/sqlite_items.hpp"
#include "tests/support/test_env.hpp"

namespace dbvet::testing {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

std::vector<std::string> sqlite_sandboxes(const fs::path& dir) {
  std::vector<std::string> found;
  for (const auto& entry : fs::directory_iterator(dir)) {
    std::string name = entry.path().filename().string();
    // A copy's -journal, -wal or -shm goes with it (sandbox list shows the copy alone).
    bool extra = name.ends_with("-journal") || name.ends_with("-wal") || name.ends_with("-shm");
    if (name.find("dbvet_sandbox_") != std::string::npos && !extra) found.push_back(entry.path());
  }
  std::sort(found.begin(), found.end());
  return found;
}

template <class F>
bool wait_until(F&& condition, std::chrono::seconds limit) {
  auto deadline = Clock::now() + limit;
  while (!condition()) {
    if (Clock::now() > deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return true;
}

int wait_exit(pid_t pid) {
  int status = 0;
  waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

std::vector<std::string> bench_args(const std::string& target, const fs::path& workload, const fs::path& out) {
  return {"bench",           target,      "-w",
          workload.string(), "--sandbox", "--variant",
          "baseline",        "--variant", "idx=index:CREATE INDEX t_k ON t(k)",
          "--duration",      "60s",       "--no-progress",
          "--format",        "json",      "-o",
          out.string()};
}

class SqliteSignals : public ::testing::TestWithParam<int> {};

TEST_P(SqliteSignals, BenchSandboxIsRemovedAndThePartialResultKept) {
  int signal = GetParam();
  auto dir = scratch_dir("sig-sqlite-" + std::to_string(signal));
  make_sqlite_items(dir / "pets.db", 20000);
  auto workload = write_file(dir / "lookup.sql", kLookup);
  auto out = dir / "result.json";
  pid_t pid = spawn_dbvet(bench_args("sqlite:" + (dir / "pets.db").string(), workload, out));
  ASSERT_NE(pid, 0);
  ASSERT_TRUE(wait_until([&] { return sqlite_sandboxes(dir).size() == 2; }, std::chrono::seconds(30)));
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  kill(pid, signal);
  EXPECT_EQ(wait_exit(pid), 3);
  EXPECT_EQ(sqlite_sandboxes(dir), std::vector<std::string>{});
  for (const auto& entry : fs::directory_iterator(dir)) {
    EXPECT_EQ(entry.path().filename().string().find("dbvet_sandbox_"), std::string::npos) << entry.path();
  }
  auto doc = nlohmann::json::parse(read_file(out));
  EXPECT_EQ(doc["dbvet"]["interrupted"], true);
  for (const auto& entry : fs::directory_iterator(dir)) {
    EXPECT_EQ(entry.path().filename().string().find(".dbvet-"), std::string::npos) << entry.path();
  }
  fs::remove_all(dir);
}

INSTANTIATE_TEST_SUITE_P(Signals, SqliteSignals, ::testing::Values(SIGHUP, SIGTERM, SIGINT),
                         [](const auto& info) { return std::string(sigabbrev_np(info.param)); });

// A database of the test server with t(id, k, v); dropped by the destructor.
class ServerDatabase {
 public:
  ServerDatabase(const std::string& key, const std::string& name) : postgres_(key == "PG") {
    admin_url_ = server_url(key);
    name_ = name + "_" + std::to_string(getpid());
    for (char& c : name_) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));  // PostgreSQL folds
    auto admin = open(admin_url_);
    if (!admin) return;
    drop(*admin);
    auto created = admin->execute_script("CREATE DATABASE " + name_);
    EXPECT_TRUE(created) << created.error().message;
    auto db = open(url());
    if (!db) return;
    auto filled = db->execute_script(
        postgres_ ? "CREATE TABLE t (id int PRIMARY KEY, k int NOT NULL, v text NOT NULL);"
                    "INSERT INTO t SELECT i, i % 2000, 'value-' || i FROM generate_series(1, 20000) i"
                  : "CREATE TABLE t (id int PRIMARY KEY, k int NOT NULL, v varchar(40) NOT NULL);"
                    "INSERT INTO t SELECT seq, seq % 2000, concat('value-', seq) FROM seq_1_to_20000");
    EXPECT_TRUE(filled) << filled.error().message;
    ready_ = static_cast<bool>(filled);
  }
  ~ServerDatabase() {
    if (auto admin = open(admin_url_)) drop(*admin);
  }
  bool ready() const { return ready_; }
  std::string url() const { return admin_url_.substr(0, admin_url_.rfind('/') + 1) + name_; }

  // Sandbox databases of the dbvet process `pid` on the server.
  std::vector<std::string> sandboxes_of(pid_t pid) const {
    auto admin = open(admin_url_);
    if (!admin) return {"(server unreachable)"};
    std::string prefix = "dbvet_sandbox_" + std::to_string(pid) + "_";
    auto rows = admin->execute(postgres_ ? "SELECT datname FROM pg_database WHERE left(datname, " +
                                               std::to_string(prefix.size()) + ") = '" + prefix + "'"
                                         : "SELECT schema_name FROM information_schema.schemata WHERE "
                                           "LEFT(schema_name, " +
                                               std::to_string(prefix.size()) + ") = '" + prefix + "'");
    if (!rows) return {"(catalog unreadable: " + rows.error().message + ")"};
    std::vector<std::string> names;
    for (const auto& row : rows->rows) names.push_back(row.at(0).value_or("?"));
    return names;
  }

 private:
  static std::unique_ptr<engines::Connection> open(const std::string& text) {
    auto url = core::parse_target_url(text);
    EXPECT_TRUE(url);
    if (!url) return nullptr;
    engines::ConnectOptions options;
    options.allow_writes = true;
    options.statement_timeout = std::chrono::minutes(2);
    auto connection = engines::connect(*url, options);
    EXPECT_TRUE(connection) << connection.error().message;
    return connection ? std::move(*connection) : nullptr;
  }
  void drop(engines::Connection& admin) const {
    (void)admin.execute_script(postgres_ ? "DROP DATABASE IF EXISTS " + name_ + " WITH (FORCE)"
                                         : "DROP DATABASE IF EXISTS " + name_);
  }
  bool postgres_;
  bool ready_ = false;
  std::string admin_url_, name_;
};

struct ServerCase {
  const char* key;
  int signal;
};

class ServerSignals : public ::testing::TestWithParam<ServerCase> {};

TEST_P(ServerSignals, BenchSandboxDatabasesAreDropped) {
  auto [key, signal] = GetParam();
  ServerDatabase database(key, std::string("dbvet_e2e_sig_") + sigabbrev_np(signal));
  ASSERT_TRUE(database.ready());
  auto dir = scratch_dir(std::string("sig-server-") + key);
  auto workload = write_file(dir / "lookup.sql", kLookup);
  pid_t pid = spawn_dbvet(bench_args(database.url(), workload, dir / "result.json"));
  ASSERT_NE(pid, 0);
  ASSERT_TRUE(wait_until([&] { return database.sandboxes_of(pid).size() == 2; }, std::chrono::seconds(60)));
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  kill(pid, signal);
  EXPECT_EQ(wait_exit(pid), 3);
  EXPECT_EQ(database.sandboxes_of(pid), std::vector<std::string>{});
  fs::remove_all(dir);
}

INSTANTIATE_TEST_SUITE_P(Signals, ServerSignals,
                         ::testing::Values(ServerCase{"PG", SIGHUP}, ServerCase{"MYSQL", SIGTERM}),
                         [](const auto& info) {
                           return std::string(info.param.key) + sigabbrev_np(info.param.signal);
                         });

TEST(LeftBehind, ASqliteSandboxOfAKilledRunIsReportedAndCleaned) {
  auto dir = scratch_dir("sig-kill9-sqlite");
  make_sqlite_items(dir / "pets.db", 20000);
  auto workload = write_file(dir / "lookup.sql", kLookup);
  std::string target = "sqlite:" + (dir / "pets.db").string();
  pid_t pid = spawn_dbvet(bench_args(target, workload, dir / "result.json"));
  ASSERT_NE(pid, 0);
  ASSERT_TRUE(wait_until([&] { return sqlite_sandboxes(dir).size() == 2; }, std::chrono::seconds(30)));
  kill(pid, SIGKILL);
  wait_exit(pid);
  auto left = sqlite_sandboxes(dir);
  ASSERT_EQ(left.size(), 2u);

  auto next = bench({target, "-w", workload.string(), "--sandbox", "-t", "5"});
  EXPECT_EQ(next.exit_code, 0) << next.err;
  EXPECT_NE(next.err.find("warning: 2 sandboxes left by a dbvet that was killed"), std::string::npos) << next.err;
  EXPECT_NE(next.err.find("dbvet sandbox clean " + target), std::string::npos) << next.err;

  auto list = run_dbvet({"sandbox", "list", target});
  EXPECT_EQ(list.exit_code, 0) << list.err;
  for (const auto& path : left) EXPECT_NE(list.out.find(path), std::string::npos) << list.out;
  EXPECT_NE(list.out.find("orphaned"), std::string::npos) << list.out;
  EXPECT_EQ(sqlite_sandboxes(dir), left);  // list changes nothing

  auto clean = run_dbvet({"sandbox", "clean", target});
  EXPECT_EQ(clean.exit_code, 0) << clean.err;
  EXPECT_EQ(sqlite_sandboxes(dir), std::vector<std::string>{});
  EXPECT_TRUE(fs::exists(dir / "pets.db"));
  auto empty = run_dbvet({"sandbox", "list", target});
  EXPECT_NE(empty.out.find("no dbvet sandboxes"), std::string::npos) << empty.out;
  fs::remove_all(dir);
}

TEST(LeftBehind, APostgresSandboxOfAKilledRunIsCleanedAndALiveOneKept) {
  ServerDatabase database("PG", "dbvet_e2e_kill9");
  ASSERT_TRUE(database.ready());
  auto dir = scratch_dir("sig-kill9-pg");
  auto workload = write_file(dir / "lookup.sql", kLookup);
  pid_t killed = spawn_dbvet(bench_args(database.url(), workload, dir / "killed.json"));
  ASSERT_NE(killed, 0);
  ASSERT_TRUE(wait_until([&] { return database.sandboxes_of(killed).size() == 2; }, std::chrono::seconds(60)));
  kill(killed, SIGKILL);
  wait_exit(killed);
  ASSERT_EQ(database.sandboxes_of(killed).size(), 2u);

  pid_t running = spawn_dbvet(bench_args(database.url(), workload, dir / "running.json"));
  ASSERT_NE(running, 0);
  ASSERT_TRUE(wait_until([&] { return database.sandboxes_of(running).size() == 2; }, std::chrono::seconds(60)));

  auto clean = run_dbvet({"sandbox", "clean", database.url(), "--format", "json"});
  EXPECT_EQ(clean.exit_code, 0) << clean.err;
  EXPECT_EQ(database.sandboxes_of(killed), std::vector<std::string>{});
  EXPECT_EQ(database.sandboxes_of(running).size(), 2u) << clean.out;  // its owner is alive

  kill(running, SIGINT);
  EXPECT_EQ(wait_exit(running), 3);
  EXPECT_EQ(database.sandboxes_of(running), std::vector<std::string>{});
  fs::remove_all(dir);
}

}  // namespace
}  // namespace dbvet::testing
