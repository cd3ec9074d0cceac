#include "rules/plan/plan_support.hpp"

#include "fmt/format.h"

namespace dbvet::rules::plan_support {

std::string describe(const model::PlanNode& node) {
  std::string text = node.operation;
  if (!node.index.empty()) text += " using " + node.index;
  if (!node.relation.empty() && node.operation.find(node.relation) == std::string::npos) text += " on " + node.relation;
  return text;
}

std::optional<double> rows_out(const model::PlanNode& node) {
  if (node.actual_rows) return *node.actual_rows * node.actual_loops.value_or(1);
  return node.plan_rows;
}

bool estimate_counts_rows_read(const RuleContext& context) { return context.dialect().estimates_count_rows_read; }

std::optional<double> table_rows(const RuleContext& context, const std::string& table) {
  if (table.empty()) return std::nullopt;
  const auto* t = context.table(table);
  return t ? t->estimated_rows : std::nullopt;
}

std::optional<double> rows_read(const RuleContext& context, const model::PlanNode& node) {
  if (node.actual_rows && node.rows_removed_by_filter) return *node.actual_rows + *node.rows_removed_by_filter;
  if (node.rows_examined) return node.rows_examined;
  if (node.plan_rows && estimate_counts_rows_read(context)) return node.plan_rows;
  if (node.access == model::AccessType::full_scan) {
    if (auto rows = table_rows(context, node.relation)) return rows;
  }
  if (node.actual_rows) return node.actual_rows;
  return std::nullopt;
}

std::optional<double> node_seconds(const model::PlanNode& node) {
  if (!node.actual_total_ms) return std::nullopt;
  return *node.actual_total_ms * node.actual_loops.value_or(1) / 1000.0;
}

std::string number(double value) {
  if (value == static_cast<double>(static_cast<long long>(value)) && value < 1e15 && value > -1e15) {
    return fmt::format("{}", static_cast<long long>(value));
  }
  return fmt::format("{:.2f}", value);
}

std::string percent(double fraction) { return fmt::format("{:.1f}%", fraction * 100); }

}  // namespace dbvet::rules::plan_support
