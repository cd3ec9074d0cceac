// Fault injection through the binary: servers killed (-9 and an immediate stop), frozen
// (SIGSTOP), restarted, sessions terminated by the server, Redis gone, during `bench` and `health`.
// Every test starts its own private servers (scripts/testenv up with DBVET_TESTENV_ONLY) in its own
// directory and breaks only those: the shared servers of the other tests are never touched.
#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <regex>
#include <sstream>
#include <string>
#include <thread>

#include "nlohmann/json.hpp"
#include "tests/support/test_env.hpp"

namespace dbvet {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;
using testing::CommandResult;

std::string quoted(const std::string& text) { return "'" + text + "'"; }

// `KEY=value` lines of DIR/env ("export KEY='value'").
std::string env_value(const fs::path& dir, const std::string& key) {
  std::ifstream in(dir / "env");
  std::string line;
  std::string prefix = "export " + key + "='";
  while (std::getline(in, line)) {
    if (line.rfind(prefix, 0) == 0) return line.substr(prefix.size(), line.size() - prefix.size() - 1);
  }
  return "";
}

int count_lines(const std::string& text) {
  int lines = 0;
  for (char c : text) lines += c == '\n';
  return lines;
}

void sleep_s(double seconds) { std::this_thread::sleep_for(std::chrono::duration<double>(seconds)); }

class Faults : public ::testing::Test {
 protected:
  // Starts the private servers this test breaks ("pg", "mysql", "redis").
  void start(const std::string& servers) {
    // Short: PostgreSQL's socket path (DIR/pgsock/.s.PGSQL.PORT) must fit in 107 bytes.
    dir_ = fs::temp_directory_path() / ("dbvet-faults-" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    std::string command = "DBVET_TESTENV_ONLY=" + quoted(servers) + " " +
                          quoted((testing::source_dir() / "scripts/testenv").string()) + " up " +
                          quoted(dir_.string()) + " >" +
                          quoted((dir_.parent_path() / (dir_.filename().string() + ".up.log")).string()) + " 2>&1";
    ASSERT_EQ(std::system(command.c_str()), 0) << "private servers did not start";
    started_ = true;
  }
  void TearDown() override {
    std::error_code ignored;
    for (const auto& path : scratch_) fs::remove(path, ignored);
    if (!dir_.empty()) fs::remove(dir_.parent_path() / (dir_.filename().string() + ".up.log"), ignored);
    if (!started_) return;
    (void)std::system((quoted(fault_script()) + " pg-thaw " + quoted(dir_.string()) + " >/dev/null 2>&1").c_str());
    (void)std::system((quoted((testing::source_dir() / "scripts/testenv").string()) + " down " + quoted(dir_.string()) +
                       " >/dev/null 2>&1")
                          .c_str());
  }
  static std::string fault_script() { return (testing::source_dir() / "tests/e2e/fault_servers.sh").string(); }
  void fault(const std::string& what) {
    ASSERT_EQ(std::system((quoted(fault_script()) + " " + what + " " + quoted(dir_.string())).c_str()), 0) << what;
  }
  std::string url(const std::string& key) { return env_value(dir_, "DBVET_TEST_" + key + "_URL"); }
  void psql(const std::string& sql) {
    auto result = testing::run_program({"psql", url("PG"), "-qAt", "-v", "ON_ERROR_STOP=1", "-c", sql});
    ASSERT_EQ(result.exit_code, 0) << result.err;
  }
  // Runs `sql` until it answers 1, for up to 5 s; whether it did. Through popen, not run_program,
  // whose output files are shared with a dbvet running meanwhile (run_while).
  bool psql_until_one(const std::string& sql) {
    const std::string command = "psql " + testing::shell_quoted(url("PG")) + " -qAt -c " + testing::shell_quoted(sql);
    for (int i = 0; i < 100; ++i) {
      int first = 0;
      if (FILE* pipe = ::popen(command.c_str(), "r")) {
        first = std::fgetc(pipe);
        ::pclose(pipe);
      }
      if (first == '1') return true;
      sleep_s(0.05);
    }
    return false;
  }
  void mariadb(const std::string& sql) {
    auto result = testing::run_program(
        {"mariadb", "--no-defaults", "--socket=" + (dir_ / "mysql.sock").string(), "-uroot", "dbvet", "-e", sql});
    ASSERT_EQ(result.exit_code, 0) << result.err;
  }
  fs::path write_script(const std::string& name, const std::string& text) {
    auto path = dir_.parent_path() / (dir_.filename().string() + "-" + name);
    scratch_.push_back(path);
    std::ofstream(path) << text;
    return path;
  }

  // Runs dbvet in a thread while `during` breaks things; returns its result and how long it ran.
  template <class F>
  std::pair<CommandResult, double> run_while(const std::vector<std::string>& args, F&& during) {
    CommandResult result;
    auto begun = Clock::now();
    std::thread runner([&] { result = testing::run_dbvet(args); });
    during();
    runner.join();
    return {result, std::chrono::duration<double>(Clock::now() - begun).count()};
  }

  fs::path dir_;
  bool started_ = false;
  std::vector<fs::path> scratch_;  // files beside dir_, removed with it
};

nlohmann::json parse_json(const std::string& text) {
  auto json = nlohmann::json::parse(text, nullptr, false);
  EXPECT_FALSE(json.is_discarded()) << text.substr(0, 500);
  return json;
}

constexpr const char* kPgWorkload = "\\set id random(1, 1000)\nSELECT v FROM items WHERE id = :id;\n";

TEST_F(Faults, BenchPostgresStoppedImmediatelyIsAnOutageWithThePartialResult) {
  ASSERT_NO_FATAL_FAILURE(start("pg"));
  psql("CREATE TABLE items (id int PRIMARY KEY, v int); INSERT INTO items SELECT g, g FROM generate_series(1, 1000) g");
  auto workload = write_script("lookup.sql", kPgWorkload);
  auto [result, seconds] = run_while({"--format", "json", "--no-progress", "bench", url("PG"), "-w", workload.string(),
                                      "-c", "4", "-T", "30s", "--reconnect-window", "2s"},
                                     [&] {
                                       sleep_s(3);
                                       fault("pg-stop");
                                     });
  EXPECT_EQ(result.exit_code, 3) << result.err;
  EXPECT_LT(seconds, 15) << "the run went on after the outage";
  EXPECT_EQ(count_lines(result.err), 1) << result.err;
  EXPECT_NE(result.err.find("connection lost and not regained within the 2 s reconnect window"), std::string::npos)
      << result.err;
  auto json = parse_json(result.out);
  EXPECT_TRUE(json["dbvet"]["interrupted"].get<bool>());
  EXPECT_TRUE(json["dbvet"]["outage"].get<bool>());
  EXPECT_NE(json["dbvet"]["interruption"].get<std::string>().find("connection lost"), std::string::npos);
  const auto& summary = json["dbvet"]["summary"][0];
  EXPECT_GT(summary["transactions"].get<uint64_t>(), 0u) << "what was measured before the outage is kept";
  EXPECT_GE(summary["connection_errors"].get<uint64_t>(), 1u);
  // Backoff, not ~500k failed transactions a second: a handful per client.
  EXPECT_LT(summary["errors"].get<uint64_t>(), 200u);
}

TEST_F(Faults, BenchPostgresKilledAndRestartedReconnectsAndCountsTheFailures) {
  ASSERT_NO_FATAL_FAILURE(start("pg"));
  psql("CREATE TABLE items (id int PRIMARY KEY, v int); INSERT INTO items SELECT g, g FROM generate_series(1, 1000) g");
  auto workload = write_script("lookup.sql", kPgWorkload);
  auto [result, seconds] = run_while({"--format", "json", "--no-progress", "bench", url("PG"), "-w", workload.string(),
                                      "-c", "2", "-T", "9s", "--reconnect-window", "15s"},
                                     [&] {
                                       sleep_s(2);
                                       fault("pg-kill");
                                       fault("pg-start");
                                     });
  // Transactions failed: the default --max-error-rate 0 fails the run as a gate, not as an outage.
  EXPECT_EQ(result.exit_code, 1) << result.err;
  EXPECT_NE(result.err.find("more than --max-error-rate 0"), std::string::npos) << result.err;
  auto json = parse_json(result.out);
  EXPECT_FALSE(json["dbvet"]["interrupted"].get<bool>());
  const auto& summary = json["dbvet"]["summary"][0];
  EXPECT_GE(summary["reconnects"].get<uint64_t>(), 1u);
  EXPECT_GE(summary["connection_errors"].get<uint64_t>(), 1u);
  EXPECT_GT(summary["transactions"].get<uint64_t>(), 0u);
  EXPECT_LT(seconds, 25);
}

TEST_F(Faults, BenchPostgresTerminatedBackendsReconnectWithinTheErrorBudget) {
  ASSERT_NO_FATAL_FAILURE(start("pg"));
  psql("CREATE TABLE items (id int PRIMARY KEY, v int); INSERT INTO items SELECT g, g FROM generate_series(1, 1000) g");
  auto workload = write_script("lookup.sql", kPgWorkload);
  auto [result, seconds] = run_while({"--format", "json", "--no-progress", "bench", url("PG"), "-w", workload.string(),
                                      "-c", "2", "-T", "5s", "--max-error-rate", "0.5"},
                                     [&] {
                                       sleep_s(2);
                                       // Not through run_program: the bench's run_program in the other thread shares
                                       // its scratch directory.
                                       std::string terminate =
                                           "psql " + quoted(url("PG")) +
                                           " -qAt -c \"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE "
                                           "application_name = 'dbvet'\" >/dev/null";
                                       ASSERT_EQ(std::system(terminate.c_str()), 0);
                                     });
  EXPECT_EQ(result.exit_code, 0) << result.err;
  auto json = parse_json(result.out);
  const auto& summary = json["dbvet"]["summary"][0];
  EXPECT_GE(summary["reconnects"].get<uint64_t>(), 1u);
  EXPECT_GE(summary["errors"].get<uint64_t>(), 1u);
  // Nothing of dbvet's is left on the server.
  sleep_s(0.5);
  auto left = testing::run_program(
      {"psql", url("PG"), "-qAt", "-c", "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'dbvet'"});
  EXPECT_EQ(left.out, "0\n");
}

TEST_F(Faults, BenchPostgresFrozenStopsOnTheClientSideTimeout) {
  ASSERT_NO_FATAL_FAILURE(start("pg"));
  psql("CREATE TABLE items (id int PRIMARY KEY, v int); INSERT INTO items SELECT g, g FROM generate_series(1, 1000) g");
  auto workload = write_script("lookup.sql", kPgWorkload);
  auto [result, seconds] =
      run_while({"--format", "json", "--no-progress", "--connect-timeout", "1s", "bench", url("PG"), "-w",
                 workload.string(), "-c", "2", "-T", "8s", "--statement-timeout", "1s", "--reconnect-window", "2s"},
                [&] {
                  sleep_s(2);
                  fault("pg-freeze");
                });
  fault("pg-thaw");
  EXPECT_EQ(result.exit_code, 3) << result.err;
  EXPECT_LT(seconds, 16) << "a frozen server held the run past its duration";
  EXPECT_NE(result.err.find("client-side statement timeout"), std::string::npos) << result.err;
  auto json = parse_json(result.out);
  EXPECT_TRUE(json["dbvet"]["outage"].get<bool>());
}

TEST_F(Faults, BenchMariadbKilledIsAnOutage) {
  ASSERT_NO_FATAL_FAILURE(start("mysql"));
  mariadb("CREATE TABLE items (id int PRIMARY KEY, v int); INSERT INTO items SELECT seq, seq FROM seq_1_to_1000");
  auto workload = write_script("lookup.sql", kPgWorkload);
  auto [result, seconds] = run_while({"--format", "json", "--no-progress", "bench", url("MYSQL"), "-w",
                                      workload.string(), "-c", "2", "-T", "30s", "--reconnect-window", "2s"},
                                     [&] {
                                       sleep_s(3);
                                       fault("mysql-kill");
                                     });
  EXPECT_EQ(result.exit_code, 3) << result.err;
  EXPECT_LT(seconds, 15);
  EXPECT_EQ(count_lines(result.err), 1) << result.err;
  EXPECT_NE(result.err.find("connection lost and not regained"), std::string::npos) << result.err;
  auto json = parse_json(result.out);
  EXPECT_TRUE(json["dbvet"]["outage"].get<bool>());
  EXPECT_GT(json["dbvet"]["summary"][0]["transactions"].get<uint64_t>(), 0u);
}

TEST_F(Faults, BenchRedisKilledDuringCacheVariantIsOneOutageNotAChangedAnswer) {
  ASSERT_NO_FATAL_FAILURE(start("pg redis"));
  psql("CREATE TABLE items (id int PRIMARY KEY, v int); INSERT INTO items SELECT g, g FROM generate_series(1, 1000) g");
  auto workload = write_script("lookup.sql", kPgWorkload);
  // Phases run one after the other: the baseline for 3 s, then the cache variant, killed inside it.
  auto [result, seconds] = run_while(
      {"--format", "json", "--no-progress", "bench", url("PG"), "-w", workload.string(), "-c", "2", "-T", "6s",
       "--variant", "plain=baseline", "--variant", "cached=cache:" + url("REDIS"), "--reconnect-window", "2s"},
      [&] {
        sleep_s(9);
        fault("redis-kill");
      });
  EXPECT_EQ(result.exit_code, 3) << result.err;
  EXPECT_EQ(count_lines(result.err), 1) << result.err.substr(0, 2000);
  EXPECT_EQ(result.err.find("changes the answer"), std::string::npos) << result.err;
  EXPECT_NE(result.err.find("connection lost"), std::string::npos) << result.err;
  auto json = parse_json(result.out);
  EXPECT_TRUE(json["dbvet"]["outage"].get<bool>());
  bool cached_counted = false;
  for (const auto& item : json["dbvet"]["summary"]) {
    if (item["variant"] == "cached") cached_counted = item["connection_errors"].get<uint64_t>() >= 1;
  }
  EXPECT_TRUE(cached_counted) << result.out.substr(0, 3000);
}

TEST_F(Faults, BenchMariadbKilledSessionsReconnectAndNothingIsLeft) {
  ASSERT_NO_FATAL_FAILURE(start("mysql"));
  mariadb("CREATE TABLE items (id int PRIMARY KEY, v int); INSERT INTO items SELECT seq, seq FROM seq_1_to_1000");
  auto workload = write_script("lookup.sql", kPgWorkload);
  std::string client = "mariadb --no-defaults --socket=" + quoted((dir_ / "mysql.sock").string()) + " -uroot -N";
  auto [result, seconds] = run_while({"--format", "json", "--no-progress", "bench", url("MYSQL"), "-w",
                                      workload.string(), "-c", "2", "-T", "5s", "--max-error-rate", "0.5"},
                                     [&] {
                                       sleep_s(2);
                                       std::string kill = client +
                                                          " -e \"SELECT id FROM information_schema.processlist WHERE "
                                                          "user = 'dbvet'\" | while read id; do " +
                                                          client + " -e \"KILL $id\"; done";
                                       ASSERT_EQ(std::system(kill.c_str()), 0);
                                     });
  EXPECT_EQ(result.exit_code, 0) << result.err;
  auto json = parse_json(result.out);
  const auto& summary = json["dbvet"]["summary"][0];
  EXPECT_GE(summary["reconnects"].get<uint64_t>(), 1u) << result.out.substr(0, 2000);
  EXPECT_GE(summary["connection_errors"].get<uint64_t>(), 1u);
  sleep_s(0.5);
  auto left = testing::run_program({"bash", "-c",
                                    client + " -e \"SELECT count(*) FROM information_schema.processlist WHERE user "
                                             "= 'dbvet'\""});
  EXPECT_EQ(left.out, "0\n");
}

// The table-size check reads the size of `items`, which another session holds locked: the health
// run waits there, and the server is broken while it waits. Returns once the lock is granted (a fixed
// second was not always enough on a loaded machine: health then never waited and ended before the fault).
void hold_lock_in_background(const std::string& url, const std::function<bool(const std::string&)>& until_one) {
  std::string command = "psql " + quoted(url) +
                        " -qAt -c 'BEGIN; LOCK TABLE items IN ACCESS EXCLUSIVE MODE; SELECT pg_sleep(60)' "
                        ">/dev/null 2>&1 &";
  ASSERT_EQ(std::system(command.c_str()), 0);
  ASSERT_TRUE(
      until_one("SELECT count(*) FROM pg_locks WHERE relation = 'items'::regclass AND "
                "mode = 'AccessExclusiveLock' AND granted"))
      << "the lock on items was not taken";
}

// Some session (the health run) waits for a lock.
constexpr const char* kSomeoneWaitsForALock =
    "SELECT (count(*) > 0)::int FROM pg_stat_activity WHERE wait_event_type = 'Lock'";

TEST_F(Faults, HealthPostgresStoppedDuringTheRunIsDown) {
  ASSERT_NO_FATAL_FAILURE(start("pg"));
  psql("CREATE TABLE items (id int PRIMARY KEY, v int)");
  ASSERT_NO_FATAL_FAILURE(
      hold_lock_in_background(url("PG"), [this](const std::string& sql) { return psql_until_one(sql); }));
  auto [result, seconds] = run_while({"--format", "prom", "health", url("PG"), "--statement-timeout", "20"}, [&] {
    sleep_s(3);
    fault("pg-stop");
  });
  EXPECT_EQ(result.exit_code, 3) << result.err;
  EXPECT_TRUE(std::regex_search(result.out, std::regex(R"(dbvet_target_up(\{[^}]*\})? 0)"))) << result.out;
  EXPECT_LT(seconds, 15);
}

TEST_F(Faults, HealthPostgresFrozenEndsAfterTheStatementTimeout) {
  ASSERT_NO_FATAL_FAILURE(start("pg"));
  psql("CREATE TABLE items (id int PRIMARY KEY, v int)");
  ASSERT_NO_FATAL_FAILURE(
      hold_lock_in_background(url("PG"), [this](const std::string& sql) { return psql_until_one(sql); }));
  auto [result, seconds] = run_while({"--format", "prom", "health", url("PG"), "--statement-timeout", "3"}, [&] {
    EXPECT_TRUE(psql_until_one(kSomeoneWaitsForALock)) << "health never waited for the lock";
    fault("pg-freeze");
  });
  fault("pg-thaw");
  EXPECT_EQ(result.exit_code, 3) << result.err;
  EXPECT_TRUE(std::regex_search(result.out, std::regex(R"(dbvet_target_up(\{[^}]*\})? 0)"))) << result.out;
  // The statement timeout plus the 2 s client grace, not 40 s.
  EXPECT_LT(seconds, 12);
}

TEST_F(Faults, OverallTimeoutStopsAFrozenHealthCheck) {
  ASSERT_NO_FATAL_FAILURE(start("pg"));
  psql("CREATE TABLE items (id int PRIMARY KEY, v int)");
  ASSERT_NO_FATAL_FAILURE(
      hold_lock_in_background(url("PG"), [this](const std::string& sql) { return psql_until_one(sql); }));
  auto [result, seconds] =
      run_while({"--timeout", "3s", "--format", "prom", "health", url("PG"), "--statement-timeout", "60"}, [&] {
        EXPECT_TRUE(psql_until_one(kSomeoneWaitsForALock)) << "health never waited for the lock";
        fault("pg-freeze");
      });
  fault("pg-thaw");
  EXPECT_EQ(result.exit_code, 3) << result.err;
  EXPECT_NE(result.err.find("overall --timeout of 3s expired"), std::string::npos) << result.err;
  EXPECT_LT(seconds, 10);
}

}  // namespace
}  // namespace dbvet

namespace dbvet {
namespace {

// audit, capture and gen against a server that stops answering: each ends on the client-side
// timeouts with exit 3 and one message, instead of waiting for a server that never replies.
TEST_F(Faults, AuditPostgresFrozenEndsOnTheConnectTimeout) {
  ASSERT_NO_FATAL_FAILURE(start("pg"));
  psql("CREATE TABLE items (id int PRIMARY KEY, v int); INSERT INTO items SELECT g, g FROM generate_series(1, 1000) g");
  auto workload = write_script("lookup.sql", kPgWorkload);
  fault("pg-freeze");
  auto [result, seconds] = run_while({"--no-progress", "--connect-timeout", "2s", "--statement-timeout", "2s", "audit",
                                      url("PG"), "--workload", workload.string()},
                                     [] {});
  fault("pg-thaw");
  EXPECT_EQ(result.exit_code, 3) << result.err;
  EXPECT_LT(seconds, 15) << "a frozen server held the audit";
  EXPECT_EQ(count_lines(result.err), 1) << result.err;
  EXPECT_EQ(result.err.find("dbvet-pg-secret"), std::string::npos) << "the password reached the message";
}

TEST_F(Faults, AuditPostgresFrozenMidRunEndsOnTheStatementTimeout) {
  ASSERT_NO_FATAL_FAILURE(start("pg"));
  psql("CREATE TABLE items (id int PRIMARY KEY, v int); INSERT INTO items SELECT g, g FROM generate_series(1, 1000) g");
  // pg_sleep keeps the audit inside a statement when the server freezes.
  auto workload = write_script("slow.sql", "SELECT pg_sleep(1), v FROM items WHERE id = 1;\n");
  auto [result, seconds] = run_while({"--no-progress", "--statement-timeout", "3s", "audit", url("PG"), "--workload",
                                      workload.string(), "--transactions", "20"},
                                     [&] {
                                       sleep_s(2);
                                       fault("pg-freeze");
                                     });
  fault("pg-thaw");
  EXPECT_EQ(result.exit_code, 3) << result.err;
  EXPECT_LT(seconds, 20) << "a frozen server held the audit";
  EXPECT_LE(count_lines(result.err), 2) << result.err;
}

// Introspection runs several statements in one call. A server frozen during it once held the audit
// for good (under load, the freeze of the test above sometimes landed there). The introspection is
// held deterministically: pg_relation_size waits for the lock another session keeps on the table.
TEST_F(Faults, AuditPostgresFrozenDuringIntrospectionEndsOnTheStatementTimeout) {
  ASSERT_NO_FATAL_FAILURE(start("pg"));
  psql("CREATE TABLE items (id int PRIMARY KEY, v int); INSERT INTO items SELECT g, g FROM generate_series(1, 1000) g");
  const std::string locker = "psql " + testing::shell_quoted(url("PG")) +
                             " -qAt -c 'BEGIN; LOCK TABLE items IN ACCESS EXCLUSIVE MODE; SELECT pg_sleep(120)' "
                             ">/dev/null 2>&1 &";
  ASSERT_EQ(std::system(locker.c_str()), 0);
  ASSERT_TRUE(
      psql_until_one("SELECT count(*) FROM pg_locks WHERE relation = 'items'::regclass AND "
                     "mode = 'AccessExclusiveLock' AND granted"))
      << "the lock was never taken";
  auto workload = write_script("lookup.sql", "SELECT v FROM items WHERE id = 1;\n");
  auto [result, seconds] = run_while(
      {"--no-progress", "--statement-timeout", "3s", "audit", url("PG"), "--workload", workload.string(),
       "--transactions", "5"},
      [&] {
        // Waiting on the lock: introspection is under way.
        psql_until_one(
            "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'dbvet' AND wait_event_type = 'Lock'");
        fault("pg-freeze");
      });
  fault("pg-thaw");
  EXPECT_EQ(result.exit_code, 3) << result.err;
  EXPECT_LT(seconds, 20) << "a server frozen during introspection held the audit";
  EXPECT_NE(result.err.find("stopped answering"), std::string::npos) << result.err;
  EXPECT_EQ(count_lines(result.err), 1) << result.err;
}

TEST_F(Faults, CapturePostgresStoppedIsOneConnectionError) {
  ASSERT_NO_FATAL_FAILURE(start("pg"));
  fault("pg-stop");
  auto result = testing::run_dbvet({"--no-progress", "--connect-timeout", "2s", "capture", url("PG"), "--source",
                                    "pg_stat_statements", "--duration", "1"});
  EXPECT_EQ(result.exit_code, 3) << result.err;
  EXPECT_EQ(count_lines(result.err), 1) << result.err;
  EXPECT_TRUE(result.out.empty()) << result.out.substr(0, 300);
}

TEST_F(Faults, CapturePostgresFrozenEndsOnTheTimeouts) {
  ASSERT_NO_FATAL_FAILURE(start("pg"));
  fault("pg-freeze");
  auto [result, seconds] = run_while({"--no-progress", "--connect-timeout", "2s", "--timeout", "8s", "capture",
                                      url("PG"), "--source", "pg_stat_statements", "--duration", "1"},
                                     [] {});
  fault("pg-thaw");
  EXPECT_EQ(result.exit_code, 3) << result.err;
  EXPECT_LT(seconds, 15) << "a frozen server held the capture";
}

TEST_F(Faults, GenPostgresFrozenMidLoadEndsOnTheOverallTimeout) {
  ASSERT_NO_FATAL_FAILURE(start("pg"));
  auto [result, seconds] = run_while({"--no-progress", "--statement-timeout", "3s", "--timeout", "10s", "gen",
                                      "--sample", "virtualpet", "--scale", "1", url("PG")},
                                     [&] {
                                       sleep_s(1);
                                       fault("pg-freeze");
                                     });
  fault("pg-thaw");
  EXPECT_EQ(result.exit_code, 3) << result.err;
  EXPECT_LT(seconds, 20) << "a frozen server held the load";
  EXPECT_NE(result.err.find("timeout"), std::string::npos) << result.err;
}

fs::path sqlite_with_items(const std::string& name) {
  auto dir = testing::scratch_dir(name);
  auto db = dir / "items.db";
  auto made = testing::run_program({"sqlite3", db.string(),
                                    "CREATE TABLE items (id INTEGER PRIMARY KEY, v INTEGER); WITH RECURSIVE n(i) AS "
                                    "(SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 100) INSERT INTO items "
                                    "SELECT i, i FROM n;"});
  EXPECT_EQ(made.exit_code, 0) << made.err;
  return db;
}

TEST(FaultsNoServer, FailedTransactionsFailTheRunUnlessWithinMaxErrorRate) {
  auto db = sqlite_with_items("max-error-rate");
  auto dir = db.parent_path();
  std::ofstream(dir / "good.sql") << "\\set id random(1, 100)\nSELECT v FROM items WHERE id = :id;\n";
  std::ofstream(dir / "bad.sql") << "SELECT v FROM no_such_table;\n";
  std::vector<std::string> args{"--format",
                                "json",
                                "--no-progress",
                                "bench",
                                "sqlite:" + db.string(),
                                "-w",
                                (dir / "good.sql").string() + "@3",
                                "-w",
                                (dir / "bad.sql").string() + "@1",
                                "-t",
                                "200"};
  auto strict = testing::run_dbvet(args);
  EXPECT_EQ(strict.exit_code, 1) << strict.err;
  EXPECT_NE(strict.err.find("more than --max-error-rate 0; first error:"), std::string::npos) << strict.err;
  EXPECT_NE(strict.err.find("no_such_table"), std::string::npos) << strict.err;
  args.insert(args.end(), {"--max-error-rate", "0.5"});
  auto lenient = testing::run_dbvet(args);
  EXPECT_EQ(lenient.exit_code, 0) << lenient.err;
}

TEST(FaultsNoServer, OverallTimeoutStopsABenchWithItsPartialResult) {
  auto db = sqlite_with_items("overall-timeout");
  auto dir = db.parent_path();
  std::ofstream(dir / "good.sql") << "\\set id random(1, 100)\nSELECT v FROM items WHERE id = :id;\n";
  auto begun = Clock::now();
  auto result = testing::run_dbvet({"--timeout", "1500ms", "--format", "json", "--no-progress", "bench",
                                    "sqlite:" + db.string(), "-w", (dir / "good.sql").string(), "-T", "20s"});
  EXPECT_LT(std::chrono::duration<double>(Clock::now() - begun).count(), 8);
  EXPECT_EQ(result.exit_code, 3) << result.err;
  EXPECT_NE(result.err.find("the overall --timeout of 1500ms expired"), std::string::npos) << result.err;
  auto json = nlohmann::json::parse(result.out);
  EXPECT_TRUE(json["dbvet"]["interrupted"].get<bool>());
  EXPECT_EQ(json["dbvet"]["interruption"], "the overall --timeout of 1500ms expired");
  EXPECT_GT(json["dbvet"]["summary"][0]["transactions"].get<uint64_t>(), 0u);
}

TEST(FaultsNoServer, PerSecondIntervalsAddUpOverEveryClient) {
  auto db = sqlite_with_items("intervals");
  auto dir = db.parent_path();
  std::ofstream(dir / "good.sql") << "\\set id random(1, 100)\nSELECT v FROM items WHERE id = :id;\n";
  auto csv = testing::run_dbvet({"--format", "csv", "--no-progress", "bench", "sqlite:" + db.string(), "-w",
                                 (dir / "good.sql").string(), "-c", "8", "-T", "2500ms"});
  ASSERT_EQ(csv.exit_code, 0) << csv.err;
  auto json = testing::run_dbvet({"--format", "json", "--no-progress", "bench", "sqlite:" + db.string(), "-w",
                                  (dir / "good.sql").string(), "-c", "8", "-t", "500"});
  ASSERT_EQ(json.exit_code, 0) << json.err;
  // Every second of the CSV has figures, and quantiles in order.
  std::istringstream lines(csv.out);
  std::string line;
  std::getline(lines, line);
  int seconds = 0;
  while (std::getline(lines, line)) {
    std::vector<std::string> cells;
    std::istringstream row(line);
    for (std::string cell; std::getline(row, cell, ',');) cells.push_back(cell);
    ASSERT_EQ(cells.size(), 10u) << line;
    EXPECT_GT(std::stoull(cells[4]), 0u) << line;
    EXPECT_LE(std::stod(cells[6]), std::stod(cells[7]) * 1.0001) << line;
    EXPECT_LE(std::stod(cells[7]), std::stod(cells[9]) * 1.02) << line;
    ++seconds;
  }
  EXPECT_GE(seconds, 2);
  auto parsed = nlohmann::json::parse(json.out);
  EXPECT_EQ(parsed["dbvet"]["summary"][0]["transactions"].get<uint64_t>(), 4000u);
}

}  // namespace
}  // namespace dbvet
