// PgWalker, predicates: comparisons, LIKE, IN/ANY and subqueries, and what each says about a
// column (equality, range, function of a column, constant or parameter).

#include <algorithm>
#include <cctype>
#include <functional>

#include "analyzer/sql/query_shape_walker.hpp"

namespace dbvet::sql::pg_shape {

bool PgWalker::has_column_ref(const json& node) {
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

std::optional<std::string> PgWalker::constant_text(const json& body) {
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

Operand PgWalker::classify(const json& node, const Scope& scope) {
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

void PgWalker::find_columns(const json& node, const Scope& scope, std::optional<Resolved>& found, int& count) {
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

void PgWalker::record_function(const Operand& o, const std::string& comparison) {
  if (o.kind != Operand::function_column || !o.col) return;
  auto& t = table_of(*o.col);
  t.filtered = true;
  bool seen = std::any_of(t.functions.begin(), t.functions.end(), [&](const FunctionPredicate& f) {
    return f.column == o.col->column && f.function == o.function;
  });
  if (!seen) t.functions.push_back({o.function, o.col->column, o.expression, comparison, o.index_key});
}

void PgWalker::note_parameters(const Operand& column, const json& value) {
  if (!parameters_ || column.kind != Operand::column || !column.col) return;
  std::function<void(const json&)> walk = [&](const json& node) {
    if (node.is_object()) {
      for (auto it = node.begin(); it != node.end(); ++it) {
        if (it.key() == "SubLink") continue;
        if (it.key() == "ParamRef") {
          if (auto* number = member(it.value(), "number"); number && number->is_number_integer()) {
            parameters_->columns.push_back(
                {number->get<int>(), shape_.tables[column.col->table].name, column.col->column});
          }
          continue;
        }
        walk(it.value());
      }
    } else if (node.is_array()) {
      for (const auto& e : node) walk(e);
    }
  };
  walk(value);
}

void PgWalker::comparison(const std::string& op, const json& left, const json& right, const Scope& scope,
                          bool negated) {
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
    if (r.constant) t.range_constants.push_back({l.col->column, effective, *r.constant});
  }
}

std::string PgWalker::leading_text(const json& node) {
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

void PgWalker::like(const json& body, const Scope& scope, bool negated, bool insensitive) {
  auto* left = member(body, "lexpr");
  auto* right = member(body, "rexpr");
  if (!left || !right) return;
  Operand l = classify(*left, scope);
  Operand r = classify(*right, scope);
  note_parameters(l, *right);
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

void PgWalker::branch_columns(const json& node, const Scope& scope, std::set<std::string>& out) {
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

void PgWalker::predicate(const json& node, const Scope& scope, bool negated) {
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
      if (parameters_) {
        note_parameters(classify(*left, scope), *right);
        note_parameters(classify(*right, scope), *left);
      }
      comparison(op, *left, *right, scope, negated);
    } else if (kind == "AEXPR_OP_ANY" && left && right) {
      comparison(op, *left, *right, scope, negated);
    } else if (kind == "AEXPR_IN" && left) {
      Operand l = classify(*left, scope);
      if (right) note_parameters(l, *right);
      record_function(l, op == "=" && !negated ? "=" : "other");
      if (l.kind == Operand::column) {
        table_of(*l.col).filtered = true;
        if (op == "=" && !negated) add_unique(table_of(*l.col).equality_columns, l.col->column);
      }
    } else if (kind == "AEXPR_LIKE" || kind == "AEXPR_ILIKE") {
      like(*body, scope, negated, kind == "AEXPR_ILIKE");
    } else if ((kind == "AEXPR_BETWEEN" || kind == "AEXPR_NOT_BETWEEN") && left) {
      Operand l = classify(*left, scope);
      if (right) note_parameters(l, *right);
      record_function(l, kind == "AEXPR_BETWEEN" && !negated ? "range" : "other");
      if (l.kind == Operand::column) {
        table_of(*l.col).filtered = true;
        if (kind == "AEXPR_BETWEEN" && !negated) {
          auto& t = table_of(*l.col);
          add_unique(t.range_columns, l.col->column);
          // BETWEEN low AND high: its bounds as two range constants, when both are literals.
          auto [list_type, list] = right ? unwrap(*right) : std::pair<std::string, const json*>{"", nullptr};
          const json* items = list && list_type == "List" ? member(*list, "items") : nullptr;
          if (items && items->is_array() && items->size() == 2) {
            auto low = classify((*items)[0], scope), high = classify((*items)[1], scope);
            if (low.constant && high.constant) {
              t.range_constants.push_back({l.col->column, ">=", *low.constant});
              t.range_constants.push_back({l.col->column, "<=", *high.constant});
            }
          }
        }
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

void PgWalker::sublink(const json& body, const Scope& scope, bool negated) {
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

void PgWalker::simple_subquery(const json& node, std::string& table, std::string& column) {
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

void PgWalker::walk_subqueries(const json& node, const Scope& scope) {
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

}  // namespace dbvet::sql::pg_shape
