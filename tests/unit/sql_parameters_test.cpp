// A server's normalized text: which column each $n is compared with (from the parse tree), and the
// text with values put in their place (strings, comments and quoted names left alone).

#include <gtest/gtest.h>

#include "analyzer/sql/parameters.hpp"

namespace dbvet::sql {
namespace {

TEST(SqlParameters, EachPlaceholderIsMatchedWithItsColumn) {
  auto uses = parameter_uses(
      "SELECT o.id FROM orders o JOIN customers c ON c.id = o.customer_id "
      "WHERE o.status = $1 AND $2 < o.placed_at AND c.country IN ($3, $4) AND o.total BETWEEN $5 AND $6::int "
      "AND c.email LIKE $7 ORDER BY o.placed_at DESC LIMIT $8 OFFSET $9");
  ASSERT_TRUE(uses);
  std::map<int, std::string> found;
  for (const auto& use : uses->columns) found[use.number] = use.table + "." + use.column;
  EXPECT_EQ(found, (std::map<int, std::string>{{1, "orders.status"},
                                               {2, "orders.placed_at"},
                                               {3, "customers.country"},
                                               {4, "customers.country"},
                                               {5, "orders.total"},
                                               {6, "orders.total"},
                                               {7, "customers.email"}}));
  EXPECT_EQ(uses->limits, (std::vector<int>{8, 9}));
}

TEST(SqlParameters, APlaceholderComparedWithNoColumnIsNotMatched) {
  auto uses = parameter_uses("SELECT $1::int + 1 FROM t WHERE lower(name) = $2");
  ASSERT_TRUE(uses);
  EXPECT_TRUE(uses->columns.empty());
  EXPECT_FALSE(parameter_uses("SELEC nothing"));
}

TEST(SqlParameters, SubstitutesOnlyRealPlaceholders) {
  EXPECT_EQ(substitute_parameters("SELECT '$1', \"$1\" /* $1 */ FROM t WHERE a = $1 AND b > $10 AND c = $2",
                                  {{1, "'x'"}, {10, "42"}}),
            "SELECT '$1', \"$1\" /* $1 */ FROM t WHERE a = 'x' AND b > 42 AND c = $2");
}

}  // namespace
}  // namespace dbvet::sql
