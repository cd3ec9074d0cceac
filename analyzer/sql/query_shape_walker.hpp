#pragma once
// The libpg_query reading of a statement's shape (query_shape.cpp): a walker over the parse tree
// that records which tables a statement reads and writes and which columns it filters, joins,
// groups and sorts on. Its tables-and-names half is query_shape_walker.cpp, its predicates half
// query_shape_predicates.cpp. Internal to those files.

#include <algorithm>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "analyzer/model/schema.hpp"
#include "analyzer/sql/parameters.hpp"
#include "analyzer/sql/query_shape.hpp"
#include "analyzer/util/ascii.hpp"
#include "nlohmann/json.hpp"

namespace dbvet::sql::pg_shape {

using nlohmann::json;

inline void add_unique(std::vector<std::string>& list, const std::string& value) {
  if (std::find(list.begin(), list.end(), value) == list.end()) list.push_back(value);
}

inline const json* member(const json& node, const char* key) {
  if (!node.is_object()) return nullptr;
  auto it = node.find(key);
  return it == node.end() ? nullptr : &*it;
}

// A node's single key ("SelectStmt", "ColumnRef", ...) and its body.
inline std::pair<std::string, const json*> unwrap(const json& node) {
  if (node.is_object() && node.size() == 1) return {node.begin().key(), &node.begin().value()};
  return {"", nullptr};
}

inline std::string string_value(const json& node) {
  auto [type, body] = unwrap(node);
  if (type == "String" && body) {
    if (auto* s = member(*body, "sval")) return s->get<std::string>();
    if (auto* s = member(*body, "str")) return s->get<std::string>();
  }
  return "";
}

// Last name of a qualified name list: funcname ["pg_catalog", "lower"] -> "lower".
inline std::string last_name(const json* names) {
  if (!names || !names->is_array() || names->empty()) return "";
  return util::to_lower(string_value(names->back()));
}

struct Resolved {
  size_t table;  // index into QueryShape::tables
  std::string column;
};

struct Scope {
  struct Entry {
    size_t table;
    std::string name;
    std::string alias;
  };
  std::vector<Entry> tables;
  std::set<std::string> derived;  // aliases of subqueries and CTE references: not base tables
  const Scope* parent = nullptr;
};

// One side of a comparison.
struct Operand {
  enum Kind { column, function_column, value, other } kind = other;
  std::optional<Resolved> col;
  std::string function;
  std::string expression;
  std::optional<std::string> constant;
  bool parameter = false;
  bool index_key = false;  // function_column: a one-argument call of the bare column
};

class PgWalker {
 public:
  PgWalker(QueryShape& shape, const model::Schema* schema) : shape_(shape), schema_(schema) {}

  void statement(const json& node, const Scope* parent, bool outermost);

  // Where the placeholders go (sql/parameters.hpp): set before statement() to collect them.
  void collect_parameters(ParameterUses* out) { parameters_ = out; }

 private:
  QueryShape& shape_;
  const model::Schema* schema_;
  std::set<std::string> ctes_;
  ParameterUses* parameters_ = nullptr;

  // Records each $n inside `value` as compared with `column` (a bare column), when collecting.
  void note_parameters(const Operand& column, const json& value);

  TableUsage& usage(const json& range_var_node);

  TableUsage& usage_named(const std::string& name, const std::string& schema, const std::string& alias);

  static std::string alias_of(const json& body);

  size_t index_of(const TableUsage& t) const { return static_cast<size_t>(&t - shape_.tables.data()); }

  void with_clause(const json& body, const Scope* parent);

  void add_range_var(const json& node, Scope& scope);

  // FROM items; join conditions are collected for after the whole FROM is in scope.
  void from_item(const json& node, Scope& scope, std::vector<const json*>* join_quals = nullptr);

  void select(const json& body, const Scope* parent, bool outermost);

  void select_body(const json& node, const Scope* parent, bool outermost);

  static bool contains_aggregate(const json& body);

  void limits(const json& body);

  // ORDER BY alias / ORDER BY 2 refer to the select list.
  static const json& resolve_output(const json& node, const std::map<std::string, const json*>& aliases,
                                    const std::vector<const json*>& outputs);

  void target_column(const json& colref, const Scope& scope, bool outermost);

  void collect_selected(const json& node, const Scope& scope);

  std::optional<size_t> resolve_qualifier(const std::string& qualifier, const Scope& scope) const;

  std::optional<Resolved> resolve(const json& colref, const Scope& scope, bool record_unresolved = true);

  // Whether the schema's table has the column: nullopt when the schema does not know the table.
  std::optional<bool> owns(const std::string& table, const std::string& column) const;

  static bool has_column_ref(const json& node);

  static std::optional<std::string> constant_text(const json& body);

  Operand classify(const json& node, const Scope& scope);

  void find_columns(const json& node, const Scope& scope, std::optional<Resolved>& found, int& count);

  TableUsage& table_of(const Resolved& r) { return shape_.tables[r.table]; }

  void record_function(const Operand& o, const std::string& comparison = "other");

  void comparison(const std::string& op, const json& left, const json& right, const Scope& scope, bool negated);

  // The literal text a pattern built by concatenation starts with: '%' || :q, concat('%', ?).
  static std::string leading_text(const json& node);

  void like(const json& body, const Scope& scope, bool negated, bool insensitive);

  // Column sets each OR branch tests, to tell `a = 1 OR a = 2` from `a = 1 OR b = 2`.
  void branch_columns(const json& node, const Scope& scope, std::set<std::string>& out);

  void predicate(const json& node, const Scope& scope, bool negated);

  void sublink(const json& body, const Scope& scope, bool negated);

  // SELECT col FROM t ...: the table and the column, when that simple.
  static void simple_subquery(const json& node, std::string& table, std::string& column);

  // Subqueries anywhere inside an expression (select list, HAVING, comparison operands).
  void walk_subqueries(const json& node, const Scope& scope);
};

}  // namespace dbvet::sql::pg_shape
