// PgWalker, tables and names: statements, CTEs, FROM items, select lists, LIMIT, and the
// resolution of a column reference to a table of the statement.

#include "analyzer/sql/query_shape_walker.hpp"

#include <algorithm>
#include <cctype>
#include <functional>

namespace dbvet::sql::pg_shape {

void PgWalker::statement(const json& node, const Scope* parent, bool outermost) {
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

TableUsage& PgWalker::usage(const json& range_var_node) {
  auto [type, rv] = unwrap(range_var_node);
  const json& body = rv ? *rv : range_var_node;
  std::string name = member(body, "relname") ? member(body, "relname")->get<std::string>() : "";
  std::string schema = member(body, "schemaname") ? member(body, "schemaname")->get<std::string>() : "";
  return usage_named(name, schema, alias_of(body));
}

TableUsage& PgWalker::usage_named(const std::string& name, const std::string& schema, const std::string& alias) {
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

std::string PgWalker::alias_of(const json& body) {
  if (auto* alias = member(body, "alias")) {
    if (auto* name = member(*alias, "aliasname")) return name->get<std::string>();
  }
  return "";
}

void PgWalker::with_clause(const json& body, const Scope* parent) {
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

void PgWalker::add_range_var(const json& node, Scope& scope) {
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

void PgWalker::from_item(const json& node, Scope& scope, std::vector<const json*>* join_quals) {
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

void PgWalker::select(const json& body, const Scope* parent, bool outermost) {
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

void PgWalker::select_body(const json& node, const Scope* parent, bool outermost) {
  auto [type, body] = unwrap(node);
  select(body ? *body : node, parent, outermost);
}

bool PgWalker::contains_aggregate(const json& body) {
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

void PgWalker::limits(const json& body) {
  auto read = [this](const json* node, std::optional<int64_t>& value, bool& parameter) {
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
      if (auto* number = b ? member(*b, "number") : nullptr; parameters_ && number && number->is_number_integer()) {
        parameters_->limits.push_back(number->get<int>());
      }
    }
  };
  read(member(body, "limitCount"), shape_.limit, shape_.limit_is_parameter);
  read(member(body, "limitOffset"), shape_.offset, shape_.offset_is_parameter);
}

const json& PgWalker::resolve_output(const json& node, const std::map<std::string, const json*>& aliases,
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

void PgWalker::target_column(const json& colref, const Scope& scope, bool outermost) {
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

void PgWalker::collect_selected(const json& node, const Scope& scope) {
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

std::optional<size_t> PgWalker::resolve_qualifier(const std::string& qualifier, const Scope& scope) const {
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

std::optional<Resolved> PgWalker::resolve(const json& colref, const Scope& scope, bool record_unresolved) {
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

std::optional<bool> PgWalker::owns(const std::string& table, const std::string& column) const {
  if (!schema_) return std::nullopt;
  const auto* t = schema_->find_table(table);
  if (!t) return std::nullopt;
  return t->find_column(column) != nullptr;
}

}  // namespace dbvet::sql::pg_shape
