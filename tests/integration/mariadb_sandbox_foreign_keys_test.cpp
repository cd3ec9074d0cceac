// The MariaDB sandbox keeps the target's foreign keys (CREATE TABLE ... LIKE copies none), pointing
// at the copies: a DROP INDEX that backs a foreign key fails there as on the target (error 1553), and
// --verify withdraws it with the server's reason. Names hold a quote, a semicolon and a backtick.

#include <gtest/gtest.h>
#include <unistd.h>

#include <string>
#include <vector>

#include "analyzer/engines/sandbox.hpp"
#include "analyzer/pipeline/verify_by_applying.hpp"
#include "tests/integration/mysql_test_db.hpp"

namespace dbvet::testing {
namespace {

// Quoted by hand, the backtick doubled: independent of analyzer/sql.
std::string bq(const std::string& name) {
  std::string out = "`";
  for (char c : name) {
    if (c == '`') out += '`';
    out += c;
  }
  return out + "`";
}

const std::string kParent = "pa'r;`ent";
const std::string kChild = "ch'i;`ld";
const std::string kIndex = "ix'p;`arent";
const std::string kKey = "fk'c;`hild";

std::string scalar(engines::Connection& connection, const std::string& sql) {
  auto result = connection.execute(sql);
  EXPECT_TRUE(result) << (result ? "" : result.error().message);
  if (!result || result->rows.empty() || result->rows[0].empty() || !result->rows[0][0]) return "";
  return *result->rows[0][0];
}

TEST(MariadbSandboxForeignKeys, CopiesKeepForeignKeysSoAnIndexBackingOneCannotBeDropped) {
  MysqlTestDb database("sandbox_fk_" + std::to_string(static_cast<long>(getpid())));
  database.script("CREATE TABLE " + bq(kParent) + " (id INT PRIMARY KEY, code VARCHAR(20) NOT NULL, UNIQUE KEY " +
                  bq("uq'c;`ode") + " (code)) ENGINE=InnoDB;" + "CREATE TABLE " + bq(kChild) +
                  " (id INT PRIMARY KEY, parent_id INT NOT NULL, KEY " + bq(kIndex) + " (parent_id), CONSTRAINT " +
                  bq(kKey) + " FOREIGN KEY (parent_id) REFERENCES " + bq(kParent) +
                  " (id) ON DELETE CASCADE) ENGINE=InnoDB;" + "INSERT INTO " + bq(kParent) +
                  " VALUES (1, 'a'), (2, 'b');" + "INSERT INTO " + bq(kChild) + " VALUES (1, 1), (2, 2), (3, 1);");
  auto url = core::parse_target_url(database.url());
  ASSERT_TRUE(url);
  auto copy = engines::Sandbox::create(*url, "fktest");
  ASSERT_TRUE(copy) << copy.error().message;
  engines::ConnectOptions writable;
  writable.allow_writes = true;
  auto connected = engines::connect(copy->url(), writable);
  ASSERT_TRUE(connected) << connected.error().message;
  auto& scratch = *connected;
  auto keys = scratch->execute(
      "SELECT constraint_name, referenced_table_name, delete_rule FROM information_schema.referential_constraints "
      "WHERE constraint_schema = DATABASE()");
  ASSERT_TRUE(keys) << keys.error().message;
  ASSERT_EQ(keys->rows.size(), 1u);
  EXPECT_EQ(*keys->rows[0][0], kKey);
  EXPECT_EQ(*keys->rows[0][1], kParent);
  EXPECT_EQ(*keys->rows[0][2], "CASCADE");
  // The key points at the copy of the parent, not at the target's table.
  EXPECT_EQ(scalar(*scratch,
                   "SELECT count(*) FROM information_schema.key_column_usage WHERE table_schema = DATABASE() AND "
                   "referenced_table_schema = DATABASE()"),
            "1");
  EXPECT_EQ(scalar(*scratch,
                   "SELECT count(*) FROM information_schema.statistics WHERE table_schema = DATABASE() AND "
                   "non_unique = 0 AND index_name <> 'PRIMARY'"),
            "1");

  // --verify's step: the drop of the index that backs the key fails on the copy and is withdrawn.
  model::Recommendation drop;
  drop.type = model::RecommendationType::drop_index;
  drop.table = kChild;
  drop.details["index"] = kIndex;
  drop.ddl = "DROP INDEX " + bq(kIndex) + " ON " + bq(kChild);
  std::vector<model::Recommendation> advice{drop};
  std::vector<std::string> notes;
  pipeline::VerifyOptions options;
  options.repetitions = 1;
  auto report = pipeline::verify_by_applying(advice, {}, *scratch, options, &notes);
  ASSERT_TRUE(report) << report.error().message;
  EXPECT_TRUE(advice.empty());
  ASSERT_EQ(report->outcomes.size(), 1u);
  EXPECT_FALSE(report->outcomes[0].ddl_succeeded);
  ASSERT_EQ(notes.size(), 1u);
  EXPECT_NE(notes[0].find("the DDL failed"), std::string::npos) << notes[0];
  EXPECT_NE(notes[0].find("foreign key"), std::string::npos) << notes[0];
  EXPECT_EQ(scalar(*scratch,
                   "SELECT count(*) FROM information_schema.statistics WHERE table_schema = DATABASE() AND "
                   "index_name = " +
                       std::string("'ix''p;`arent'")),
            "1");
  scratch.reset();
  EXPECT_TRUE(copy->remove());
}

}  // namespace
}  // namespace dbvet::testing
