#include "fmt/format.h"
#include "rules/plan/plan_support.hpp"
#include "rules/registry.hpp"

namespace dbvet::rules {
namespace {

using namespace plan_support;

class FullScanLargeTable final : public Rule {
 public:
  FullScanLargeTable()
      : Rule({"plan-full-scan-large-table",
              Category::plan,
              model::Severity::warning,
              "A full/sequential scan of a large table whose filter throws most rows away",
              {{"min_rows", 10000, "rows the scan reads before it counts as large"},
               {"min_removed_fraction", 0.9, "share of the rows read that the filter discards"}}}) {}

  std::vector<model::Finding> check(const RuleContext& context) const override {
    std::vector<model::Finding> out;
    if (!context.plan) return out;
    const double min_rows = threshold(context, "min_rows");
    const double min_removed = threshold(context, "min_removed_fraction");
    const auto* shape = context.shape();
    model::visit(context.plan->root, [&](const model::PlanNode& node, int) {
      if (node.access != model::AccessType::full_scan || node.relation.empty()) return;
      auto read = rows_read(context, node);
      if (!read || *read < min_rows) return;
      // The share of the rows read that the scan keeps, by the best evidence available.
      std::optional<double> kept;
      std::string source;
      if (node.actual_rows && node.rows_removed_by_filter) {
        kept = *read > 0 ? *node.actual_rows / *read : 1;
        source = "rows removed by filter";
      } else if (node.filtered_percent) {
        kept = *node.filtered_percent / 100.0;
        source = "filtered";
      } else if (node.plan_rows && !estimate_counts_rows_read(context)) {
        if (auto table = table_rows(context, node.relation); table && *table > 0) {
          kept = std::min(1.0, *node.plan_rows / *table);
          source = "estimated rows / table rows";
        }
      }
      bool filtered = !node.filter.empty();
      if (shape) {
        if (const auto* usage = shape->find_table(node.relation)) filtered = filtered || usage->filtered;
      }
      if (kept) {
        if (1.0 - *kept < min_removed) return;
      } else if (!filtered) {
        return;  // reading every row of a table nobody filters is another rule's business
      }
      std::string message = kept ? fmt::format(
                                       "{} reads {} rows and its filter discards {} of them; an index on the filtered "
                                       "columns would read only the rows it keeps",
                                       describe(node), number(*read), percent(1.0 - *kept))
                                 : fmt::format(
                                       "{} reads all {} rows of {} to apply a filter; an index on the filtered columns "
                                       "would read only the matching rows",
                                       describe(node), number(*read), node.relation);
      auto f = finding(context, node.relation, std::move(message));
      f.evidence["node"] = describe(node);
      f.evidence["rows_read"] = number(*read);
      if (kept) {
        f.evidence["removed_fraction"] = percent(1.0 - *kept);
        f.evidence["evidence_from"] = source;
      }
      if (!node.filter.empty()) f.evidence["filter"] = node.filter;
      if (auto seconds = node_seconds(node)) {
        f.evidence["time_ms"] = number(*seconds * 1000);
        if (f.cost == 0) f.cost = *seconds;
      }
      out.push_back(std::move(f));
    });
    return out;
  }
};

}  // namespace

std::unique_ptr<Rule> make_plan_full_scan_large_table() { return std::make_unique<FullScanLargeTable>(); }

}  // namespace dbvet::rules
