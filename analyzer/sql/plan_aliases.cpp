#include "analyzer/sql/plan_aliases.hpp"

#include <cctype>
#include <map>
#include <set>

#include "analyzer/sql/query_shape.hpp"

namespace dbvet::sql {
namespace {

std::string folded(std::string text) {
  for (auto& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

void resolve_node(model::PlanNode& node, const std::map<std::string, std::string>& tables) {
  if (!node.relation.empty() && node.alias.empty()) {
    if (auto it = tables.find(folded(node.relation)); it != tables.end()) {
      node.alias = node.relation;
      node.relation = it->second;
    }
  }
  for (auto& child : node.children) resolve_node(child, tables);
}

}  // namespace

void resolve_plan_aliases(model::Plan& plan, const std::string& statement) {
  auto shape = analyze_query(statement);
  if (!shape) return;
  std::map<std::string, std::string> tables;  // alias (folded) -> table
  std::set<std::string> names;
  for (const auto& usage : shape->tables) names.insert(folded(usage.name));
  for (const auto& usage : shape->tables) {
    auto alias = folded(usage.alias);
    if (alias.empty() || alias == folded(usage.name) || names.count(alias)) continue;
    auto [it, inserted] = tables.emplace(alias, usage.name);
    if (!inserted && folded(it->second) != folded(usage.name)) it->second.clear();  // one alias, two tables
  }
  std::erase_if(tables, [](const auto& entry) { return entry.second.empty(); });
  resolve_node(plan.root, tables);
}

}  // namespace dbvet::sql
