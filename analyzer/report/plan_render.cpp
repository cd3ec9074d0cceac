#include "analyzer/report/plan_render.hpp"

#include "fmt/format.h"
#include "nlohmann/json.hpp"

namespace dbvet::report {
namespace {

template <class T>
void put(nlohmann::json& out, const char* key, const std::optional<T>& value) {
  if (value) out[key] = *value;
}

void put(nlohmann::json& out, const char* key, const std::string& value) {
  if (!value.empty()) out[key] = value;
}

std::string number(double value) {
  if (value == static_cast<double>(static_cast<long long>(value)) && value < 1e15 && value > -1e15) {
    return fmt::format("{}", static_cast<long long>(value));
  }
  return fmt::format("{:.2f}", value);
}

std::string paint(const std::string& text, const char* code, bool color) {
  return color ? fmt::format("\033[{}m{}\033[0m", code, text) : text;
}

void render_node(const model::PlanNode& node, int depth, const PlanTextOptions& options, std::string& out) {
  std::string indent = depth == 0 ? "" : std::string(static_cast<size_t>(depth - 1) * 6 + 2, ' ') + "->  ";
  std::string detail_indent = std::string(depth == 0 ? 2 : static_cast<size_t>(depth - 1) * 6 + 8, ' ');
  bool full_scan = node.access == model::AccessType::full_scan;
  std::string head = paint(node.operation, full_scan ? "1;31" : "1", options.color);
  if (!node.index.empty()) head += fmt::format(" using {}", paint(node.index, "36", options.color));
  if (!node.relation.empty()) {
    head += fmt::format(" on {}", node.relation);
    if (!node.alias.empty() && node.alias != node.relation) head += " " + node.alias;
  }
  std::vector<std::string> numbers;
  if (node.startup_cost || node.total_cost) {
    numbers.push_back(fmt::format("cost={}..{}", number(node.startup_cost.value_or(0)), number(node.total_cost.value_or(0))));
  }
  if (node.plan_rows) numbers.push_back(fmt::format("rows={}", number(*node.plan_rows)));
  std::string estimate = numbers.empty() ? "" : "  (" + fmt::format("{}", fmt::join(numbers, " ")) + ")";
  std::string actual;
  if (node.actual_rows || node.actual_total_ms) {
    std::vector<std::string> parts;
    if (node.actual_total_ms) {
      parts.push_back(fmt::format("time={:.3f}..{:.3f}", node.actual_startup_ms.value_or(0), *node.actual_total_ms));
    }
    if (node.actual_rows) parts.push_back(fmt::format("rows={}", number(*node.actual_rows)));
    if (node.actual_loops) parts.push_back(fmt::format("loops={}", number(*node.actual_loops)));
    actual = " (actual " + fmt::format("{}", fmt::join(parts, " ")) + ")";
  }
  out += indent + head + estimate + actual + "\n";

  auto detail = [&](const std::string& text) { out += detail_indent + text + "\n"; };
  if (!node.index_condition.empty()) detail("Index Cond: " + node.index_condition);
  if (!node.filter.empty()) detail("Filter: " + node.filter);
  if (node.rows_removed_by_filter) detail("Rows Removed by Filter: " + number(*node.rows_removed_by_filter));
  if (node.rows_examined) detail("Rows Examined: " + number(*node.rows_examined));
  if (!node.sort_keys.empty()) detail(fmt::format("Sort Key: {}", fmt::join(node.sort_keys, ", ")));
  if (!node.sort_method.empty()) {
    detail("Sort Method: " + node.sort_method + (node.sort_spilled.value_or(false) ? " (spilled to disk)" : ""));
  }
  if (node.hash_batches && *node.hash_batches > 1) detail(fmt::format("Hash Batches: {}", *node.hash_batches));
  if (node.heap_fetches) detail("Heap Fetches: " + number(*node.heap_fetches));
  if (node.workers_planned) {
    detail(fmt::format("Workers Planned: {}{}", *node.workers_planned,
                       node.workers_launched ? fmt::format(", Launched: {}", *node.workers_launched) : ""));
  }
  if (node.shared_hit_blocks || node.shared_read_blocks) {
    detail(fmt::format("Buffers: shared hit={} read={}", number(node.shared_hit_blocks.value_or(0)),
                       number(node.shared_read_blocks.value_or(0))));
  }
  if (node.uses_filesort) detail("Using filesort");
  if (node.uses_temporary) detail("Using temporary");
  if (node.automatic_index) detail("Automatic index");
  if (node.temp_btree) detail("Temp B-tree");
  for (const auto& [key, value] : node.extra) detail(key + ": " + value);
  if (options.show_raw && !node.raw.empty()) detail("raw: " + node.raw);
  for (const auto& child : node.children) render_node(child, depth + 1, options, out);
}

}  // namespace

nlohmann::json plan_node_to_json(const model::PlanNode& node) {
  nlohmann::json out = nlohmann::json::object();
  out["operation"] = node.operation;
  out["access"] = model::access_type_name(node.access);
  put(out, "relation", node.relation);
  put(out, "alias", node.alias);
  put(out, "index", node.index);
  if (!node.index_columns.empty()) out["index_columns"] = node.index_columns;
  put(out, "join_type", node.join_type);
  put(out, "index_condition", node.index_condition);
  put(out, "filter", node.filter);
  put(out, "startup_cost", node.startup_cost);
  put(out, "total_cost", node.total_cost);
  put(out, "plan_rows", node.plan_rows);
  put(out, "plan_width", node.plan_width);
  put(out, "actual_rows", node.actual_rows);
  put(out, "actual_loops", node.actual_loops);
  put(out, "actual_startup_ms", node.actual_startup_ms);
  put(out, "actual_total_ms", node.actual_total_ms);
  put(out, "rows_removed_by_filter", node.rows_removed_by_filter);
  put(out, "rows_removed_by_index_recheck", node.rows_removed_by_index_recheck);
  put(out, "heap_fetches", node.heap_fetches);
  put(out, "sort_method", node.sort_method);
  if (!node.sort_keys.empty()) out["sort_keys"] = node.sort_keys;
  put(out, "sort_spilled", node.sort_spilled);
  put(out, "sort_space_kb", node.sort_space_kb);
  put(out, "hash_batches", node.hash_batches);
  put(out, "workers_planned", node.workers_planned);
  put(out, "workers_launched", node.workers_launched);
  put(out, "shared_hit_blocks", node.shared_hit_blocks);
  put(out, "shared_read_blocks", node.shared_read_blocks);
  put(out, "temp_read_blocks", node.temp_read_blocks);
  put(out, "temp_written_blocks", node.temp_written_blocks);
  if (node.uses_filesort) out["uses_filesort"] = true;
  if (node.uses_temporary) out["uses_temporary"] = true;
  put(out, "rows_examined", node.rows_examined);
  put(out, "filtered_percent", node.filtered_percent);
  if (node.automatic_index) out["automatic_index"] = true;
  if (node.temp_btree) out["temp_btree"] = true;
  if (!node.extra.empty()) out["extra"] = node.extra;
  put(out, "raw", node.raw);
  if (!node.children.empty()) {
    out["children"] = nlohmann::json::array();
    for (const auto& child : node.children) out["children"].push_back(plan_node_to_json(child));
  }
  return out;
}

nlohmann::json plan_to_json(const model::Plan& plan) {
  nlohmann::json out = nlohmann::json::object();
  out["engine"] = plan.engine;
  put(out, "engine_version", plan.engine_version);
  out["format"] = plan.format;
  out["analyzed"] = plan.analyzed;
  put(out, "planning_ms", plan.planning_ms);
  put(out, "execution_ms", plan.execution_ms);
  put(out, "jit_ms", plan.jit_ms);
  if (!plan.counters.empty()) out["counters"] = plan.counters;
  out["root"] = plan_node_to_json(plan.root);
  return out;
}

std::string render_plan_text(const model::Plan& plan, const PlanTextOptions& options) {
  std::string out;
  render_node(plan.root, 0, options, out);
  if (plan.planning_ms) out += fmt::format("Planning Time: {:.3f} ms\n", *plan.planning_ms);
  if (plan.execution_ms) out += fmt::format("Execution Time: {:.3f} ms\n", *plan.execution_ms);
  if (plan.jit_ms) out += fmt::format("JIT Time: {:.3f} ms\n", *plan.jit_ms);
  for (const auto& [name, value] : plan.counters) out += fmt::format("{}: {}\n", name, number(value));
  return out;
}

}  // namespace dbvet::report
