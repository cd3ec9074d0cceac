// `dbvet gen` into real PostgreSQL, MariaDB and SQLite at a small scale: the same seed gives the same
// rows and checksum twice; a target holding the sample is refused without --replace; every workload
// of the engine parses and runs a few times against the loaded sample.

#include <gtest/gtest.h>

#include <filesystem>

#include "analyzer/engines/connection.hpp"
#include "analyzer/sample/loader.hpp"
#include "analyzer/workload/runner.hpp"
#include "nlohmann/json.hpp"
#include "tests/integration/postgres_test_database.hpp"
#include "tests/support/test_env.hpp"

namespace dbvet::testing {
namespace {

namespace fs = std::filesystem;

constexpr const char* kScale = "0.01";

nlohmann::json gen_json(const std::string& target, const std::vector<std::string>& extra = {}) {
  std::vector<std::string> args = {"gen",    "--sample", "virtualpet", "--scale", kScale,
                                   "--seed", "7",        "--format",   "json",    "--no-progress"};
  args.insert(args.end(), extra.begin(), extra.end());
  args.push_back(target);
  auto result = run_dbvet(args);
  EXPECT_EQ(result.exit_code, 0) << result.err;
  if (result.exit_code != 0) return {};
  return nlohmann::json::parse(result.out);
}

std::unique_ptr<engines::Connection> open_writable(const std::string& target) {
  auto url = core::parse_target_url(target);
  EXPECT_TRUE(url);
  engines::ConnectOptions options;
  options.allow_writes = true;
  auto connection = engines::connect(*url, options);
  EXPECT_TRUE(connection) << connection.error().message;
  return connection ? std::move(*connection) : nullptr;
}

// Loads twice with the same seed, compares, counts rows in the database, checks the refusal.
void check_gen_is_deterministic(const std::string& target, size_t expected_tables) {
  auto first = gen_json(target);
  ASSERT_FALSE(first.is_null());
  EXPECT_EQ(first["kind"], "gen");
  ASSERT_EQ(first["tables"].size(), expected_tables);

  auto refused = run_dbvet({"gen", "--sample", "virtualpet", "--scale", kScale, "--no-progress", target});
  EXPECT_EQ(refused.exit_code, 2);
  EXPECT_NE(refused.err.find("already holds the sample's tables"), std::string::npos) << refused.err;
  EXPECT_NE(refused.err.find("--replace"), std::string::npos) << refused.err;

  auto second = gen_json(target, {"--replace"});
  ASSERT_FALSE(second.is_null());
  EXPECT_EQ(first["checksum"], second["checksum"]);
  EXPECT_EQ(first["tables"].size(), second["tables"].size());
  auto connection = open_writable(target);
  ASSERT_TRUE(connection);
  for (size_t i = 0; i < first["tables"].size(); ++i) {
    const auto& a = first["tables"][i];
    const auto& b = second["tables"][i];
    EXPECT_EQ(a["name"], b["name"]);
    EXPECT_EQ(a["rows"], b["rows"]);
    EXPECT_EQ(a["checksum"], b["checksum"]) << a["name"];
    auto count = connection->execute("SELECT count(*) FROM " + a["name"].get<std::string>());
    ASSERT_TRUE(count) << count.error().message;
    EXPECT_EQ(std::stoll(*count->rows.at(0).at(0)), a["rows"].get<int64_t>()) << a["name"];
  }
}

// Runs workload statements on a dbvet connection.
class ConnectionExecutor : public workload::Executor {
 public:
  explicit ConnectionExecutor(engines::Connection& connection) : connection_(connection) {}
  core::Expected<std::vector<workload::ResultRow>> run(const std::string& sql, bool want_rows) override {
    auto result = connection_.execute(sql);
    if (!result) return result.error();
    ++statements;
    std::vector<workload::ResultRow> rows;
    if (want_rows) {
      for (const auto& values : result->rows) rows.push_back({result->columns, values});
    }
    return rows;
  }
  void sleep(std::chrono::microseconds) override {}
  int statements = 0;

 private:
  engines::Connection& connection_;
};

void run_workloads(const std::string& target, const std::vector<std::string>& services) {
  auto connection = open_writable(target);
  ASSERT_TRUE(connection);
  ConnectionExecutor executor(*connection);
  int scripts = 0;
  for (const auto& service : services) {
    for (const auto& entry : fs::directory_iterator(source_dir() / "samples/virtualpet/workloads" / service)) {
      if (entry.path().extension() != ".sql") continue;
      auto script = workload::load_script(entry.path().string());
      ASSERT_TRUE(script) << script.error().message;
      workload::Session session(7, 1, workload::Value::of_double(0.01));
      for (int i = 0; i < 3; ++i) {
        auto status = session.run(*script, executor);
        ASSERT_TRUE(status) << service << "/" << status.error().message;
      }
      ++scripts;
    }
  }
  EXPECT_GT(scripts, 0);
  EXPECT_GT(executor.statements, scripts * 3);
}

TEST(SampleGen, PostgresLoadsDeterministicallyAndRunsItsWorkloads) {
  PostgresTestDatabase database;
  check_gen_is_deterministic(database.url(), 22);
  // Identity sequences follow the loaded keys: an INSERT without an id does not collide.
  database.run("INSERT INTO pets (owner_id, species_id, name, color) VALUES (1, 1, 'Newbie', 'blue')");
  EXPECT_EQ(database.scalar("SELECT count(*) FROM pg_indexes WHERE indexname = 'idx_feeding_events_pet'"), "1");
  EXPECT_EQ(database.scalar("SELECT count(*) FROM pg_constraint WHERE conname = 'fk_play_events_pet'"), "1");
  run_workloads(database.url(), {"user-service", "pet-service", "events"});
}

TEST(SampleGen, PostgresOneServiceAndUnknownService) {
  PostgresTestDatabase database;
  auto pets = gen_json(database.url(), {"--service", "pet-service"});
  ASSERT_FALSE(pets.is_null());
  EXPECT_EQ(pets["tables"].size(), 10u);
  EXPECT_EQ(database.scalar("SELECT count(*) FROM information_schema.tables WHERE table_name = 'users'"), "0");
  auto wrong = run_dbvet({"gen", "--service", "payment-service", "--scale", kScale, database.url()});
  EXPECT_EQ(wrong.exit_code, 2);
  EXPECT_NE(wrong.err.find("payment-service has no postgres schema"), std::string::npos) << wrong.err;
}

// A database of its own on the MariaDB test server.
class MysqlTestDatabase {
 public:
  MysqlTestDatabase() {
    server_ = server_url("MYSQL");
    name_ = "dbvet_it_sample_gen";
    admin("DROP DATABASE IF EXISTS " + name_);
    admin("CREATE DATABASE " + name_);
  }
  ~MysqlTestDatabase() { admin("DROP DATABASE IF EXISTS " + name_); }
  std::string url() const { return server_.substr(0, server_.rfind('/') + 1) + name_; }

 private:
  void admin(const std::string& sql) {
    auto connection = open_writable(server_);
    ASSERT_TRUE(connection);
    auto status = connection->execute_script(sql);
    ASSERT_TRUE(status) << status.error().message;
  }
  std::string server_;
  std::string name_;
};

TEST(SampleGen, MariadbLoadsDeterministicallyAndRunsItsWorkloads) {
  MysqlTestDatabase database;
  check_gen_is_deterministic(database.url(), 7);
  run_workloads(database.url(), {"payment-service"});
}

TEST(SampleGen, SqliteLoadsDeterministicallyAndRunsItsWorkloads) {
  const fs::path dir = scratch_dir("sample_gen_sqlite");
  const std::string target = "sqlite:" + (dir / "virtualpet.db").string();
  check_gen_is_deterministic(target, 29);
  run_workloads(target, {"sqlite"});
  fs::remove_all(dir);
}

TEST(SampleGen, SameSeedSameChecksumOnEveryEngine) {
  PostgresTestDatabase database;
  const fs::path dir = scratch_dir("sample_gen_engines");
  auto postgres = gen_json(database.url(), {"--service", "pet-service"});
  auto sqlite = gen_json("sqlite:" + (dir / "pets.db").string(), {"--service", "pet-service"});
  ASSERT_FALSE(postgres.is_null());
  ASSERT_FALSE(sqlite.is_null());
  EXPECT_EQ(postgres["checksum"], sqlite["checksum"]);
  fs::remove_all(dir);
}

}  // namespace
}  // namespace dbvet::testing
