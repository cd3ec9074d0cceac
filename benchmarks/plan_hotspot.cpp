#include "benchmarks/plan_hotspot.hpp"

#include <algorithm>

#include "fmt/format.h"

namespace dbvet::bench {
namespace {

std::optional<double> own_cost(const model::PlanNode& node) {
  if (!node.total_cost) return std::nullopt;
  double children = 0;
  for (const auto& child : node.children) children += child.total_cost.value_or(0);
  return std::max(0.0, *node.total_cost - children);
}

int access_rank(const model::PlanNode& node) {
  if (node.access == model::AccessType::full_scan) return 3;
  if (node.temp_btree || node.automatic_index || node.uses_filesort || node.uses_temporary) return 2;
  if (node.access != model::AccessType::none) return 1;
  return 0;
}

}  // namespace

void find_plan_hotspot(const model::Plan& plan, PlanHotspot& hotspot) {
  bool any_cost = false;
  model::visit(plan.root, [&](const model::PlanNode& node, int) { any_cost = any_cost || node.total_cost; });
  const model::PlanNode* best = nullptr;
  double best_score = -1;
  double best_rows = -1;
  model::visit(plan.root, [&](const model::PlanNode& node, int) {
    if (node.operation.empty() && node.relation.empty()) return;
    double score = any_cost ? own_cost(node).value_or(-1) : access_rank(node);
    double rows = node.rows_examined.value_or(node.plan_rows.value_or(0));
    if (score > best_score || (score == best_score && rows > best_rows)) {
      best = &node;
      best_score = score;
      best_rows = rows;
    }
  });
  if (!best) best = &plan.root;
  hotspot.operation = best->operation;
  hotspot.relation = best->relation;
  hotspot.index = best->index;
  hotspot.access = model::access_type_name(best->access);
  hotspot.cost = any_cost ? own_cost(*best) : std::nullopt;
}

std::string PlanHotspot::describe() const {
  if (!error.empty()) return fmt::format("plan unavailable: {}", error);
  if (operation.empty() && relation.empty()) return "";
  std::string out = operation.empty() ? "node" : operation;
  if (!relation.empty()) out += " on " + relation;
  if (!index.empty()) out += " using " + index;
  std::vector<std::string> notes;
  if (access != "none" && !access.empty()) notes.push_back(access);
  if (cost) notes.push_back(fmt::format("own cost {:.1f}", *cost));
  for (size_t i = 0; i < notes.size(); ++i) out += (i == 0 ? " (" : ", ") + notes[i];
  if (!notes.empty()) out += ")";
  return out;
}

}  // namespace dbvet::bench
