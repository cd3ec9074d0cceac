#include <algorithm>

#include "fmt/format.h"
#include "rules/plan/plan_support.hpp"
#include "rules/registry.hpp"

namespace dbvet::rules {
namespace {

using namespace plan_support;

bool contains(const std::string& text, const char* word) { return text.find(word) != std::string::npos; }

// The largest table a subtree scans, by the schema statistics (SQLite plans carry no row counts).
std::optional<double> largest_scanned(const RuleContext& context, const model::PlanNode& root) {
  std::optional<double> largest;
  model::visit(root, [&](const model::PlanNode& node, int) {
    if (auto rows = table_rows(context, node.relation)) largest = std::max(largest.value_or(0), *rows);
  });
  return largest;
}

std::string order_by_table(const RuleContext& context) {
  if (const auto* shape = context.shape()) {
    for (const auto& usage : shape->tables) {
      if (!usage.order_by.empty()) return usage.name;
    }
  }
  return "";
}

class SortWithoutIndex final : public Rule {
 public:
  SortWithoutIndex()
      : Rule({"plan-sort-without-index",
              Category::plan,
              model::Severity::warning,
              "Rows are sorted at run time (Sort, filesort, temp B-tree for ORDER BY) instead of read in index order",
              {{"min_rows", 10000,
                "rows sorted (or rows of the table when the engine does not say) before it matters"}}}) {}

  std::vector<model::Finding> check(const RuleContext& context) const override {
    std::vector<model::Finding> out;
    if (!context.plan) return out;
    const double min_rows = threshold(context, "min_rows");
    const model::PlanNode* root = &context.plan->root;
    model::visit(*root, [&](const model::PlanNode& node, int) {
      bool pg_sort = node.operation == "Sort";
      bool filesort = node.uses_filesort;
      bool temp_order = node.temp_btree && contains(node.operation, "ORDER BY");
      if (!pg_sort && !filesort && !temp_order) return;
      std::optional<double> rows;
      if (pg_sort && !node.children.empty()) rows = rows_out(node.children[0]);
      if (!rows && filesort) rows = rows_read(context, node);
      if (!rows && (filesort || temp_order)) rows = largest_scanned(context, temp_order ? *root : node);
      if (rows && *rows < min_rows) return;
      std::string keys;
      for (const auto& k : node.sort_keys) {
        keys += keys.empty() ? "" : ", ";
        keys += k;
      }
      std::string what = pg_sort ? "Sort" : filesort ? "filesort" : "a temporary B-tree for ORDER BY";
      std::string message = fmt::format(
          "{} orders {} at run time{}; an index whose columns are the equality filters followed by the ORDER BY "
          "columns returns them in order (and lets LIMIT stop early)",
          what, rows ? fmt::format("{} rows", number(*rows)) : std::string("the rows"),
          keys.empty() ? std::string() : fmt::format(" by {}", keys));
      std::string table = node.relation;
      if (table.empty()) {
        model::visit(node, [&](const model::PlanNode& n, int) {
          if (table.empty() && !n.relation.empty()) table = n.relation;
        });
      }
      // SQLite's temp B-tree is a sibling of the scans, not their parent: the sorted table is the one
      // the ORDER BY names.
      if (table.empty()) table = order_by_table(context);
      auto f = finding(context, table, std::move(message));
      f.evidence["node"] = describe(node);
      if (rows) f.evidence["rows"] = number(*rows);
      if (!keys.empty()) f.evidence["sort_keys"] = keys;
      if (!node.sort_method.empty()) f.evidence["sort_method"] = node.sort_method;
      out.push_back(std::move(f));
    });
    return out;
  }
};

}  // namespace

std::unique_ptr<Rule> make_plan_sort_without_index() { return std::make_unique<SortWithoutIndex>(); }

}  // namespace dbvet::rules
