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
    numbers.push_back(
        fmt::format("cost={}..{}", number(node.startup_cost.value_or(0)), number(node.total_cost.value_or(0))));
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

using nlohmann::json;

// The same lines as render_node, from plan_node_to_json's document.
void render_json_node(const json& node, int depth, const PlanTextOptions& options, std::string& out) {
  auto text = [&node](const char* key) { return node.contains(key) ? node.at(key).get<std::string>() : std::string(); };
  auto has = [&node](const char* key) { return node.contains(key) && !node.at(key).is_null(); };
  auto num = [&node](const char* key) { return node.at(key).get<double>(); };
  auto flag = [&node](const char* key) { return node.contains(key) && node.at(key).get<bool>(); };
  std::string indent = depth == 0 ? "" : std::string(static_cast<size_t>(depth - 1) * 6 + 2, ' ') + "->  ";
  std::string detail_indent = std::string(depth == 0 ? 2 : static_cast<size_t>(depth - 1) * 6 + 8, ' ');
  bool full_scan = text("access") == model::access_type_name(model::AccessType::full_scan);
  std::string head = paint(text("operation"), full_scan ? "1;31" : "1", options.color);
  if (!text("index").empty()) head += fmt::format(" using {}", paint(text("index"), "36", options.color));
  if (!text("relation").empty()) {
    head += fmt::format(" on {}", text("relation"));
    if (!text("alias").empty() && text("alias") != text("relation")) head += " " + text("alias");
  }
  std::vector<std::string> numbers;
  if (has("startup_cost") || has("total_cost")) {
    numbers.push_back(fmt::format("cost={}..{}", number(has("startup_cost") ? num("startup_cost") : 0),
                                  number(has("total_cost") ? num("total_cost") : 0)));
  }
  if (has("plan_rows")) numbers.push_back(fmt::format("rows={}", number(num("plan_rows"))));
  std::string estimate = numbers.empty() ? "" : "  (" + fmt::format("{}", fmt::join(numbers, " ")) + ")";
  std::string actual;
  if (has("actual_rows") || has("actual_total_ms")) {
    std::vector<std::string> parts;
    if (has("actual_total_ms")) {
      parts.push_back(fmt::format("time={:.3f}..{:.3f}", has("actual_startup_ms") ? num("actual_startup_ms") : 0,
                                  num("actual_total_ms")));
    }
    if (has("actual_rows")) parts.push_back(fmt::format("rows={}", number(num("actual_rows"))));
    if (has("actual_loops")) parts.push_back(fmt::format("loops={}", number(num("actual_loops"))));
    actual = " (actual " + fmt::format("{}", fmt::join(parts, " ")) + ")";
  }
  out += indent + head + estimate + actual + "\n";

  auto detail = [&](const std::string& line) { out += detail_indent + line + "\n"; };
  if (!text("index_condition").empty()) detail("Index Cond: " + text("index_condition"));
  if (!text("filter").empty()) detail("Filter: " + text("filter"));
  if (has("rows_removed_by_filter")) detail("Rows Removed by Filter: " + number(num("rows_removed_by_filter")));
  if (has("rows_examined")) detail("Rows Examined: " + number(num("rows_examined")));
  if (node.contains("sort_keys"))
    detail(fmt::format("Sort Key: {}", fmt::join(node.at("sort_keys").get<std::vector<std::string>>(), ", ")));
  if (!text("sort_method").empty()) {
    detail("Sort Method: " + text("sort_method") + (flag("sort_spilled") ? " (spilled to disk)" : ""));
  }
  if (has("hash_batches") && num("hash_batches") > 1)
    detail(fmt::format("Hash Batches: {}", node.at("hash_batches").dump()));
  if (has("heap_fetches")) detail("Heap Fetches: " + number(num("heap_fetches")));
  if (has("workers_planned")) {
    detail(
        fmt::format("Workers Planned: {}{}", node.at("workers_planned").dump(),
                    has("workers_launched") ? fmt::format(", Launched: {}", node.at("workers_launched").dump()) : ""));
  }
  if (has("shared_hit_blocks") || has("shared_read_blocks")) {
    detail(fmt::format("Buffers: shared hit={} read={}",
                       number(has("shared_hit_blocks") ? num("shared_hit_blocks") : 0),
                       number(has("shared_read_blocks") ? num("shared_read_blocks") : 0)));
  }
  if (flag("uses_filesort")) detail("Using filesort");
  if (flag("uses_temporary")) detail("Using temporary");
  if (flag("automatic_index")) detail("Automatic index");
  if (flag("temp_btree")) detail("Temp B-tree");
  if (node.contains("extra")) {
    for (const auto& [key, value] : node.at("extra").items()) detail(key + ": " + value.get<std::string>());
  }
  if (options.show_raw && !text("raw").empty()) detail("raw: " + text("raw"));
  if (node.contains("children")) {
    for (const auto& child : node.at("children")) render_json_node(child, depth + 1, options, out);
  }
}

std::string render_json_plan(const json& plan, const PlanTextOptions& options) {
  std::string out;
  render_json_node(plan.at("root"), 0, options, out);
  auto ms = [&plan](const char* key) { return plan.contains(key) ? plan.at(key).get<double>() : -1.0; };
  if (plan.contains("planning_ms")) out += fmt::format("Planning Time: {:.3f} ms\n", ms("planning_ms"));
  if (plan.contains("execution_ms")) out += fmt::format("Execution Time: {:.3f} ms\n", ms("execution_ms"));
  if (plan.contains("jit_ms")) out += fmt::format("JIT Time: {:.3f} ms\n", ms("jit_ms"));
  if (plan.contains("counters")) {
    for (const auto& [name, value] : plan.at("counters").items())
      out += fmt::format("{}: {}\n", name, number(value.get<double>()));
  }
  return out;
}

// One plan per statement: "-- SQL" above each when there are several (text), "### `SQL`" and a
// code block (Markdown). A statement that failed has no plan here (its error went to stderr).
std::string render_explain(const json& doc, const RenderOptions& render_options, bool markdown) {
  PlanTextOptions options{render_options.color && !markdown, render_options.raw};
  const auto& statements = doc.at("statements");
  std::string text;
  for (const auto& statement : statements) {
    if (!statement.contains("plan")) continue;
    const std::string sql = statement.at("sql").get<std::string>();
    if (statements.size() > 1 || markdown) {
      text += markdown ? fmt::format("### `{}`\n\n```\n", sql) : fmt::format("-- {}\n", sql);
    }
    text += render_json_plan(statement.at("plan"), options);
    if (markdown) text += "```\n";
    if (statements.size() > 1) text += "\n";
  }
  return text;
}

}  // namespace

std::string render_explain_text(const json& doc, const RenderOptions& options) {
  return render_explain(doc, options, false);
}

std::string render_explain_md(const json& doc, const RenderOptions& options) {
  return render_explain(doc, options, true);
}

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
