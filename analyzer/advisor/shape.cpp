#include "analyzer/advisor/shape.hpp"

#include <pg_query.h>

#include <algorithm>
#include <map>

#include "nlohmann/json.hpp"

namespace dbvet::advisor {
namespace {

using nlohmann::json;

std::string lower(std::string text) {
  for (auto& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

struct Reader {
  const model::Schema& schema;
  QueryShape& shape;
  std::map<std::string, std::string> aliases;  // alias or name (lower) -> table

  std::string string_of(const json& node) const {
    if (node.contains("String")) return node["String"].value("sval", "");
    return "";
  }

  void collect_tables(const json& node) {
    if (node.is_object()) {
      if (node.contains("RangeVar")) {
        const auto& range = node["RangeVar"];
        std::string name = range.value("relname", "");
        shape.tables.push_back(name);
        aliases[lower(name)] = name;
        if (range.contains("alias")) aliases[lower(range["alias"].value("aliasname", ""))] = name;
        return;
      }
      for (const auto& [key, value] : node.items()) {
        if (key == "whereClause" || key == "targetList") continue;
        collect_tables(value);
      }
    } else if (node.is_array()) {
      for (const auto& item : node) collect_tables(item);
    }
  }

  // A column reference: (table, column); empty column when not a plain column.
  std::pair<std::string, std::string> column_of(const json& node) const {
    if (!node.is_object() || !node.contains("ColumnRef")) return {};
    const auto& fields = node["ColumnRef"]["fields"];
    std::vector<std::string> parts;
    for (const auto& field : fields) parts.push_back(string_of(field));
    if (parts.empty() || parts.back().empty()) return {};
    std::string column = parts.back();
    if (parts.size() >= 2) {
      auto it = aliases.find(lower(parts[parts.size() - 2]));
      return {it == aliases.end() ? parts[parts.size() - 2] : it->second, column};
    }
    for (const auto& table : shape.tables) {  // unqualified: the table that has the column
      if (const auto* t = schema.find_table(table); t && t->find_column(column)) return {t->name, column};
    }
    return {shape.tables.size() == 1 ? shape.tables[0] : "", column};
  }

  // A column, or a one-argument function of a column: lower(email), date(created_at).
  std::optional<ColumnUse> operand(const json& node) const {
    auto [table, column] = column_of(node);
    if (!column.empty()) return ColumnUse{table, column, UseKind::equality, false, false, "", ""};
    if (node.is_object() && node.contains("FuncCall")) {
      const auto& call = node["FuncCall"];
      if (!call.contains("args") || call["args"].size() != 1) return std::nullopt;
      auto [t, c] = column_of(call["args"][0]);
      if (c.empty()) return std::nullopt;
      std::string name;
      for (const auto& part : call["funcname"]) name = string_of(part);
      return ColumnUse{t, lower(name) + "(" + c + ")", UseKind::equality, false, true, lower(name), ""};
    }
    if (node.is_object() && node.contains("TypeCast")) return operand(node["TypeCast"]["arg"]);
    return std::nullopt;
  }

  static bool is_constant(const json& node) {
    if (!node.is_object()) return false;
    if (node.contains("A_Const") || node.contains("ParamRef")) return true;
    if (node.contains("TypeCast")) return is_constant(node["TypeCast"]["arg"]);
    if (node.contains("FuncCall")) {  // lower('x'), datetime('now')
      const auto& call = node["FuncCall"];
      if (!call.contains("args")) return true;
      return std::all_of(call["args"].begin(), call["args"].end(), [](const json& a) { return is_constant(a); });
    }
    return false;
  }

  static std::string constant_text(const json& node) {
    if (!node.is_object()) return "";
    if (node.contains("A_Const")) {
      const auto& c = node["A_Const"];
      if (c.contains("sval")) return c["sval"].value("sval", "");
      if (c.contains("ival")) return std::to_string(c["ival"].value("ival", 0));
    }
    if (node.contains("FuncCall") && node["FuncCall"].contains("args") && node["FuncCall"]["args"].size() == 1) {
      return constant_text(node["FuncCall"]["args"][0]);
    }
    if (node.contains("TypeCast")) return constant_text(node["TypeCast"]["arg"]);
    return "";
  }

  void predicate(const json& node, bool top_and) {
    if (!node.is_object()) return;
    if (node.contains("BoolExpr")) {
      const auto& b = node["BoolExpr"];
      std::string op = b.value("boolop", "");
      if (op == "OR_EXPR") {
        std::vector<std::string> columns;
        for (const auto& arg : b["args"]) {
          if (arg.contains("A_Expr")) {
            if (auto use = operand(arg["A_Expr"].value("lexpr", json::object()))) columns.push_back(use->column);
          }
        }
        std::sort(columns.begin(), columns.end());
        if (std::unique(columns.begin(), columns.end()) - columns.begin() > 1) shape.has_or_across_columns = true;
        return;
      }
      if (op == "AND_EXPR") {
        for (const auto& arg : b["args"]) predicate(arg, top_and);
      }
      return;
    }
    if (node.contains("NullTest")) {
      const auto& n = node["NullTest"];
      if (n.value("nulltesttype", "") == "IS_NULL") {
        if (auto use = operand(n["arg"])) {
          use->kind = UseKind::is_null;
          shape.uses.push_back(*use);
        }
      }
      return;
    }
    if (!node.contains("A_Expr")) return;
    const auto& e = node["A_Expr"];
    std::string kind = e.value("kind", "");
    std::string op;
    if (e.contains("name")) {
      for (const auto& part : e["name"]) op = string_of(part);
    }
    auto left = operand(e.value("lexpr", json::object()));
    const json right_node = e.value("rexpr", json::object());
    auto right = operand(right_node);
    if (left && right && op == "=") {  // a join
      left->kind = right->kind = UseKind::join;
      shape.uses.push_back(*left);
      shape.uses.push_back(*right);
      return;
    }
    if (!left && right && is_constant(e.value("lexpr", json::object()))) std::swap(left, right);
    if (!left) return;
    left->value = constant_text(right_node);
    if (kind == "AEXPR_OP" && op == "=") {
      left->kind = UseKind::equality;
    } else if (kind == "AEXPR_OP" && (op == "<" || op == ">" || op == "<=" || op == ">=")) {
      left->kind = UseKind::range;
    } else if (kind == "AEXPR_IN") {
      left->kind = UseKind::in_list;
    } else if (kind == "AEXPR_BETWEEN") {
      left->kind = UseKind::range;
    } else if (kind == "AEXPR_LIKE" || kind == "AEXPR_ILIKE" || op == "~~" || op == "~~*") {
      left->kind = (!left->value.empty() && (left->value[0] == '%' || left->value[0] == '_')) ? UseKind::like_leading
                                                                                              : UseKind::like_prefix;
    } else {
      return;
    }
    shape.uses.push_back(*left);
  }

  void joins(const json& node) {
    if (node.is_object()) {
      if (node.contains("JoinExpr")) {
        const auto& j = node["JoinExpr"];
        if (j.contains("quals")) predicate(j["quals"], true);
        joins(j.value("larg", json::object()));
        joins(j.value("rarg", json::object()));
      }
    } else if (node.is_array()) {
      for (const auto& item : node) joins(item);
    }
  }

  void select(const json& s) {
    if (s.contains("fromClause")) {
      collect_tables(s["fromClause"]);
      joins(s["fromClause"]);
    }
    if (s.contains("whereClause")) {
      shape.has_where = true;
      predicate(s["whereClause"], true);
    }
    if (s.contains("targetList")) {
      for (const auto& target : s["targetList"]) {
        const auto& val = target["ResTarget"].value("val", json::object());
        if (val.contains("ColumnRef")) {
          for (const auto& field : val["ColumnRef"]["fields"]) {
            if (field.contains("A_Star")) shape.select_star = true;
          }
        }
        if (val.contains("FuncCall") && val["FuncCall"].value("agg_star", false) && s["targetList"].size() == 1) {
          shape.aggregate_count = true;
        }
      }
    }
    if (s.contains("sortClause")) {
      for (const auto& item : s["sortClause"]) {
        const auto& by = item["SortBy"];
        if (auto use = operand(by["node"])) {
          use->kind = UseKind::order_by;
          use->descending = by.value("sortby_dir", "") == "SORTBY_DESC";
          shape.uses.push_back(*use);
        }
      }
    }
    if (s.contains("groupClause")) {
      for (const auto& item : s["groupClause"]) {
        if (auto use = operand(item)) {
          use->kind = UseKind::group_by;
          shape.uses.push_back(*use);
        }
      }
    }
    auto number = [](const json& node) -> std::optional<long long> {
      if (node.contains("A_Const") && node["A_Const"].contains("ival")) return node["A_Const"]["ival"].value("ival", 0);
      return std::nullopt;
    };
    if (s.contains("limitCount")) shape.limit = number(s["limitCount"]);
    if (s.contains("limitOffset")) shape.offset = number(s["limitOffset"]);
  }
};

}  // namespace

QueryShape query_shape(const std::string& sql, const model::Schema& schema) {
  QueryShape shape;
  PgQueryParseResult result = pg_query_parse(sql.c_str());
  if (result.error) {
    pg_query_free_parse_result(result);
    return shape;
  }
  json tree = json::parse(result.parse_tree, nullptr, false);
  pg_query_free_parse_result(result);
  if (tree.is_discarded() || !tree.contains("stmts") || tree["stmts"].empty()) return shape;
  const auto& stmt = tree["stmts"][0]["stmt"];
  Reader reader{schema, shape, {}};
  shape.parsed = true;
  if (stmt.contains("SelectStmt")) {
    shape.command = "select";
    reader.select(stmt["SelectStmt"]);
  } else if (stmt.contains("UpdateStmt") || stmt.contains("DeleteStmt")) {
    bool update = stmt.contains("UpdateStmt");
    const auto& s = update ? stmt["UpdateStmt"] : stmt["DeleteStmt"];
    shape.command = update ? "update" : "delete";
    reader.collect_tables(s["relation"]);
    if (s.contains("whereClause")) {
      shape.has_where = true;
      reader.predicate(s["whereClause"], true);
    }
  } else if (stmt.contains("InsertStmt")) {
    shape.command = "insert";
    reader.collect_tables(stmt["InsertStmt"]["relation"]);
  } else {
    shape.command = "other";
  }
  return shape;
}

}  // namespace dbvet::advisor
