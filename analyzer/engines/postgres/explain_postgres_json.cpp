#include "analyzer/engines/postgres/explain_postgres_json.hpp"

#include <optional>
#include <string>

#include "fmt/format.h"
#include "nlohmann/json.hpp"

namespace dbvet::engines::postgres {
namespace {

using nlohmann::json;

core::Error malformed(const std::string& path, const std::string& what) {
  return core::make_error(core::ErrorKind::input,
                          fmt::format("malformed PostgreSQL EXPLAIN JSON at {}: expected {}", path, what));
}

std::optional<double> number(const json& node, const char* key) {
  auto it = node.find(key);
  if (it == node.end() || !it->is_number()) return std::nullopt;
  return it->get<double>();
}

std::optional<int> integer(const json& node, const char* key) {
  auto value = number(node, key);
  if (!value) return std::nullopt;
  return static_cast<int>(*value);
}

std::string text(const json& node, const char* key) {
  auto it = node.find(key);
  if (it == node.end() || !it->is_string()) return {};
  return it->get<std::string>();
}

std::vector<std::string> text_list(const json& node, const char* key) {
  std::vector<std::string> out;
  auto it = node.find(key);
  if (it == node.end() || !it->is_array()) return out;
  for (const auto& item : *it) {
    if (item.is_string()) out.push_back(item.get<std::string>());
  }
  return out;
}

// Numbers as PostgreSQL's text format shows them: integers without a fraction.
std::string show(const json& value) {
  if (value.is_string()) return value.get<std::string>();
  if (value.is_number_integer() || value.is_number_unsigned()) return value.dump();
  if (value.is_number_float()) {
    double d = value.get<double>();
    if (d == static_cast<double>(static_cast<long long>(d))) return fmt::format("{}", static_cast<long long>(d));
    return fmt::format("{}", d);
  }
  if (value.is_array()) {
    std::string out;
    for (const auto& item : value) out += (out.empty() ? "" : ", ") + show(item);
    return out;
  }
  return value.dump();
}

// The name psql's text format gives the node: strategy, partial mode, parallelism and direction
// folded into the node type, so that "HashAggregate" or "Parallel Seq Scan" reads as users know it.
std::string operation_name(const json& node, const std::string& node_type) {
  std::string name = node_type;
  std::string strategy = text(node, "Strategy");
  if (node_type == "Aggregate") {
    if (strategy == "Sorted") name = "GroupAggregate";
    if (strategy == "Hashed") name = "HashAggregate";
    if (strategy == "Mixed") name = "MixedAggregate";
  } else if (node_type == "SetOp" && strategy == "Hashed") {
    name = "HashSetOp";
  } else if (node_type == "ModifyTable") {
    std::string operation = text(node, "Operation");
    if (!operation.empty()) name = operation;
  }
  std::string partial = text(node, "Partial Mode");
  if (!partial.empty() && partial != "Simple") name = partial + " " + name;
  auto parallel = node.find("Parallel Aware");
  if (parallel != node.end() && parallel->is_boolean() && parallel->get<bool>()) name = "Parallel " + name;
  if (text(node, "Scan Direction") == "Backward") name += " Backward";
  return name;
}

// Keys shown as they are, in the node's `extra`, because they explain a node without a model field.
constexpr const char* kExtraKeys[] = {
    "Hash Cond",         "Merge Cond",   "Join Filter",     "Recheck Cond",      "One-Time Filter",
    "Group Key",         "Subplan Name", "CTE Name",        "Function Name",     "Parent Relationship",
    "Cache Key",         "Cache Hits",   "Cache Misses",    "Exact Heap Blocks", "Lossy Heap Blocks",
    "Peak Memory Usage", "Disk Usage",   "HashAgg Batches", "Presorted Key",     "Rows Removed by Join Filter",
};

void spilled_if(model::PlanNode& out, bool spilled) {
  if (spilled) {
    out.sort_spilled = true;
  } else if (!out.sort_spilled) {
    out.sort_spilled = false;
  }
}

void read_sort(const json& node, model::PlanNode& out) {
  out.sort_method = text(node, "Sort Method");
  out.sort_keys = text_list(node, "Sort Key");
  out.sort_space_kb = number(node, "Sort Space Used");
  if (!out.sort_method.empty()) spilled_if(out, text(node, "Sort Space Type") == "Disk");
  // An Incremental Sort reports its full-sort and presorted groups apart, with the methods used.
  for (const char* groups_key : {"Full-sort Groups", "Pre-sorted Groups"}) {
    auto groups = node.find(groups_key);
    if (groups == node.end() || !groups->is_object()) continue;
    auto methods = text_list(*groups, "Sort Methods Used");
    if (out.sort_method.empty() && !methods.empty()) out.sort_method = methods.front();
    spilled_if(out, groups->contains("Sort Space Disk"));
  }
  // Parallel sorts report each worker's sort apart; any worker that went to disk counts.
  auto workers = node.find("Workers");
  if (workers == node.end() || !workers->is_array()) return;
  for (const auto& worker : *workers) {
    if (!worker.is_object() || !worker.contains("Sort Method")) continue;
    if (out.sort_method.empty()) out.sort_method = text(worker, "Sort Method");
    spilled_if(out, text(worker, "Sort Space Type") == "Disk");
  }
}

void read_hash(const json& node, model::PlanNode& out) {
  out.hash_batches = integer(node, "Hash Batches");
  auto original = integer(node, "Original Hash Batches");
  if (out.hash_batches) {
    spilled_if(out, *out.hash_batches > 1);
    if (original && *original != *out.hash_batches) out.extra["Original Hash Batches"] = std::to_string(*original);
  }
  // PostgreSQL 13+ hash aggregates spill in batches too.
  if (auto batches = number(node, "HashAgg Batches")) spilled_if(out, *batches > 1);
}

std::optional<core::Error> read_node(const json& node, const std::string& path, model::PlanNode& out) {
  if (!node.is_object()) return malformed(path, "a plan node (a JSON object)");
  std::string node_type = text(node, "Node Type");
  if (node_type.empty()) return malformed(path, "a \"Node Type\" string in the plan node");
  out.operation = operation_name(node, node_type);
  out.access = postgres_access_type(node_type);
  out.relation = text(node, "Relation Name");
  out.alias = text(node, "Alias");
  out.index = text(node, "Index Name");
  out.join_type = text(node, "Join Type");
  out.index_condition = text(node, "Index Cond");
  if (out.index_condition.empty() && node_type == "Bitmap Heap Scan") out.index_condition = text(node, "Recheck Cond");
  out.filter = text(node, "Filter");

  out.startup_cost = number(node, "Startup Cost");
  out.total_cost = number(node, "Total Cost");
  out.plan_rows = number(node, "Plan Rows");
  out.plan_width = number(node, "Plan Width");
  out.actual_rows = number(node, "Actual Rows");
  out.actual_loops = number(node, "Actual Loops");
  out.actual_startup_ms = number(node, "Actual Startup Time");
  out.actual_total_ms = number(node, "Actual Total Time");
  out.rows_removed_by_filter = number(node, "Rows Removed by Filter");
  out.rows_removed_by_index_recheck = number(node, "Rows Removed by Index Recheck");
  out.heap_fetches = number(node, "Heap Fetches");
  read_sort(node, out);
  read_hash(node, out);
  out.workers_planned = integer(node, "Workers Planned");
  out.workers_launched = integer(node, "Workers Launched");
  out.shared_hit_blocks = number(node, "Shared Hit Blocks");
  out.shared_read_blocks = number(node, "Shared Read Blocks");
  out.temp_read_blocks = number(node, "Temp Read Blocks");
  out.temp_written_blocks = number(node, "Temp Written Blocks");
  for (const char* key : kExtraKeys) {
    auto it = node.find(key);
    if (it == node.end() || it->is_null()) continue;
    if (std::string(key) == "Recheck Cond" && out.index_condition == show(*it)) continue;
    // Outer/Inner only repeat what the tree shows; InitPlan, SubPlan and the like say something.
    if (std::string(key) == "Parent Relationship" && (show(*it) == "Outer" || show(*it) == "Inner")) continue;
    out.extra[key] = show(*it);
  }

  json own = node;
  own.erase("Plans");
  out.raw = own.dump();

  auto plans = node.find("Plans");
  if (plans == node.end()) return std::nullopt;
  if (!plans->is_array()) return malformed(path + ".Plans", "an array of plan nodes");
  for (size_t i = 0; i < plans->size(); ++i) {
    model::PlanNode child;
    if (auto error = read_node((*plans)[i], fmt::format("{}.Plans[{}]", path, i), child)) return error;
    out.children.push_back(std::move(child));
  }
  return std::nullopt;
}

}  // namespace

model::AccessType postgres_access_type(std::string_view node_type) {
  if (node_type == "Seq Scan") return model::AccessType::full_scan;
  if (node_type == "Index Scan") return model::AccessType::index_scan;
  if (node_type == "Index Only Scan") return model::AccessType::index_only_scan;
  if (node_type == "Bitmap Heap Scan" || node_type == "Bitmap Index Scan") return model::AccessType::bitmap_scan;
  if (node_type.size() > 5 && node_type.ends_with(" Scan")) return model::AccessType::other;
  return model::AccessType::none;
}

core::Expected<model::Plan> parse_postgres_explain_json(std::string_view text_in) {
  json document;
  try {
    document = json::parse(text_in.begin(), text_in.end());
  } catch (const json::parse_error& e) {
    std::string what = e.what();
    // nlohmann's message starts with "[json.exception.parse_error.101] parse error at ...: ".
    auto colon = what.find(": ");
    std::string detail = colon == std::string::npos ? what : what.substr(colon + 2);
    return core::make_error(core::ErrorKind::input,
                            fmt::format("malformed PostgreSQL EXPLAIN JSON at byte {}: {}", e.byte, detail));
  }
  const json* top = &document;
  if (document.is_array()) {
    if (document.size() != 1) return malformed("the top level", "an array holding one EXPLAIN result");
    top = &document[0];
  }
  if (!top->is_object()) return malformed("the top level", "an object with a \"Plan\" member");
  auto plan_it = top->find("Plan");
  if (plan_it == top->end()) return malformed("the top level", "an object with a \"Plan\" member");

  model::Plan plan;
  plan.engine = "postgres";
  plan.format = "postgres-json";
  plan.raw = std::string(text_in);
  if (auto error = read_node(*plan_it, "Plan", plan.root)) return *error;
  plan.planning_ms = number(*top, "Planning Time");
  plan.execution_ms = number(*top, "Execution Time");
  plan.analyzed = plan.execution_ms.has_value() || plan.root.actual_loops.has_value();
  auto jit = top->find("JIT");
  if (jit != top->end() && jit->is_object()) {
    auto timing = jit->find("Timing");
    if (timing != jit->end() && timing->is_object()) {
      plan.jit_ms = number(*timing, "Total");
      if (!plan.jit_ms) {
        // Older servers print the totals as numbers in each phase only.
        double total = 0;
        for (const char* phase : {"Generation", "Inlining", "Optimization", "Emission"}) {
          total += number(*timing, phase).value_or(0);
        }
        plan.jit_ms = total;
      }
    }
    if (auto functions = number(*jit, "Functions")) plan.counters["JIT Functions"] = *functions;
  }
  return plan;
}

}  // namespace dbvet::engines::postgres
