// dbvet bench and dbvet compare on the real PostgreSQL and MariaDB test servers: an index variant in
// a sandbox, a variant that drops a needed index, and sandboxes that are gone after the run and after
// an interrupt (checked in the server's catalog).
//
// Each test loads its own source database (PostgreSQL) or schema (MariaDB), named after the test
// and the process, that no other test connects to: a PostgreSQL sandbox is copied with CREATE
// DATABASE ... TEMPLATE, which fails while any other session is on the template, so a shared
// database (the one the e2e audits use) cannot serve as the source.
#include <gtest/gtest.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cctype>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <memory>
#include <thread>

#include "analyzer/core/target_url.hpp"
#include "analyzer/engines/connection.hpp"
#include "analyzer/engines/sandbox_names.hpp"
#include "nlohmann/json.hpp"
#include "tests/integration/bench_test_helpers.hpp"
#include "tests/support/test_env.hpp"

namespace dbvet::testing {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

constexpr int kRows = 40000;

std::string unique_name(const std::string& engine) {
  const auto* test = ::testing::UnitTest::GetInstance()->current_test_info();
  std::string name = "dbvet_bs_" + engine + "_" + std::to_string(getpid()) + "_";
  for (char c : std::string(test->name())) {
    if (std::isalnum(static_cast<unsigned char>(c))) name += static_cast<char>(std::tolower(c));
  }
  // A sandbox's name keeps about the last 24 bytes of it (engines/sandbox_names.hpp): the pid is among them.
  return name.substr(0, 30);
}

std::string with_database(const std::string& url, const std::string& database) {
  return url.substr(0, url.rfind('/') + 1) + database;
}

// A writable session of the test's own; empty (and the test failed) when the server refuses.
std::unique_ptr<engines::Connection> open_session(const std::string& url, std::string& error) {
  auto parsed = core::parse_target_url(url);
  if (!parsed) {
    error = parsed.error().message;
    return nullptr;
  }
  engines::ConnectOptions options;
  options.allow_writes = true;
  options.statement_timeout = std::chrono::minutes(2);
  auto connection = engines::connect(*parsed, options);
  if (!connection) {
    error = connection.error().message;
    return nullptr;
  }
  return std::move(*connection);
}

// t(id, k, v) with k taking 2000 values: a filter on k scans the whole table unless indexed.
std::string table_script(bool postgres, bool with_index) {
  std::string sql = "CREATE TABLE t (id INTEGER PRIMARY KEY, k INTEGER NOT NULL, v VARCHAR(40) NOT NULL);\n";
  if (postgres) {
    sql += "INSERT INTO t SELECT i, i % 2000, 'value-' || i FROM generate_series(1, " + std::to_string(kRows) +
           ") AS i;\n";
  } else {
    // Plain multi-row INSERTs: no recursion limits, no sequence engine needed.
    for (int from = 1; from <= kRows; from += 2000) {
      sql += "INSERT INTO t VALUES ";
      for (int i = from; i < from + 2000 && i <= kRows; ++i) {
        if (i != from) sql += ',';
        sql += "(" + std::to_string(i) + "," + std::to_string(i % 2000) + ",'value-" + std::to_string(i) + "')";
      }
      sql += ";\n";
    }
  }
  if (with_index) sql += "CREATE INDEX t_k ON t(k);\n";
  sql += postgres ? "ANALYZE t;\n" : "ANALYZE TABLE t;\n";
  return sql;
}

// The source database of one test, created and filled by the test and dropped at the end, with a
// look into the server's catalog for sandboxes left behind.
class SourceDatabase {
 public:
  SourceDatabase(std::string key, bool with_index) : key_(std::move(key)) {
    postgres_ = key_ == "PG";
    server_ = server_url(key_);
    name_ = unique_name(postgres_ ? "pg" : "my");
    admin_url_ = with_database(server_, postgres_ ? "postgres" : "information_schema");
    std::string error;
    auto admin = open_session(admin_url_, error);
    if (!admin) {
      ADD_FAILURE() << "cannot connect to the " << key_ << " test server: " << error;
      return;
    }
    if (auto dropped = drop(*admin); !dropped) {
      ADD_FAILURE() << dropped.error().message;
      return;
    }
    if (auto created = admin->execute_script("CREATE DATABASE " + name_); !created) {
      ADD_FAILURE() << "CREATE DATABASE " << name_ << ": " << created.error().message;
      return;
    }
    created_ = true;
    admin.reset();
    auto session = open_session(url(), error);
    if (!session) {
      ADD_FAILURE() << "cannot connect to " << name_ << ": " << error;
      return;
    }
    if (auto loaded = session->execute_script(table_script(postgres_, with_index)); !loaded) {
      ADD_FAILURE() << "loading " << name_ << ": " << loaded.error().message;
      return;
    }
    ready_ = true;  // the session closes here: nobody stays on the template
  }
  ~SourceDatabase() {
    if (!created_) return;
    std::string error;
    auto admin = open_session(admin_url_, error);
    if (admin) (void)drop(*admin);
  }
  SourceDatabase(const SourceDatabase&) = delete;
  SourceDatabase& operator=(const SourceDatabase&) = delete;

  bool ready() const { return ready_; }
  std::string url() const { return with_database(server_, name_); }

  // Databases (PostgreSQL) or schemas (MariaDB) named as sandboxes (engines/sandbox_names.hpp) of
  // this source: the bench's sandboxes. Their names keep the end of this source's name, which holds
  // this test's pid.
  std::vector<std::string> sandboxes() const {
    std::string error;
    auto admin = open_session(admin_url_, error);
    EXPECT_NE(admin, nullptr) << error;
    if (!admin) return {"(catalog unreadable)"};
    auto rows = admin->execute(postgres_ ? "SELECT datname FROM pg_database WHERE datname LIKE 'dbvet\\_sandbox\\_%'"
                                         : "SELECT schema_name FROM information_schema.schemata WHERE schema_name "
                                           "LIKE 'dbvet\\_sandbox\\_%'");
    EXPECT_TRUE(rows.has_value()) << (rows ? "" : rows.error().message);
    if (!rows) return {"(catalog unreadable)"};
    std::vector<std::string> names;
    for (const auto& row : rows->rows) {
      if (row.empty() || !row[0]) continue;
      auto parsed = engines::parse_sandbox_name(*row[0]);
      if (parsed && parsed->database.size() >= 15 && name_.ends_with(parsed->database)) names.push_back(*row[0]);
    }
    return names;
  }

 private:
  core::Status drop(engines::Connection& admin) const {
    for (const auto& sandbox : sandboxes()) {  // left only by a failed test
      (void)admin.execute_script(postgres_ ? "DROP DATABASE IF EXISTS \"" + sandbox + "\" WITH (FORCE)"
                                           : "DROP DATABASE IF EXISTS `" + sandbox + "`");
    }
    if (postgres_) {
      auto sandboxes = admin.execute("SELECT datname FROM pg_database WHERE datname LIKE '" + name_ + "%'");
      if (!sandboxes) return sandboxes.error();
      for (const auto& row : sandboxes->rows) {
        if (row.empty() || !row[0]) continue;
        if (auto dropped = admin.execute_script("DROP DATABASE IF EXISTS \"" + *row[0] + "\" WITH (FORCE)"); !dropped) {
          return dropped;
        }
      }
      return core::ok();
    }
    auto schemas =
        admin.execute("SELECT schema_name FROM information_schema.schemata WHERE schema_name LIKE '" + name_ + "%'");
    if (!schemas) return schemas.error();
    for (const auto& row : schemas->rows) {
      if (row.empty() || !row[0]) continue;
      if (auto dropped = admin.execute_script("DROP DATABASE IF EXISTS `" + *row[0] + "`"); !dropped) return dropped;
    }
    return core::ok();
  }

  std::string key_, server_, name_, admin_url_;
  bool postgres_ = false;
  bool created_ = false;
  bool ready_ = false;
};

class BenchServers : public ::testing::TestWithParam<std::string> {};

// An index that removes the full scan, in a sandbox of its own, against the baseline in another,
// interleaved in one run: dbvet compare RUN.json says "improved" with p < 0.05.
TEST_P(BenchServers, IndexVariantThatRemovesAFullScanIsImproved) {
  SourceDatabase source(GetParam(), false);
  ASSERT_TRUE(source.ready());
  auto dir = scratch_dir("bench-servers-improved-" + GetParam());
  auto workload = write_file(dir / "lookup.sql", kLookup);
  auto run_json = (dir / "run.json").string();
  auto run = bench({source.url(), "-w", workload.string(), "--sandbox", "--variant", "baseline", "--variant",
                    "idx=index:CREATE INDEX t_k ON t(k)", "-t", "30", "--repetitions", "8", "--format", "json", "-o",
                    run_json});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  auto doc = json::parse(read_file(run_json));
  EXPECT_EQ(doc["dbvet"]["engine"], GetParam() == "PG" ? "postgres" : "mysql");
  ASSERT_EQ(doc["dbvet"]["variants"].size(), 2u);
  EXPECT_NE(doc["dbvet"]["variants"][1]["sandbox"].get<std::string>().find("dbvet_sandbox"), std::string::npos);
  for (const auto& s : doc["dbvet"]["summary"]) {
    EXPECT_EQ(s["errors"], 0) << s.dump();
    EXPECT_EQ(s["answer"], "same") << s.dump();
  }

  auto compare = run_dbvet({"compare", run_json, "--format", "json"});
  ASSERT_EQ(compare.exit_code, 0) << compare.err << compare.out;
  auto result = json::parse(compare.out);
  bool p50_seen = false;
  for (const auto& row : result["comparisons"]) {
    EXPECT_EQ(row["name"], "lookup (baseline → idx)");
    if (row["metric"] == "p50") {
      p50_seen = true;
      EXPECT_EQ(row["verdict"], "improved") << row.dump();
      EXPECT_LT(row["p_adjusted"].get<double>(), 0.05) << row.dump();
    }
  }
  EXPECT_TRUE(p50_seen) << compare.out;
  EXPECT_TRUE(source.sandboxes().empty()) << "sandboxes left: " << source.sandboxes().front();
  fs::remove_all(dir);
}

// The source has the index the query needs; a variant drops it in its sandbox: "regressed", exit 1.
// 16 repetitions: with 8, a clean-clone `make test` beside `.ci/run` once saw p50 0.125 -> 6.07 ms at
// p = 0.042 (a few stalled baseline repetitions), above alpha 0.02, and called it inconclusive.
TEST_P(BenchServers, DroppingANeededIndexIsARegressionAndExitsOne) {
  SourceDatabase source(GetParam(), true);
  ASSERT_TRUE(source.ready());
  auto dir = scratch_dir("bench-servers-dropped-" + GetParam());
  auto workload = write_file(dir / "lookup.sql", kLookup);
  auto run_json = (dir / "run.json").string();
  std::string drop = GetParam() == "PG" ? "DROP INDEX t_k" : "DROP INDEX t_k ON t";
  auto run = bench({source.url(), "-w", workload.string(), "--sandbox", "--variant", "baseline", "--variant",
                    "noidx=index:" + drop, "-t", "30", "--repetitions", "16", "--format", "json", "-o", run_json});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  auto compare = run_dbvet({"compare", run_json, "--format", "md"});
  EXPECT_EQ(compare.exit_code, 1) << compare.out << compare.err;
  EXPECT_NE(compare.out.find("regressed"), std::string::npos) << compare.out;
  EXPECT_NE(compare.out.find("lookup (baseline → noidx)"), std::string::npos) << compare.out;
  EXPECT_EQ(compare.out.rfind("❌", 0), 0u) << compare.out;  // the verdict comes first
  EXPECT_TRUE(source.sandboxes().empty()) << "sandboxes left: " << source.sandboxes().front();
  fs::remove_all(dir);
}

// SIGINT in the middle of a measured phase: the run stops, exits 3 and the server's catalog holds
// no sandbox of it afterwards.
TEST_P(BenchServers, InterruptedRunLeavesNoSandboxInTheCatalog) {
  SourceDatabase source(GetParam(), false);
  ASSERT_TRUE(source.ready());
  auto dir = scratch_dir("bench-servers-interrupt-" + GetParam());
  auto workload = write_file(dir / "lookup.sql", kLookup);
  pid_t pid = spawn_dbvet({"bench", source.url(), "-w", workload.string(), "--sandbox", "--variant", "baseline",
                           "--variant", "idx=index:CREATE INDEX t_k ON t(k)", "--duration", "60s", "--no-progress",
                           "-o", (dir / "out.txt").string()});
  ASSERT_NE(pid, 0);
  // Both sandboxes exist once the measured phases begin.
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(40);
  while (source.sandboxes().size() < 2 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  auto present = source.sandboxes();
  EXPECT_EQ(present.size(), 2u);
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));  // inside the first 60 s phase
  kill(pid, SIGINT);
  int status = 0;
  waitpid(pid, &status, 0);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 3);
  auto left = source.sandboxes();
  EXPECT_TRUE(left.empty()) << "sandboxes left: " << left.front();
  EXPECT_NE(read_file(dir / "out.txt").find("interrupted"), std::string::npos);
  fs::remove_all(dir);
}

// A broken SLA names the query and the plan node that costs the most (here the full scan of t), in
// the error message, the JSON and JUnit.
TEST_P(BenchServers, BrokenSlaNamesTheCostliestPlanNode) {
  SourceDatabase source(GetParam(), false);
  ASSERT_TRUE(source.ready());
  auto dir = scratch_dir("bench-servers-sla-" + GetParam());
  auto workload = write_file(dir / "lookup.sql", kLookup);
  auto run = bench({source.url(), "-w", workload.string(), "-t", "20", "--sla", "lookup:p95<0.000001ms", "--sla",
                    "errors<1%", "--format", "json", "-o", (dir / "run.json").string()});
  EXPECT_EQ(run.exit_code, 1) << run.err;
  EXPECT_NE(run.err.find("SLA 'lookup:p95<0.000001ms' broken by query 'lookup' (variant baseline)"), std::string::npos)
      << run.err;
  EXPECT_NE(run.err.find("costliest plan node: "), std::string::npos) << run.err;
  auto doc = json::parse(read_file(dir / "run.json"));
  const json* broken = nullptr;
  for (const auto& sla : doc["dbvet"]["slas"]) {
    if (!sla["passed"].get<bool>()) broken = &sla;
  }
  ASSERT_NE(broken, nullptr) << doc["dbvet"]["slas"].dump();
  const auto& node = (*broken)["plan_node"];
  EXPECT_EQ(node["relation"], "t") << node.dump();
  EXPECT_EQ(node["access"], "full_scan") << node.dump();
  EXPECT_EQ(node["statement"].get<std::string>().rfind("SELECT count(*), max(v) FROM t WHERE k = ", 0), 0u)
      << node.dump();
  if (GetParam() == "PG") {
    EXPECT_EQ(node["operation"], "Seq Scan") << node.dump();
    EXPECT_GT(node["cost"].get<double>(), 0) << node.dump();
  }
  auto junit =
      bench({source.url(), "-w", workload.string(), "-t", "5", "--sla", "lookup:p95<0.000001ms", "--format", "junit"});
  EXPECT_EQ(junit.exit_code, 1);
  EXPECT_NE(junit.out.find("costliest plan node: "), std::string::npos) << junit.out;
  fs::remove_all(dir);
}

INSTANTIATE_TEST_SUITE_P(Engines, BenchServers, ::testing::Values("PG", "MYSQL"),
                         [](const ::testing::TestParamInfo<std::string>& info) {
                           return info.param == "PG" ? std::string("Postgres") : std::string("MariaDB");
                         });

}  // namespace
}  // namespace dbvet::testing
