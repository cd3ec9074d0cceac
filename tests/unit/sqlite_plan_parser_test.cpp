#include "analyzer/engines/sqlite/sqlite_plan_parser.hpp"

#include <filesystem>

#include "analyzer/sql/plan_aliases.hpp"
#include "gtest/gtest.h"
#include "tests/support/test_env.hpp"

namespace dbvet::engines::sqlite {
namespace {

using model::AccessType;
using model::PlanNode;

std::filesystem::path fixture_dir() { return testing::source_dir() / "samples/plans/sqlite"; }

model::Plan fixture(const std::string& name) {
  auto text = testing::read_file(fixture_dir() / name);
  auto plan = parse_sqlite_plan_text(text);
  if (!plan) ADD_FAILURE() << name << ": " << plan.error().message;
  return plan ? *plan : model::Plan{};
}

const PlanNode& child(const PlanNode& node, size_t i) {
  static const PlanNode empty;
  if (i >= node.children.size()) {
    ADD_FAILURE() << node.operation << " has no child " << i;
    return empty;
  }
  return node.children[i];
}

std::string shape(const PlanNode& node) {
  std::string out = node.operation + "/" + model::access_type_name(node.access) + "/" + node.relation + "/" +
                    node.index + "/" + node.index_condition + (node.temp_btree ? "/tb" : "") +
                    (node.automatic_index ? "/auto" : "") + "[";
  for (const auto& c : node.children) out += shape(c) + ",";
  return out + "]";
}

TEST(SqlitePlanParser, EveryFixtureParsesAndTreeMatchesRows) {
  int count = 0;
  for (const auto& entry : std::filesystem::directory_iterator(fixture_dir())) {
    auto name = entry.path().filename().string();
    if (name.size() < 8 || name.substr(name.size() - 8) != ".eqp.txt") continue;
    auto base = name.substr(0, name.size() - 8);
    auto tree = fixture(name);
    auto rows = fixture(base + ".rows.txt");
    EXPECT_EQ(tree.engine, "sqlite");
    EXPECT_EQ(tree.format, "sqlite-eqp");
    EXPECT_EQ(tree.root.operation, "QUERY PLAN");
    EXPECT_FALSE(tree.root.children.empty()) << name;
    EXPECT_EQ(shape(tree.root), shape(rows.root)) << name;
    ++count;
  }
  EXPECT_GE(count, 14);
  int old_count = 0;
  for (const auto& entry : std::filesystem::directory_iterator(fixture_dir())) {
    auto name = entry.path().filename().string();
    if (name.rfind("old-", 0) != 0 || !name.ends_with(".txt")) continue;  // not old-NAME.txt.findings
    auto plan = fixture(name);
    EXPECT_FALSE(plan.root.children.empty()) << name;
    model::visit(plan.root, [&](const PlanNode& node, int) {
      EXPECT_EQ(node.relation.rfind("TABLE", 0), std::string::npos) << name << ": " << node.raw;
      EXPECT_EQ(node.operation.rfind("EXECUTE", 0), std::string::npos) << name;
    });
    ++old_count;
  }
  EXPECT_GE(old_count, 9);
}

TEST(SqlitePlanParser, FullScan) {
  auto plan = fixture("scan.eqp.txt");
  const auto& scan = child(plan.root, 0);
  EXPECT_EQ(scan.operation, "SCAN");
  EXPECT_EQ(scan.access, AccessType::full_scan);
  EXPECT_EQ(scan.relation, "pets");
  EXPECT_EQ(scan.index, "");
  EXPECT_EQ(scan.raw, "SCAN pets");
}

TEST(SqlitePlanParser, SearchUsingIndexWithCondition) {
  auto plan = fixture("search_index.eqp.txt");
  const auto& search = child(plan.root, 0);
  EXPECT_EQ(search.operation, "SEARCH");
  EXPECT_EQ(search.access, AccessType::index_scan);
  EXPECT_EQ(search.relation, "pets");
  EXPECT_EQ(search.index, "pets_owner_born");
  EXPECT_EQ(search.index_condition, "owner_id=? AND born>?");
  EXPECT_EQ(search.index_columns, (std::vector<std::string>{"owner_id", "born"}));
}

TEST(SqlitePlanParser, CoveringIndexRowidAndPrimaryKey) {
  EXPECT_EQ(child(fixture("covering_index.eqp.txt").root, 0).access, AccessType::index_only_scan);
  const auto scan_index = child(fixture("scan_using_index.eqp.txt").root, 0);
  EXPECT_EQ(scan_index.access, AccessType::index_only_scan);
  EXPECT_EQ(scan_index.index, "pets_owner_born");
  const auto rowid = child(fixture("rowid_lookup.eqp.txt").root, 0);
  EXPECT_EQ(rowid.access, AccessType::lookup);
  EXPECT_EQ(rowid.index, "INTEGER PRIMARY KEY");
  EXPECT_EQ(rowid.index_columns, std::vector<std::string>{"rowid"});
  const auto pk = child(fixture("without_rowid_pk.eqp.txt").root, 0);
  EXPECT_EQ(pk.access, AccessType::lookup);
  EXPECT_EQ(pk.index, "PRIMARY KEY");
}

TEST(SqlitePlanParser, TempBtreeForOrderByGroupByDistinct) {
  auto plan = fixture("order_by_temp_btree.eqp.txt");
  ASSERT_EQ(plan.root.children.size(), 2u);
  const auto& sort = child(plan.root, 1);
  EXPECT_TRUE(sort.temp_btree);
  EXPECT_EQ(sort.operation, "USE TEMP B-TREE FOR ORDER BY");
  EXPECT_EQ(sort.extra.at("for"), "ORDER BY");
  EXPECT_EQ(sort.access, AccessType::none);
  auto group = fixture("group_distinct.eqp.txt");
  EXPECT_EQ(child(group.root, 0).access, AccessType::index_full_scan);
  EXPECT_EQ(child(group.root, 1).extra.at("for"), "DISTINCT");
}

TEST(SqlitePlanParser, JoinAndAutomaticIndex) {
  auto join = fixture("join.eqp.txt");
  ASSERT_EQ(join.root.children.size(), 2u);
  EXPECT_EQ(join.root.join_type, "Nested Loop");
  EXPECT_EQ(child(join.root, 0).access, AccessType::full_scan);
  EXPECT_EQ(child(join.root, 0).relation, "o");
  EXPECT_EQ(child(join.root, 1).access, AccessType::index_scan);
  auto automatic = fixture("join_automatic_index.eqp.txt");
  const auto& search = child(automatic.root, 1);
  EXPECT_TRUE(search.automatic_index);
  EXPECT_EQ(search.access, AccessType::index_only_scan);
  EXPECT_EQ(search.index_columns, std::vector<std::string>{"name"});
}

TEST(SqlitePlanParser, SubqueriesCompoundAndMaterialize) {
  auto sub = fixture("subqueries.eqp.txt");
  ASSERT_EQ(sub.root.children.size(), 3u);
  EXPECT_EQ(child(sub.root, 1).operation, "LIST SUBQUERY 2");
  EXPECT_EQ(child(child(sub.root, 1), 0).relation, "owners");
  EXPECT_EQ(child(sub.root, 2).operation, "CORRELATED SCALAR SUBQUERY 1");
  EXPECT_EQ(child(child(sub.root, 2), 0).access, AccessType::other);  // "SEARCH f": no index named

  auto compound = fixture("compound.eqp.txt");
  const auto& top = child(compound.root, 0);
  EXPECT_EQ(top.operation, "COMPOUND QUERY");
  ASSERT_EQ(top.children.size(), 3u);
  EXPECT_EQ(child(top, 1).operation, "UNION ALL");
  EXPECT_TRUE(child(top, 2).temp_btree);
  EXPECT_EQ(child(child(top, 2), 0).relation, "feedings");

  auto cte = fixture("cte_materialize.eqp.txt");
  EXPECT_EQ(child(cte.root, 0).operation, "MATERIALIZE hungry");
  EXPECT_TRUE(child(child(cte.root, 0), 1).temp_btree);
  auto or_plan = fixture("multi_index_or.eqp.txt");
  EXPECT_EQ(child(or_plan.root, 0).operation, "MULTI-INDEX OR");
  EXPECT_EQ(child(child(child(or_plan.root, 0), 1), 0).index, "pets_species");
}

TEST(SqlitePlanParser, OldWording) {
  auto scan = child(fixture("old-scan.txt").root, 0);
  EXPECT_EQ(scan.access, AccessType::full_scan);
  EXPECT_EQ(scan.relation, "t1");
  auto search = child(fixture("old-search-index.txt").root, 0);
  EXPECT_EQ(search.access, AccessType::index_scan);
  EXPECT_EQ(search.index, "i1");
  EXPECT_EQ(search.index_condition, "a=?");
  EXPECT_EQ(child(fixture("old-rowid.txt").root, 0).access, AccessType::lookup);
  auto join = fixture("old-join.txt");
  EXPECT_EQ(child(join.root, 0).access, AccessType::index_only_scan);
  EXPECT_EQ(child(join.root, 1).relation, "t2");
  EXPECT_TRUE(child(fixture("old-order-by.txt").root, 1).temp_btree);
}

TEST(SqlitePlanParser, OldSubqueriesHangUnderTheirReferrer) {
  auto plan = fixture("old-scalar-subqueries.txt");
  ASSERT_EQ(plan.root.children.size(), 3u);
  EXPECT_EQ(child(plan.root, 1).operation, "SCALAR SUBQUERY 1");
  EXPECT_EQ(child(child(plan.root, 1), 0).index, "i2");
  EXPECT_EQ(child(plan.root, 2).operation, "CORRELATED SCALAR SUBQUERY 2");
  EXPECT_EQ(child(child(plan.root, 2), 0).index, "i3");

  auto from = fixture("old-from-subquery.txt");
  ASSERT_EQ(from.root.children.size(), 2u);
  EXPECT_EQ(child(from.root, 0).relation, "SUBQUERY 1");
  EXPECT_EQ(child(child(from.root, 0), 0).relation, "t1");

  auto compound = fixture("old-compound.txt");
  ASSERT_EQ(compound.root.children.size(), 1u);
  EXPECT_TRUE(child(compound.root, 0).temp_btree);
  EXPECT_EQ(child(compound.root, 0).children.size(), 2u);

  auto list = fixture("old-list-subquery-automatic.txt");
  ASSERT_EQ(list.root.children.size(), 3u);
  EXPECT_EQ(child(list.root, 0).relation, "pets");
  EXPECT_EQ(child(list.root, 0).alias, "p");
  EXPECT_EQ(child(list.root, 1).operation, "LIST SUBQUERY 1");
  EXPECT_EQ(child(child(list.root, 1), 0).relation, "owners");
  EXPECT_TRUE(child(list.root, 2).automatic_index);
  EXPECT_EQ(child(list.root, 2).alias, "f");
}

TEST(SqlitePlanParser, RowsApi) {
  std::vector<EqpRow> rows{
      {2, 0, "SCAN t"}, {5, 0, "CORRELATED SCALAR SUBQUERY 1"}, {9, 5, "SEARCH u USING INDEX ux (x=?)"}};
  auto plan = parse_sqlite_query_plan(rows);
  ASSERT_TRUE(plan) << plan.error().message;
  ASSERT_EQ(plan->root.children.size(), 2u);
  EXPECT_EQ(child(child(plan->root, 1), 0).index, "ux");
  EXPECT_EQ(plan->raw, "2|0|0|SCAN t\n5|0|0|CORRELATED SCALAR SUBQUERY 1\n9|5|0|SEARCH u USING INDEX ux (x=?)\n");
}

TEST(SqlitePlanParser, UnknownWordingIsKept) {
  auto node = parse_sqlite_eqp_detail("SOMETHING NEW IN 3.99");
  EXPECT_EQ(node.operation, "SOMETHING NEW IN 3.99");
  EXPECT_EQ(node.access, AccessType::none);
  auto vt = parse_sqlite_eqp_detail("SCAN fts VIRTUAL TABLE INDEX 0:");
  EXPECT_EQ(vt.access, AccessType::other);
  EXPECT_EQ(vt.relation, "fts");
  auto constant = parse_sqlite_eqp_detail("SCAN CONSTANT ROW");
  EXPECT_EQ(constant.access, AccessType::other);
  EXPECT_EQ(constant.relation, "");
}

void expect_error(std::string_view text, const std::string& fragment) {
  auto plan = parse_sqlite_plan_text(text);
  ASSERT_FALSE(plan) << text;
  EXPECT_EQ(plan.error().kind, core::ErrorKind::input);
  EXPECT_NE(plan.error().message.find(fragment), std::string::npos) << plan.error().message;
  EXPECT_EQ(plan.error().message.find('\n'), std::string::npos);
}

TEST(SqlitePlanParser, MalformedText) {
  expect_error("", "empty input");
  expect_error("\n  \n", "empty input");
  expect_error("hello world", "line 1: expected 'QUERY PLAN'");
  expect_error("QUERY PLAN\n", "no rows");
  expect_error("QUERY PLAN\n|--SCAN t\nSCAN u\n", "line 3: expected a plan line");
  expect_error("QUERY PLAN\n`--SCAN t\n      `--SCAN u\n", "line 3: indented");
  expect_error("QUERY PLAN\n|--\n", "line 2: empty plan line");
  expect_error("0|0|SCAN TABLE t\n", "line 1: expected four");
  expect_error("0|x|0|SCAN TABLE t\n", "line 1: expected integers");
  expect_error("0|0|0|\n", "line 1: empty detail");
  expect_error("2|0|0|SCAN t\n4|3|0|SCAN u\n", "parent 3");
  expect_error("2|0|0|SCAN t\n2|0|0|SCAN u\n", "repeats id 2");
  expect_error("0|0|0|SCAN t\n1|0|0|SCAN SUBQUERY 2\n2|0|0|SCAN SUBQUERY 1\n", "cycle");
  EXPECT_FALSE(parse_sqlite_query_plan({}));
}

}  // namespace
}  // namespace dbvet::engines::sqlite

namespace dbvet::engines::sqlite {
namespace {

TEST(SqlitePlanParser, AliasesResolveToTheTablesOfTheStatement) {
  auto plan = parse_sqlite_plan_text("QUERY PLAN\n|--SCAN o\n`--SEARCH c USING INTEGER PRIMARY KEY (rowid=?)\n");
  ASSERT_TRUE(plan) << plan.error().message;
  sql::resolve_plan_aliases(*plan, "SELECT o.id, c.email FROM orders o JOIN customers c ON c.id = o.customer_id");
  ASSERT_EQ(plan->root.children.size(), 2u);
  EXPECT_EQ(plan->root.children[0].relation, "orders");
  EXPECT_EQ(plan->root.children[0].alias, "o");
  EXPECT_EQ(plan->root.children[1].relation, "customers");
  EXPECT_EQ(plan->root.children[1].alias, "c");

  // A name that is no alias, and an alias that is also a table of the statement, stay as written.
  auto other = parse_sqlite_plan_text("QUERY PLAN\n|--SCAN pets\n`--SCAN owners\n");
  ASSERT_TRUE(other) << other.error().message;
  sql::resolve_plan_aliases(*other, "SELECT * FROM pets, owners pets2, pets owners WHERE 1");
  EXPECT_EQ(other->root.children[0].relation, "pets");
  EXPECT_EQ(other->root.children[1].relation, "owners");
  EXPECT_EQ(other->root.children[1].alias, "");
}

}  // namespace
}  // namespace dbvet::engines::sqlite
