// The advisor's reading of statements and the index candidates it derives from them.

#include <gtest/gtest.h>

#include "analyzer/advisor/index_advisor.hpp"
#include "analyzer/advisor/shape.hpp"

namespace dbvet::advisor {
namespace {

model::Column column(const char* name, const char* type) {
  model::Column c;
  c.name = name;
  c.type = type;
  return c;
}

model::Schema pets_schema() {
  model::Schema schema;
  model::Table events;
  events.name = "feeding_events";
  events.estimated_rows = 10000;
  for (const char* c : {"event_id", "pet_id", "item_id", "amount", "fed_at"})
    events.columns.push_back(column(c, "INTEGER"));
  events.columns[1].distinct_values = 600;
  events.columns[2].distinct_values = 200;
  model::Table users;
  users.name = "users";
  for (const char* c : {"user_id", "email", "status"}) users.columns.push_back(column(c, "TEXT"));
  model::Table outbox;
  outbox.name = "outbox";
  for (const char* c : {"id", "created_at", "published_at"}) outbox.columns.push_back(column(c, "TEXT"));
  schema.tables = {events, users, outbox};
  return schema;
}

ClassWork work_for(const std::string& sql, const model::Schema& schema) {
  ClassWork w;
  w.id = "q";
  w.sql = sql;
  w.calls = 1;
  w.shape = query_shape(sql, schema);
  return w;
}

bool has(const std::vector<model::IndexCandidate>& cs, const std::vector<std::string>& columns,
         const std::string& where = "") {
  for (const auto& c : cs) {
    if (c.columns == columns && c.where == where) return true;
  }
  return false;
}

TEST(AdvisorShape, ReadsEqualitiesSortsAndLimits) {
  auto schema = pets_schema();
  auto shape = query_shape(
      "SELECT event_id FROM feeding_events WHERE item_id = 3 AND pet_id = 7 ORDER BY fed_at DESC LIMIT 20 OFFSET 400",
      schema);
  ASSERT_TRUE(shape.parsed);
  EXPECT_EQ(shape.command, "select");
  ASSERT_EQ(shape.uses.size(), 3u);
  EXPECT_EQ(shape.uses[2].kind, UseKind::order_by);
  EXPECT_TRUE(shape.uses[2].descending);
  EXPECT_EQ(shape.limit.value_or(-1), 20);
  EXPECT_EQ(shape.offset.value_or(-1), 400);
}

TEST(AdvisorShape, FunctionsLikeAndCount) {
  auto schema = pets_schema();
  auto login = query_shape("SELECT user_id FROM users WHERE lower(email) = lower('A@b.c')", schema);
  ASSERT_EQ(login.uses.size(), 1u);
  EXPECT_TRUE(login.uses[0].function);
  EXPECT_EQ(login.uses[0].column, "lower(email)");
  auto like = query_shape("SELECT * FROM users WHERE email LIKE '%x%'", schema);
  ASSERT_EQ(like.uses.size(), 1u);
  EXPECT_EQ(like.uses[0].kind, UseKind::like_leading);
  EXPECT_TRUE(like.select_star);
  auto count = query_shape("SELECT count(*) FROM feeding_events", schema);
  EXPECT_TRUE(count.aggregate_count);
  EXPECT_FALSE(count.has_where);
  EXPECT_FALSE(query_shape("SELEC nonsense", schema).parsed);
}

TEST(AdvisorCandidates, EqualitiesBySelectivityThenSort) {
  auto schema = pets_schema();
  auto w =
      work_for("SELECT event_id FROM feeding_events WHERE item_id = 3 AND pet_id = 7 ORDER BY fed_at DESC", schema);
  auto cs = index_candidates(w, schema, "sqlite");
  EXPECT_TRUE(has(cs, {"pet_id", "item_id"}));  // pet_id has more distinct values
  EXPECT_TRUE(has(cs, {"pet_id", "item_id", "fed_at"}));
  EXPECT_FALSE(has(cs, {"item_id", "pet_id"}));
}

TEST(AdvisorCandidates, PartialExpressionAndPrefix) {
  auto schema = pets_schema();
  auto outbox = index_candidates(
      work_for("SELECT id FROM outbox WHERE published_at IS NULL ORDER BY created_at LIMIT 100", schema), schema,
      "sqlite");
  EXPECT_TRUE(has(outbox, {"created_at"}, "published_at IS NULL"));
  auto login =
      index_candidates(work_for("SELECT user_id FROM users WHERE lower(email) = 'a'", schema), schema, "postgres");
  EXPECT_TRUE(has(login, {"lower(email)"}));
  auto prefix =
      index_candidates(work_for("SELECT user_id FROM users WHERE email LIKE 'ab%'", schema), schema, "postgres");
  ASSERT_TRUE(has(prefix, {"email"}));
  EXPECT_EQ(prefix[0].opclass, "text_pattern_ops");
}

TEST(AdvisorDdl, PerEngine) {
  model::IndexCandidate c;
  c.table = "outbox";
  c.columns = {"created_at"};
  c.where = "published_at IS NULL";
  EXPECT_EQ(index_ddl(c, "sqlite"),
            "CREATE INDEX dbvet_outbox_createdat_partial ON outbox (created_at) WHERE published_at IS NULL");
  EXPECT_EQ(
      index_ddl(c, "postgres"),
      "CREATE INDEX CONCURRENTLY dbvet_outbox_createdat_partial ON outbox (created_at) WHERE published_at IS NULL");
  c.where.clear();
  EXPECT_EQ(index_ddl(c, "mariadb"),
            "ALTER TABLE outbox ADD INDEX dbvet_outbox_createdat (created_at), ALGORITHM=INPLACE, LOCK=NONE");
  model::Index existing;
  existing.table = "outbox";
  existing.columns = {"created_at", "id"};
  EXPECT_TRUE(index_covers(existing, c));
  existing.columns = {"id", "created_at"};
  EXPECT_FALSE(index_covers(existing, c));
}

TEST(AdvisorDdl, PostgresExpressionsOpclassIncludeAndMethod) {
  model::IndexCandidate c;
  c.table = "users";
  c.columns = {"lower(email)", "status"};
  c.opclass = "text_pattern_ops";
  c.include = {"user_id", "display_name"};
  c.where = "deleted_at IS NULL";
  EXPECT_EQ(index_ddl(c, "postgres"),
            "CREATE INDEX CONCURRENTLY dbvet_users_loweremail_status_partial ON users ((lower(email)) "
            "text_pattern_ops, status) INCLUDE (user_id, display_name) WHERE deleted_at IS NULL");
  // HypoPG takes the same statement unnamed and without CONCURRENTLY.
  EXPECT_EQ(model::postgres_create_index(c, "", false),
            "CREATE INDEX ON users ((lower(email)) text_pattern_ops, status) INCLUDE (user_id, display_name) WHERE "
            "deleted_at IS NULL");
  c.method = "hash";
  c.columns = {"token"};
  c.opclass.clear();
  c.include.clear();
  c.where.clear();
  EXPECT_EQ(model::postgres_create_index(c, "", false), "CREATE INDEX ON users USING hash (token)");
}

TEST(AdvisorDdl, MariadbOnlineAlterWithFunctionalKey) {
  model::IndexCandidate c;
  c.table = "payments";
  c.columns = {"user_id", "status"};
  EXPECT_EQ(index_ddl(c, "mysql"),
            "ALTER TABLE payments ADD INDEX dbvet_payments_userid_status (user_id, status), ALGORITHM=INPLACE, "
            "LOCK=NONE");
  c.columns = {"lower(email)"};
  c.unique = true;
  EXPECT_EQ(model::mysql_add_index(c),
            "ALTER TABLE payments ADD UNIQUE INDEX dbvet_payments_loweremail ((lower(email)))");
}

}  // namespace
}  // namespace dbvet::advisor
