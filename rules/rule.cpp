#include "rules/rule.hpp"

#include <algorithm>

namespace dbvet::rules {

std::string category_name(Category category) {
  switch (category) {
    case Category::plan:
      return "plan";
    case Category::query:
      return "query";
    case Category::schema:
      return "schema";
    case Category::index:
      return "index";
    case Category::cache:
      return "cache";
    case Category::migration:
      return "migration";
  }
  return "plan";
}

std::string RuleContext::engine_name() const {
  if (plan && !plan->engine.empty()) return plan->engine;
  if (!engine.empty()) return engine;
  if (schema) return schema->engine;
  return "";
}

QueryInfo make_query_info(std::string sql, std::string query_id, std::optional<QueryStats> stats,
                          const model::Schema* schema) {
  QueryInfo info;
  info.sql = std::move(sql);
  info.query_id = std::move(query_id);
  info.stats = std::move(stats);
  if (auto shape = sql::analyze_query(info.sql, schema)) info.shape = std::move(*shape);
  return info;
}

double Rule::threshold(const RuleContext& context, std::string_view name) const {
  if (context.config) {
    auto it = context.config->find(info_.id);
    if (it != context.config->end()) {
      auto value = it->second.thresholds.find(std::string(name));
      if (value != it->second.thresholds.end()) return value->second;
    }
  }
  auto spec = std::find_if(info_.thresholds.begin(), info_.thresholds.end(),
                           [&](const ThresholdSpec& t) { return t.name == name; });
  return spec == info_.thresholds.end() ? 0 : spec->default_value;
}

model::Severity Rule::severity(const RuleContext& context) const {
  if (context.config) {
    auto it = context.config->find(info_.id);
    if (it != context.config->end() && it->second.severity) return *it->second.severity;
  }
  return info_.severity;
}

bool Rule::enabled(const RuleContext& context) const {
  if (!context.config) return true;
  auto it = context.config->find(info_.id);
  return it == context.config->end() || it->second.enabled;
}

model::Finding Rule::finding(const RuleContext& context, std::string table, std::string message) const {
  model::Finding out;
  out.rule = info_.id;
  out.severity = severity(context);
  if (context.query) out.query_id = context.query->query_id;
  out.table = std::move(table);
  out.message = std::move(message);
  if (context.query && context.query->stats) out.cost = context.query->stats->total_time_s;
  return out;
}

}  // namespace dbvet::rules
