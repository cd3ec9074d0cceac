#include "analyzer/engines/sqlite/sqlite_plan_parser.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <map>
#include <optional>
#include <regex>
#include <set>

#include "fmt/format.h"

namespace dbvet::engines::sqlite {
namespace {

using model::AccessType;
using model::PlanNode;

bool starts_with(std::string_view text, std::string_view prefix) { return text.substr(0, prefix.size()) == prefix; }

bool consume(std::string_view& text, std::string_view prefix) {
  if (!starts_with(text, prefix)) return false;
  text.remove_prefix(prefix.size());
  return true;
}

std::string_view trim(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) text.remove_prefix(1);
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.remove_suffix(1);
  return text;
}

std::string_view next_word(std::string_view& text) {
  auto end = text.find(' ');
  auto word = text.substr(0, end);
  text = end == std::string_view::npos ? std::string_view{} : text.substr(end + 1);
  return word;
}

// "a=? AND b>? AND b<?" -> {a, b}
std::vector<std::string> condition_columns(std::string_view condition) {
  std::vector<std::string> columns;
  while (!condition.empty()) {
    auto and_pos = condition.find(" AND ");
    auto term = trim(condition.substr(0, and_pos));
    auto op = term.find_first_of("=<>!");
    auto space = term.find(' ');  // "a IN (...)", "a IS NULL"
    auto end = std::min(op, space);
    std::string column(trim(term.substr(0, end)));
    if (!column.empty() && std::find(columns.begin(), columns.end(), column) == columns.end()) {
      columns.push_back(column);
    }
    if (and_pos == std::string_view::npos) break;
    condition.remove_prefix(and_pos + 5);
  }
  return columns;
}

bool only_equalities(std::string_view condition) {
  return condition.find_first_of("<>") == std::string_view::npos && condition.find("=") != std::string_view::npos;
}

// SCAN/SEARCH rows: "[TABLE ]name[ AS alias][ USING ...][ (cond)]".
void parse_scan(std::string_view rest, bool search, PlanNode& node) {
  node.operation = search ? "SEARCH" : "SCAN";
  consume(rest, "TABLE ");  // pre-3.24 wording
  if (rest == "CONSTANT ROW" || (rest.find(" CONSTANT ROWS") != std::string_view::npos)) {
    node.access = AccessType::other;
    node.extra["rows"] = std::string(rest);
    return;
  }
  // A trailing parenthesised condition: "(a=? AND b>?)".
  std::string condition;
  if (!rest.empty() && rest.back() == ')') {
    int depth = 0;
    bool balanced = false;
    for (size_t i = rest.size(); i-- > 0;) {
      if (rest[i] == ')') ++depth;
      if (rest[i] == '(' && --depth == 0) {
        balanced = true;
        if (i > 0 && rest[i - 1] == ' ') {
          condition = std::string(rest.substr(i + 1, rest.size() - i - 2));
          rest = trim(rest.substr(0, i));
        }
        break;
      }
    }
    // SQLite prints column names unquoted: one holding a parenthesis ("a)b=?") unbalances the
    // condition; it then starts at the " (" after the index name (dbvet's names hold no space).
    if (!balanced) {
      auto using_index = rest.find(" INDEX ");
      auto open = using_index == std::string_view::npos ? using_index : rest.find(" (", using_index + 7);
      if (open != std::string_view::npos) {
        condition = std::string(rest.substr(open + 2, rest.size() - open - 3));
        rest = trim(rest.substr(0, open));
      }
    }
  }
  const std::string_view whole = rest;
  std::string name(next_word(rest));
  if (name == "SUBQUERY") {
    name += " " + std::string(next_word(rest));  // "SCAN SUBQUERY 1" (old)
  } else if (!rest.empty() && rest.rfind("AS ", 0) != 0 && rest.rfind("USING ", 0) != 0 &&
             rest.rfind("VIRTUAL TABLE INDEX ", 0) != 0) {
    // SQLite prints names unquoted: one holding spaces runs up to the clause that follows it.
    size_t cut = std::min(whole.find(" USING "), whole.find(" VIRTUAL TABLE INDEX "));
    if (cut == std::string_view::npos) cut = whole.size();
    name = std::string(whole.substr(0, cut));
    rest = trim(whole.substr(cut));
  }
  node.relation = name;
  if (consume(rest, "AS ")) {
    node.alias = std::string(next_word(rest));
  }
  node.access = search ? AccessType::index_scan : AccessType::full_scan;
  if (consume(rest, "VIRTUAL TABLE INDEX ")) {
    node.access = AccessType::other;
    node.extra["virtual_table_index"] = std::string(rest);
    rest = {};
  } else if (search && rest.empty()) {
    // "SEARCH f" with no USING clause: a subset is visited, but through no index that is named.
    node.access = AccessType::other;
  } else if (consume(rest, "USING ")) {
    bool automatic = consume(rest, "AUTOMATIC ");
    bool partial = consume(rest, "PARTIAL ");
    bool covering = consume(rest, "COVERING ");
    if (consume(rest, "INDEX")) {
      rest = trim(rest);
      if (!rest.empty()) node.index = std::string(next_word(rest));
      if (automatic) {
        node.automatic_index = true;
        node.access = covering ? AccessType::index_only_scan : AccessType::index_scan;
      } else if (covering) {
        node.access = AccessType::index_only_scan;
      } else {
        node.access = search ? AccessType::index_scan : AccessType::index_full_scan;
      }
      if (partial) node.extra["partial_index"] = "true";
    } else if (consume(rest, "INTEGER PRIMARY KEY")) {
      node.index = "INTEGER PRIMARY KEY";
      node.access = search && only_equalities(condition) ? AccessType::lookup
                    : search                             ? AccessType::index_scan
                                                         : AccessType::full_scan;
    } else if (consume(rest, "PRIMARY KEY")) {  // WITHOUT ROWID tables
      node.index = "PRIMARY KEY";
      node.access = search && only_equalities(condition) ? AccessType::lookup
                    : search                             ? AccessType::index_scan
                                                         : AccessType::index_full_scan;
    } else {
      node.access = AccessType::other;
    }
    rest = trim(rest);
  }
  if (!rest.empty()) node.extra["detail"] = std::string(rest);
  if (!condition.empty()) {
    node.index_condition = condition;
    node.index_columns = condition_columns(condition);
  }
}

// Subquery numbers a row refers to, for the pre-3.24 format: "EXECUTE SCALAR SUBQUERY 1",
// "SCAN SUBQUERY 2", "COMPOUND SUBQUERIES 1 AND 2 USING TEMP B-TREE (UNION)".
std::vector<int> referenced_subqueries(const std::string& detail) {
  static const std::regex single(R"(\bSUBQUERY (\d+)\b)");
  static const std::regex pair(R"(\bSUBQUERIES (\d+) AND (\d+)\b)");
  std::vector<int> out;
  std::smatch match;
  if (std::regex_search(detail, match, pair)) {
    out.push_back(std::stoi(match[1].str()));
    out.push_back(std::stoi(match[2].str()));
  } else if (std::regex_search(detail, match, single)) {
    out.push_back(std::stoi(match[1].str()));
  }
  return out;
}

struct FlatNode {
  PlanNode node;
  std::optional<size_t> parent;  // index into the flat list; nullopt = top level
};

void attach(std::vector<FlatNode>& flat, std::vector<std::vector<size_t>>& children, size_t index, PlanNode& into,
            std::vector<bool>& placed) {
  placed[index] = true;
  PlanNode node = std::move(flat[index].node);
  for (size_t child : children[index]) attach(flat, children, child, node, placed);
  into.children.push_back(std::move(node));
}

core::Expected<model::Plan> build_plan(std::vector<FlatNode> flat, std::string raw) {
  model::Plan plan;
  plan.engine = "sqlite";
  plan.format = "sqlite-eqp";
  plan.raw = std::move(raw);
  plan.root.operation = "QUERY PLAN";
  plan.root.access = AccessType::none;
  std::vector<std::vector<size_t>> children(flat.size());
  std::vector<size_t> top;
  for (size_t i = 0; i < flat.size(); ++i) {
    if (flat[i].parent) {
      children[*flat[i].parent].push_back(i);
    } else {
      top.push_back(i);
    }
  }
  std::vector<bool> placed(flat.size(), false);
  for (size_t i : top) attach(flat, children, i, plan.root, placed);
  auto orphan = std::find(placed.begin(), placed.end(), false);
  if (orphan != placed.end()) {
    return core::make_error(core::ErrorKind::input,
                            fmt::format("sqlite query plan: row {} is part of a cycle of parents, not of the tree",
                                        orphan - placed.begin() + 1));
  }
  int scans = 0;
  for (const auto& child : plan.root.children) {
    if (child.operation == "SCAN" || child.operation == "SEARCH") ++scans;
  }
  if (scans > 1) plan.root.join_type = "Nested Loop";
  return plan;
}

std::optional<int> to_int(std::string_view text) {
  text = trim(text);
  int value = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || ptr != text.data() + text.size()) return std::nullopt;
  return value;
}

std::vector<std::string_view> split_lines(std::string_view text) {
  std::vector<std::string_view> lines;
  while (!text.empty()) {
    auto nl = text.find('\n');
    auto line = text.substr(0, nl);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    lines.push_back(line);
    if (nl == std::string_view::npos) break;
    text.remove_prefix(nl + 1);
  }
  return lines;
}

core::Error text_error(size_t line, const std::string& what) {
  return core::make_error(core::ErrorKind::input, fmt::format("sqlite query plan, line {}: {}", line, what));
}

// The shell's tree: "QUERY PLAN" then "|--X", "`--Y", children indented by three columns.
core::Expected<model::Plan> parse_tree(const std::vector<std::string_view>& lines, size_t first, std::string raw) {
  std::vector<FlatNode> flat;
  std::vector<size_t> last_at_depth;  // flat index of the latest node at each depth
  for (size_t i = first; i < lines.size(); ++i) {
    std::string_view line = lines[i];
    if (trim(line).empty()) continue;
    size_t pos = 0;
    while (pos + 3 <= line.size() && (line.substr(pos, 3) == "|  " || line.substr(pos, 3) == "   ")) pos += 3;
    if (line.substr(pos, 3) != "|--" && line.substr(pos, 3) != "`--") {
      return text_error(i + 1, "expected a plan line starting with '|--' or '`--' after its indentation");
    }
    size_t depth = pos / 3;
    if (depth > last_at_depth.size()) {
      return text_error(i + 1,
                        fmt::format("indented {} levels below the line before it", depth - last_at_depth.size() + 1));
    }
    std::string detail(trim(line.substr(pos + 3)));
    if (detail.empty()) return text_error(i + 1, "empty plan line");
    FlatNode entry{parse_sqlite_eqp_detail(detail), std::nullopt};
    if (depth > 0) entry.parent = last_at_depth[depth - 1];
    last_at_depth.resize(depth);
    last_at_depth.push_back(flat.size());
    flat.push_back(std::move(entry));
  }
  if (flat.empty()) return text_error(first + 1, "the plan has no rows");
  return build_plan(std::move(flat), std::move(raw));
}

struct PipeRow {
  int a = 0;
  int b = 0;
  std::string detail;
  size_t line = 0;
};

// "n|n|n|detail" rows, either 3.24+ id|parent|notused or pre-3.24 selectid|order|from.
core::Expected<model::Plan> parse_pipe_rows(const std::vector<std::string_view>& lines, size_t first,
                                            std::optional<bool> old_format, std::string raw) {
  std::vector<PipeRow> rows;
  for (size_t i = first; i < lines.size(); ++i) {
    std::string_view line = lines[i];
    if (trim(line).empty()) continue;
    std::string_view fields[3];
    std::string_view rest = line;
    for (auto& field : fields) {
      auto bar = rest.find('|');
      if (bar == std::string_view::npos) {
        return text_error(i + 1, "expected four '|'-separated fields: number|number|number|detail");
      }
      field = rest.substr(0, bar);
      rest.remove_prefix(bar + 1);
    }
    auto a = to_int(fields[0]);
    auto b = to_int(fields[1]);
    if (!a || !b || !to_int(fields[2])) return text_error(i + 1, "expected integers in the first three fields");
    if (trim(rest).empty()) return text_error(i + 1, "empty detail field");
    rows.push_back({*a, *b, std::string(trim(rest)), i + 1});
  }
  if (rows.empty()) return text_error(first + 1, "the plan has no rows");
  bool old = old_format.value_or(std::any_of(rows.begin(), rows.end(), [](const PipeRow& r) { return r.a == 0; }));
  if (!old) {
    std::vector<EqpRow> eqp;
    for (auto& row : rows) eqp.push_back({row.a, row.b, std::move(row.detail)});
    auto plan = parse_sqlite_query_plan(eqp);
    if (plan) plan->raw = std::move(raw);
    return plan;
  }
  // Pre-3.24: rows of select N hang under the row of another select that names SUBQUERY N.
  std::vector<FlatNode> flat;
  std::map<int, size_t> referrer;  // subquery number -> flat index of the row naming it
  for (const auto& row : rows) {
    flat.push_back({parse_sqlite_eqp_detail(row.detail), std::nullopt});
    for (int n : referenced_subqueries(row.detail)) {
      if (n != row.a && !referrer.count(n)) referrer[n] = flat.size() - 1;
    }
  }
  for (size_t i = 0; i < rows.size(); ++i) {
    if (rows[i].a == 0) continue;
    auto it = referrer.find(rows[i].a);
    if (it != referrer.end()) flat[i].parent = it->second;
  }
  return build_plan(std::move(flat), std::move(raw));
}

}  // namespace

model::PlanNode parse_sqlite_eqp_detail(const std::string& detail) {
  PlanNode node;
  node.raw = detail;
  std::string_view rest = trim(detail);
  if (consume(rest, "SCAN ")) {
    parse_scan(rest, false, node);
    return node;
  }
  if (consume(rest, "SEARCH ")) {
    parse_scan(rest, true, node);
    return node;
  }
  consume(rest, "EXECUTE ");  // "EXECUTE LIST SUBQUERY 1" (pre-3.24)
  node.operation = std::string(rest);
  node.access = AccessType::none;
  if (consume(rest, "USE TEMP B-TREE FOR ")) {
    node.temp_btree = true;
    node.extra["for"] = std::string(rest);
  } else if (rest.find("USING TEMP B-TREE") != std::string_view::npos) {  // UNION USING TEMP B-TREE
    node.temp_btree = true;
  } else if (consume(rest, "BLOOM FILTER ON ")) {
    node.relation = std::string(next_word(rest));
  }
  return node;
}

core::Expected<model::Plan> parse_sqlite_query_plan(const std::vector<EqpRow>& rows) {
  if (rows.empty()) return core::make_error(core::ErrorKind::input, "sqlite query plan: no rows");
  std::vector<FlatNode> flat;
  std::map<int, size_t> by_id;
  std::string raw;
  for (size_t i = 0; i < rows.size(); ++i) {
    const auto& row = rows[i];
    raw += fmt::format("{}|{}|0|{}\n", row.id, row.parent, row.detail);
    if (by_id.count(row.id)) {
      return core::make_error(core::ErrorKind::input,
                              fmt::format("sqlite query plan: row {} repeats id {}", i + 1, row.id));
    }
    by_id[row.id] = i;
    flat.push_back({parse_sqlite_eqp_detail(row.detail), std::nullopt});
  }
  for (size_t i = 0; i < rows.size(); ++i) {
    if (rows[i].parent == 0) continue;
    auto it = by_id.find(rows[i].parent);
    if (it == by_id.end()) {
      return core::make_error(core::ErrorKind::input,
                              fmt::format("sqlite query plan: row {} (id {}) names parent {}, which is no row's id",
                                          i + 1, rows[i].id, rows[i].parent));
    }
    flat[i].parent = it->second;
  }
  return build_plan(std::move(flat), std::move(raw));
}

core::Expected<model::Plan> parse_sqlite_plan_text(std::string_view text) {
  auto lines = split_lines(text);
  size_t first = 0;
  while (first < lines.size() && trim(lines[first]).empty()) ++first;
  if (first == lines.size()) return core::make_error(core::ErrorKind::input, "sqlite query plan: empty input");
  std::string raw(text);
  auto head = trim(lines[first]);
  if (head == "QUERY PLAN") return parse_tree(lines, first + 1, std::move(raw));
  if (starts_with(head, "|--") || starts_with(head, "`--")) return parse_tree(lines, first, std::move(raw));
  if (head == "selectid|order|from|detail") return parse_pipe_rows(lines, first + 1, true, std::move(raw));
  if (head == "id|parent|notused|detail") return parse_pipe_rows(lines, first + 1, false, std::move(raw));
  if (!head.empty() && std::isdigit(static_cast<unsigned char>(head.front()))) {
    return parse_pipe_rows(lines, first, std::nullopt, std::move(raw));
  }
  return text_error(first + 1,
                    "expected 'QUERY PLAN', a '|--' tree line, or 'id|parent|notused|detail' / "
                    "'selectid|order|from|detail' rows");
}

}  // namespace dbvet::engines::sqlite
