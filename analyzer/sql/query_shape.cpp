#include "analyzer/sql/query_shape.hpp"

#include <pg_query.h>

#include <algorithm>
#include <cctype>
#include <functional>
#include <map>
#include <set>

#include "analyzer/model/schema.hpp"
#include "analyzer/sql/query_shape_tokens.hpp"
#include "analyzer/util/ascii.hpp"
#include "nlohmann/json.hpp"

namespace dbvet::sql {

// The token-level reading, for what libpg_query rejects (query_shape_fallback.cpp).
core::Expected<QueryShape> analyze_query_tokens(const std::string& sql);

namespace {

using nlohmann::json;

void add_unique(std::vector<std::string>& list, const std::string& value) {
  if (std::find(list.begin(), list.end(), value) == list.end()) list.push_back(value);
}

const json* member(const json& node, const char* key) {
  if (!node.is_object()) return nullptr;
  auto it = node.find(key);
  return it == node.end() ? nullptr : &*it;
}

// A node's single key ("SelectStmt", "ColumnRef", ...) and its body.
std::pair<std::string, const json*> unwrap(const json& node) {
  if (node.is_object() && node.size() == 1) return {node.begin().key(), &node.begin().value()};
  return {"", nullptr};
}

std::string string_value(const json& node) {
  auto [type, body] = unwrap(node);
  if (type == "String" && body) {
    if (auto* s = member(*body, "sval")) return s->get<std::string>();
    if (auto* s = member(*body, "str")) return s->get<std::string>();
  }
  return "";
}

// Last name of a qualified name list: funcname ["pg_catalog", "lower"] -> "lower".
std::string last_name(const json* names) {
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

  void statement(const json& node, const Scope* parent, bool outermost) {
    auto [type, body] = unwrap(node);
    if (!body) return;
    if (type == "SelectStmt") {
      if (outermost) shape_.kind = StatementKind::select;
      select(*body, parent, outermost);
    } else if (type == "InsertStmt") {
      if (outermost) shape_.kind = StatementKind::insert;
      with_clause(*body, parent);
      if (auto* rel = member(*body, "relation")) usage(*rel).written = true;
      if (auto* sel = member(*body, "selectStmt")) statement(*sel, parent, false);
    } else if (type == "UpdateStmt" || type == "DeleteStmt") {
      if (outermost) shape_.kind = type == "UpdateStmt" ? StatementKind::update : StatementKind::delete_;
      with_clause(*body, parent);
      Scope scope;
      scope.parent = parent;
      if (auto* rel = member(*body, "relation")) {
        auto& u = usage(*rel);
        u.written = true;
        u.read = true;
        add_range_var(*rel, scope);
      }
      for (const char* key : {"fromClause", "usingClause"}) {
        if (auto* from = member(*body, key)) {
          for (const auto& item : *from) from_item(item, scope);
        }
      }
      if (auto* where = member(*body, "whereClause")) {
        if (outermost) shape_.has_where = true;
        predicate(*where, scope, false);
      }
      if (auto* targets = member(*body, "targetList")) {
        for (const auto& t : *targets) {
          auto [ttype, tbody] = unwrap(t);
          if (tbody) {
            if (auto* val = member(*tbody, "val")) walk_subqueries(*val, scope);
          }
        }
      }
    } else if (type == "ExplainStmt") {
      if (auto* query = member(*body, "query")) statement(*query, parent, outermost);
    }
  }

 private:
  QueryShape& shape_;
  const model::Schema* schema_;
  std::set<std::string> ctes_;

  TableUsage& usage(const json& range_var_node) {
    auto [type, rv] = unwrap(range_var_node);
    const json& body = rv ? *rv : range_var_node;
    std::string name = member(body, "relname") ? member(body, "relname")->get<std::string>() : "";
    std::string schema = member(body, "schemaname") ? member(body, "schemaname")->get<std::string>() : "";
    return usage_named(name, schema, alias_of(body));
  }

  TableUsage& usage_named(const std::string& name, const std::string& schema, const std::string& alias) {
    for (auto& t : shape_.tables) {
      if (util::to_lower(t.name) == util::to_lower(name)) return t;
    }
    TableUsage t;
    t.name = name;
    t.schema = schema;
    t.alias = alias;
    shape_.tables.push_back(std::move(t));
    return shape_.tables.back();
  }

  static std::string alias_of(const json& body) {
    if (auto* alias = member(body, "alias")) {
      if (auto* name = member(*alias, "aliasname")) return name->get<std::string>();
    }
    return "";
  }

  size_t index_of(const TableUsage& t) const { return static_cast<size_t>(&t - shape_.tables.data()); }

  void with_clause(const json& body, const Scope* parent) {
    auto* with = member(body, "withClause");
    if (!with) return;
    // {"ctes": [...]} when the clause has no location, which unwrap would take for a node.
    auto [type, wbody] = unwrap(*with);
    const json& w = member(*with, "ctes") || !wbody ? *with : *wbody;
    if (auto* ctes = member(w, "ctes")) {
      for (const auto& cte : *ctes) {
        auto [ctype, cbody] = unwrap(cte);
        if (!cbody) continue;
        if (auto* name = member(*cbody, "ctename")) ctes_.insert(util::to_lower(name->get<std::string>()));
        if (auto* query = member(*cbody, "ctequery")) statement(*query, parent, false);
      }
    }
  }

  void add_range_var(const json& node, Scope& scope) {
    auto [type, body] = unwrap(node);
    const json& rv = body ? *body : node;
    std::string name = member(rv, "relname") ? member(rv, "relname")->get<std::string>() : "";
    std::string alias = alias_of(rv);
    if (ctes_.count(util::to_lower(name)) && !member(rv, "schemaname")) {
      scope.derived.insert(util::to_lower(alias.empty() ? name : alias));
      return;
    }
    auto& u = usage(node);
    u.read = true;
    scope.tables.push_back({index_of(u), util::to_lower(name), util::to_lower(alias)});
  }

  // FROM items; join conditions are collected for after the whole FROM is in scope.
  void from_item(const json& node, Scope& scope, std::vector<const json*>* join_quals = nullptr) {
    auto [type, body] = unwrap(node);
    if (!body) return;
    if (type == "RangeVar") {
      add_range_var(node, scope);
    } else if (type == "JoinExpr") {
      shape_.has_join = true;
      if (auto* l = member(*body, "larg")) from_item(*l, scope, join_quals);
      if (auto* r = member(*body, "rarg")) from_item(*r, scope, join_quals);
      if (auto* quals = member(*body, "quals")) {
        if (join_quals) {
          join_quals->push_back(quals);
        } else {
          predicate(*quals, scope, false);
        }
      }
      if (auto* using_cols = member(*body, "usingClause")) {
        for (const auto& col : *using_cols) {
          std::string name = util::to_lower(string_value(col));
          for (const auto& e : scope.tables) add_unique(shape_.tables[e.table].join_columns, name);
        }
      }
    } else if (type == "RangeSubselect") {
      shape_.has_subquery = true;
      std::string alias = alias_of(*body);
      if (!alias.empty()) scope.derived.insert(util::to_lower(alias));
      bool lateral = member(*body, "lateral") && member(*body, "lateral")->get<bool>();
      if (auto* sub = member(*body, "subquery")) statement(*sub, lateral ? &scope : scope.parent, false);
    } else if (type == "RangeFunction") {
      std::string alias = alias_of(*body);
      if (!alias.empty()) scope.derived.insert(util::to_lower(alias));
    }
  }

  void select(const json& body, const Scope* parent, bool outermost) {
    with_clause(body, parent);
    auto* op = member(body, "op");
    if (op && op->is_string() && op->get<std::string>() != "SETOP_NONE") {
      if (auto* l = member(body, "larg")) select_body(*l, parent, false);
      if (auto* r = member(body, "rarg")) select_body(*r, parent, false);
      if (outermost) limits(body);
      return;
    }
    Scope scope;
    scope.parent = parent;
    std::vector<const json*> join_quals;
    if (auto* from = member(body, "fromClause")) {
      for (const auto& item : *from) from_item(item, scope, &join_quals);
      if (from->size() > 1) shape_.has_join = true;
    }
    if (member(body, "distinctClause") && outermost) shape_.distinct = true;

    // Output columns, and the aliases ORDER BY may name.
    std::map<std::string, const json*> output_aliases;
    std::vector<const json*> outputs;
    bool only_count_star = false;
    if (auto* targets = member(body, "targetList")) {
      only_count_star = targets->size() == 1;
      for (const auto& t : *targets) {
        auto [ttype, tbody] = unwrap(t);
        if (!tbody) continue;
        auto* val = member(*tbody, "val");
        if (!val) continue;
        outputs.push_back(val);
        if (auto* name = member(*tbody, "name")) output_aliases[util::to_lower(name->get<std::string>())] = val;
        auto [vtype, vbody] = unwrap(*val);
        if (vtype == "ColumnRef" && vbody) {
          target_column(*vbody, scope, outermost);
          only_count_star = false;
          continue;
        }
        bool count_star = vtype == "FuncCall" && vbody && last_name(member(*vbody, "funcname")) == "count" &&
                          member(*vbody, "agg_star");
        if (!count_star) only_count_star = false;
        collect_selected(*val, scope);
        walk_subqueries(*val, scope);
      }
    }
    if (contains_aggregate(body)) shape_.has_aggregate = shape_.has_aggregate || outermost;

    for (const auto* quals : join_quals) predicate(*quals, scope, false);
    auto* where = member(body, "whereClause");
    if (where) {
      if (outermost) shape_.has_where = true;
      predicate(*where, scope, false);
    }
    if (auto* groups = member(body, "groupClause")) {
      if (outermost) shape_.has_group_by = true;
      for (const auto& g : *groups) {
        auto operand = classify(resolve_output(g, output_aliases, outputs), scope);
        if (operand.col) add_unique(shape_.tables[operand.col->table].group_by, operand.col->column);
      }
    }
    if (auto* having = member(body, "havingClause")) walk_subqueries(*having, scope);
    if (auto* sorts = member(body, "sortClause")) {
      for (const auto& s : *sorts) {
        auto [stype, sbody] = unwrap(s);
        if (!sbody) continue;
        auto* node = member(*sbody, "node");
        if (!node) continue;
        const json& target = resolve_output(*node, output_aliases, outputs);
        auto [ntype, nbody] = unwrap(target);
        if (ntype == "FuncCall" && nbody && !member(*nbody, "args")) {
          std::string fn = last_name(member(*nbody, "funcname"));
          if (fn == "random" || fn == "rand") shape_.order_by_random = true;
        }
        auto operand = classify(target, scope);
        if (operand.kind == Operand::column && operand.col) {
          bool desc = member(*sbody, "sortby_dir") && member(*sbody, "sortby_dir")->get<std::string>() == "SORTBY_DESC";
          auto& order = shape_.tables[operand.col->table].order_by;
          bool seen = std::any_of(order.begin(), order.end(),
                                  [&](const SortColumn& o) { return o.column == operand.col->column; });
          if (!seen) order.push_back({operand.col->column, desc});
        }
      }
    }
    if (outermost) {
      limits(body);
      bool single_table = scope.tables.size() == 1 && scope.derived.empty();
      shape_.count_star_without_where =
          only_count_star && single_table && !where && !member(body, "groupClause") && join_quals.empty();
    }
  }

  void select_body(const json& node, const Scope* parent, bool outermost) {
    auto [type, body] = unwrap(node);
    select(body ? *body : node, parent, outermost);
  }

  static bool contains_aggregate(const json& body) {
    static const std::set<std::string> aggregates = {"count",    "sum",       "avg",        "min",
                                                     "max",      "array_agg", "string_agg", "group_concat",
                                                     "bool_and", "bool_or",   "json_agg",   "jsonb_agg"};
    if (member(body, "groupClause")) return true;
    auto* targets = member(body, "targetList");
    if (!targets) return false;
    bool found = false;
    std::function<void(const json&)> walk = [&](const json& n) {
      if (found) return;
      if (n.is_object()) {
        for (auto it = n.begin(); it != n.end(); ++it) {
          if (it.key() == "SelectStmt") continue;  // a subquery's aggregates are its own
          if (it.key() == "FuncCall" && aggregates.count(last_name(member(it.value(), "funcname"))) &&
              !member(it.value(), "over")) {
            found = true;
            return;
          }
          walk(it.value());
        }
      } else if (n.is_array()) {
        for (const auto& e : n) walk(e);
      }
    };
    walk(*targets);
    return found;
  }

  void limits(const json& body) {
    auto read = [](const json* node, std::optional<int64_t>& value, bool& parameter) {
      if (!node) return;
      auto [type, b] = unwrap(*node);
      if (type == "A_Const" && b) {
        if (auto* ival = member(*b, "ival")) {
          auto* v = member(*ival, "ival");
          value = v ? v->get<int64_t>() : 0;
        } else if (member(*b, "isnull")) {
          return;  // LIMIT ALL / NULL
        }
      } else if (type == "ParamRef") {
        parameter = true;
      }
    };
    read(member(body, "limitCount"), shape_.limit, shape_.limit_is_parameter);
    read(member(body, "limitOffset"), shape_.offset, shape_.offset_is_parameter);
  }

  // ORDER BY alias / ORDER BY 2 refer to the select list.
  static const json& resolve_output(const json& node, const std::map<std::string, const json*>& aliases,
                                    const std::vector<const json*>& outputs) {
    auto [type, body] = unwrap(node);
    if (type == "A_Const" && body) {
      if (auto* ival = member(*body, "ival")) {
        auto* v = member(*ival, "ival");
        int64_t position = v ? v->get<int64_t>() : 0;
        if (position >= 1 && static_cast<size_t>(position) <= outputs.size()) return *outputs[position - 1];
      }
    }
    if (type == "ColumnRef" && body) {
      auto* fields = member(*body, "fields");
      if (fields && fields->size() == 1) {
        auto it = aliases.find(util::to_lower(string_value((*fields)[0])));
        if (it != aliases.end()) return *it->second;
      }
    }
    return node;
  }

  void target_column(const json& colref, const Scope& scope, bool outermost) {
    auto* fields = member(colref, "fields");
    if (!fields || fields->empty()) return;
    auto [ltype, lbody] = unwrap(fields->back());
    if (ltype == "A_Star") {
      if (outermost) shape_.select_star = true;
      if (fields->size() == 1) {
        for (const auto& e : scope.tables) add_unique(shape_.tables[e.table].selected_columns, "*");
      } else if (auto r = resolve_qualifier(util::to_lower(string_value((*fields)[fields->size() - 2])), scope)) {
        add_unique(shape_.tables[*r].selected_columns, "*");
      }
      return;
    }
    if (auto r = resolve(colref, scope)) add_unique(shape_.tables[r->table].selected_columns, r->column);
  }

  void collect_selected(const json& node, const Scope& scope) {
    if (node.is_object()) {
      for (auto it = node.begin(); it != node.end(); ++it) {
        if (it.key() == "SubLink") continue;
        if (it.key() == "ColumnRef") {
          if (auto r = resolve(it.value(), scope, false)) {
            add_unique(shape_.tables[r->table].selected_columns, r->column);
          }
          continue;
        }
        collect_selected(it.value(), scope);
      }
    } else if (node.is_array()) {
      for (const auto& e : node) collect_selected(e, scope);
    }
  }

  std::optional<size_t> resolve_qualifier(const std::string& qualifier, const Scope& scope) const {
    for (const Scope* s = &scope; s; s = s->parent) {
      if (s->derived.count(qualifier)) return std::nullopt;
      for (const auto& e : s->tables) {
        if (e.alias == qualifier || (e.alias.empty() && e.name == qualifier)) return e.table;
      }
      for (const auto& e : s->tables) {
        if (e.name == qualifier) return e.table;
      }
    }
    return std::nullopt;
  }

  std::optional<Resolved> resolve(const json& colref, const Scope& scope, bool record_unresolved = true) {
    auto* fields = member(colref, "fields");
    if (!fields || fields->empty()) return std::nullopt;
    std::string column = util::to_lower(string_value(fields->back()));
    if (column.empty()) return std::nullopt;
    if (fields->size() >= 2) {
      std::string qualifier = util::to_lower(string_value((*fields)[fields->size() - 2]));
      if (auto t = resolve_qualifier(qualifier, scope)) return Resolved{*t, column};
      if (record_unresolved) add_unique(shape_.unresolved_columns, qualifier + "." + column);
      return std::nullopt;
    }
    for (const Scope* s = &scope; s; s = s->parent) {
      if (s->tables.size() == 1 && s->derived.empty()) {
        // One table in scope owns it, unless the schema says it has no such column and an outer one does.
        const auto& t = shape_.tables[s->tables[0].table];
        if (!s->parent || !schema_ || owns(t.name, column) != false) return Resolved{s->tables[0].table, column};
        continue;
      }
      if (schema_) {
        std::vector<size_t> owners;
        for (const auto& e : s->tables) {
          if (owns(shape_.tables[e.table].name, column) == true) owners.push_back(e.table);
        }
        if (owners.size() == 1) return Resolved{owners[0], column};
        if (owners.size() > 1) break;
      } else if (!s->tables.empty() || !s->derived.empty()) {
        break;
      }
    }
    if (record_unresolved) add_unique(shape_.unresolved_columns, column);
    return std::nullopt;
  }

  // Whether the schema's table has the column: nullopt when the schema does not know the table.
  std::optional<bool> owns(const std::string& table, const std::string& column) const {
    if (!schema_) return std::nullopt;
    const auto* t = schema_->find_table(table);
    if (!t) return std::nullopt;
    return t->find_column(column) != nullptr;
  }

  static bool has_column_ref(const json& node) {
    if (node.is_object()) {
      for (auto it = node.begin(); it != node.end(); ++it) {
        if (it.key() == "ColumnRef") return true;
        if (it.key() == "SubLink") continue;
        if (has_column_ref(it.value())) return true;
      }
    } else if (node.is_array()) {
      for (const auto& e : node) {
        if (has_column_ref(e)) return true;
      }
    }
    return false;
  }

  static std::optional<std::string> constant_text(const json& body) {
    if (auto* s = member(body, "sval")) return member(*s, "sval") ? member(*s, "sval")->get<std::string>() : "";
    if (auto* i = member(body, "ival")) {
      return std::to_string(member(*i, "ival") ? member(*i, "ival")->get<int64_t>() : 0);
    }
    if (auto* f = member(body, "fval")) return member(*f, "fval") ? member(*f, "fval")->get<std::string>() : "0";
    if (auto* b = member(body, "boolval")) {
      return member(*b, "boolval") && member(*b, "boolval")->get<bool>() ? "true" : "false";
    }
    return std::nullopt;
  }

  Operand classify(const json& node, const Scope& scope) {
    Operand out;
    auto [type, body] = unwrap(node);
    if (!body) return out;
    if (type == "ColumnRef") {
      out.col = resolve(*body, scope);
      out.kind = out.col ? Operand::column : Operand::other;
      return out;
    }
    if (type == "A_Const") {
      out.kind = Operand::value;
      out.constant = constant_text(*body);
      return out;
    }
    if (type == "ParamRef") {
      out.kind = Operand::value;
      out.parameter = true;
      return out;
    }
    if (!has_column_ref(node)) {
      out.kind = Operand::value;
      if (type == "TypeCast") {
        if (auto* arg = member(*body, "arg")) {
          auto inner = classify(*arg, scope);
          out.constant = inner.constant;
          out.parameter = inner.parameter;
        }
      }
      return out;
    }
    if (type == "TypeCast" || type == "FuncCall" || type == "A_Expr" || type == "CoalesceExpr" ||
        type == "CollateClause") {
      std::optional<Resolved> inner;
      int columns = 0;
      find_columns(node, scope, inner, columns);
      if (columns != 1 || !inner) return out;
      out.kind = Operand::function_column;
      out.col = inner;
      if (type == "TypeCast") {
        const json* type_name = member(*body, "typeName");
        std::string to = type_name ? last_name(member(*type_name, "names")) : "";
        out.function = "cast:" + to;
        out.expression = inner->column + "::" + to;
      } else if (type == "FuncCall") {
        out.function = last_name(member(*body, "funcname"));
        out.expression = out.function + "(" + inner->column + ")";
        auto* args = member(*body, "args");
        out.index_key = args && args->size() == 1 && unwrap((*args)[0]).first == "ColumnRef";
      } else if (type == "CoalesceExpr") {
        out.function = "coalesce";
        out.expression = "coalesce(" + inner->column + ", ...)";
      } else if (type == "CollateClause") {
        out.function = "collate";
        out.expression = inner->column + " COLLATE ...";
      } else {
        out.function = "expression";
        out.expression = inner->column + " " + last_name(member(*body, "name")) + " ...";
      }
    }
    return out;
  }

  void find_columns(const json& node, const Scope& scope, std::optional<Resolved>& found, int& count) {
    if (node.is_object()) {
      for (auto it = node.begin(); it != node.end(); ++it) {
        if (it.key() == "SubLink") continue;
        if (it.key() == "ColumnRef") {
          ++count;
          found = resolve(it.value(), scope);
          continue;
        }
        find_columns(it.value(), scope, found, count);
      }
    } else if (node.is_array()) {
      for (const auto& e : node) find_columns(e, scope, found, count);
    }
  }

  TableUsage& table_of(const Resolved& r) { return shape_.tables[r.table]; }

  void record_function(const Operand& o, const std::string& comparison = "other") {
    if (o.kind != Operand::function_column || !o.col) return;
    auto& t = table_of(*o.col);
    t.filtered = true;
    bool seen = std::any_of(t.functions.begin(), t.functions.end(), [&](const FunctionPredicate& f) {
      return f.column == o.col->column && f.function == o.function;
    });
    if (!seen) t.functions.push_back({o.function, o.col->column, o.expression, comparison, o.index_key});
  }

  void comparison(const std::string& op, const json& left, const json& right, const Scope& scope, bool negated) {
    Operand l = classify(left, scope);
    Operand r = classify(right, scope);
    walk_subqueries(left, scope);
    walk_subqueries(right, scope);
    if (l.kind == Operand::column && r.kind == Operand::column) {
      if (l.col->table != r.col->table) {
        add_unique(table_of(*l.col).join_columns, l.col->column);
        add_unique(table_of(*r.col).join_columns, r.col->column);
      }
      return;
    }
    static const std::map<std::string, std::string> mirrored = {{"<", ">"}, {">", "<"}, {"<=", ">="}, {">=", "<="}};
    std::string effective = op;
    if (l.kind == Operand::value) {
      std::swap(l, r);
      auto it = mirrored.find(op);
      if (it != mirrored.end()) effective = it->second;
    }
    if (r.kind != Operand::value) {
      // column compared to an expression over other columns: still a filter on it
      if (l.col) table_of(*l.col).filtered = true;
      record_function(l);
      return;
    }
    if (l.kind == Operand::function_column) {
      std::string comparison = "other";
      if (!negated && effective == "=") comparison = "=";
      if (!negated && (effective == "<" || effective == ">" || effective == "<=" || effective == ">=")) {
        comparison = "range";
      }
      record_function(l, comparison);
      return;
    }
    if (l.kind != Operand::column) return;
    auto& t = table_of(*l.col);
    t.filtered = true;
    if (negated) return;
    if (effective == "=") {
      add_unique(t.equality_columns, l.col->column);
      if (r.constant) {
        bool seen = std::any_of(t.constants.begin(), t.constants.end(),
                                [&](const ConstantPredicate& c) { return c.column == l.col->column; });
        if (!seen) t.constants.push_back({l.col->column, *r.constant});
      }
    } else if (effective == "<" || effective == ">" || effective == "<=" || effective == ">=") {
      add_unique(t.range_columns, l.col->column);
    }
  }

  // The literal text a pattern built by concatenation starts with: '%' || :q, concat('%', ?).
  static std::string leading_text(const json& node) {
    auto [type, body] = unwrap(node);
    if (!body) return "";
    if (type == "A_Const") return constant_text(*body).value_or("");
    if (type == "TypeCast") return member(*body, "arg") ? leading_text(*member(*body, "arg")) : "";
    if (type == "A_Expr" && last_name(member(*body, "name")) == "||" && member(*body, "lexpr")) {
      return leading_text(*member(*body, "lexpr"));
    }
    if (type == "FuncCall" && last_name(member(*body, "funcname")) == "concat") {
      auto* args = member(*body, "args");
      if (args && !args->empty()) return leading_text((*args)[0]);
    }
    return "";
  }

  void like(const json& body, const Scope& scope, bool negated, bool insensitive) {
    auto* left = member(body, "lexpr");
    auto* right = member(body, "rexpr");
    if (!left || !right) return;
    Operand l = classify(*left, scope);
    Operand r = classify(*right, scope);
    if (!l.col || r.kind != Operand::value) return;
    std::string op = last_name(member(body, "name"));
    bool not_like = negated || (!op.empty() && op[0] == '!');
    record_function(l, not_like ? "other" : "like");
    auto& t = table_of(*l.col);
    t.filtered = true;
    LikePredicate p;
    p.column = l.col->column;
    p.pattern = r.constant ? *r.constant : leading_text(*right);
    p.case_insensitive = insensitive || l.function == "lower" || l.function == "upper";
    p.negated = not_like;
    if (!p.pattern.empty()) {
      p.leading_wildcard = p.pattern[0] == '%' || p.pattern[0] == '_';
      p.prefix = !p.leading_wildcard && p.pattern.find_first_of("%_") != std::string::npos;
    }
    t.likes.push_back(std::move(p));
  }

  // Column sets each OR branch tests, to tell `a = 1 OR a = 2` from `a = 1 OR b = 2`.
  void branch_columns(const json& node, const Scope& scope, std::set<std::string>& out) {
    if (node.is_object()) {
      for (auto it = node.begin(); it != node.end(); ++it) {
        if (it.key() == "SubLink") continue;
        if (it.key() == "ColumnRef") {
          if (auto r = resolve(it.value(), scope, false)) out.insert(shape_.tables[r->table].name + "." + r->column);
          continue;
        }
        branch_columns(it.value(), scope, out);
      }
    } else if (node.is_array()) {
      for (const auto& e : node) branch_columns(e, scope, out);
    }
  }

  void predicate(const json& node, const Scope& scope, bool negated) {
    auto [type, body] = unwrap(node);
    if (!body) return;
    if (type == "BoolExpr") {
      std::string op = member(*body, "boolop") ? member(*body, "boolop")->get<std::string>() : "";
      auto* args = member(*body, "args");
      if (!args) return;
      if (op == "NOT_EXPR") {
        for (const auto& a : *args) predicate(a, scope, !negated);
        return;
      }
      if (op == "OR_EXPR" && !negated) {
        std::vector<std::set<std::string>> branches;
        std::set<std::string> all;
        for (const auto& a : *args) {
          std::set<std::string> columns;
          branch_columns(a, scope, columns);
          all.insert(columns.begin(), columns.end());
          branches.push_back(std::move(columns));
        }
        bool same = std::all_of(branches.begin(), branches.end(), [&](const auto& b) { return b == branches[0]; });
        if (!same && all.size() >= 2) shape_.or_across_columns.push_back({{all.begin(), all.end()}});
      }
      for (const auto& a : *args) predicate(a, scope, negated);
      return;
    }
    if (type == "A_Expr") {
      std::string kind = member(*body, "kind") ? member(*body, "kind")->get<std::string>() : "";
      std::string op = last_name(member(*body, "name"));
      auto* left = member(*body, "lexpr");
      auto* right = member(*body, "rexpr");
      if (kind == "AEXPR_OP" && left && right) {
        comparison(op, *left, *right, scope, negated);
      } else if (kind == "AEXPR_OP_ANY" && left && right) {
        comparison(op, *left, *right, scope, negated);
      } else if (kind == "AEXPR_IN" && left) {
        Operand l = classify(*left, scope);
        record_function(l, op == "=" && !negated ? "=" : "other");
        if (l.kind == Operand::column) {
          table_of(*l.col).filtered = true;
          if (op == "=" && !negated) add_unique(table_of(*l.col).equality_columns, l.col->column);
        }
      } else if (kind == "AEXPR_LIKE" || kind == "AEXPR_ILIKE") {
        like(*body, scope, negated, kind == "AEXPR_ILIKE");
      } else if ((kind == "AEXPR_BETWEEN" || kind == "AEXPR_NOT_BETWEEN") && left) {
        Operand l = classify(*left, scope);
        record_function(l, kind == "AEXPR_BETWEEN" && !negated ? "range" : "other");
        if (l.kind == Operand::column) {
          table_of(*l.col).filtered = true;
          if (kind == "AEXPR_BETWEEN" && !negated) add_unique(table_of(*l.col).range_columns, l.col->column);
        }
      } else {
        walk_subqueries(node, scope);
      }
      return;
    }
    if (type == "NullTest") {
      auto* arg = member(*body, "arg");
      if (!arg) return;
      Operand l = classify(*arg, scope);
      bool is_null = member(*body, "nulltesttype") && member(*body, "nulltesttype")->get<std::string>() == "IS_NULL";
      record_function(l, is_null != negated ? "null" : "other");
      if (l.kind == Operand::column) {
        table_of(*l.col).filtered = true;
        if (is_null != negated) {
          add_unique(table_of(*l.col).equality_columns, l.col->column);
          add_unique(table_of(*l.col).null_columns, l.col->column);
        }
      }
      return;
    }
    if (type == "SubLink") {
      sublink(*body, scope, negated);
      return;
    }
    if (type == "ColumnRef") {  // WHERE active
      Operand l = classify(node, scope);
      if (l.kind == Operand::column) {
        table_of(*l.col).filtered = true;
        add_unique(table_of(*l.col).equality_columns, l.col->column);
      }
      return;
    }
    if (type == "BooleanTest") {
      if (auto* arg = member(*body, "arg")) predicate(*arg, scope, negated);
      return;
    }
    walk_subqueries(node, scope);
  }

  void sublink(const json& body, const Scope& scope, bool negated) {
    shape_.has_subquery = true;
    std::string kind = member(body, "subLinkType") ? member(body, "subLinkType")->get<std::string>() : "";
    auto* test = member(body, "testexpr");
    if (kind == "ANY_SUBLINK" && test) {
      Operand l = classify(*test, scope);
      if (l.kind == Operand::column) {
        table_of(*l.col).filtered = true;
        if (!negated) add_unique(table_of(*l.col).equality_columns, l.col->column);
      }
      if (negated) {
        NotInSubquery n;
        n.column = l.col ? table_of(*l.col).name + "." + l.col->column : "";
        if (auto* sub = member(body, "subselect")) simple_subquery(*sub, n.subquery_table, n.subquery_column);
        shape_.not_in_subqueries.push_back(std::move(n));
      }
    }
    if (auto* sub = member(body, "subselect")) statement(*sub, &scope, false);
  }

  // SELECT col FROM t ...: the table and the column, when that simple.
  static void simple_subquery(const json& node, std::string& table, std::string& column) {
    auto [type, body] = unwrap(node);
    if (type != "SelectStmt" || !body) return;
    auto* from = member(*body, "fromClause");
    if (from && from->size() == 1) {
      auto [ftype, fbody] = unwrap((*from)[0]);
      if (ftype == "RangeVar" && fbody && member(*fbody, "relname"))
        table = member(*fbody, "relname")->get<std::string>();
    }
    auto* targets = member(*body, "targetList");
    if (targets && targets->size() == 1) {
      auto [ttype, tbody] = unwrap((*targets)[0]);
      auto* val = tbody ? member(*tbody, "val") : nullptr;
      if (!val) return;
      auto [vtype, vbody] = unwrap(*val);
      if (vtype == "ColumnRef" && vbody) {
        if (auto* fields = member(*vbody, "fields"); fields && !fields->empty())
          column = util::to_lower(string_value(fields->back()));
      }
    }
  }

  // Subqueries anywhere inside an expression (select list, HAVING, comparison operands).
  void walk_subqueries(const json& node, const Scope& scope) {
    if (node.is_object()) {
      for (auto it = node.begin(); it != node.end(); ++it) {
        if (it.key() == "SubLink") {
          sublink(it.value(), scope, false);
          continue;
        }
        walk_subqueries(it.value(), scope);
      }
    } else if (node.is_array()) {
      for (const auto& e : node) walk_subqueries(e, scope);
    }
  }
};

std::optional<QueryShape> analyze_with_pg_query(const std::string& sql, const model::Schema* schema) {
  PgQueryParseResult result = pg_query_parse(sql.c_str());
  if (result.error || !result.parse_tree) {
    pg_query_free_parse_result(result);
    return std::nullopt;
  }
  json tree = json::parse(result.parse_tree, nullptr, false);
  pg_query_free_parse_result(result);
  auto* stmts = member(tree, "stmts");
  if (!stmts || !stmts->is_array() || stmts->empty()) return std::nullopt;
  auto* stmt = member((*stmts)[0], "stmt");
  if (!stmt) return std::nullopt;
  QueryShape shape;
  shape.parser = "pg_query";
  PgWalker walker(shape, schema);
  walker.statement(*stmt, nullptr, true);
  return shape;
}

}  // namespace

std::string statement_kind_name(StatementKind kind) {
  switch (kind) {
    case StatementKind::select:
      return "select";
    case StatementKind::insert:
      return "insert";
    case StatementKind::update:
      return "update";
    case StatementKind::delete_:
      return "delete";
    case StatementKind::other:
      return "other";
  }
  return "other";
}

const TableUsage* QueryShape::find_table(const std::string& name) const {
  auto dot = name.rfind('.');
  std::string bare = util::to_lower(dot == std::string::npos ? name : name.substr(dot + 1));
  for (const auto& t : tables) {
    if (util::to_lower(t.name) == bare) return &t;
  }
  return nullptr;
}

std::string normalize_for_pg_query(const std::string& sql) {
  auto tokens = detail::tokenize(sql);
  int next = 0;
  for (const auto& t : tokens) {
    if (t.kind == detail::TokenKind::parameter && t.text[0] == '$') next = std::max(next, std::stoi(t.text.substr(1)));
  }
  std::map<std::string, int> named;
  std::string out;
  size_t copied = 0;
  auto emit = [&](size_t begin, size_t end, const std::string& replacement) {
    out.append(sql, copied, begin - copied);
    out += replacement;
    copied = end;
  };
  for (size_t i = 0; i < tokens.size(); ++i) {
    const auto& t = tokens[i];
    if (t.kind == detail::TokenKind::parameter && t.text == "?") {
      emit(t.begin, t.end, "$" + std::to_string(++next));
    } else if (t.kind == detail::TokenKind::parameter && t.text[0] == ':') {
      auto [it, inserted] = named.emplace(t.text, next + 1);
      if (inserted) ++next;
      emit(t.begin, t.end, "$" + std::to_string(it->second));
    } else if (t.kind == detail::TokenKind::quoted_identifier && t.text[0] == '`') {
      std::string quoted = "\"";
      for (char c : t.value) quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
      emit(t.begin, t.end, quoted + "\"");
    } else if (t.kind == detail::TokenKind::word && t.value == "LIMIT" && i + 3 < tokens.size() &&
               tokens[i + 2].text == "," &&
               (tokens[i + 1].kind == detail::TokenKind::number ||
                tokens[i + 1].kind == detail::TokenKind::parameter) &&
               (tokens[i + 3].kind == detail::TokenKind::number ||
                tokens[i + 3].kind == detail::TokenKind::parameter)) {
      // MySQL LIMIT offset, count
      auto param = [&](const detail::Token& p) {
        if (p.text == "?") return "$" + std::to_string(++next);
        if (p.text[0] == ':') {
          auto [it, inserted] = named.emplace(p.text, next + 1);
          if (inserted) ++next;
          return "$" + std::to_string(it->second);
        }
        return p.text;
      };
      std::string offset = param(tokens[i + 1]);
      std::string count = param(tokens[i + 3]);
      emit(t.begin, tokens[i + 3].end, "LIMIT " + count + " OFFSET " + offset);
      i += 3;
    }
  }
  out.append(sql, copied, std::string::npos);
  return out;
}

core::Expected<QueryShape> analyze_query(const std::string& sql, const model::Schema* schema) {
  if (auto shape = analyze_with_pg_query(sql, schema)) return std::move(*shape);
  if (auto shape = analyze_with_pg_query(normalize_for_pg_query(sql), schema)) return std::move(*shape);
  return analyze_query_tokens(sql);
}

}  // namespace dbvet::sql
