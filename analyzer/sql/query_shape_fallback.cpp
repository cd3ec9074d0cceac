// The token-level reading of a statement libpg_query rejects (MySQL-only syntax: INSERT ... ON
// DUPLICATE KEY, STRAIGHT_JOIN, index hints, `REPLACE INTO` ...). It finds the same facts as the
// parse-tree walk for the common shapes: FROM/JOIN tables with aliases, `col op value` conditions
// of the outermost WHERE, LIKE patterns, functions on columns, ORDER BY, LIMIT/OFFSET.

#include <algorithm>
#include <map>
#include <set>

#include "analyzer/sql/query_shape.hpp"
#include "analyzer/sql/query_shape_tokens.hpp"
#include "analyzer/util/ascii.hpp"

namespace dbvet::sql {

core::Expected<QueryShape> analyze_query_tokens(const std::string& sql);

namespace {

using detail::Token;
using detail::TokenKind;

void add_unique(std::vector<std::string>& list, const std::string& value) {
  if (std::find(list.begin(), list.end(), value) == list.end()) list.push_back(value);
}

const std::set<std::string>& clause_words() {
  static const std::set<std::string> words = {
      "WHERE",   "GROUP", "ORDER",         "LIMIT", "HAVING", "JOIN",  "INNER",     "LEFT",   "RIGHT",     "FULL",
      "CROSS",   "ON",    "USING",         "SET",   "VALUES", "UNION", "OFFSET",    "FOR",    "INTO",      "SELECT",
      "NATURAL", "OUTER", "STRAIGHT_JOIN", "FORCE", "IGNORE", "USE",   "PARTITION", "WINDOW", "RETURNING", "ON",
      "LOCK",    "AS",    "FROM"};
  return words;
}

bool is_name(const Token& t) {
  return t.kind == TokenKind::quoted_identifier || (t.kind == TokenKind::word && !clause_words().count(t.value));
}

std::string name_of(const Token& t) { return t.kind == TokenKind::quoted_identifier ? t.value : t.text; }

class TokenReader {
 public:
  TokenReader(std::vector<Token> tokens, QueryShape& shape) : t_(std::move(tokens)), shape_(shape) {}

  void run() {
    depth_.resize(t_.size());
    int d = 0;
    for (size_t i = 0; i < t_.size(); ++i) {
      if (t_[i].text == ")") --d;
      depth_[i] = d;
      if (t_[i].text == "(") ++d;
    }
    statement_kind();
    tables();
    select_list();
    where_clause();
    order_by();
    limits();
  }

 private:
  std::vector<Token> t_;
  std::vector<int> depth_;
  QueryShape& shape_;
  std::map<std::string, size_t> aliases_;  // alias or name -> table index

  bool word(size_t i, const char* value) const {
    return i < t_.size() && t_[i].kind == TokenKind::word && t_[i].value == value;
  }

  size_t find_top(size_t from, const char* value) const {
    for (size_t i = from; i < t_.size(); ++i) {
      if (depth_[i] == 0 && word(i, value)) return i;
    }
    return t_.size();
  }

  void statement_kind() {
    for (size_t i = 0; i < t_.size(); ++i) {
      if (depth_[i] != 0 || t_[i].kind != TokenKind::word) continue;
      const auto& v = t_[i].value;
      if (v == "SELECT")
        shape_.kind = StatementKind::select;
      else if (v == "INSERT" || v == "REPLACE")
        shape_.kind = StatementKind::insert;
      else if (v == "UPDATE")
        shape_.kind = StatementKind::update;
      else if (v == "DELETE")
        shape_.kind = StatementKind::delete_;
      else if (v == "WITH" || v == "EXPLAIN")
        continue;
      else
        continue;
      return;
    }
  }

  size_t add_table(size_t i, bool written) {
    std::string name = name_of(t_[i]);
    std::string schema;
    size_t next = i + 1;
    if (next + 1 < t_.size() && t_[next].text == "." && is_name(t_[next + 1])) {
      schema = name;
      name = name_of(t_[next + 1]);
      next += 2;
    }
    size_t index = shape_.tables.size();
    for (size_t k = 0; k < shape_.tables.size(); ++k) {
      if (util::to_lower(shape_.tables[k].name) == util::to_lower(name)) index = k;
    }
    if (index == shape_.tables.size()) {
      TableUsage u;
      u.name = name;
      u.schema = schema;
      shape_.tables.push_back(std::move(u));
    }
    auto& u = shape_.tables[index];
    if (written) u.written = true;
    if (!written || shape_.kind != StatementKind::insert) u.read = true;
    aliases_[util::to_lower(name)] = index;
    if (word(next, "AS")) ++next;
    if (next < t_.size() && is_name(t_[next])) {
      if (u.alias.empty()) u.alias = name_of(t_[next]);
      aliases_[util::to_lower(name_of(t_[next]))] = index;
      ++next;
    }
    return next;
  }

  void tables() {
    insert_without_into();
    for (size_t i = 0; i < t_.size(); ++i) {
      if (t_[i].kind != TokenKind::word) continue;
      const auto& v = t_[i].value;
      bool written = v == "INTO" || (v == "UPDATE" && shape_.kind == StatementKind::update);
      // LOAD DATA ... INTO TABLE t: the word TABLE is no table.
      if (v == "INTO" && word(i + 1, "TABLE")) ++i;
      if (v == "JOIN" || v == "STRAIGHT_JOIN") shape_.has_join = true;
      if (v != "FROM" && v != "JOIN" && v != "INTO" && v != "UPDATE" && v != "STRAIGHT_JOIN") continue;
      if (v == "UPDATE" && i > 0 && word(i - 1, "KEY")) continue;  // ON DUPLICATE KEY UPDATE
      size_t j = i + 1;
      while (j < t_.size() && is_name(t_[j])) {
        j = add_table(j, written);
        if (v != "FROM" || j >= t_.size() || t_[j].text != ",") break;
        shape_.has_join = true;
        ++j;
      }
      if (v == "FROM" && j < t_.size() && t_[j].text == "(") shape_.has_subquery = true;
    }
  }

  // MySQL's INSERT and REPLACE may leave INTO out: `INSERT [LOW_PRIORITY | DELAYED | HIGH_PRIORITY]
  // [IGNORE] t VALUES ...` writes t, as pt-query-digest's Tables section says.
  void insert_without_into() {
    size_t i = 0;
    while (i < t_.size() && t_[i].kind != TokenKind::word) ++i;
    if (!word(i, "INSERT") && !word(i, "REPLACE")) return;
    ++i;
    while (word(i, "LOW_PRIORITY") || word(i, "DELAYED") || word(i, "HIGH_PRIORITY") || word(i, "IGNORE")) ++i;
    if (i < t_.size() && is_name(t_[i])) add_table(i, true);
  }

  // [qualifier .] column starting at i; returns the table index (or npos) and the column.
  std::pair<size_t, std::string> column_at(size_t i, size_t& next) const {
    next = i;
    if (i >= t_.size() || !is_name(t_[i])) return {std::string::npos, ""};
    if (i + 2 < t_.size() && t_[i + 1].text == "." && (is_name(t_[i + 2]) || t_[i + 2].text == "*")) {
      next = i + 3;
      auto it = aliases_.find(util::to_lower(name_of(t_[i])));
      return {it == aliases_.end() ? std::string::npos : it->second,
              util::to_lower(t_[i + 2].text == "*" ? "*" : name_of(t_[i + 2]))};
    }
    next = i + 1;
    if (i + 1 < t_.size() && t_[i + 1].text == "(") return {std::string::npos, ""};  // a function
    size_t owner = shape_.tables.size() == 1 ? 0 : std::string::npos;
    return {owner, util::to_lower(name_of(t_[i]))};
  }

  void select_list() {
    if (shape_.kind != StatementKind::select) return;
    size_t from = find_top(0, "FROM");
    size_t start = find_top(0, "SELECT");
    if (start >= t_.size()) return;
    size_t i = start + 1;
    if (word(i, "DISTINCT")) {
      shape_.distinct = true;
      ++i;
    }
    bool only_count = false;
    int items = 0;
    for (size_t k = i; k < from; ++k) {
      if (depth_[k] == 0 && (k == i || t_[k - 1].text == ",")) ++items;
      if (depth_[k] == 0 && t_[k].text == "*" && (k == i || t_[k - 1].text == "," || t_[k - 1].text == ".")) {
        shape_.select_star = true;
        for (auto& u : shape_.tables) add_unique(u.selected_columns, "*");
      }
      if (t_[k].kind == TokenKind::word &&
          (t_[k].value == "COUNT" || t_[k].value == "SUM" || t_[k].value == "AVG" || t_[k].value == "MIN" ||
           t_[k].value == "MAX") &&
          k + 1 < from && t_[k + 1].text == "(") {
        shape_.has_aggregate = true;
        if (t_[k].value == "COUNT" && k == i && k + 3 < t_.size() && t_[k + 2].text == "*" && t_[k + 3].text == ")") {
          only_count = true;
        }
      }
    }
    bool where = find_top(0, "WHERE") < t_.size();
    bool group = find_top(0, "GROUP") < t_.size();
    shape_.count_star_without_where =
        only_count && items == 1 && !where && !group && !shape_.has_join && shape_.tables.size() == 1;
    if (group) shape_.has_group_by = true;
  }

  static bool is_value(const Token& t) {
    return t.kind == TokenKind::string || t.kind == TokenKind::number || t.kind == TokenKind::parameter ||
           (t.kind == TokenKind::word && (t.value == "TRUE" || t.value == "FALSE" || t.value == "NULL"));
  }

  void where_clause() {
    size_t where = find_top(0, "WHERE");
    if (where >= t_.size()) return;
    shape_.has_where = true;
    size_t end = t_.size();
    for (const char* stop : {"GROUP", "ORDER", "LIMIT", "HAVING", "UNION", "FOR", "RETURNING"}) {
      end = std::min(end, find_top(where + 1, stop));
    }
    std::vector<std::set<std::string>> or_branches(1);
    bool has_or = false;
    for (size_t i = where + 1; i < end; ++i) {
      if (depth_[i] == depth_[where] && word(i, "OR")) {
        has_or = true;
        or_branches.emplace_back();
        continue;
      }
      if (word(i, "AND")) continue;
      size_t next = i;
      // function(column) op value
      if (t_[i].kind == TokenKind::word && i + 3 < end && t_[i + 1].text == "(" && !clause_words().count(t_[i].value) &&
          t_[i].value != "NOT" && t_[i].value != "EXISTS" && t_[i].value != "IN") {
        auto [table, column] = column_at(i + 2, next);
        if (!column.empty() && next < end && t_[next].text == ")" && table != std::string::npos) {
          auto& u = shape_.tables[table];
          u.filtered = true;
          std::string fn = util::to_lower(t_[i].text);
          u.functions.push_back({fn, column, fn + "(" + column + ")"});
          or_branches.back().insert(u.name + "." + column);
          i = next;
          continue;
        }
      }
      auto [table, column] = column_at(i, next);
      if (column.empty() || next >= end) continue;
      if (table == std::string::npos) {
        if (!word(i, "NOT") && !word(i, "AND") && !word(i, "IS")) add_unique(shape_.unresolved_columns, column);
        continue;
      }
      auto& u = shape_.tables[table];
      const Token& op = t_[next];
      bool negated = word(next, "NOT");
      size_t op_at = negated ? next + 1 : next;
      if (op_at >= end) continue;
      const Token& real_op = t_[op_at];
      if (op.text == "=" || op.text == "<" || op.text == ">" || op.text == "<=" || op.text == ">=" || op.text == "<>" ||
          op.text == "!=") {
        size_t v = next + 1;
        size_t after = v;
        if (v < end && is_name(t_[v])) {
          auto [other, other_column] = column_at(v, after);
          if (other != std::string::npos && other != table && !other_column.empty()) {
            add_unique(u.join_columns, column);
            add_unique(shape_.tables[other].join_columns, other_column);
            i = after - 1;
            continue;
          }
        }
        u.filtered = true;
        or_branches.back().insert(u.name + "." + column);
        if (op.text == "=") {
          add_unique(u.equality_columns, column);
          if (v < end && (t_[v].kind == TokenKind::string || t_[v].kind == TokenKind::number)) {
            u.constants.push_back({column, t_[v].value});
          }
        } else if (op.text != "<>" && op.text != "!=") {
          add_unique(u.range_columns, column);
        }
      } else if (real_op.kind == TokenKind::word && (real_op.value == "LIKE" || real_op.value == "ILIKE")) {
        u.filtered = true;
        or_branches.back().insert(u.name + "." + column);
        LikePredicate p;
        p.column = column;
        p.negated = negated;
        p.case_insensitive = real_op.value == "ILIKE";
        size_t pattern_at = op_at + 1;
        if (word(pattern_at, "CONCAT") && pattern_at + 2 < end && t_[pattern_at + 1].text == "(") pattern_at += 2;
        if (pattern_at < end && t_[pattern_at].kind == TokenKind::string) {
          p.pattern = t_[pattern_at].value;
          p.leading_wildcard = !p.pattern.empty() && (p.pattern[0] == '%' || p.pattern[0] == '_');
          p.prefix = !p.leading_wildcard && p.pattern.find_first_of("%_") != std::string::npos;
        }
        u.likes.push_back(std::move(p));
      } else if (real_op.kind == TokenKind::word && (real_op.value == "IN" || real_op.value == "BETWEEN")) {
        u.filtered = true;
        or_branches.back().insert(u.name + "." + column);
        if (!negated) add_unique(real_op.value == "IN" ? u.equality_columns : u.range_columns, column);
        if (real_op.value == "IN" && negated && op_at + 2 < end && word(op_at + 2, "SELECT")) {
          shape_.not_in_subqueries.push_back({u.name + "." + column, "", ""});
        }
      } else if (word(next, "IS")) {
        u.filtered = true;
        if (!word(next + 1, "NOT")) {
          add_unique(u.equality_columns, column);
          add_unique(u.null_columns, column);
        }
      } else {
        continue;  // not a predicate on this word: the next token may start one (DATE(col) = ...)
      }
      i = next;
    }
    if (has_or) {
      std::set<std::string> all;
      bool same = true;
      for (const auto& b : or_branches) {
        all.insert(b.begin(), b.end());
        if (b != or_branches[0]) same = false;
      }
      if (!same && all.size() >= 2) shape_.or_across_columns.push_back({{all.begin(), all.end()}});
    }
  }

  void order_by() {
    size_t order = find_top(0, "ORDER");
    if (order >= t_.size() || !word(order + 1, "BY")) return;
    size_t i = order + 2;
    while (i < t_.size() && depth_[i] == 0 && !word(i, "LIMIT") && !word(i, "OFFSET") && !word(i, "FOR")) {
      if (t_[i].kind == TokenKind::word && (t_[i].value == "RAND" || t_[i].value == "RANDOM") && i + 2 < t_.size() &&
          t_[i + 1].text == "(" && t_[i + 2].text == ")") {
        shape_.order_by_random = true;
      }
      size_t next = i;
      auto [table, column] = column_at(i, next);
      if (!column.empty() && table != std::string::npos) {
        bool desc = word(next, "DESC");
        shape_.tables[table].order_by.push_back({column, desc});
      }
      i = std::max(next, i + 1);
      while (i < t_.size() && depth_[i] == 0 && t_[i].text != "," && !word(i, "LIMIT") && !word(i, "OFFSET")) ++i;
      if (i < t_.size() && t_[i].text == ",") ++i;
    }
  }

  static void read_number(const Token& t, std::optional<int64_t>& value, bool& parameter) {
    if (t.kind == TokenKind::number) {
      try {
        value = std::stoll(t.text);
      } catch (...) {
      }
    } else if (t.kind == TokenKind::parameter) {
      parameter = true;
    }
  }

  void limits() {
    size_t limit = find_top(0, "LIMIT");
    if (limit + 1 < t_.size()) {
      if (limit + 3 < t_.size() && t_[limit + 2].text == ",") {
        read_number(t_[limit + 1], shape_.offset, shape_.offset_is_parameter);
        read_number(t_[limit + 3], shape_.limit, shape_.limit_is_parameter);
      } else {
        read_number(t_[limit + 1], shape_.limit, shape_.limit_is_parameter);
      }
    }
    size_t offset = find_top(0, "OFFSET");
    if (offset + 1 < t_.size()) read_number(t_[offset + 1], shape_.offset, shape_.offset_is_parameter);
  }
};

}  // namespace

core::Expected<QueryShape> analyze_query_tokens(const std::string& sql) {
  auto tokens = detail::tokenize(sql);
  if (tokens.empty()) return core::make_error(core::ErrorKind::input, "empty statement");
  QueryShape shape;
  shape.parser = "tokens";
  TokenReader reader(std::move(tokens), shape);
  reader.run();
  if (shape.kind == StatementKind::other && shape.tables.empty()) {
    std::string head = sql.substr(0, std::min<size_t>(sql.size(), 40));
    return core::make_error(core::ErrorKind::input, "not a SELECT, INSERT, UPDATE or DELETE statement: " + head);
  }
  return shape;
}

}  // namespace dbvet::sql
