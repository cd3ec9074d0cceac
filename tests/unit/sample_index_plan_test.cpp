#include <fstream>
#include <sstream>

#include "analyzer/sample/index_plan.hpp"
#include "gtest/gtest.h"
#include "tests/support/test_env.hpp"

namespace dbvet::sample {
namespace {

using Kind = AfterLoadStatement::Kind;

TEST(SampleIndexPlan, ClassifiesIndexesKeysAndSettings) {
  auto pk = classify_after_load("-- keys after the data\nALTER TABLE users ADD PRIMARY KEY (user_id)");
  EXPECT_EQ(pk.kind, Kind::table_index);
  EXPECT_EQ(pk.table, "users");
  auto index = classify_after_load("CREATE UNIQUE INDEX ux_users_email ON users (email)");
  EXPECT_EQ(index.kind, Kind::table_index);
  EXPECT_EQ(index.table, "users");
  EXPECT_EQ(classify_after_load("create index on only pets using btree (owner_id, created_at)").table, "pets");
  EXPECT_EQ(classify_after_load("ALTER TABLE client ADD CONSTRAINT ux UNIQUE (realm_id, client_id)").kind,
            Kind::table_index);
  EXPECT_EQ(classify_after_load("SET maintenance_work_mem = '256MB'").kind, Kind::setting);

  auto fk = classify_after_load(
      "ALTER TABLE friendships ADD CONSTRAINT fk_friendships_friend FOREIGN KEY (friend_id) REFERENCES users "
      "(user_id)");
  EXPECT_EQ(fk.kind, Kind::foreign_key);
  EXPECT_EQ(fk.table, "friendships");
  EXPECT_EQ(fk.constraint, "fk_friendships_friend");
  EXPECT_EQ(fk.parent, "users");
  EXPECT_EQ(add_not_valid(fk), fk.sql + " NOT VALID");
  EXPECT_EQ(validate_constraint(fk), "ALTER TABLE friendships VALIDATE CONSTRAINT fk_friendships_friend");
  auto already = classify_after_load("ALTER TABLE a ADD CONSTRAINT f FOREIGN KEY (x) REFERENCES b (y) NOT VALID");
  EXPECT_EQ(add_not_valid(already), already.sql);
}

TEST(SampleIndexPlan, AnythingElseWaitsForTheEnd) {
  // No name to validate by, several actions, concurrent builds, other statements: run as written.
  EXPECT_EQ(classify_after_load("ALTER TABLE a ADD FOREIGN KEY (x) REFERENCES b (y)").kind, Kind::other);
  EXPECT_EQ(classify_after_load("ALTER TABLE a ADD PRIMARY KEY (id), ADD COLUMN z int").kind, Kind::other);
  EXPECT_EQ(classify_after_load("CREATE INDEX CONCURRENTLY i ON a (x)").kind, Kind::other);
  EXPECT_EQ(classify_after_load("CLUSTER a USING i").kind, Kind::other);
  EXPECT_EQ(classify_after_load("ALTER TABLE a DROP CONSTRAINT c").kind, Kind::other);
  EXPECT_EQ(classify_after_load("CREATE TABLE indexes (on_x int)").kind, Kind::other);
}

TEST(SampleIndexPlan, EveryPostgresIndexFileStatementIsScheduled) {
  // The sample's own files: every statement is a setting, a table's index or a named foreign key,
  // so that nothing of them waits for the serial end.
  for (const char* file :
       {"user-service/postgres.indexes.sql", "pet-service/postgres.indexes.sql", "events/postgres.indexes.sql"}) {
    std::ifstream in(testing::source_dir() / "samples/virtualpet" / file);
    ASSERT_TRUE(in) << file;
    std::stringstream text;
    text << in.rdbuf();
    auto statements = after_load_statements(text.str());
    EXPECT_GT(statements.size(), 3u) << file;
    for (const auto& statement : statements) EXPECT_NE(statement.kind, Kind::other) << file << ": " << statement.sql;
  }
}

}  // namespace
}  // namespace dbvet::sample
