// Index advice on a schema dbvet was never tuned on (a shop: customers, products, orders, order
// items, reviews; primary keys only, no declared foreign keys) against SQLite's own advisor,
// `.expert`: dbvet's set must leave no query reading a table whole where `.expert`'s set lets SQLite
// search it, with no more indexes. Plans, not timings: the timings are `make bench-advisor`'s.

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "nlohmann/json.hpp"
#include "tests/support/test_env.hpp"

namespace dbvet::testing {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

// Deterministic data: skewed enough that the planner's choice depends on the statistics.
constexpr const char* kShop = R"sql(
CREATE TABLE customers(id INTEGER PRIMARY KEY, email TEXT, country TEXT, created_at TEXT, name TEXT);
CREATE TABLE products(id INTEGER PRIMARY KEY, sku TEXT, category TEXT, price INTEGER, title TEXT);
CREATE TABLE orders(id INTEGER PRIMARY KEY, customer_id INTEGER, status TEXT, placed_at TEXT, total INTEGER);
CREATE TABLE order_items(id INTEGER PRIMARY KEY, order_id INTEGER, product_id INTEGER, qty INTEGER);
CREATE TABLE reviews(id INTEGER PRIMARY KEY, product_id INTEGER, customer_id INTEGER, stars INTEGER, written_at TEXT);
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 20000)
INSERT INTO customers SELECT i, 'u' || i || '@x.io',
  CASE i % 10 WHEN 0 THEN 'JP' WHEN 1 THEN 'DE' WHEN 2 THEN 'FR' WHEN 3 THEN 'BR' ELSE 'US' END,
  date('2023-01-01', '+' || (i % 900) || ' days'), 'name' || i FROM n;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 5000)
INSERT INTO products SELECT i, 'sku' || i, 'cat' || (i % 40), (i * 37) % 1000, 'title ' || i FROM n;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 100000)
INSERT INTO orders SELECT i, (i * 7919) % 20000 + 1,
  CASE WHEN i % 50 = 0 THEN 'pending' WHEN i % 50 = 1 THEN 'refunded' ELSE 'shipped' END,
  date('2025-01-01', '+' || (i % 330) || ' days'), (i * 97) % 50000 FROM n;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 250000)
INSERT INTO order_items SELECT i, (i * 31) % 100000 + 1, (i * 17) % 5000 + 1, i % 5 + 1 FROM n;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 50000)
INSERT INTO reviews SELECT i, (i * 13) % 5000 + 1, (i * 11) % 20000 + 1, i % 5 + 1,
  date('2024-01-01', '+' || (i % 600) || ' days') FROM n;
ANALYZE;
)sql";

const std::vector<std::string> kWorkload = {
    "SELECT * FROM customers WHERE email = 'u77@x.io'",
    "SELECT id, total FROM orders WHERE customer_id = 42 ORDER BY placed_at DESC LIMIT 10",
    "SELECT o.id, c.email FROM orders o JOIN customers c ON c.id = o.customer_id WHERE o.status = 'pending' AND "
    "o.placed_at > '2025-11-01'",
    "SELECT p.title, oi.qty FROM order_items oi JOIN products p ON p.id = oi.product_id WHERE oi.order_id = 777",
    "SELECT oi.qty FROM orders o JOIN order_items oi ON oi.order_id = o.id WHERE o.customer_id = 99",
    "SELECT r.stars, c.name FROM reviews r JOIN customers c ON c.id = r.customer_id WHERE r.product_id = 12 ORDER BY "
    "r.written_at DESC LIMIT 20",
    "SELECT count(*) FROM orders WHERE status = 'refunded'",
    "SELECT * FROM products WHERE category = 'cat7' ORDER BY price LIMIT 5",
    "SELECT c.id FROM customers c, orders o WHERE o.customer_id = c.id AND c.country = 'JP' AND o.total > 49000",
    "SELECT name FROM customers WHERE name LIKE 'name12%' ORDER BY name LIMIT 10",
};

CommandResult sqlite_script(const fs::path& db, const fs::path& script) {
  return run_program({"sh", "-c", "sqlite3 -bail '" + db.string() + "' < '" + script.string() + "'"});
}

// Base tables the plan reads whole: "SCAN t" rows that name no index.
int full_scans(const fs::path& db, const std::string& sql) {
  auto result = run_program({"sqlite3", db.string(), "EXPLAIN QUERY PLAN " + sql});
  EXPECT_EQ(result.exit_code, 0) << sql << "\n" << result.err;
  int scans = 0;
  std::istringstream lines(result.out);
  std::string line;
  while (std::getline(lines, line)) {
    if (line.find("SCAN ") != std::string::npos && line.find(" USING ") == std::string::npos &&
        line.find("SUBQUERY") == std::string::npos && line.find("CONSTANT") == std::string::npos) {
      ++scans;
    }
  }
  return scans;
}

TEST(AdviseHeldoutSqlite, NoQueryScansWhereExpertsIndexesLetItSearchWithNoMoreIndexes) {
  auto dir = scratch_dir("advise_heldout_sqlite");
  auto db = dir / "shop.db";
  std::ofstream(dir / "shop.sql") << kShop;
  auto loaded = sqlite_script(db, dir / "shop.sql");
  ASSERT_EQ(loaded.exit_code, 0) << loaded.err;
  {
    std::ofstream workload(dir / "shop_workload.sql");
    for (const auto& q : kWorkload) workload << q << ";\n";
  }

  auto advised = run_dbvet({"advise", "sqlite:" + db.string(), "-w", (dir / "shop_workload.sql").string(),
                            "--transactions", "20", "--format", "json"});
  ASSERT_EQ(advised.exit_code, 0) << advised.err;
  auto report = json::parse(advised.out);
  std::vector<std::string> dbvet_ddl;
  for (const auto& r : report["recommendations"]) {
    if (r["type"] == "index") dbvet_ddl.push_back(r["ddl"].get<std::string>() + ";");
  }

  std::vector<std::string> expert_ddl;
  std::set<std::string> seen;
  for (const auto& q : kWorkload) {
    auto result = run_program({"sqlite3", db.string(), ".expert", q + ";"});
    ASSERT_EQ(result.exit_code, 0) << q << "\n" << result.err;
    std::istringstream lines(result.out);
    std::string line;
    while (std::getline(lines, line)) {
      if (line.rfind("CREATE INDEX ", 0) == 0 && seen.insert(line).second) expert_ddl.push_back(line);
    }
  }
  std::string sets = "dbvet:\n";
  for (const auto& d : dbvet_ddl) sets += "  " + d + "\n";
  sets += ".expert:\n";
  for (const auto& d : expert_ddl) sets += "  " + d + "\n";
  ASSERT_FALSE(expert_ddl.empty());
  EXPECT_LE(dbvet_ddl.size(), expert_ddl.size()) << sets;

  auto apply = [&](const std::string& name, const std::vector<std::string>& ddl) {
    auto copy = dir / (name + ".db");
    fs::copy_file(db, copy, fs::copy_options::overwrite_existing);
    std::ofstream script(dir / (name + ".sql"));
    for (const auto& d : ddl) script << d << "\n";
    script << "ANALYZE;\n";
    script.close();
    auto applied = sqlite_script(copy, dir / (name + ".sql"));
    EXPECT_EQ(applied.exit_code, 0) << name << ": " << applied.err << "\n" << sets;
    return copy;
  };
  auto with_dbvet = apply("with_dbvet", dbvet_ddl);
  auto with_expert = apply("with_expert", expert_ddl);
  for (const auto& q : kWorkload) {
    EXPECT_LE(full_scans(with_dbvet, q), full_scans(with_expert, q)) << q << "\n" << sets;
  }
  fs::remove_all(dir);
}

}  // namespace
}  // namespace dbvet::testing
