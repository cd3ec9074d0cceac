#include "analyzer/engines/mysql/mysql_explain.hpp"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <optional>
#include <regex>
#include <set>
#include <string_view>
#include <vector>

#include "fmt/format.h"
#include "nlohmann/json.hpp"

namespace dbvet::engines::mysql {
namespace {

using Json = nlohmann::ordered_json;  // keeps the engine's member order, so children stay in plan order

enum class Dialect { mariadb, mysql8 };

const char* dialect_label(Dialect dialect) { return dialect == Dialect::mariadb ? "MariaDB" : "MySQL 8"; }

// Numbers come as JSON numbers (MariaDB) or as strings such as "100.00" (MySQL cost_info, filtered).
std::optional<double> number(const Json& object, const char* key) {
  auto it = object.find(key);
  if (it == object.end()) return std::nullopt;
  if (it->is_number()) return it->get<double>();
  if (it->is_string()) {
    const std::string& text = it->get_ref<const std::string&>();
    char* end = nullptr;
    double value = std::strtod(text.c_str(), &end);
    if (end != text.c_str()) return value;
  }
  return std::nullopt;
}

std::string text(const Json& object, const char* key) {
  auto it = object.find(key);
  if (it == object.end()) return {};
  if (it->is_string()) return it->get<std::string>();
  if (it->is_number() || it->is_boolean()) return it->dump();
  return {};
}

// true, or a non-zero number (MariaDB writes "delete": 1).
bool flag(const Json& object, const char* key) {
  auto it = object.find(key);
  if (it == object.end()) return false;
  if (it->is_boolean()) return it->get<bool>();
  return it->is_number() && it->get<double>() != 0;
}

std::vector<std::string> strings(const Json& object, const char* key) {
  std::vector<std::string> out;
  auto it = object.find(key);
  if (it == object.end() || !it->is_array()) return out;
  for (const auto& item : *it) {
    if (item.is_string()) out.push_back(item.get<std::string>());
  }
  return out;
}

model::AccessType access_of(const std::string& access_type) {
  std::string type = access_type;
  std::transform(type.begin(), type.end(), type.begin(), [](unsigned char c) { return std::tolower(c); });
  if (type == "all") return model::AccessType::full_scan;
  if (type == "index") return model::AccessType::index_full_scan;
  if (type == "range" || type == "ref" || type == "ref_or_null" || type == "index_merge" || type == "fulltext" ||
      type == "index_subquery" || type == "unique_subquery") {
    return model::AccessType::index_scan;
  }
  if (type == "const" || type == "eq_ref" || type == "system") return model::AccessType::lookup;
  return model::AccessType::other;
}

// Members that hold plan structure (children), as opposed to attributes of the node itself.
const std::set<std::string>& structural_keys() {
  static const std::set<std::string> keys{
      "query_block",
      "table",
      "nested_loop",
      "filesort",
      "temporary_table",
      "read_sorted_file",
      "ordering_operation",
      "grouping_operation",
      "duplicates_removal",
      "buffer_result",
      "union_result",
      "query_specifications",
      "subqueries",
      "expression_cache",
      "materialized",
      "materialized_from_subquery",
      "attached_subqueries",
      "optimized_away_subqueries",
      "order_by_subqueries",
      "group_by_subqueries",
      "having_subqueries",
      "select_list_subqueries",
      "update_value_subqueries",
      "insert_update_subqueries",
      "insert_from",
      "windowing",
      "derived",
      "block-nl-join",
      "duplicate_removal",
      "having_condition",
  };
  return keys;
}

bool is_subquery_list(const std::string& key) {
  return key == "subqueries" || (key.size() > 11 && key.compare(key.size() - 11, 11, "_subqueries") == 0);
}

// The node's own members, without the children, as the engine wrote them.
std::string raw_of(const Json& object) {
  if (!object.is_object()) return object.dump();
  Json copy = Json::object();
  for (auto it = object.begin(); it != object.end(); ++it) {
    if (!structural_keys().count(it.key())) copy[it.key()] = it.value();
  }
  return copy.dump();
}

class Walker {
 public:
  explicit Walker(Dialect dialect) : dialect_(dialect) {}

  bool analyzed = false;

  model::PlanNode query_block(const Json& block, const std::string& label = "") {
    model::PlanNode node;
    auto id = number(block, "select_id");
    node.operation = label.empty() ? "Query Block" : label;
    if (id) node.operation += fmt::format(" #{}", static_cast<long long>(*id));
    if (auto it = block.find("cost_info"); it != block.end() && it->is_object()) {
      node.total_cost = number(*it, "query_cost");
    }
    if (!node.total_cost) node.total_cost = number(block, "cost");
    read_analyze_totals(block, node);
    if (auto message = text(block, "message"); !message.empty()) node.extra["message"] = message;
    if (auto having = text(block, "having_condition"); !having.empty()) node.extra["having"] = having;
    node.raw = raw_of(block);
    collect(block, node.children);
    return node;
  }

  // Appends the plan nodes found in the structural members of `object`, in the engine's order.
  void collect(const Json& object, std::vector<model::PlanNode>& out) {
    if (!object.is_object()) return;
    for (auto it = object.begin(); it != object.end(); ++it) {
      const std::string& key = it.key();
      const Json& value = it.value();
      if (key == "query_block" && value.is_object()) {
        out.push_back(query_block(value));
      } else if (key == "table" && value.is_object()) {
        out.push_back(table(value));
      } else if (key == "nested_loop" && value.is_array()) {
        std::vector<model::PlanNode> members;
        for (const auto& item : value) collect(item, members);
        if (members.size() == 1) {
          out.push_back(std::move(members.front()));
        } else if (!members.empty()) {
          model::PlanNode loop;
          loop.operation = "Nested Loop";
          loop.join_type = "Inner";
          loop.children = std::move(members);
          out.push_back(std::move(loop));
        }
      } else if (key == "read_sorted_file" || key == "expression_cache" || key == "insert_from" ||
                 key == "materialized" || key == "materialized_from_subquery" || key == "derived") {
        // Containers that add little of their own: their children stand in their place.
        std::vector<model::PlanNode> members;
        collect(value, members);
        for (auto& member : members) {
          if (key != "read_sorted_file") member.extra["via"] = key;
          if (key == "expression_cache") member.extra["expression_cache"] = text(value, "state");
          out.push_back(std::move(member));
        }
      } else if (is_subquery_list(key) && value.is_array()) {
        for (const auto& item : value) {
          std::vector<model::PlanNode> members;
          collect(item, members);
          for (auto& member : members) {
            member.extra["subquery"] = key;
            if (item.contains("dependent")) member.extra["dependent"] = text(item, "dependent");
            out.push_back(std::move(member));
          }
        }
      } else if (key == "query_specifications" && value.is_array()) {
        for (const auto& item : value) collect(item, out);
      } else if (key == "filesort" || key == "temporary_table" || key == "ordering_operation" ||
                 key == "grouping_operation" || key == "duplicates_removal" || key == "buffer_result" ||
                 key == "union_result" || key == "windowing") {
        // A member of another shape ("windowing": 1, found by the fuzzer) is no operation.
        if (value.is_object()) out.push_back(operation(key, value));
      }
    }
  }

 private:
  Dialect dialect_;

  void read_analyze_totals(const Json& object, model::PlanNode& node) {
    auto loops = number(object, "r_loops");
    auto total_ms = number(object, "r_total_time_ms");
    if (loops || total_ms) analyzed = true;
    if (loops) node.actual_loops = loops;
    if (total_ms) node.actual_total_ms = *total_ms / std::max(1.0, loops.value_or(1));
  }

  model::PlanNode operation(const std::string& key, const Json& object) {
    static const std::map<std::string, std::string> names{
        {"filesort", "Filesort"},
        {"temporary_table", "Temporary Table"},
        {"ordering_operation", "Ordering"},
        {"grouping_operation", "Grouping"},
        {"duplicates_removal", "Duplicates Removal"},
        {"buffer_result", "Buffer Result"},
        {"union_result", "Union Result"},
        {"windowing", "Windowing"},
    };
    model::PlanNode node;
    node.operation = names.at(key);
    if (key == "filesort") node.uses_filesort = true;
    if (key == "temporary_table") node.uses_temporary = true;
    if (flag(object, "using_filesort")) node.uses_filesort = true;
    if (flag(object, "using_temporary_table")) node.uses_temporary = true;
    if (auto sort_key = text(object, "sort_key"); !sort_key.empty()) node.sort_keys.push_back(sort_key);
    if (auto it = object.find("cost_info"); it != object.end() && it->is_object()) {
      if (auto sort_cost = number(*it, "sort_cost")) node.extra["sort_cost"] = fmt::format("{}", *sort_cost);
    }
    if (key == "union_result") {
      node.relation = text(object, "table_name");
      node.access = access_of(text(object, "access_type"));
    }
    read_analyze_totals(object, node);
    if (auto rows = number(object, "r_output_rows")) node.actual_rows = rows;
    if (auto mode = text(object, "r_sort_mode"); !mode.empty()) node.sort_method = mode;
    if (object.contains("r_used_priority_queue")) {
      node.extra["priority_queue"] = text(object, "r_used_priority_queue");
    }
    if (auto passes = number(object, "r_sort_passes"); passes && *passes > 0) {
      node.sort_spilled = true;  // merge passes mean the sort buffer overflowed to disk
      node.extra["sort_passes"] = fmt::format("{}", *passes);
    }
    if (auto buffer = text(object, "r_buffer_size"); !buffer.empty()) node.extra["sort_buffer"] = buffer;
    node.raw = raw_of(object);
    collect(object, node.children);
    return node;
  }

  model::PlanNode table(const Json& object) {
    model::PlanNode node;
    std::string access_type = text(object, "access_type");
    node.operation = access_type;
    node.access = access_type.empty() ? model::AccessType::none : access_of(access_type);
    if (node.operation.empty()) node.operation = text(object, "message");  // "No tables used"
    if (node.operation.empty()) node.operation = "table";
    if (flag(object, "using_index") && node.access != model::AccessType::lookup) {
      node.access = model::AccessType::index_only_scan;
    }
    node.relation = text(object, "table_name");
    node.index = text(object, "key");
    node.index_columns = strings(object, "used_key_parts");
    node.index_condition = text(object, "index_condition");
    node.filter = text(object, "attached_condition");
    if (auto possible = strings(object, "possible_keys"); !possible.empty()) {
      node.extra["possible_keys"] = fmt::format("{}", fmt::join(possible, ", "));
    }
    if (auto ref = strings(object, "ref"); !ref.empty()) node.extra["ref"] = fmt::format("{}", fmt::join(ref, ", "));
    if (auto join_buffer = text(object, "using_join_buffer"); !join_buffer.empty()) {
      node.extra["join_buffer"] = join_buffer;
      node.join_type = join_buffer;
    }
    if (auto it = object.find("block-nl-join"); it != object.end() && it->is_object()) {
      node.extra["join_buffer"] = text(*it, "join_type");
      if (auto condition = text(*it, "attached_condition"); !condition.empty()) node.filter = condition;
    }
    for (const char* what : {"insert", "update", "delete"}) {
      if (flag(object, what)) node.extra["dml"] = what;
    }

    if (dialect_ == Dialect::mysql8) {
      node.rows_examined = number(object, "rows_examined_per_scan");
      if (!node.rows_examined) node.rows_examined = number(object, "rows");  // 5.6-style wording
      node.plan_rows = node.rows_examined;
      if (auto produced = number(object, "rows_produced_per_join")) {
        node.extra["rows_produced_per_join"] = fmt::format("{}", *produced);
      }
      if (auto it = object.find("cost_info"); it != object.end() && it->is_object()) {
        node.total_cost = number(*it, "prefix_cost");
        if (auto read = number(*it, "read_cost")) node.extra["read_cost"] = fmt::format("{}", *read);
        if (auto eval = number(*it, "eval_cost")) node.extra["eval_cost"] = fmt::format("{}", *eval);
        if (auto data = text(*it, "data_read_per_join"); !data.empty()) node.extra["data_read_per_join"] = data;
      }
      if (auto columns = strings(object, "used_columns"); !columns.empty()) {
        node.extra["used_columns"] = fmt::format("{}", fmt::join(columns, ", "));
      }
    } else {
      node.rows_examined = number(object, "rows");
      node.plan_rows = node.rows_examined;
      node.total_cost = number(object, "cost");
    }
    node.filtered_percent = number(object, "filtered");

    // MariaDB ANALYZE: r_rows is the average per loop, times are totals over every loop.
    // Single-table UPDATE/DELETE print r_rows without r_loops: one loop.
    auto loops = number(object, "r_loops");
    if (!loops && object.contains("r_rows")) loops = 1.0;
    if (loops) {
      analyzed = true;
      node.actual_loops = loops;
      node.actual_rows = number(object, "r_rows").value_or(0);
      auto table_ms = number(object, "r_table_time_ms");
      auto other_ms = number(object, "r_other_time_ms");
      auto total_ms = number(object, "r_total_time_ms");
      double ms = total_ms.value_or(table_ms.value_or(0) + other_ms.value_or(0));
      if (total_ms || table_ms || other_ms) node.actual_total_ms = *loops > 0 ? ms / *loops : ms;
      if (auto r_filtered = number(object, "r_filtered"); r_filtered && node.actual_rows) {
        node.rows_removed_by_filter = *node.actual_rows * (1.0 - *r_filtered / 100.0);
        node.extra["r_filtered"] = fmt::format("{}", *r_filtered);
      }
      if (auto it = object.find("r_engine_stats"); it != object.end() && it->is_object()) {
        if (auto pages = number(*it, "pages_accessed")) node.shared_hit_blocks = pages;
        if (auto read = number(*it, "pages_read_count")) node.shared_read_blocks = read;
        if (auto updated = number(*it, "pages_updated")) node.extra["pages_updated"] = fmt::format("{}", *updated);
      }
    }
    node.raw = raw_of(object);
    collect(object, node.children);
    return node;
  }
};

core::Error input_error(Dialect dialect, const std::string& what) {
  return core::make_error(core::ErrorKind::input,
                          fmt::format("malformed {} EXPLAIN FORMAT=JSON: {}", dialect_label(dialect), what));
}

// A JSON string holding `raw` byte for byte.
void append_json_string(std::string& out, std::string_view raw) {
  out += '"';
  for (char c : raw) {
    auto byte = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (byte < 0x20) {
      out += fmt::format("\\u{:04x}", byte);
    } else {
      out += c;
    }
  }
  out += '"';
}

// One line of MariaDB's writer with its string re-escaped, or nullopt when it holds no string.
std::optional<std::string> escape_mariadb_line(std::string_view line) {
  std::size_t indent = line.find_first_not_of(" \t");
  if (indent == std::string_view::npos || line[indent] != '"') return std::nullopt;
  std::size_t last = line.find_last_not_of(" \t\r");
  bool comma = line[last] == ',';
  std::string_view body = line.substr(indent, last + 1 - indent - (comma ? 1 : 0));
  std::string out(line.substr(0, indent));
  // A member: "key": value, the key being a plain word.
  std::size_t key_end = 1;
  while (key_end < body.size() && (std::isalnum(static_cast<unsigned char>(body[key_end])) || body[key_end] == '_')) {
    ++key_end;
  }
  if (key_end > 1 && body.substr(key_end).starts_with("\": ")) {
    out += body.substr(0, key_end + 3);
    body.remove_prefix(key_end + 3);
    if (body.size() >= 4 && body.starts_with("[\"") && body.ends_with("\"]")) {
      // ["a", "b"]: split at `", "`, which a name could hold too; such a plan stays unread.
      std::string_view inner = body.substr(2, body.size() - 4);
      out += '[';
      for (bool first = true;; first = false) {
        auto separator = inner.find("\", \"");
        if (!first) out += ", ";
        append_json_string(out, inner.substr(0, separator));
        if (separator == std::string_view::npos) break;
        inner.remove_prefix(separator + 4);
      }
      out += ']';
    } else if (body.size() >= 2 && body.front() == '"' && body.back() == '"') {
      append_json_string(out, body.substr(1, body.size() - 2));
    } else {
      return std::nullopt;
    }
  } else if (body.size() >= 2 && body.back() == '"') {
    append_json_string(out, body.substr(1, body.size() - 2));  // an element of a multi-line array
  } else {
    return std::nullopt;
  }
  if (comma) out += ',';
  return out;
}

// MariaDB (10.x) writes names and condition text into EXPLAIN FORMAT=JSON without escaping them, so a
// table named  i"dx\  makes the whole plan invalid JSON. Its writer puts one member per line
// ("key": "value", or a one-line array of strings) and one string per line in longer arrays, so each
// such line's string is re-read as the raw bytes between its first and last quote and written again
// escaped. Only used when the plan does not parse as it is: escaped output is left as it was.
std::optional<std::string> escape_mariadb_json_strings(std::string_view input) {
  std::string out;
  out.reserve(input.size() + 64);
  bool changed = false;
  while (true) {
    std::size_t end = input.find('\n');
    std::string_view line = input.substr(0, end);
    auto escaped = escape_mariadb_line(line);
    if (escaped && *escaped != line) {
      changed = true;
      out += *escaped;
    } else {
      out += line;
    }
    if (end == std::string_view::npos) break;
    out += '\n';
    input.remove_prefix(end + 1);
  }
  if (!changed) return std::nullopt;
  return out;
}

core::Expected<model::Plan> parse_json_plan(const std::string& given, Dialect dialect) {
  Json doc;
  std::string input = given;
  try {
    // MySQL writes end markers ("} /* query_block */") when end_markers_in_json=on: comments are allowed.
    doc = Json::parse(input, nullptr, true, true);
  } catch (const Json::parse_error& e) {
    std::string message = e.what();
    if (auto colon = message.rfind(": "); colon != std::string::npos) message = message.substr(colon + 2);
    auto error = input_error(dialect, fmt::format("at byte {}: {}", e.byte, message));
    if (dialect != Dialect::mariadb) return error;
    auto escaped = escape_mariadb_json_strings(given);
    if (!escaped) return error;
    doc = Json::parse(*escaped, nullptr, false, true);
    if (doc.is_discarded()) return error;
    input = std::move(*escaped);
  }
  if (!doc.is_object()) return input_error(dialect, "expected a JSON object at the top level");
  auto block = doc.find("query_block");
  if (block == doc.end() || !block->is_object()) {
    return input_error(dialect, "expected a \"query_block\" object at the top level");
  }
  model::Plan plan;
  plan.engine = dialect == Dialect::mariadb ? "mariadb" : "mysql";
  plan.format = dialect == Dialect::mariadb ? "mariadb-json" : "mysql-json";
  plan.raw = input;
  Walker walker(dialect);
  plan.root = walker.query_block(*block);
  plan.analyzed = walker.analyzed;
  if (auto it = doc.find("query_optimization"); it != doc.end() && it->is_object()) {
    plan.planning_ms = number(*it, "r_total_time_ms");
  }
  if (plan.analyzed) plan.execution_ms = number(*block, "r_total_time_ms");
  return plan;
}

}  // namespace

core::Expected<model::Plan> parse_mariadb_explain_json(const std::string& text) {
  return parse_json_plan(text, Dialect::mariadb);
}

core::Expected<model::Plan> parse_mysql8_explain_json(const std::string& text) {
  return parse_json_plan(text, Dialect::mysql8);
}

std::string detect_mysql_explain_dialect(const std::string& text) {
  // Members MySQL writes and MariaDB never does; MariaDB-only ones decide the other way.
  for (const char* marker :
       {"\"rows_examined_per_scan\"", "\"cost_info\"", "\"ordering_operation\"", "\"grouping_operation\"",
        "\"rows_produced_per_join\"", "\"used_columns\"", "/* query_block */"}) {
    if (text.find(marker) != std::string::npos) return "mysql";
  }
  return "mariadb";
}

core::Expected<model::Plan> parse_mysql_explain_json(const std::string& text) {
  return detect_mysql_explain_dialect(text) == "mysql" ? parse_mysql8_explain_json(text)
                                                       : parse_mariadb_explain_json(text);
}

core::Expected<model::Plan> parse_mysql8_explain_tree(const std::string& text) {
  // Lines look like:  "    -> Table scan on t  (cost=0.35 rows=1) (actual time=0.02..0.03 rows=3 loops=1)"
  static const std::regex cost_re(R"(\(cost=([0-9.eE+-]+)(?:\.\.([0-9.eE+-]+))? rows=([0-9.eE+-]+)\))");
  static const std::regex actual_re(
      R"(\(actual time=([0-9.eE+-]+)\.\.([0-9.eE+-]+) rows=([0-9.eE+-]+) loops=([0-9.eE+-]+)\))");
  static const std::regex table_re(R"((?:scan|lookup|search) on (\S+)(?: using (\S+))?)");
  model::Plan plan;
  plan.engine = "mysql";
  plan.format = "mysql-tree";
  plan.raw = text;
  std::vector<model::PlanNode> roots;
  std::vector<std::pair<size_t, std::vector<size_t>>> stack;  // indent, path of child indexes from roots
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    std::string line = text.substr(start, end - start);
    start = end + 1;
    auto arrow = line.find("-> ");
    if (arrow == std::string::npos) continue;
    model::PlanNode node;
    std::string body = line.substr(arrow + 3);
    auto paren = std::min(body.find(" (cost="), body.find(" (actual"));
    node.operation = body.substr(0, paren);
    while (!node.operation.empty() && node.operation.back() == ' ') node.operation.pop_back();
    node.raw = body;
    std::smatch m;
    if (std::regex_search(body, m, cost_re)) {
      node.total_cost = std::strtod(m[2].matched ? m[2].str().c_str() : m[1].str().c_str(), nullptr);
      if (m[2].matched) node.startup_cost = std::strtod(m[1].str().c_str(), nullptr);
      node.plan_rows = std::strtod(m[3].str().c_str(), nullptr);
    }
    if (std::regex_search(body, m, actual_re)) {
      plan.analyzed = true;
      node.actual_startup_ms = std::strtod(m[1].str().c_str(), nullptr);
      node.actual_total_ms = std::strtod(m[2].str().c_str(), nullptr);
      node.actual_rows = std::strtod(m[3].str().c_str(), nullptr);
      node.actual_loops = std::strtod(m[4].str().c_str(), nullptr);
    }
    if (node.operation.rfind("Table scan", 0) == 0)
      node.access = model::AccessType::full_scan;
    else if (node.operation.rfind("Index scan", 0) == 0)
      node.access = model::AccessType::index_full_scan;
    else if (node.operation.rfind("Covering index", 0) == 0)
      node.access = model::AccessType::index_only_scan;
    else if (node.operation.rfind("Index lookup", 0) == 0 || node.operation.rfind("Index range", 0) == 0)
      node.access = model::AccessType::index_scan;
    else if (node.operation.rfind("Single-row", 0) == 0)
      node.access = model::AccessType::lookup;
    if (std::regex_search(node.operation, m, table_re)) {
      node.relation = m[1].str();
      if (m[2].matched) node.index = m[2].str();
    }
    if (node.operation.rfind("Sort", 0) == 0) node.uses_filesort = true;
    if (node.operation.find("temporary table") != std::string::npos) node.uses_temporary = true;
    if (node.operation.rfind("Filter: ", 0) == 0) node.filter = node.operation.substr(8);

    while (!stack.empty() && stack.back().first >= arrow) stack.pop_back();
    std::vector<size_t> path;
    if (stack.empty()) {
      roots.push_back(std::move(node));
      path = {roots.size() - 1};
    } else {
      path = stack.back().second;
      model::PlanNode* parent = &roots[path[0]];
      for (size_t i = 1; i < path.size(); ++i) parent = &parent->children[path[i]];
      parent->children.push_back(std::move(node));
      path.push_back(parent->children.size() - 1);
    }
    stack.emplace_back(arrow, path);
  }
  if (roots.empty()) {
    return core::make_error(core::ErrorKind::input,
                            "malformed MySQL EXPLAIN ANALYZE text: expected lines starting with \"->\"");
  }
  if (roots.size() == 1) {
    plan.root = std::move(roots.front());
  } else {
    plan.root.operation = "Plan";
    plan.root.children = std::move(roots);
  }
  return plan;
}

}  // namespace dbvet::engines::mysql
