#include "analyzer/sample/index_plan.hpp"

#include <cctype>

#include "analyzer/sql/split_statements.hpp"
#include "analyzer/util/ascii.hpp"

namespace dbvet::sample {
namespace {

// Words (identifiers, keywords, quoted names kept whole) and single punctuation characters,
// comments skipped. Keywords are compared lower-cased; names keep their spelling.
std::vector<std::string> tokens(std::string_view sql) {
  std::vector<std::string> out;
  size_t i = 0;
  while (i < sql.size()) {
    const char c = sql[i];
    if (std::isspace(static_cast<unsigned char>(c))) {
      ++i;
    } else if (sql.substr(i, 2) == "--") {
      while (i < sql.size() && sql[i] != '\n') ++i;
    } else if (sql.substr(i, 2) == "/*") {
      const auto end = sql.find("*/", i + 2);
      i = end == std::string_view::npos ? sql.size() : end + 2;
    } else if (std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '"') {
      const size_t start = i;
      bool quoted = false;
      while (i < sql.size()) {
        const char d = sql[i];
        if (d == '"') {
          quoted = !quoted;
        } else if (!quoted && !(std::isalnum(static_cast<unsigned char>(d)) || d == '_' || d == '.' || d == '$')) {
          break;
        }
        ++i;
      }
      out.emplace_back(sql.substr(start, i - start));
    } else {
      out.emplace_back(1, c);
      ++i;
    }
  }
  return out;
}

bool is(const std::vector<std::string>& words, size_t at, std::string_view keyword) {
  return at < words.size() && util::to_lower(words[at]) == keyword;
}

}  // namespace

AfterLoadStatement classify_after_load(std::string_view sql) {
  AfterLoadStatement statement;
  statement.sql = std::string(sql);
  const auto words = tokens(sql);
  if (is(words, 0, "set")) {
    statement.kind = AfterLoadStatement::Kind::setting;
    return statement;
  }
  if (is(words, 0, "create")) {
    size_t at = 1;
    if (is(words, at, "unique")) ++at;
    if (!is(words, at, "index")) return statement;
    // CONCURRENTLY waits for other sessions' transactions: left for the end, on its own.
    for (size_t i = at + 1; i < words.size(); ++i) {
      if (is(words, i, "concurrently")) return statement;
      if (is(words, i, "on")) {
        size_t name = i + 1;
        if (is(words, name, "only")) ++name;
        if (name >= words.size()) return statement;
        statement.kind = AfterLoadStatement::Kind::table_index;
        statement.table = words[name];
        return statement;
      }
    }
    return statement;
  }
  if (!is(words, 0, "alter") || !is(words, 1, "table") || words.size() < 5) return statement;
  size_t at = 2;
  if (is(words, at, "only")) ++at;
  if (at + 1 >= words.size() || !is(words, at + 1, "add")) return statement;
  const std::string table = words[at];
  at += 2;
  std::string constraint;
  if (is(words, at, "constraint") && at + 1 < words.size()) {
    constraint = words[at + 1];
    at += 2;
  }
  // One action only: a comma outside parentheses would add several things at once.
  int depth = 0;
  for (const auto& word : words) {
    depth += word == "(" ? 1 : word == ")" ? -1 : 0;
    if (word == "," && depth == 0) return statement;
  }
  if ((is(words, at, "primary") && is(words, at + 1, "key")) || is(words, at, "unique")) {
    statement.kind = AfterLoadStatement::Kind::table_index;
    statement.table = table;
    return statement;
  }
  if (is(words, at, "foreign") && is(words, at + 1, "key") && !constraint.empty()) {
    for (size_t i = at + 2; i + 1 < words.size(); ++i) {
      if (is(words, i, "references")) {
        statement.kind = AfterLoadStatement::Kind::foreign_key;
        statement.table = table;
        statement.constraint = constraint;
        statement.parent = words[i + 1];
        return statement;
      }
    }
  }
  return statement;
}

std::vector<AfterLoadStatement> after_load_statements(std::string_view script) {
  std::vector<AfterLoadStatement> statements;
  for (const auto& piece : sql::split_statements(script)) statements.push_back(classify_after_load(piece.text));
  return statements;
}

std::string add_not_valid(const AfterLoadStatement& foreign_key) {
  const auto words = tokens(foreign_key.sql);
  if (words.size() >= 2 && is(words, words.size() - 2, "not") && is(words, words.size() - 1, "valid")) {
    return foreign_key.sql;
  }
  return foreign_key.sql + " NOT VALID";
}

std::string validate_constraint(const AfterLoadStatement& foreign_key) {
  return "ALTER TABLE " + foreign_key.table + " VALIDATE CONSTRAINT " + foreign_key.constraint;
}

}  // namespace dbvet::sample
