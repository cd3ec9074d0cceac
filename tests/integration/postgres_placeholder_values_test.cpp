// A pg_stat_statements-style text ($1 in place of each value) is planned on PostgreSQL with a
// representative value per placeholder from pg_stats: the most common value of the column it is
// compared with, else the histogram's middle bound; LIMIT $n gets 10.

#include <gtest/gtest.h>

#include "analyzer/core/target_url.hpp"
#include "analyzer/engines/connection.hpp"
#include "analyzer/pipeline/representative_values.hpp"
#include "tests/integration/postgres_test_database.hpp"

namespace dbvet::testing {
namespace {

TEST(PostgresPlaceholderValues, EachPlaceholderGetsATypicalValueOfItsColumn) {
  PostgresTestDatabase database;
  database.run(
      "CREATE TABLE orders (id int PRIMARY KEY, status text NOT NULL, total int NOT NULL);"
      "INSERT INTO orders SELECT i, CASE WHEN i % 10 = 0 THEN 'pending' ELSE 'shipped' END, i FROM "
      "generate_series(1, 5000) i;"
      "ANALYZE orders;");
  auto url = core::parse_target_url(database.url());
  ASSERT_TRUE(url);
  auto connection = engines::connect(*url, {});
  ASSERT_TRUE(connection) << connection.error().message;
  auto schema = (*connection)->introspect();
  ASSERT_TRUE(schema) << schema.error().message;

  const std::string text = "SELECT id FROM orders WHERE status = $1 AND total > $2 ORDER BY id LIMIT $3";
  auto valued = pipeline::with_representative_values(**connection, text, *schema);
  ASSERT_TRUE(valued) << valued.error().message;
  // total is unique: no most common value; the middle of its histogram (about 2500).
  const std::string prefix = "SELECT id FROM orders WHERE status = 'shipped' AND total > '";
  ASSERT_EQ(valued->sql.substr(0, prefix.size()), prefix) << valued->sql;
  auto middle = std::stoi(valued->sql.substr(prefix.size()));
  EXPECT_GT(middle, 2000);
  EXPECT_LT(middle, 3000);
  EXPECT_TRUE(valued->sql.ends_with("' ORDER BY id LIMIT 10")) << valued->sql;
  EXPECT_NE(valued->description.find("most common"), std::string::npos) << valued->description;
  // The text with values plans (and runs) on the server.
  auto plan = (*connection)->explain(valued->sql, {});
  EXPECT_TRUE(plan) << plan.error().message;

  auto unmatched = pipeline::with_representative_values(**connection, "SELECT $1::int + id FROM orders", *schema);
  ASSERT_FALSE(unmatched);
  EXPECT_NE(unmatched.error().message.find("$1"), std::string::npos) << unmatched.error().message;
}

}  // namespace
}  // namespace dbvet::testing
