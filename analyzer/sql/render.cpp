#include "analyzer/sql/render.hpp"

#include <algorithm>
#include <iterator>

#include "fmt/format.h"

namespace dbvet::sql {
namespace {

// Words that cannot stand bare as a table, column or index name on at least one of the engines:
// PostgreSQL's non-unreserved keywords (pg_get_keywords() catcode <> 'U') and every keyword of
// PostgreSQL 15, MariaDB 10.11 (information_schema.KEYWORDS) and SQLite (sqlite3_keyword_name)
// that failed as `CREATE TABLE w (w int); CREATE INDEX w ...; SELECT w FROM w WHERE w IS NULL
// ORDER BY w` on that engine. Quoting a word that needs none is harmless, so the union is used.
// Sorted, for binary search.
constexpr std::string_view kReserved[] = {
#include "analyzer/sql/reserved_words.inc"
};

bool is_reserved(std::string_view word) { return std::binary_search(std::begin(kReserved), std::end(kReserved), word); }

core::Status check_name(std::string_view name, std::string_view what) {
  if (name.empty()) return core::make_error(core::ErrorKind::input, fmt::format("an empty {} cannot be quoted", what));
  if (name.find('\0') != std::string_view::npos) {
    return core::make_error(core::ErrorKind::input,
                            fmt::format("{} holds a NUL byte, which no engine allows in SQL text", what));
  }
  return core::ok();
}

std::string quoted(std::string_view name, char quote) {
  std::string out(1, quote);
  for (char c : name) {
    if (c == quote) out += quote;
    out += c;
  }
  return out + quote;
}

// Whether `text`, lexed as `dialect`, ends every quote it opens: a token appended after it must
// come out as its own tokens at the expected place.
bool quotes_terminated(Dialect dialect, std::string_view text) {
  std::string probe(text);
  probe += "\n,0";
  Lexer lexer(probe, dialect);
  Token last{}, before{};
  for (auto t = lexer.next(); t.kind != TokenKind::end; t = lexer.next()) {
    before = last;
    last = t;
  }
  return last.kind == TokenKind::number && last.offset == text.size() + 2 && before.kind == TokenKind::punctuation &&
         before.offset == text.size() + 1;
}

}  // namespace

Dialect dialect_of(std::string_view engine) {
  if (engine == "postgres" || engine == "postgresql") return Dialect::postgres;
  if (engine == "mysql" || engine == "mariadb") return Dialect::mysql;
  if (engine == "sqlite") return Dialect::sqlite;
  return Dialect::generic;
}

bool is_plain_identifier(std::string_view name) {
  if (name.empty() || name.size() > 63) return false;
  if (!((name[0] >= 'a' && name[0] <= 'z') || name[0] == '_')) return false;
  for (char c : name) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) return false;
  }
  return !is_reserved(name);
}

core::Expected<std::string> quote_identifier(Dialect dialect, std::string_view name) {
  if (auto ok = check_name(name, "identifier"); !ok) return ok.error();
  if (is_plain_identifier(name)) return std::string(name);
  return quoted(name, dialect == Dialect::mysql ? '`' : '"');
}

core::Expected<std::string> quote_qualified(Dialect dialect, std::string_view schema, std::string_view name) {
  auto bare = quote_identifier(dialect, name);
  if (!bare || schema.empty()) return bare;
  auto space = quote_identifier(dialect, schema);
  if (!space) return space.error();
  return *space + "." + *bare;
}

core::Expected<std::string> quote_literal(Dialect dialect, std::string_view text) {
  if (text.find('\0') != std::string_view::npos) {
    return core::make_error(core::ErrorKind::input, "a string literal cannot hold a NUL byte");
  }
  bool backslash = text.find('\\') != std::string_view::npos;
  bool double_backslash = dialect == Dialect::mysql || (dialect == Dialect::postgres && backslash);
  std::string out = dialect == Dialect::postgres && backslash ? "E'" : "'";
  for (char c : text) {
    if (c == '\'') out += '\'';
    if (c == '\\' && double_backslash) out += '\\';
    out += c;
  }
  return out + "'";
}

core::Status check_expression(Dialect dialect, std::string_view expression) {
  auto refuse = [&](std::string_view why) {
    return core::make_error(core::ErrorKind::input,
                            fmt::format("index key expression \"{}\" refused: {}", std::string(expression), why));
  };
  if (expression.empty()) return refuse("empty");
  if (expression.find('\0') != std::string_view::npos) return refuse("it holds a NUL byte");
  int depth = 0;
  Lexer lexer(expression, dialect);
  for (auto t = lexer.next(); t.kind != TokenKind::end; t = lexer.next()) {
    if (t.kind == TokenKind::comment) return refuse("it holds a comment");
    if (t.kind == TokenKind::punctuation && t.text == ";") return refuse("it holds a statement separator");
    if (t.kind == TokenKind::punctuation && t.text == "(") ++depth;
    if (t.kind == TokenKind::punctuation && t.text == ")" && --depth < 0) return refuse("unbalanced parentheses");
  }
  if (depth != 0) return refuse("unbalanced parentheses");
  if (!quotes_terminated(dialect, expression)) return refuse("an unterminated quote");
  return core::ok();
}

core::Expected<std::string> function_key(Dialect dialect, std::string_view function, std::string_view column) {
  bool word = !function.empty() && std::all_of(function.begin(), function.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
  });
  if (!word) {
    return core::make_error(core::ErrorKind::input,
                            fmt::format("function name \"{}\" is not a plain word", std::string(function)));
  }
  auto quoted_column = quote_identifier(dialect, column);
  if (!quoted_column) return quoted_column.error();
  return fmt::format("{}({})", function, *quoted_column);
}

bool is_single_statement(Dialect dialect, std::string_view sql) {
  if (sql.find('\0') != std::string_view::npos || !quotes_terminated(dialect, sql)) return false;
  Lexer lexer(sql, dialect);
  bool after_semicolon = false, any = false;
  for (auto t = lexer.next(); t.kind != TokenKind::end; t = lexer.next()) {
    if (t.kind == TokenKind::comment || after_semicolon) return false;
    if (t.kind == TokenKind::punctuation && t.text == ";") {
      after_semicolon = true;
      continue;
    }
    any = true;
  }
  return any;
}

namespace {

// The key list "(k1, k2 DESC)": columns quoted, expressions checked and parenthesised.
core::Expected<std::string> render_keys(Dialect dialect, const model::IndexCandidate& c, bool with_order,
                                        bool with_opclass) {
  if (c.columns.empty()) return core::make_error(core::ErrorKind::input, "an index needs at least one key");
  std::string keys;
  for (size_t i = 0; i < c.columns.size(); ++i) {
    if (i) keys += ", ";
    if (c.is_expression(i)) {
      if (auto ok = check_expression(dialect, c.columns[i]); !ok) return ok.error();
      keys += "(" + c.columns[i] + ")";
    } else {
      auto name = quote_identifier(dialect, c.columns[i]);
      if (!name) return name.error();
      keys += *name;
    }
    if (with_opclass && i == 0 && !c.opclass.empty()) {
      auto opclass = quote_identifier(dialect, c.opclass);
      if (!opclass) return opclass.error();
      keys += " " + *opclass;
    }
    if (i == 0 && !c.collation.empty()) {
      if (c.collation.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_") !=
          std::string::npos) {
        return core::make_error(core::ErrorKind::input, "a collation name holds letters, digits and _ only");
      }
      keys += " COLLATE " + c.collation;
    }
    if (with_order && i < c.descending.size() && c.descending[i]) keys += " DESC";
  }
  return keys;
}

}  // namespace

core::Expected<std::string> index_predicate(Dialect dialect, const model::IndexCandidate& candidate) {
  if (candidate.where_is_null.empty()) return std::string();
  auto column = quote_identifier(dialect, candidate.where_is_null);
  if (!column) return column.error();
  return *column + " IS NULL";
}

core::Expected<std::string> create_index(Dialect dialect, const model::IndexCandidate& c, std::string_view name,
                                         bool concurrently) {
  if (dialect == Dialect::mysql) return mysql_add_index(c, false);
  bool postgres = dialect == Dialect::postgres;
  auto table = quote_identifier(dialect, c.table);
  if (!table) return table.error();
  auto keys = render_keys(dialect, c, true, postgres);
  if (!keys) return keys.error();
  std::string ddl = std::string("CREATE ") + (c.unique ? "UNIQUE " : "") + "INDEX ";
  if (postgres && concurrently) ddl += "CONCURRENTLY ";
  if (!name.empty()) {
    auto index = quote_identifier(dialect, name);
    if (!index) return index.error();
    ddl += *index + " ";
  } else if (!postgres) {
    return core::make_error(core::ErrorKind::internal, "SQLite indexes need a name");
  }
  ddl += "ON " + *table;
  if (postgres && !c.method.empty() && c.method != "btree") {
    auto method = quote_identifier(dialect, c.method);
    if (!method) return method.error();
    ddl += " USING " + *method;
  }
  ddl += " (" + *keys + ")";
  if (postgres && !c.include.empty()) {
    ddl += " INCLUDE (";
    for (size_t i = 0; i < c.include.size(); ++i) {
      auto column = quote_identifier(dialect, c.include[i]);
      if (!column) return column.error();
      ddl += (i ? ", " : "") + *column;
    }
    ddl += ")";
  }
  auto where = index_predicate(dialect, c);
  if (!where) return where.error();
  if (!where->empty()) ddl += " WHERE " + *where;
  return ddl;
}

core::Expected<std::string> mysql_add_index(const model::IndexCandidate& c, bool online) {
  auto table = quote_identifier(Dialect::mysql, c.table);
  if (!table) return table.error();
  auto index = quote_identifier(Dialect::mysql, c.name());
  if (!index) return index.error();
  auto keys = render_keys(Dialect::mysql, c, false, false);
  if (!keys) return keys.error();
  std::string ddl =
      "ALTER TABLE " + *table + " ADD " + (c.unique ? "UNIQUE " : "") + "INDEX " + *index + " (" + *keys + ")";
  if (online) ddl += ", ALGORITHM=INPLACE, LOCK=NONE";
  return ddl;
}

core::Expected<std::string> recommended_index_ddl(Dialect dialect, const model::IndexCandidate& candidate) {
  if (dialect == Dialect::mysql) return mysql_add_index(candidate, true);
  return create_index(dialect, candidate, candidate.name(), dialect == Dialect::postgres);
}

core::Expected<std::string> drop_index(Dialect dialect, const DropIndex& drop) {
  if (dialect == Dialect::mysql) {
    auto table = quote_identifier(dialect, drop.table);
    if (!table) return table.error();
    auto index = quote_identifier(dialect, drop.index);
    if (!index) return index.error();
    return "ALTER TABLE " + *table + " DROP INDEX " + *index + (drop.online ? ", ALGORITHM=INPLACE, LOCK=NONE" : "");
  }
  auto index = quote_qualified(dialect, dialect == Dialect::postgres ? drop.schema : "", drop.index);
  if (!index) return index.error();
  return std::string("DROP INDEX ") + (dialect == Dialect::postgres && drop.concurrently ? "CONCURRENTLY " : "") +
         (drop.if_exists ? "IF EXISTS " : "") + *index;
}

core::Expected<std::string> mysql_ignore_index(std::string_view table, std::string_view index, bool ignored) {
  auto quoted_table = quote_identifier(Dialect::mysql, table);
  if (!quoted_table) return quoted_table.error();
  auto quoted_index = quote_identifier(Dialect::mysql, index);
  if (!quoted_index) return quoted_index.error();
  return fmt::format("ALTER TABLE {} ALTER INDEX {} {}", *quoted_table, *quoted_index,
                     ignored ? "IGNORED" : "NOT IGNORED");
}

core::Expected<std::string> create_database(Dialect dialect, std::string_view name, std::string_view template_name) {
  auto quoted_name = quote_identifier(dialect, name);
  if (!quoted_name) return quoted_name.error();
  if (template_name.empty() || dialect != Dialect::postgres) return "CREATE DATABASE " + *quoted_name;
  auto quoted_template = quote_identifier(dialect, template_name);
  if (!quoted_template) return quoted_template.error();
  return "CREATE DATABASE " + *quoted_name + " TEMPLATE " + *quoted_template;
}

core::Expected<std::string> drop_database(Dialect dialect, std::string_view name) {
  auto quoted_name = quote_identifier(dialect, name);
  if (!quoted_name) return quoted_name.error();
  return "DROP DATABASE IF EXISTS " + *quoted_name + (dialect == Dialect::postgres ? " WITH (FORCE)" : "");
}

}  // namespace dbvet::sql
