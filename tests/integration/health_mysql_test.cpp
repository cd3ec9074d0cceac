// dbvet health on the real MariaDB server: planted problems are each reported, a clean database
// reports none of them.
#include "analyzer/health/health.hpp"
#include "tests/integration/health_test_helpers.hpp"
#include "tests/integration/mysql_test_db.hpp"

namespace dbvet {
namespace {

using testing::describe;
using testing::reported;

health::TargetHealth check(const std::string& url) {
  return health::check_target({"payments", *core::parse_target_url(url)}, {});
}

TEST(HealthMysql, PlantedProblemsAreReported) {
  testing::MysqlTestDb db("health_planted");
  db.script(
      "CREATE TABLE orders (id INT AUTO_INCREMENT PRIMARY KEY, user_id INT, status VARCHAR(20), note TEXT,"
      " KEY orders_user (user_id), KEY orders_user_status (user_id, status), KEY orders_note (note(20)));"
      "INSERT INTO orders (user_id, status) VALUES (1, 'paid'), (2, 'new');"
      "ALTER TABLE orders AUTO_INCREMENT = 2040109466;"
      "CREATE TABLE audit_log (at DATETIME, what TEXT);"
      "SELECT * FROM orders WHERE user_id = 1;");
  auto result = check(db.url());
  ASSERT_TRUE(result.up) << result.error;
  EXPECT_TRUE(reported(result, "mysql-redundant-index", "orders_user")) << describe(result);
  EXPECT_FALSE(reported(result, "mysql-redundant-index", "orders_user_status")) << describe(result);
  EXPECT_TRUE(reported(result, "mysql-no-primary-key", "audit_log")) << describe(result);
  EXPECT_TRUE(reported(result, "mysql-auto-increment-overflow", "orders.id")) << describe(result);
  EXPECT_TRUE(reported(result, "mysql-unused-index", "orders_note")) << describe(result);
  for (const auto& outcome : result.checks) {
    EXPECT_NE(outcome.status, health::CheckStatus::failed) << outcome.id << ": " << outcome.note;
  }
}

TEST(HealthMysql, CleanDatabaseReportsNoneOfThem) {
  testing::MysqlTestDb db("health_clean");
  db.script(
      "CREATE TABLE orders (id INT AUTO_INCREMENT PRIMARY KEY, user_id INT, status VARCHAR(20),"
      " KEY orders_user_status (user_id, status));"
      "INSERT INTO orders (user_id, status) VALUES (1, 'paid'), (2, 'new');");
  auto result = check(db.url());
  ASSERT_TRUE(result.up) << result.error;
  for (const char* id : {"mysql-redundant-index", "mysql-no-primary-key", "mysql-auto-increment-overflow"}) {
    EXPECT_FALSE(reported(result, id)) << id << "\n" << describe(result);
  }
}

}  // namespace
}  // namespace dbvet
