#include "analyzer/engines/postgres/explain_postgres_text.hpp"

#include <algorithm>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "analyzer/engines/postgres/explain_postgres_json.hpp"
#include "analyzer/util/parse.hpp"
#include "fmt/format.h"

// The text format is written by ExplainNode() in PostgreSQL's src/backend/commands/explain.c: a
// node prints "->  " at its parent's property indentation and its properties two spaces right of
// its own name; a subplan's header sits at the parent's property indentation, its node two spaces
// further. Where the text and JSON formats differ (join type folded into the name, zero counts left
// out, units after numbers), this file maps the text onto what FORMAT JSON says.

namespace dbvet::engines::postgres {
namespace {

using Pairs = std::vector<std::pair<std::string_view, std::string_view>>;

struct Line {
  size_t number = 0;      // 1-based, in the input
  size_t indent = 0;      // spaces before the text, after the log's continuation tabs
  std::string_view text;  // without the indentation and trailing blanks
};

core::Error malformed(size_t line, std::string_view what) {
  return core::make_error(core::ErrorKind::input,
                          fmt::format("malformed PostgreSQL EXPLAIN text at line {}: expected {}", line, what));
}

std::vector<Line> split_lines(std::string_view text) {
  std::vector<Line> lines;
  size_t number = 0;
  while (!text.empty()) {
    size_t end = text.find('\n');
    std::string_view line = text.substr(0, end);
    text = end == std::string_view::npos ? std::string_view() : text.substr(end + 1);
    ++number;
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ' || line.back() == '\t')) line.remove_suffix(1);
    // A log continues a record's lines with a tab (stderr, syslog); the plan's own indentation is spaces.
    while (!line.empty() && line.front() == '\t') line.remove_prefix(1);
    size_t indent = 0;
    while (indent < line.size() && line[indent] == ' ') ++indent;
    lines.push_back({number, indent, line.substr(indent)});
  }
  return lines;
}

bool starts_with(std::string_view text, std::string_view prefix) { return text.starts_with(prefix); }

bool consume(std::string_view& text, std::string_view prefix) {
  if (!text.starts_with(prefix)) return false;
  text.remove_prefix(prefix.size());
  return true;
}

// Where a node's "(cost=...)", "(actual ...)" or "(never executed)" starts, or npos.
size_t details_start(std::string_view text) {
  size_t best = std::string_view::npos;
  for (std::string_view marker : {" (cost=", " (actual ", " (never executed)"}) {
    if (text.starts_with(marker.substr(1))) return 0;  // no name before them
    best = std::min(best, text.find(marker));
  }
  return best;
}

bool is_node_line(std::string_view text) {
  return starts_with(text, "->") || details_start(text) != std::string_view::npos;
}

// "Key: value" (or "Key:" alone); nullopt when the line has no such colon.
std::optional<std::pair<std::string_view, std::string_view>> key_value(std::string_view text) {
  size_t colon = text.find(": ");
  if (colon == std::string_view::npos) {
    if (text.ends_with(':')) return std::pair{text.substr(0, text.size() - 1), std::string_view()};
    return std::nullopt;
  }
  std::string_view value = text.substr(colon + 2);
  while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
  return std::pair{text.substr(0, colon), value};
}

// "Buckets: 1024  Batches: 1  Memory Usage: 9kB": the "Key: value" parts two spaces apart.
Pairs segments(std::string_view text) {
  Pairs out;
  while (!text.empty()) {
    size_t gap = text.find("  ");
    std::string_view part = text.substr(0, gap);
    if (auto kv = key_value(part)) {
      out.push_back(*kv);
    } else {
      out.emplace_back(part, std::string_view());
    }
    if (gap == std::string_view::npos) break;
    text = text.substr(gap);
    while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
  }
  return out;
}

// "1234kB" -> "1234": JSON gives kilobytes as bare numbers.
std::string_view without_unit(std::string_view value) {
  for (std::string_view unit : {"kB", " ms"}) {
    if (value.ends_with(unit)) return value.substr(0, value.size() - unit.size());
  }
  return value;
}

// A comma-separated list, split only at commas outside parentheses and quotes ("Sort Key").
std::vector<std::string> split_list(std::string_view value) {
  std::vector<std::string> out;
  int depth = 0;
  char quote = 0;
  size_t begin = 0;
  for (size_t i = 0; i < value.size(); ++i) {
    char c = value[i];
    if (quote) {
      if (c == quote) quote = 0;
    } else if (c == '\'' || c == '"') {
      quote = c;
    } else if (c == '(') {
      ++depth;
    } else if (c == ')') {
      --depth;
    } else if (c == ',' && depth == 0) {
      out.emplace_back(value.substr(begin, i - begin));
      begin = i + 1;
      while (begin < value.size() && value[begin] == ' ') ++begin;
    }
  }
  if (begin < value.size()) out.emplace_back(value.substr(begin));
  return out;
}

// An identifier as quote_identifier() prints it, unquoted; a qualified name gives its last part.
std::string read_name(std::string_view& text) {
  std::string name;
  while (true) {
    name.clear();
    if (consume(text, "\"")) {
      while (!text.empty()) {
        if (text.front() == '"') {
          if (text.size() > 1 && text[1] == '"') {
            name += '"';
            text.remove_prefix(2);
            continue;
          }
          text.remove_prefix(1);
          break;
        }
        name += text.front();
        text.remove_prefix(1);
      }
    } else {
      size_t end = std::min(text.find(' '), text.find('.'));
      name = std::string(text.substr(0, end));
      text = end == std::string_view::npos ? std::string_view() : text.substr(end);
    }
    if (!consume(text, ".")) break;
  }
  while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
  return name;
}

// What the text says about a node beyond the model's fields, for finishing it like FORMAT JSON.
struct NodeFacts {
  std::string node_type;  // JSON's "Node Type" without the parallel, partial and direction words
  std::string recheck_condition;
  bool hash_aggregate_batches = false;
  std::vector<std::string_view> lines;  // the node's own lines, for `raw`
};

void spilled_if(model::PlanNode& node, bool spilled) {
  if (spilled) {
    node.sort_spilled = true;
  } else if (!node.sort_spilled) {
    node.sort_spilled = false;
  }
}

// The scans whose target is a table (JSON "Relation Name").
bool scans_a_relation(std::string_view type) {
  for (std::string_view t : {"Seq Scan", "Sample Scan", "Index Scan", "Index Only Scan", "Bitmap Heap Scan", "Tid Scan",
                             "Tid Range Scan", "Foreign Scan", "Custom Scan", "Insert", "Update", "Delete", "Merge"}) {
    if (type == t) return true;
  }
  return false;
}

// "Nested Loop Left Join", "Hash Join", "Merge Right Anti Join": the text folds JSON's "Join Type"
// into the name. Returns false for other nodes.
bool read_join(std::string_view type, model::PlanNode& node, NodeFacts& facts) {
  if (type == "Nested Loop") {
    node.operation = facts.node_type = "Nested Loop";
    node.join_type = "Inner";
    return true;
  }
  for (std::string_view method : {"Nested Loop", "Hash", "Merge"}) {
    std::string_view rest = type;
    if (!consume(rest, method) || !rest.ends_with(" Join")) continue;
    rest.remove_suffix(5);
    if (!rest.empty() && !consume(rest, " ")) continue;
    node.operation = facts.node_type = method == "Nested Loop" ? std::string(method) : std::string(method) + " Join";
    node.join_type = rest.empty() ? "Inner" : std::string(rest);
    return true;
  }
  return false;
}

// The node's name: "Parallel Index Scan Backward using idx on orders o" and the like.
void read_name_part(std::string_view name, model::PlanNode& node, NodeFacts& facts) {
  const bool parallel = consume(name, "Parallel ");
  consume(name, "Async ");
  std::string_view type = name;
  std::string_view target;
  const size_t using_at = name.find(" using ");
  const size_t on_at = name.find(" on ");
  if (using_at != std::string_view::npos && using_at < on_at) {
    type = name.substr(0, using_at);
    std::string_view rest = name.substr(using_at + 7);
    node.index = read_name(rest);
    if (consume(rest, "on ")) target = rest;
  } else if (on_at != std::string_view::npos) {
    type = name.substr(0, on_at);
    target = name.substr(on_at + 4);
  }
  const bool backward = type.ends_with(" Backward");
  if (backward) type.remove_suffix(9);
  if (!read_join(type, node, facts)) {
    std::string_view base = type;
    if (starts_with(base, "SetOp ") || starts_with(base, "HashSetOp ")) base = base.substr(0, base.find(' '));
    if (starts_with(base, "Custom Scan")) base = "Custom Scan";
    if (starts_with(base, "Foreign ")) base = "Foreign Scan";  // Foreign Insert, Update, Delete
    node.operation = std::string(base);
    facts.node_type = std::string(base);
    for (std::string_view mode : {"Partial ", "Finalize "}) {
      if (starts_with(base, mode)) facts.node_type = std::string(base.substr(mode.size()));
    }
  }
  if (parallel) node.operation = "Parallel " + node.operation;
  if (backward) node.operation += " Backward";
  node.access = postgres_access_type(facts.node_type);

  if (target.empty()) return;
  std::string object = read_name(target);
  std::string alias = target.empty() ? object : read_name(target);
  if (facts.node_type == "Bitmap Index Scan") {
    node.index = object;
    return;
  }
  node.alias = alias;
  if (scans_a_relation(facts.node_type)) {
    node.relation = object;
  } else if (facts.node_type == "Function Scan") {
    node.extra["Function Name"] = object;
  } else if (facts.node_type == "CTE Scan" || facts.node_type == "WorkTable Scan") {
    node.extra["CTE Name"] = object;
  }
}

std::optional<double> number(std::string_view text) { return util::parse_double(without_unit(text)); }

// "(cost=0.00..4773.00 rows=2078 width=59)", "(actual time=0.008..23.294 rows=1800 loops=1)",
// "(actual rows=1800 loops=1)" (TIMING OFF) or "(never executed)".
std::optional<core::Error> read_details(const Line& line, std::string_view details, model::PlanNode& node,
                                        bool timing) {
  constexpr const char* kExpected =
      "(cost=STARTUP..TOTAL rows=N width=N), (actual time=STARTUP..TOTAL rows=N loops=N) or (never executed) "
      "after the node's name";
  while (!details.empty()) {
    while (consume(details, " ")) {
    }
    if (details.empty()) break;
    if (!consume(details, "(")) return malformed(line.number, kExpected);
    size_t close = details.find(')');
    if (close == std::string_view::npos) return malformed(line.number, kExpected);
    std::string_view group = details.substr(0, close);
    details.remove_prefix(close + 1);
    if (group == "never executed") {
      node.actual_rows = 0;
      node.actual_loops = 0;
      if (timing) node.actual_startup_ms = node.actual_total_ms = 0;
      continue;
    }
    const bool actual = consume(group, "actual ");
    int fields = 0;
    while (!group.empty()) {
      size_t space = group.find(' ');
      std::string_view token = group.substr(0, space);
      group = space == std::string_view::npos ? std::string_view() : group.substr(space + 1);
      size_t equals = token.find('=');
      if (equals == std::string_view::npos) return malformed(line.number, kExpected);
      std::string_view key = token.substr(0, equals), value = token.substr(equals + 1);
      if (key == "cost" || key == "time") {
        size_t dots = value.find("..");
        auto first = dots == std::string_view::npos ? std::nullopt : util::parse_double(value.substr(0, dots));
        auto second = dots == std::string_view::npos ? std::nullopt : util::parse_double(value.substr(dots + 2));
        if (!first || !second) return malformed(line.number, kExpected);
        (key == "cost" ? node.startup_cost : node.actual_startup_ms) = first;
        (key == "cost" ? node.total_cost : node.actual_total_ms) = second;
      } else {
        auto parsed = util::parse_double(value);
        if (!parsed) return malformed(line.number, kExpected);
        if (key == "rows") {
          (actual ? node.actual_rows : node.plan_rows) = parsed;
        } else if (key == "width" && !actual) {
          node.plan_width = parsed;
        } else if (key == "loops" && actual) {
          node.actual_loops = parsed;
        } else {
          return malformed(line.number, kExpected);
        }
      }
      ++fields;
    }
    const bool complete =
        actual ? node.actual_loops.has_value() : (node.total_cost && node.plan_rows && node.plan_width);
    if (!complete || fields == 0) return malformed(line.number, kExpected);
  }
  return std::nullopt;
}

std::optional<core::Error> number_error(const Line& line, std::string_view key) {
  return malformed(line.number, fmt::format("a number after \"{}:\"", key));
}

// "shared hit=12 read=3 dirtied=1, local hit=2, temp read=5 written=6"
std::optional<core::Error> read_buffers(const Line& line, std::string_view value, model::PlanNode& node) {
  for (const std::string& group : split_list(value)) {
    std::string_view rest = group;
    size_t space = rest.find(' ');
    std::string_view scope = rest.substr(0, space);
    rest = space == std::string_view::npos ? std::string_view() : rest.substr(space + 1);
    while (!rest.empty()) {
      space = rest.find(' ');
      std::string_view token = rest.substr(0, space);
      rest = space == std::string_view::npos ? std::string_view() : rest.substr(space + 1);
      size_t equals = token.find('=');
      auto blocks = equals == std::string_view::npos ? std::nullopt : util::parse_double(token.substr(equals + 1));
      if (!blocks) return malformed(line.number, "\"Buffers: shared hit=N read=N ..., temp read=N written=N\"");
      std::string_view kind = token.substr(0, equals);
      if (scope == "shared" && kind == "hit") node.shared_hit_blocks = blocks;
      if (scope == "shared" && kind == "read") node.shared_read_blocks = blocks;
      if (scope == "temp" && kind == "read") node.temp_read_blocks = blocks;
      if (scope == "temp" && kind == "written") node.temp_written_blocks = blocks;
    }
  }
  return std::nullopt;
}

// Keys kept in `extra` as they are, like explain_postgres_json.cpp's.
constexpr std::string_view kExtraKeys[] = {"Hash Cond", "Merge Cond", "Join Filter",  "One-Time Filter",
                                           "Group Key", "Cache Key",  "Presorted Key"};

// The lines that put several "Key: value" parts on one line, each read with the node's name.
std::optional<core::Error> read_segments(const Line& line, std::string_view first_key, const Pairs& parts,
                                         model::PlanNode& node, NodeFacts& facts) {
  for (const auto& [key, value] : parts) {
    auto n = number(value.substr(0, value.find(' ')));
    const bool numeric = key != "Sort Method" && key != "Sort Methods";
    if (numeric && !n) return number_error(line, key);
    if (first_key == "Sort Method") {  // a Sort's own line, or one of its workers'
      if (key == "Sort Method") {
        if (node.sort_method.empty()) node.sort_method = std::string(value);
      } else if (key == "Disk" || key == "Memory") {
        if (!node.sort_space_kb) node.sort_space_kb = n;
        spilled_if(node, key == "Disk");
      }
    } else if (first_key == "Buckets") {  // a Hash
      if (key == "Batches") {
        node.hash_batches = static_cast<int>(*n);
        spilled_if(node, *n > 1);
        size_t originally = value.find("(originally ");
        if (originally != std::string_view::npos) {
          std::string_view original = value.substr(originally + 12);
          original = original.substr(0, original.find(')'));
          if (!number(original)) return number_error(line, "originally");
          if (*number(original) != *n) node.extra["Original Hash Batches"] = std::string(original);
        }
      } else if (key == "Memory Usage") {
        node.extra["Peak Memory Usage"] = std::string(without_unit(value));
      }
    } else if (first_key == "Batches" || first_key == "Planned Partitions") {  // a HashAggregate
      if (key == "Batches") {
        node.extra["HashAgg Batches"] = std::string(value);
        facts.hash_aggregate_batches = true;
        spilled_if(node, *n > 1);
      } else if (key == "Memory Usage") {
        node.extra["Peak Memory Usage"] = std::string(without_unit(value));
      } else if (key == "Disk Usage") {
        node.extra["Disk Usage"] = std::string(without_unit(value));
      }
    } else if (first_key == "Hits") {  // a Memoize
      if (key == "Hits") node.extra["Cache Hits"] = std::string(value);
      if (key == "Misses") node.extra["Cache Misses"] = std::string(value);
      if (key == "Memory Usage") node.extra["Peak Memory Usage"] = std::string(without_unit(value));
    }
  }
  return std::nullopt;
}

// "Full-sort Groups: 1  Sort Method: quicksort  Average Memory: 26kB  Peak Memory: 26kB" (an
// Incremental Sort; "Average Disk" when a group went to disk).
void read_sort_groups(const Pairs& parts, model::PlanNode& node) {
  bool disk = false;
  for (const auto& [key, value] : parts) {
    if ((key == "Sort Method" || key == "Sort Methods") && node.sort_method.empty()) {
      auto methods = split_list(value);
      if (!methods.empty()) node.sort_method = methods.front();
    }
    if (key == "Average Disk" || key == "Peak Disk") disk = true;
  }
  spilled_if(node, disk);
}

std::optional<core::Error> read_property(const Line& line, std::string_view key, std::string_view value,
                                         model::PlanNode& node, NodeFacts& facts) {
  auto as_number = [&](std::optional<double>& field) -> std::optional<core::Error> {
    field = number(value);
    return field ? std::nullopt : number_error(line, key);
  };
  auto as_integer = [&](std::optional<int>& field) -> std::optional<core::Error> {
    auto parsed = util::parse_int<int>(value);
    if (!parsed) return number_error(line, key);
    field = parsed;
    return std::nullopt;
  };
  if (key == "Index Cond") node.index_condition = std::string(value);
  if (key == "Recheck Cond") facts.recheck_condition = std::string(value);
  if (key == "Filter") node.filter = std::string(value);
  if (key == "Rows Removed by Filter") return as_number(node.rows_removed_by_filter);
  if (key == "Rows Removed by Index Recheck") return as_number(node.rows_removed_by_index_recheck);
  if (key == "Heap Fetches") return as_number(node.heap_fetches);
  if (key == "Workers Planned") return as_integer(node.workers_planned);
  if (key == "Workers Launched") return as_integer(node.workers_launched);
  if (key == "Sort Key") node.sort_keys = split_list(value);
  if (key == "Buffers") return read_buffers(line, value, node);
  if (key == "Rows Removed by Join Filter") {
    if (!number(value)) return number_error(line, key);
    node.extra[std::string(key)] = std::string(value);
  }
  if (key == "Heap Blocks") {  // "exact=40 lossy=3", each only when not zero
    for (const auto& part : split_list(value)) {
      std::string_view rest = part;
      while (!rest.empty()) {
        size_t space = rest.find(' ');
        std::string_view token = rest.substr(0, space);
        rest = space == std::string_view::npos ? std::string_view() : rest.substr(space + 1);
        std::string_view count = token.substr(token.find('=') + 1);
        if (token.find('=') == std::string_view::npos || !number(count)) return number_error(line, key);
        if (starts_with(token, "exact=")) node.extra["Exact Heap Blocks"] = std::string(count);
        if (starts_with(token, "lossy=")) node.extra["Lossy Heap Blocks"] = std::string(count);
      }
    }
  }
  for (std::string_view extra : kExtraKeys) {
    if (key == extra) node.extra[std::string(key)] = std::string(value);
  }
  if (key == "Full-sort Groups" || key == "Pre-sorted Groups") {
    read_sort_groups(segments(fmt::format("{}: {}", key, value)), node);
  }
  if (key == "Sort Method" || key == "Buckets" || key == "Batches" || key == "Planned Partitions" || key == "Hits") {
    return read_segments(line, key, segments(fmt::format("{}: {}", key, value)), node, facts);
  }
  // "Worker 0:  Sort Method: external merge  Disk: 4000kB": a parallel worker's own sort.
  if (starts_with(key, "Worker ") && starts_with(value, "Sort Method: ")) {
    std::string saved_method = node.sort_method;
    auto saved_space = node.sort_space_kb;
    auto error = read_segments(line, "Sort Method", segments(value), node, facts);
    if (!saved_method.empty()) node.sort_method = saved_method;
    node.sort_space_kb = saved_space;  // JSON's "Sort Space Used" is the leader's
    return error;
  }
  return std::nullopt;
}

struct PlanFacts {
  bool buffers = false;  // BUFFERS was on: JSON gives every node its counts, zeros included
  bool timing = false;   // TIMING was on: a node never executed has times of 0 in JSON
};

// What FORMAT JSON says where the text is silent: zero counts, the defaults of a node kind.
void finish(model::PlanNode& node, NodeFacts& facts, const PlanFacts& plan) {
  if (facts.node_type == "Bitmap Heap Scan" && node.index_condition.empty())
    node.index_condition = facts.recheck_condition;
  if (!facts.recheck_condition.empty() && facts.recheck_condition != node.index_condition) {
    node.extra["Recheck Cond"] = facts.recheck_condition;
  }
  std::string raw;
  for (std::string_view line : facts.lines) raw += (raw.empty() ? "" : "\n") + std::string(line);
  node.raw = std::move(raw);
  if (!node.actual_loops) return;  // not analyzed: nothing was left out
  auto zero = [](std::optional<double>& field) {
    if (!field) field = 0;
  };
  auto zero_extra = [&](const char* key) { node.extra.emplace(key, "0"); };
  if (!node.filter.empty()) zero(node.rows_removed_by_filter);
  const bool index_scan = facts.node_type == "Index Scan" || facts.node_type == "Index Only Scan";
  if ((index_scan && !node.index_condition.empty()) ||
      (facts.node_type == "Bitmap Heap Scan" && !facts.recheck_condition.empty())) {
    zero(node.rows_removed_by_index_recheck);
  }
  if (facts.node_type == "Index Only Scan") zero(node.heap_fetches);
  if (node.extra.count("Join Filter")) zero_extra("Rows Removed by Join Filter");
  if (facts.node_type == "Bitmap Heap Scan") {
    zero_extra("Exact Heap Blocks");
    zero_extra("Lossy Heap Blocks");
  }
  if (facts.hash_aggregate_batches) zero_extra("Disk Usage");
  if (plan.buffers) {
    zero(node.shared_hit_blocks);
    zero(node.shared_read_blocks);
    zero(node.temp_read_blocks);
    zero(node.temp_written_blocks);
  }
}

// A child's relationship to its parent where JSON names one that the text leaves to the layout.
std::string member_relationship(const std::string& parent_type) {
  if (parent_type == "Append" || parent_type == "Merge Append" || parent_type == "BitmapAnd" ||
      parent_type == "BitmapOr") {
    return "Member";
  }
  if (parent_type == "Subquery Scan") return "Subquery";
  return {};
}

// "Planning Time: 0.339 ms", "Execution Time: ...", "JIT:" and its lines, after the tree.
std::optional<core::Error> read_summary(const Line& line, std::string& section, model::Plan& plan) {
  if (starts_with(line.text, "(") && line.text.ends_with(" rows)")) return std::nullopt;  // psql's footer
  if (starts_with(line.text, "->")) {
    return malformed(line.number, "the plan's summary (Planning Time, Execution Time, JIT) after its tree, not a node");
  }
  auto kv = key_value(line.text);
  if (!kv) return malformed(line.number, "\"Name: value\" in the plan's summary");
  auto [key, value] = *kv;
  if (line.indent == 0 || section.empty()) section = std::string(key);
  if (key == "Planning Time" || key == "Execution Time" || key == "Total runtime") {
    auto ms = number(value);
    if (!ms) return number_error(line, key);
    (key == "Planning Time" ? plan.planning_ms : plan.execution_ms) = ms;
  } else if (section == "JIT" && key == "Functions") {
    auto functions = number(value);
    if (!functions) return number_error(line, key);
    plan.counters["JIT Functions"] = *functions;
  } else if (section == "JIT" && key == "Timing") {
    // "Generation 0.367 ms, Inlining 107.834 ms, Optimization 45.748 ms, Emission 31.574 ms, Total 185.522 ms"
    double sum = 0;
    std::optional<double> total;
    for (const std::string& phase : split_list(value)) {
      std::string_view rest = phase;
      size_t space = rest.find(' ');
      if (space == std::string_view::npos) return number_error(line, key);
      std::string_view name = rest.substr(0, space);
      std::string_view ms_text = rest.substr(space + 1);
      ms_text = ms_text.substr(0, ms_text.find(" ms"));
      auto ms = util::parse_double(ms_text);
      if (!ms) return number_error(line, key);
      if (name == "Total") {
        total = ms;
      } else {
        sum += *ms;
      }
    }
    plan.jit_ms = total ? *total : sum;
  }
  return std::nullopt;
}

// The first line of the tree: after psql's header and auto_explain's "Query Text:" (which may run
// over several lines) and "Query Parameters:".
size_t tree_start(const std::vector<Line>& lines) {
  size_t i = 0;
  auto skip_blank = [&] {
    while (i < lines.size() && lines[i].text.empty()) ++i;
  };
  skip_blank();
  if (i < lines.size() && lines[i].text == "QUERY PLAN") ++i;
  if (i < lines.size() && !lines[i].text.empty() && lines[i].text.find_first_not_of('-') == std::string_view::npos) ++i;
  skip_blank();
  if (i < lines.size() && starts_with(lines[i].text, "Query Text:")) {
    ++i;
    while (i < lines.size() && !is_node_line(lines[i].text) && !starts_with(lines[i].text, "Query Parameters:")) ++i;
  }
  if (i < lines.size() && starts_with(lines[i].text, "Query Parameters:")) ++i;
  skip_blank();
  return i;
}

struct Open {
  model::PlanNode* node;
  size_t column;  // where the node's name starts; its properties and children are right of it
  NodeFacts facts;
  std::string header;  // a subplan header ("InitPlan 1 (returns $0)") waiting for its node
};

std::optional<core::Error> read_node_line(const Line& line, std::string_view text, model::PlanNode& node,
                                          NodeFacts& facts, const PlanFacts& plan) {
  size_t details = details_start(text);
  std::string_view name = text.substr(0, details);
  while (name.ends_with(' ')) name.remove_suffix(1);
  if (name.empty()) return malformed(line.number, "a node's name (such as \"Seq Scan on t\")");
  read_name_part(name, node, facts);
  facts.lines.push_back(text);
  if (details == std::string_view::npos) return std::nullopt;  // COSTS OFF, not analyzed
  return read_details(line, text.substr(details), node, plan.timing);
}

}  // namespace

core::Expected<model::Plan> parse_postgres_explain_text(std::string_view input) {
  const std::vector<Line> lines = split_lines(input);
  size_t i = tree_start(lines);
  if (i == lines.size()) {
    return malformed(lines.empty() ? 1 : lines.back().number,
                     "a plan node (such as \"Seq Scan on t  (cost=0.00..1.00 rows=1 width=4)\")");
  }
  PlanFacts plan_facts;
  for (size_t k = i; k < lines.size(); ++k) {
    plan_facts.buffers = plan_facts.buffers || starts_with(lines[k].text, "Buffers: ");
    plan_facts.timing = plan_facts.timing || lines[k].text.find("(actual time=") != std::string_view::npos;
  }

  model::Plan plan;
  plan.engine = "postgres";
  plan.format = "postgres-text";
  plan.raw = std::string(input);
  const size_t base = lines[i].indent;
  std::vector<Open> open;
  {
    std::string_view text = lines[i].text;
    size_t column = base;
    if (consume(text, "->")) {
      while (consume(text, " ")) ++column;
      column += 2;
    }
    open.push_back({&plan.root, column, {}, {}});
    if (auto error = read_node_line(lines[i], text, plan.root, open.back().facts, plan_facts)) return *error;
  }
  auto close_deeper = [&](size_t indent) {
    while (!open.empty() && open.back().column >= indent) {
      finish(*open.back().node, open.back().facts, plan_facts);
      open.pop_back();
    }
  };
  bool summary = false;
  std::string section;
  for (++i; i < lines.size(); ++i) {
    const Line& line = lines[i];
    if (line.text.empty()) continue;
    const size_t indent = line.indent < base ? 0 : line.indent - base;
    if (!summary) close_deeper(line.indent);
    if (summary || open.empty()) {
      summary = true;
      Line relative = line;
      relative.indent = indent;
      if (auto error = read_summary(relative, section, plan)) return *error;
      continue;
    }
    Open& parent = open.back();
    std::string_view text = line.text;
    if (consume(text, "->")) {
      size_t column = line.indent + 2;
      while (consume(text, " ")) ++column;
      parent.node->children.emplace_back();
      model::PlanNode& child = parent.node->children.back();
      std::string relationship = member_relationship(parent.facts.node_type);
      if (!parent.header.empty()) {
        relationship = starts_with(parent.header, "SubPlan") ? "SubPlan" : "InitPlan";  // CTEs are InitPlans
        child.extra["Subplan Name"] = parent.header;
        parent.header.clear();
      }
      if (!relationship.empty()) child.extra["Parent Relationship"] = relationship;
      open.push_back({&child, column, {}, {}});
      if (auto error = read_node_line(line, text, child, open.back().facts, plan_facts)) return *error;
      continue;
    }
    if (starts_with(text, "InitPlan ") || starts_with(text, "SubPlan ") || starts_with(text, "CTE ")) {
      parent.header = std::string(text);
      continue;
    }
    auto kv = key_value(text);
    if (!kv) {
      return malformed(line.number,
                       "a property (\"Name: value\"), a child node (\"->  ...\") or a subplan header "
                       "(InitPlan, SubPlan, CTE)");
    }
    parent.facts.lines.push_back(text);
    if (auto error = read_property(line, kv->first, kv->second, *parent.node, parent.facts)) return *error;
  }
  close_deeper(0);
  plan.analyzed = plan.execution_ms.has_value() || plan.root.actual_loops.has_value();
  return plan;
}

}  // namespace dbvet::engines::postgres
