// dbvet explain against the real MariaDB test server: the plan shape changes as indexes appear.

#include <gtest/gtest.h>

#include "nlohmann/json.hpp"
#include "tests/integration/mysql_test_db.hpp"

namespace dbvet::testing {
namespace {

class SeqRows : public engines::RowSource {
 public:
  explicit SeqRows(int count) : count_(count) {}
  bool next_batch(std::vector<std::vector<std::optional<std::string>>>& batch, size_t max_rows) override {
    while (next_ <= count_ && batch.size() < max_rows) {
      int i = next_++;
      batch.push_back({std::to_string(i), std::to_string(i % 50), std::to_string((i * 7919) % 10007),
                       i % 10 == 0 ? std::nullopt : std::optional<std::string>("name'" + std::to_string(i))});
    }
    return next_ <= count_;
  }

 private:
  int count_;
  int next_ = 1;
};

nlohmann::json explain_json(const std::string& url, const std::string& sql) {
  auto result = run_dbvet({"--format", "json", "explain", url, sql});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  auto doc = nlohmann::json::parse(result.out, nullptr, false);
  EXPECT_FALSE(doc.is_discarded()) << result.out;
  return doc.is_discarded() ? nlohmann::json::object() : doc["statements"][0]["plan"];
}

// Every node of a plan's JSON, depth first.
void walk(const nlohmann::json& node, std::vector<nlohmann::json>& out) {
  out.push_back(node);
  if (node.contains("children")) {
    for (const auto& child : node["children"]) walk(child, out);
  }
}

nlohmann::json table_node(const nlohmann::json& plan, const std::string& relation) {
  std::vector<nlohmann::json> nodes;
  walk(plan["root"], nodes);
  for (const auto& node : nodes) {
    if (node.value("relation", "") == relation) return node;
  }
  ADD_FAILURE() << "no node on " << relation << " in " << plan.dump();
  return nlohmann::json::object();
}

bool any_node(const nlohmann::json& plan, const char* flag) {
  std::vector<nlohmann::json> nodes;
  walk(plan["root"], nodes);
  for (const auto& node : nodes) {
    if (node.value(flag, false)) return true;
  }
  return false;
}

class MysqlExplain : public ::testing::Test {
 protected:
  void SetUp() override {
    // One database per test: ctest runs the tests of this fixture side by side.
    db_ = std::make_unique<MysqlTestDb>(std::string("explain_") +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    db_->script(
        "CREATE TABLE items (id INT PRIMARY KEY, grp INT NOT NULL, score INT NOT NULL, name VARCHAR(40)) "
        "ENGINE=InnoDB;"
        "CREATE TABLE groups_ (id INT PRIMARY KEY, label VARCHAR(20) NOT NULL) ENGINE=InnoDB");
    SeqRows rows(5000);
    auto loaded = db_->writer().load_rows("items", {"id", "grp", "score", "name"}, rows);
    ASSERT_TRUE(loaded.has_value()) << loaded.error().message;
    ASSERT_EQ(*loaded, 5000);
    db_->script(
        "INSERT INTO groups_ SELECT seq, CONCAT('g', seq) FROM seq_0_to_49;"
        "ANALYZE TABLE items, groups_");
  }
  std::unique_ptr<MysqlTestDb> db_;
};

TEST_F(MysqlExplain, FullScanThenIndexScanOnceIndexed) {
  auto before = explain_json(db_->url(), "SELECT * FROM items WHERE score = 42");
  EXPECT_EQ(before["engine"], "mariadb");
  EXPECT_EQ(before["format"], "mariadb-json");
  auto scan = table_node(before, "items");
  EXPECT_EQ(scan["operation"], "ALL");
  EXPECT_EQ(scan["access"], "full_scan");
  EXPECT_GT(scan.value("rows_examined", 0.0), 1000);

  db_->script("CREATE INDEX idx_score ON items (score); ANALYZE TABLE items");
  auto ref = table_node(explain_json(db_->url(), "SELECT * FROM items WHERE score = 42"), "items");
  EXPECT_EQ(ref["operation"], "ref");
  EXPECT_EQ(ref["access"], "index_scan");
  EXPECT_EQ(ref["index"], "idx_score");

  auto range = table_node(explain_json(db_->url(), "SELECT * FROM items WHERE score BETWEEN 10 AND 12"), "items");
  EXPECT_EQ(range["operation"], "range");
  EXPECT_EQ(range["index"], "idx_score");

  // The text rendering names the same things.
  auto text = run_dbvet({"explain", db_->url(), "SELECT * FROM items WHERE score = 42"});
  EXPECT_EQ(text.exit_code, 0) << text.err;
  EXPECT_NE(text.out.find("ref using idx_score on items"), std::string::npos) << text.out;
}

TEST_F(MysqlExplain, FilesortForOrderByUnindexedColumn) {
  auto plan = explain_json(db_->url(), "SELECT * FROM items ORDER BY name LIMIT 10");
  EXPECT_TRUE(any_node(plan, "uses_filesort")) << plan.dump();
  auto text = run_dbvet({"explain", db_->url(), "SELECT * FROM items ORDER BY name LIMIT 10"});
  EXPECT_NE(text.out.find("Using filesort"), std::string::npos) << text.out;
}

TEST_F(MysqlExplain, GroupByUsesTemporaryTable) {
  auto plan = explain_json(db_->url(), "SELECT name, COUNT(*) FROM items GROUP BY name");
  EXPECT_TRUE(any_node(plan, "uses_temporary")) << plan.dump();
}

TEST_F(MysqlExplain, Join) {
  auto plan = explain_json(db_->url(),
                           "SELECT g.label, i.score FROM items i JOIN groups_ g ON g.id = i.grp WHERE i.score < 100");
  // The plan names the aliases; dbvet names the tables and keeps the alias.
  auto items = table_node(plan, "items");
  auto groups = table_node(plan, "groups_");
  EXPECT_EQ(items["alias"], "i");
  EXPECT_EQ(groups["alias"], "g");
  EXPECT_EQ(items["access"], "full_scan");
  EXPECT_EQ(groups["operation"], "eq_ref");
  EXPECT_EQ(groups["access"], "lookup");
  EXPECT_EQ(groups["index"], "PRIMARY");
}

// A write is planned on a read-only session (MariaDB refused EXPLAIN UPDATE there with error 1792)
// and changes nothing.
TEST_F(MysqlExplain, ReadOnlySessionPlansWrites) {
  auto state = [&] {
    engines::ExecuteOptions keep;
    keep.keep_rows = 1;
    auto rows = db_->writer().execute(
        "SELECT CONCAT((SELECT SUM(score) FROM items), '/', (SELECT COUNT(*) FROM items), '/', "
        "(SELECT COUNT(*) FROM groups_))",
        keep);
    EXPECT_TRUE(rows.has_value()) << rows.error().message;
    return rows && !rows->rows.empty() && rows->rows[0][0] ? *rows->rows[0][0] : std::string();
  };
  const auto before = state();
  auto reader = MysqlTestDb::open(db_->url(), false);
  ASSERT_TRUE(reader);
  for (const char* write : {"UPDATE items SET score = score + 1 WHERE grp = 3", "DELETE FROM items WHERE grp = 3",
                            "INSERT INTO groups_ (id, label) VALUES (999, 'x')"}) {
    auto plan = reader->explain(write, {});
    ASSERT_TRUE(plan.has_value()) << write << ": " << plan.error().message;
    EXPECT_FALSE(plan->root.children.empty() && plan->root.relation.empty()) << write;
  }
  // The session is still read-only: a write is refused, and nothing changed.
  EXPECT_FALSE(reader->execute("DELETE FROM items WHERE grp = 3", {}).has_value());
  EXPECT_EQ(state(), before);
}

TEST_F(MysqlExplain, AnalyzeReportsActualRows) {
  auto result =
      run_dbvet({"--format", "json", "explain", "--analyze", db_->url(), "SELECT * FROM items WHERE grp = 3"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  auto plan = nlohmann::json::parse(result.out)["statements"][0]["plan"];
  EXPECT_TRUE(plan["analyzed"].get<bool>());
  auto items = table_node(plan, "items");
  EXPECT_EQ(items.value("actual_rows", 0.0), 5000);
  EXPECT_NEAR(items.value("rows_removed_by_filter", 0.0), 4900, 1);
}

}  // namespace
}  // namespace dbvet::testing
