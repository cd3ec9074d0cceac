// --verify times a query that reads slower with new indexes against runs with those indexes hidden,
// alternating: on the real servers, hidden means unused by the plan (a lookup by an index turns into
// a scan, measurably slower), and shown again afterwards (the index is there, and used). Index and
// table names hold a quote, a semicolon and the engine's identifier quote.

#include <gtest/gtest.h>
#include <unistd.h>

#include <string>

#include "analyzer/engines/registry.hpp"
#include "analyzer/pipeline/verify_by_applying.hpp"
#include "tests/integration/mysql_test_db.hpp"
#include "tests/integration/postgres_test_database.hpp"

namespace dbvet::testing {
namespace {

std::unique_ptr<engines::Connection> writable(const std::string& url) {
  auto parsed = core::parse_target_url(url);
  EXPECT_TRUE(parsed) << (parsed ? "" : parsed.error().message);
  if (!parsed) return nullptr;
  engines::ConnectOptions options;
  options.allow_writes = true;
  auto connected = engines::connect(*parsed, options);
  EXPECT_TRUE(connected) << (connected ? "" : connected.error().message);
  return connected ? std::move(*connected) : nullptr;
}

// The lookup is timed with its index and with it hidden; the index is used again afterwards.
void expect_hidden_then_shown(engines::Connection& scratch, const pipeline::HiddenIndex& index,
                              const std::string& lookup) {
  pipeline::VerifyOptions options;
  options.repetitions = 3;
  auto paired = pipeline::time_with_and_without(scratch, {index}, lookup, options);
  ASSERT_TRUE(paired) << paired.error().message;
  EXPECT_GT(paired->with_ms, 0);
  // A lookup of 1 row in 100,000 against a scan of them all: far apart on any machine.
  EXPECT_GT(paired->without_ms, paired->with_ms * 3) << paired->with_ms << " ms with, " << paired->without_ms;
  auto plan = scratch.explain(lookup, {});
  ASSERT_TRUE(plan) << plan.error().message;
  bool used = false;
  model::visit(plan->root, [&](const model::PlanNode& node, int) { used |= node.index == index.index; });
  EXPECT_TRUE(used) << "the index is not used after the paired timing";
}

// 100,000 rows with an index on k, in a table and an index named with a quote, a semicolon and the
// engine's identifier quote.
const std::string kPostgresItems =
    "CREATE TABLE \"it'e;\"\"ms\" (id int PRIMARY KEY, k int NOT NULL, v text NOT NULL);"
    "INSERT INTO \"it'e;\"\"ms\" SELECT i, i, 'value-' || i FROM generate_series(1, 100000) i;"
    "CREATE INDEX \"ix'k;\"\"\" ON \"it'e;\"\"ms\" (k); ANALYZE \"it'e;\"\"ms\";";
const std::string kMariadbItems =
    "CREATE TABLE `it'e;``ms` (id INT PRIMARY KEY, k INT NOT NULL, v VARCHAR(40) NOT NULL) ENGINE=InnoDB;"
    "INSERT INTO `it'e;``ms` SELECT seq, seq, CONCAT('value-', seq) FROM seq_1_to_100000;"
    "CREATE INDEX `ix'k;``` ON `it'e;``ms` (k); ANALYZE TABLE `it'e;``ms`;";

TEST(VerifyHiding, PostgresHidesAnIndexInARolledBackTransaction) {
  PostgresTestDatabase database("dbvet_it_verify_hiding_" + std::to_string(static_cast<long>(getpid())));
  database.run(kPostgresItems);
  auto scratch = writable(database.url());
  ASSERT_TRUE(scratch);
  expect_hidden_then_shown(*scratch, {"it'e;\"ms", "ix'k;\""}, "SELECT v FROM \"it'e;\"\"ms\" WHERE k = 777");
}

TEST(VerifyHiding, MariadbHidesAnIndexAsIgnored) {
  MysqlTestDb database("verify_hiding_" + std::to_string(static_cast<long>(getpid())));
  database.script(kMariadbItems);
  auto scratch = writable(database.url());
  ASSERT_TRUE(scratch);
  expect_hidden_then_shown(*scratch, {"it'e;`ms", "ix'k;`"}, "SELECT v FROM `it'e;``ms` WHERE k = 777");
}

}  // namespace
}  // namespace dbvet::testing
