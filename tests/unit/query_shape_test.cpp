#include "analyzer/sql/query_shape.hpp"

#include <gtest/gtest.h>

#include <algorithm>

#include "analyzer/model/schema.hpp"

namespace dbvet::testing {
namespace {

using sql::analyze_query;
using sql::QueryShape;
using sql::TableUsage;

using Columns = std::vector<std::string>;

const TableUsage& table(const QueryShape& shape, const std::string& name) {
  const auto* t = shape.find_table(name);
  if (!t) throw std::runtime_error("no table " + name);
  return *t;
}

TEST(QueryShape, PerPetHistoryOrderedByTime) {
  auto shape = analyze_query(
      "SELECT id, food, fed_at FROM feedings WHERE pet_id = :pet_id AND fed_at >= now() - interval '7 days' "
      "ORDER BY fed_at DESC LIMIT 20");
  ASSERT_TRUE(shape) << shape.error().message;
  EXPECT_EQ(shape->parser, "pg_query");
  EXPECT_EQ(shape->kind, sql::StatementKind::select);
  const auto& t = table(*shape, "feedings");
  EXPECT_EQ(t.equality_columns, Columns{"pet_id"});
  EXPECT_EQ(t.range_columns, Columns{"fed_at"});
  ASSERT_EQ(t.order_by.size(), 1u);
  EXPECT_EQ(t.order_by[0].column, "fed_at");
  EXPECT_TRUE(t.order_by[0].descending);
  EXPECT_EQ(t.selected_columns, (Columns{"id", "food", "fed_at"}));
  EXPECT_EQ(shape->limit, 20);
  EXPECT_FALSE(shape->select_star);
  EXPECT_TRUE(t.filtered);
}

TEST(QueryShape, JoinAliasesEqualityConstantsAndOrderByAlias) {
  auto shape = analyze_query(
      "SELECT p.name, s.name AS species, p.level AS lvl FROM pets p JOIN species s ON s.id = p.species_id "
      "WHERE p.owner_id = $1 AND p.status = 'active' ORDER BY lvl DESC, 1");
  ASSERT_TRUE(shape);
  EXPECT_TRUE(shape->has_join);
  const auto& pets = table(*shape, "pets");
  EXPECT_EQ(pets.alias, "p");
  EXPECT_EQ(pets.equality_columns, (Columns{"owner_id", "status"}));
  ASSERT_EQ(pets.constants.size(), 1u);
  EXPECT_EQ(pets.constants[0].column, "status");
  EXPECT_EQ(pets.constants[0].value, "active");
  EXPECT_EQ(pets.join_columns, Columns{"species_id"});
  EXPECT_EQ(table(*shape, "species").join_columns, Columns{"id"});
  ASSERT_EQ(pets.order_by.size(), 2u);
  EXPECT_EQ(pets.order_by[0].column, "level");
  EXPECT_EQ(pets.order_by[1].column, "name");
}

TEST(QueryShape, FunctionsCastsAndLikes) {
  auto shape = analyze_query(
      "SELECT id FROM users WHERE lower(email) = lower(?) AND created_at::date = ? AND name LIKE '%bob' "
      "AND nick ILIKE 'al%' AND code NOT LIKE 'x%'");
  ASSERT_TRUE(shape) << shape.error().message;
  const auto& u = table(*shape, "users");
  ASSERT_EQ(u.functions.size(), 2u);
  EXPECT_EQ(u.functions[0].function, "lower");
  EXPECT_EQ(u.functions[0].column, "email");
  EXPECT_EQ(u.functions[0].expression, "lower(email)");
  EXPECT_EQ(u.functions[1].function, "cast:date");
  EXPECT_TRUE(u.equality_columns.empty());
  ASSERT_EQ(u.likes.size(), 3u);
  EXPECT_TRUE(u.likes[0].leading_wildcard);
  EXPECT_EQ(u.likes[0].pattern, "%bob");
  EXPECT_TRUE(u.likes[1].prefix);
  EXPECT_TRUE(u.likes[1].case_insensitive);
  EXPECT_TRUE(u.likes[2].negated);
}

TEST(QueryShape, GroupByCountAndLeaderboardSort) {
  auto shape = analyze_query(
      "SELECT player_id, sum(points) FROM scores WHERE season = 3 GROUP BY player_id ORDER BY 2 DESC LIMIT 100");
  ASSERT_TRUE(shape);
  EXPECT_TRUE(shape->has_aggregate);
  EXPECT_TRUE(shape->has_group_by);
  EXPECT_EQ(table(*shape, "scores").group_by, Columns{"player_id"});

  auto count = analyze_query("SELECT COUNT(*) FROM pets");
  ASSERT_TRUE(count);
  EXPECT_TRUE(count->count_star_without_where);
  auto filtered = analyze_query("SELECT count(*) FROM pets WHERE owner_id = 1");
  ASSERT_TRUE(filtered);
  EXPECT_FALSE(filtered->count_star_without_where);
}

TEST(QueryShape, OffsetRandomOrAndNotIn) {
  auto shape = analyze_query("SELECT * FROM events ORDER BY id LIMIT 50 OFFSET 100000");
  ASSERT_TRUE(shape);
  EXPECT_TRUE(shape->select_star);
  EXPECT_EQ(shape->offset, 100000);
  EXPECT_EQ(table(*shape, "events").selected_columns, Columns{"*"});

  auto param = analyze_query("SELECT id FROM events ORDER BY id LIMIT :n OFFSET :off");
  ASSERT_TRUE(param);
  EXPECT_TRUE(param->offset_is_parameter);
  EXPECT_TRUE(param->limit_is_parameter);

  auto random = analyze_query("SELECT id FROM pets ORDER BY RAND() LIMIT 3");
  ASSERT_TRUE(random);
  EXPECT_TRUE(random->order_by_random);

  auto ors = analyze_query("SELECT id FROM users WHERE email = 'a' OR phone = 'b'");
  ASSERT_TRUE(ors);
  ASSERT_EQ(ors->or_across_columns.size(), 1u);
  EXPECT_EQ(ors->or_across_columns[0].columns, (Columns{"users.email", "users.phone"}));
  auto same = analyze_query("SELECT id FROM users WHERE status = 'a' OR status = 'b'");
  ASSERT_TRUE(same);
  EXPECT_TRUE(same->or_across_columns.empty());

  auto not_in = analyze_query("SELECT id FROM pets WHERE owner_id NOT IN (SELECT banned_id FROM bans)");
  ASSERT_TRUE(not_in);
  ASSERT_EQ(not_in->not_in_subqueries.size(), 1u);
  EXPECT_EQ(not_in->not_in_subqueries[0].column, "pets.owner_id");
  EXPECT_EQ(not_in->not_in_subqueries[0].subquery_table, "bans");
  EXPECT_EQ(not_in->not_in_subqueries[0].subquery_column, "banned_id");
}

TEST(QueryShape, OutboxPollPartialPredicateAndNullTest) {
  auto shape = analyze_query(
      "SELECT id, payload FROM outbox WHERE published_at IS NULL AND status = 'pending' ORDER BY created_at "
      "LIMIT 100 FOR UPDATE SKIP LOCKED");
  ASSERT_TRUE(shape);
  const auto& t = table(*shape, "outbox");
  EXPECT_EQ(t.equality_columns, (Columns{"published_at", "status"}));
  EXPECT_EQ(t.order_by[0].column, "created_at");
}

TEST(QueryShape, WritesSubqueriesAndCtes) {
  auto update = analyze_query("UPDATE pet_stats SET hunger = hunger - 1 WHERE pet_id = $1");
  ASSERT_TRUE(update);
  EXPECT_EQ(update->kind, sql::StatementKind::update);
  const auto& stats = table(*update, "pet_stats");
  EXPECT_TRUE(stats.written);
  EXPECT_EQ(stats.equality_columns, Columns{"pet_id"});

  auto insert = analyze_query("INSERT INTO feedings (pet_id, food) VALUES ($1, $2)");
  ASSERT_TRUE(insert);
  EXPECT_EQ(insert->kind, sql::StatementKind::insert);
  EXPECT_TRUE(table(*insert, "feedings").written);

  auto cte = analyze_query(
      "WITH recent AS (SELECT pet_id FROM feedings WHERE fed_at > now() - interval '1 day') "
      "SELECT p.id FROM pets p WHERE p.id IN (SELECT pet_id FROM recent) AND EXISTS "
      "(SELECT 1 FROM owners o WHERE o.id = p.owner_id AND o.country = 'FR')");
  ASSERT_TRUE(cte);
  EXPECT_EQ(table(*cte, "feedings").range_columns, Columns{"fed_at"});
  EXPECT_EQ(cte->find_table("recent"), nullptr);
  EXPECT_EQ(table(*cte, "pets").equality_columns, Columns{"id"});
  EXPECT_EQ(table(*cte, "owners").equality_columns, Columns{"country"});
  EXPECT_EQ(table(*cte, "owners").join_columns, Columns{"id"});
  EXPECT_EQ(table(*cte, "pets").join_columns, Columns{"owner_id"});
}

model::Column column(const std::string& name) {
  model::Column c;
  c.name = name;
  return c;
}

TEST(QueryShape, UnqualifiedColumnsInJoinsUseTheSchema) {
  model::Schema schema;
  model::Table orders;
  orders.name = "orders";
  for (const char* c : {"id", "user_id", "status"}) orders.columns.push_back(column(c));
  model::Table lines;
  lines.name = "order_lines";
  for (const char* c : {"id", "order_id", "sku"}) lines.columns.push_back(column(c));
  schema.tables = {orders, lines};
  const char* sql = "SELECT sku FROM orders o JOIN order_lines l ON l.order_id = o.id WHERE user_id = 7 AND status = 2";
  auto without = analyze_query(sql);
  ASSERT_TRUE(without);
  EXPECT_TRUE(table(*without, "orders").equality_columns.empty());
  EXPECT_FALSE(without->unresolved_columns.empty());
  auto with = analyze_query(sql, &schema);
  ASSERT_TRUE(with);
  EXPECT_EQ(table(*with, "orders").equality_columns, (Columns{"user_id", "status"}));
  EXPECT_EQ(table(*with, "order_lines").selected_columns, Columns{"sku"});
}

TEST(QueryShape, MysqlBackticksPlaceholdersAndLimitCommaGoThroughPgQuery) {
  auto shape = analyze_query(
      "SELECT `id`, `amount` FROM `payments` WHERE `user_id` = ? AND `status` = ? ORDER BY `created_at` DESC "
      "LIMIT 40, 20");
  ASSERT_TRUE(shape) << shape.error().message;
  EXPECT_EQ(shape->parser, "pg_query");
  const auto& t = table(*shape, "payments");
  EXPECT_EQ(t.equality_columns, (Columns{"user_id", "status"}));
  EXPECT_EQ(shape->limit, 20);
  EXPECT_EQ(shape->offset, 40);
  EXPECT_EQ(sql::normalize_for_pg_query("SELECT a FROM `t` WHERE b = ? AND c = :c AND d = :c AND e = '?'"),
            "SELECT a FROM \"t\" WHERE b = $1 AND c = $2 AND d = $2 AND e = '?'");
}

TEST(QueryShape, TokenFallbackForMysqlOnlySyntax) {
  auto shape = analyze_query(
      "SELECT SQL_NO_CACHE w.id, w.balance FROM wallets w FORCE INDEX (PRIMARY) WHERE w.user_id = 5 "
      "AND w.currency LIKE '%EU' AND DATE(w.updated_at) = '2024-01-01' ORDER BY w.updated_at DESC LIMIT 10, 5");
  ASSERT_TRUE(shape) << shape.error().message;
  EXPECT_EQ(shape->parser, "tokens");
  EXPECT_EQ(shape->kind, sql::StatementKind::select);
  const auto& t = table(*shape, "wallets");
  EXPECT_EQ(t.alias, "w");
  EXPECT_EQ(t.equality_columns, Columns{"user_id"});
  ASSERT_EQ(t.likes.size(), 1u);
  EXPECT_TRUE(t.likes[0].leading_wildcard);
  ASSERT_EQ(t.functions.size(), 1u);
  EXPECT_EQ(t.functions[0].function, "date");
  EXPECT_EQ(t.functions[0].column, "updated_at");
  ASSERT_EQ(t.order_by.size(), 1u);
  EXPECT_TRUE(t.order_by[0].descending);
  EXPECT_EQ(shape->limit, 5);
  EXPECT_EQ(shape->offset, 10);

  auto upsert = analyze_query(
      "INSERT INTO ledger (wallet_id, amount) VALUES (1, 2) ON DUPLICATE KEY UPDATE amount = amount + VALUES(amount)");
  ASSERT_TRUE(upsert);
  EXPECT_EQ(upsert->kind, sql::StatementKind::insert);
  EXPECT_TRUE(table(*upsert, "ledger").written);
}

// MySQL's INSERT/REPLACE without INTO and LOAD DATA name their table where pt-query-digest's
// Tables section finds it (conformance slow058); the word TABLE of INTO TABLE is no table.
TEST(QueryShape, TokenFallbackFindsTheTableOfInsertWithoutIntoAndLoadData) {
  for (const char* sql : {"insert `foo` values (1, 2)", "REPLACE LOW_PRIORITY foo VALUES (1)",
                          "INSERT DELAYED IGNORE foo (a) VALUES (1)"}) {
    SCOPED_TRACE(sql);
    auto shape = analyze_query(sql);
    ASSERT_TRUE(shape) << shape.error().message;
    ASSERT_EQ(shape->tables.size(), 1u);
    EXPECT_EQ(shape->tables[0].name, "foo");
    EXPECT_TRUE(shape->tables[0].written);
  }
  auto load = analyze_query("load data local infile '/tmp/x.csv' into table `foo` fields terminated by ','");
  ASSERT_TRUE(load);
  ASSERT_EQ(load->tables.size(), 1u);
  EXPECT_EQ(load->tables[0].name, "foo");
  auto qualified = analyze_query("LOAD DATA INFILE 'x' REPLACE INTO TABLE db.bar");
  ASSERT_TRUE(qualified);
  ASSERT_EQ(qualified->tables.size(), 1u);
  EXPECT_EQ(qualified->tables[0].schema, "db");
  EXPECT_EQ(qualified->tables[0].name, "bar");
}

// A derived table's inner tables are the statement's tables, as pt-query-digest's Tables section
// lists them (conformance slow004), also when MySQL names start with digits, which libpg_query
// rejects; numbers stay numbers.
TEST(QueryShape, DerivedTablesListTheirInnerTablesAndNamesMayStartWithDigits) {
  auto derived = analyze_query("select 12_13_foo from (select 12foo from 123_bar) as 123baz");
  ASSERT_TRUE(derived) << derived.error().message;
  ASSERT_EQ(derived->tables.size(), 1u);
  EXPECT_EQ(derived->tables[0].name, "123_bar");
  EXPECT_TRUE(derived->has_subquery);
  auto joined = analyze_query("SELECT * FROM (SELECT a FROM t1) AS d JOIN `2t` ON d.a = `2t`.a STRAIGHT_JOIN 3db.x");
  ASSERT_TRUE(joined) << joined.error().message;
  std::vector<std::string> names;
  for (const auto& t : joined->tables) names.push_back(t.schema.empty() ? t.name : t.schema + "." + t.name);
  EXPECT_EQ(names, (std::vector<std::string>{"t1", "2t", "3db.x"}));
  auto pg = analyze_query("SELECT n FROM (SELECT n FROM nums WHERE n > 1) AS d");
  ASSERT_TRUE(pg);
  ASSERT_EQ(pg->tables.size(), 1u);
  EXPECT_EQ(pg->tables[0].name, "nums");
  for (const char* number : {"12", "1e5", "0x1F", "0b101"}) {
    auto numeric = analyze_query(std::string("SELECT a FROM t FORCE INDEX (PRIMARY) WHERE a = ") + number);
    ASSERT_TRUE(numeric) << number;
    EXPECT_EQ(numeric->parser, "tokens");
    ASSERT_EQ(numeric->tables.size(), 1u) << number;
    ASSERT_EQ(numeric->tables[0].constants.size(), 1u) << number;
    EXPECT_EQ(numeric->tables[0].constants[0].value, number);
  }
}

TEST(QueryShape, RejectsWhatIsNotAStatement) {
  EXPECT_FALSE(analyze_query(""));
  EXPECT_FALSE(analyze_query("   -- only a comment\n"));
  auto garbage = analyze_query("hello there");
  ASSERT_FALSE(garbage);
  EXPECT_EQ(garbage.error().exit_code(), 3);
}

}  // namespace
}  // namespace dbvet::testing
