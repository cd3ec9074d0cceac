#include <functional>

#include "analyzer/engines/connection.hpp"
#include "nlohmann/json.hpp"
#include "tests/integration/postgres_test_database.hpp"

namespace dbvet {
namespace {

using model::AccessType;
using model::PlanNode;

const PlanNode* find(const PlanNode& root, const std::function<bool(const PlanNode&)>& match) {
  if (match(root)) return &root;
  for (const auto& child : root.children) {
    if (auto* found = find(child, match)) return found;
  }
  return nullptr;
}

const nlohmann::json* find_json(const nlohmann::json& node, const std::function<bool(const nlohmann::json&)>& match) {
  if (match(node)) return &node;
  if (node.contains("children")) {
    for (const auto& child : node["children"]) {
      if (auto* found = find_json(child, match)) return found;
    }
  }
  return nullptr;
}

class PostgresExplain : public ::testing::Test {
 protected:
  void SetUp() override {
    db_.run(R"(
      CREATE TABLE categories (id int PRIMARY KEY, name text NOT NULL);
      CREATE TABLE items (id int NOT NULL, category_id int NOT NULL, name text, price numeric(10, 2));
      INSERT INTO categories SELECT g, 'category ' || g FROM generate_series(1, 50) g;
      INSERT INTO items SELECT g, 1 + g % 50, 'item ' || g, (g % 977) / 7.0 FROM generate_series(1, 20000) g;
      ANALYZE categories; ANALYZE items;)");
    auto url = core::parse_target_url(db_.url());
    ASSERT_TRUE(url.has_value());
    auto connection = engines::connect(*url, engines::ConnectOptions{});
    ASSERT_TRUE(connection.has_value()) << connection.error().message;
    connection_ = std::move(*connection);
  }

  model::Plan explain(const std::string& sql, bool analyze = false) {
    engines::ExplainOptions options;
    options.analyze = analyze;
    auto plan = connection_->explain(sql, options);
    EXPECT_TRUE(plan.has_value()) << sql << ": " << (plan ? "" : plan.error().message);
    return plan ? *plan : model::Plan{};
  }

  testing::PostgresTestDatabase db_;
  std::unique_ptr<engines::Connection> connection_;
};

TEST_F(PostgresExplain, ScanWithoutIndexThenIndexScanOnceOneExists) {
  const std::string sql = "SELECT * FROM items WHERE id = 4242";
  auto before = explain(sql);
  EXPECT_EQ(before.engine, "postgres");
  EXPECT_EQ(before.engine_version.rfind("15", 0), 0u) << before.engine_version;
  auto* scan = find(before.root, [](const PlanNode& n) { return n.relation == "items"; });
  ASSERT_NE(scan, nullptr);
  EXPECT_EQ(scan->access, AccessType::full_scan);
  EXPECT_EQ(scan->filter, "(id = 4242)");

  db_.run("CREATE UNIQUE INDEX items_id_idx ON items (id); ANALYZE items");
  auto after = explain(sql);
  EXPECT_EQ(after.root.access, AccessType::index_scan);
  EXPECT_EQ(after.root.operation, "Index Scan");
  EXPECT_EQ(after.root.index, "items_id_idx");
  EXPECT_EQ(after.root.index_condition, "(id = 4242)");
}

TEST_F(PostgresExplain, SortAndJoin) {
  auto sorted = explain("SELECT name, price FROM items ORDER BY price DESC");
  auto* sort = find(sorted.root, [](const PlanNode& n) { return n.operation == "Sort"; });
  ASSERT_NE(sort, nullptr);
  EXPECT_EQ(sort->sort_keys, std::vector<std::string>{"price DESC"});

  auto joined =
      explain("SELECT c.name, count(*) FROM items i JOIN categories c ON c.id = i.category_id GROUP BY c.name");
  auto* join = find(joined.root, [](const PlanNode& n) { return !n.join_type.empty(); });
  ASSERT_NE(join, nullptr);
  EXPECT_EQ(join->join_type, "Inner");
  EXPECT_NE(find(*join, [](const PlanNode& n) { return n.relation == "items" && n.alias == "i"; }), nullptr);
  EXPECT_NE(find(*join, [](const PlanNode& n) { return n.relation == "categories"; }), nullptr);
}

TEST_F(PostgresExplain, AnalyzeReportsActualRowsAndBuffers) {
  auto plan = explain("SELECT * FROM items WHERE category_id = 3", true);
  EXPECT_TRUE(plan.analyzed);
  ASSERT_TRUE(plan.execution_ms.has_value());
  auto* scan = find(plan.root, [](const PlanNode& n) { return n.relation == "items"; });
  ASSERT_NE(scan, nullptr);
  EXPECT_DOUBLE_EQ(*scan->actual_rows * *scan->actual_loops, 400.0);
  EXPECT_DOUBLE_EQ(*scan->rows_removed_by_filter * *scan->actual_loops, 19600.0);
  EXPECT_TRUE(scan->shared_hit_blocks.has_value());
}

TEST_F(PostgresExplain, DbvetBinaryTextAndJson) {
  auto text = testing::run_dbvet({"explain", db_.url(), "SELECT * FROM items WHERE id = 4242"});
  ASSERT_EQ(text.exit_code, 0) << text.err;
  EXPECT_NE(text.out.find("Seq Scan on items"), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("Filter: (id = 4242)"), std::string::npos) << text.out;

  db_.run("CREATE INDEX items_id_idx ON items (id); ANALYZE items");
  auto json_run = testing::run_dbvet({"explain", db_.url(), "SELECT * FROM items WHERE id = 4242", "--format", "json"});
  ASSERT_EQ(json_run.exit_code, 0) << json_run.err;
  auto doc = nlohmann::json::parse(json_run.out);
  EXPECT_EQ(doc["kind"], "explain");
  EXPECT_EQ(doc["target"]["engine"], "postgres");
  EXPECT_EQ(doc["target"]["url"].get<std::string>().find(db_.password()), std::string::npos);
  const auto& root = doc["statements"][0]["plan"]["root"];
  EXPECT_EQ(root["access"], "index_scan");
  EXPECT_EQ(root["index"], "items_id_idx");

  auto sort_join = testing::run_dbvet(
      {"explain", db_.url(), "SELECT i.name FROM items i JOIN categories c ON c.id = i.category_id ORDER BY i.name",
       "--format", "json"});
  ASSERT_EQ(sort_join.exit_code, 0) << sort_join.err;
  auto plan = nlohmann::json::parse(sort_join.out)["statements"][0]["plan"]["root"];
  EXPECT_NE(find_json(plan, [](const nlohmann::json& n) { return n["operation"] == "Sort"; }), nullptr);
  EXPECT_NE(find_json(plan, [](const nlohmann::json& n) { return n.contains("join_type"); }), nullptr);

  auto sort_text = testing::run_dbvet({"explain", db_.url(), "SELECT * FROM items ORDER BY name"});
  ASSERT_EQ(sort_text.exit_code, 0) << sort_text.err;
  EXPECT_NE(sort_text.out.find("Sort Key: name"), std::string::npos) << sort_text.out;
}

}  // namespace
}  // namespace dbvet
