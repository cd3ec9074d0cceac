#pragma once
// Small builders for rule tests: plans, schemas and queries written in a few lines.

#include <string>
#include <vector>

#include "analyzer/model/plan.hpp"
#include "analyzer/model/schema.hpp"
#include "rules/registry.hpp"

namespace dbvet::testing {

inline model::PlanNode scan_node(const std::string& operation, model::AccessType access, const std::string& relation) {
  model::PlanNode node;
  node.operation = operation;
  node.access = access;
  node.relation = relation;
  return node;
}

inline model::Plan plan_of(const std::string& engine, model::PlanNode root, bool analyzed = false) {
  model::Plan plan;
  plan.engine = engine;
  plan.analyzed = analyzed;
  plan.root = std::move(root);
  return plan;
}

inline model::Table table_of(const std::string& name, double rows) {
  model::Table table;
  table.name = name;
  table.estimated_rows = rows;
  return table;
}

inline model::Index index_of(const std::string& name, const std::string& table, std::vector<std::string> columns,
                             bool unique = false, bool primary = false) {
  model::Index index;
  index.name = name;
  index.table = table;
  index.columns = std::move(columns);
  index.unique = unique || primary;
  index.primary = primary;
  index.method = "btree";
  return index;
}

// Runs one rule by id on a context.
inline std::vector<model::Finding> run_rule(const std::string& id, const rules::RuleContext& context) {
  const rules::Rule* rule = rules::find_rule(id);
  if (!rule) {
    model::Finding missing;
    missing.rule = "missing rule " + id;
    return {missing};
  }
  return rule->check(context);
}

}  // namespace dbvet::testing
