#include "analyzer/sql/query_shape.hpp"

#include <pg_query.h>

#include <algorithm>
#include <cctype>
#include <functional>
#include <map>
#include <set>

#include "analyzer/model/schema.hpp"
#include "analyzer/sql/lexer.hpp"
#include "analyzer/sql/parameters.hpp"
#include "analyzer/sql/query_shape_tokens.hpp"
#include "analyzer/sql/query_shape_walker.hpp"
#include "analyzer/util/ascii.hpp"
#include "nlohmann/json.hpp"

namespace dbvet::sql {

// The token-level reading, for what libpg_query rejects (query_shape_fallback.cpp).
core::Expected<QueryShape> analyze_query_tokens(const std::string& sql);

namespace {

using pg_shape::json;
using pg_shape::member;
using pg_shape::PgWalker;

// The parse tree of the first statement of `sql` (kept alive in `tree`), or null when libpg_query
// rejects the text.
const json* first_statement(const std::string& sql, json& tree) {
  PgQueryParseResult result = pg_query_parse(sql.c_str());
  if (result.error || !result.parse_tree) {
    pg_query_free_parse_result(result);
    return nullptr;
  }
  tree = json::parse(result.parse_tree, nullptr, false);
  pg_query_free_parse_result(result);
  auto* stmts = member(tree, "stmts");
  if (!stmts || !stmts->is_array() || stmts->empty()) return nullptr;
  return member((*stmts)[0], "stmt");
}

std::optional<QueryShape> analyze_with_pg_query(const std::string& sql, const model::Schema* schema) {
  json tree;
  const json* stmt = first_statement(sql, tree);
  if (!stmt) return std::nullopt;
  QueryShape shape;
  shape.parser = "pg_query";
  PgWalker walker(shape, schema);
  walker.statement(*stmt, nullptr, true);
  return shape;
}

}  // namespace

std::optional<ParameterUses> parameter_uses(const std::string& sql, const model::Schema* schema) {
  json tree;
  const json* stmt = first_statement(sql, tree);
  if (!stmt) return std::nullopt;
  QueryShape shape;
  ParameterUses uses;
  PgWalker walker(shape, schema);
  walker.collect_parameters(&uses);
  walker.statement(*stmt, nullptr, true);
  return uses;
}

std::string substitute_parameters(const std::string& sql, const std::map<int, std::string>& literals) {
  std::string out;
  size_t copied = 0;
  Lexer lexer(sql, Dialect::postgres);
  for (auto token = lexer.next(); token.kind != TokenKind::end; token = lexer.next()) {
    if (token.kind != TokenKind::placeholder || token.text.size() < 2 || token.text[0] != '$') continue;
    auto it = literals.find(std::atoi(std::string(token.text.substr(1)).c_str()));
    if (it == literals.end()) continue;
    out.append(sql, copied, token.offset - copied);
    out += it->second;
    copied = token.offset + token.text.size();
  }
  return out + sql.substr(copied);
}

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
