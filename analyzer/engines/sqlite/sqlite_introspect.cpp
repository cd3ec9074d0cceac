// Schema and statistics of a SQLite database: sqlite_master, the table-valued PRAGMA functions,
// sqlite_stat1 (when ANALYZE has run) and the dbstat virtual table (when compiled in).

#include <algorithm>
#include <cctype>
#include <map>

#include "analyzer/engines/sqlite/sqlite_connection.hpp"
#include "analyzer/sql/render.hpp"
#include "fmt/format.h"

namespace dbvet::engines::sqlite {
namespace {

using Row = std::vector<std::optional<std::string>>;

Expected<std::vector<Row>> query(const SqliteDb& db, const std::string& sql,
                                 const std::vector<std::string>& binds = {}) {
  auto stmt = db.prepare(sql);
  if (!stmt) return stmt.error();
  for (size_t i = 0; i < binds.size(); ++i) {
    sqlite3_bind_text(stmt->get(), static_cast<int>(i) + 1, binds[i].c_str(), -1, SQLITE_TRANSIENT);
  }
  std::vector<Row> rows;
  int columns = sqlite3_column_count(stmt->get());
  for (;;) {
    auto rc = db.step(stmt->get());
    if (!rc) return rc.error();
    if (*rc == SQLITE_DONE) break;
    Row row;
    for (int i = 0; i < columns; ++i) {
      if (sqlite3_column_type(stmt->get(), i) == SQLITE_NULL) {
        row.emplace_back(std::nullopt);
      } else {
        row.emplace_back(column_string(stmt->get(), i));
      }
    }
    rows.push_back(std::move(row));
  }
  return rows;
}

std::string text(const Row& row, size_t i) { return i < row.size() && row[i] ? *row[i] : std::string{}; }
int64_t integer(const Row& row, size_t i) {
  auto value = text(row, i);
  return value.empty() ? 0 : std::strtoll(value.c_str(), nullptr, 10);
}

std::string trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return std::string(s);
}

std::string upper(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

// The key terms of "CREATE [UNIQUE] INDEX name ON table (term, term, ...) [WHERE predicate]" and
// the predicate. Quotes and nested parentheses are respected.
struct IndexSql {
  std::vector<std::string> terms;
  std::string predicate;
};

IndexSql parse_index_sql(const std::string& sql) {
  IndexSql out;
  auto on = upper(sql).find(" ON ");
  auto open = sql.find('(', on == std::string::npos ? 0 : on);
  if (open == std::string::npos) return out;
  int depth = 0;
  char quote = 0;
  std::string term;
  size_t i = open;
  for (; i < sql.size(); ++i) {
    char c = sql[i];
    if (quote) {
      if (c == quote) quote = 0;
    } else if (c == '\'' || c == '"' || c == '`' || c == '[') {
      quote = c == '[' ? ']' : c;
    } else if (c == '(') {
      if (++depth == 1) continue;
    } else if (c == ')') {
      if (--depth == 0) break;
    } else if (c == ',' && depth == 1) {
      out.terms.push_back(trim(term));
      term.clear();
      continue;
    }
    term += c;
  }
  if (!trim(term).empty()) out.terms.push_back(trim(term));
  for (auto& t : out.terms) {
    auto u = upper(t);
    for (const char* suffix : {" ASC", " DESC"}) {
      std::string s(suffix);
      if (u.size() > s.size() && u.compare(u.size() - s.size(), s.size(), s) == 0)
        t = trim(t.substr(0, t.size() - s.size()));
    }
  }
  if (i < sql.size()) {
    std::string rest = sql.substr(i + 1);
    auto where = upper(rest).find("WHERE");
    if (where != std::string::npos) out.predicate = trim(rest.substr(where + 5));
  }
  return out;
}

}  // namespace

Expected<model::Schema> SqliteConnection::introspect() {
  DeadlineScope deadline(db_, options_.statement_timeout);
  model::Schema schema;
  schema.engine = "sqlite";
  schema.engine_version = sqlite3_libversion();
  schema.database = url_.path;

  auto tables = query(db_,
                      "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' "
                      "ORDER BY name");
  if (!tables) return tables.error();
  auto index_rows = query(db_, "SELECT name, sql FROM sqlite_master WHERE type = 'index'");
  if (!index_rows) return index_rows.error();
  std::map<std::string, std::string> index_sql;
  for (const auto& row : *index_rows) index_sql[text(row, 0)] = text(row, 1);

  // sqlite_stat1: "N a b ..." per index (N rows, a rows per distinct leading key, ...), "N" per table.
  std::map<std::string, double> stat_rows;
  std::map<std::string, std::vector<double>> stat_index;
  if (auto stat = query(db_, "SELECT tbl, idx, stat FROM sqlite_stat1"); stat) {
    for (const auto& row : *stat) {
      std::vector<double> numbers;
      std::string s = text(row, 2);
      const char* p = s.c_str();
      char* end = nullptr;
      for (double v = std::strtod(p, &end); end != p; v = std::strtod(p, &end)) {
        numbers.push_back(v);
        p = end;
      }
      if (numbers.empty()) continue;
      // A partial index counts only its own rows: the table has as many as its largest index.
      auto& rows = stat_rows[text(row, 0)];
      rows = std::max(rows, numbers[0]);
      if (row[1]) stat_index[*row[1]] = numbers;
    }
  }
  std::map<std::string, int64_t> sizes;
  bool have_dbstat = query(db_, "SELECT 1 FROM dbstat LIMIT 1").has_value();
  if (have_dbstat) {
    if (auto stat = query(db_, "SELECT name, SUM(pgsize) FROM dbstat GROUP BY name"); stat) {
      for (const auto& row : *stat) sizes[text(row, 0)] = integer(row, 1);
    }
  }

  for (const auto& table_row : *tables) {
    model::Table table;
    table.schema = "main";
    table.name = text(table_row, 0);
    auto columns =
        query(db_, "SELECT name, type, \"notnull\", dflt_value, pk, hidden FROM pragma_table_xinfo(?)", {table.name});
    if (!columns) return columns.error();
    std::vector<std::pair<int64_t, std::string>> pk_columns;
    std::string pk_type;
    for (const auto& row : *columns) {
      if (integer(row, 5) == 1) continue;  // hidden columns of virtual tables
      model::Column column;
      column.name = text(row, 0);
      column.type = text(row, 1);
      column.nullable = integer(row, 2) == 0;
      if (row[3]) column.default_value = *row[3];
      if (integer(row, 4) > 0) {
        pk_columns.emplace_back(integer(row, 4), column.name);
        pk_type = upper(column.type);
      }
      table.columns.push_back(std::move(column));
    }
    std::sort(pk_columns.begin(), pk_columns.end());
    // INTEGER PRIMARY KEY is the rowid itself: no index in index_list, but a primary key all the same.
    if (pk_columns.size() == 1 && pk_type == "INTEGER") {
      model::Index pk;
      pk.name = "rowid";
      pk.table = table.name;
      pk.columns = {pk_columns[0].second};
      pk.descending = {false};
      pk.unique = pk.primary = true;
      pk.method = "rowid";
      pk.definition = "INTEGER PRIMARY KEY";
      table.indexes.push_back(std::move(pk));
      for (auto& column : table.columns) {
        if (column.name == pk_columns[0].second) column.nullable = false;
      }
    }

    auto indexes =
        query(db_, "SELECT name, \"unique\", origin, partial FROM pragma_index_list(?) ORDER BY name", {table.name});
    if (!indexes) return indexes.error();
    for (const auto& row : *indexes) {
      model::Index index;
      index.name = text(row, 0);
      index.table = table.name;
      index.unique = integer(row, 1) != 0;
      index.primary = text(row, 2) == "pk";
      index.method = "btree";
      auto sql = index_sql.find(index.name);
      IndexSql parsed;
      if (sql != index_sql.end() && !sql->second.empty()) {
        index.definition = sql->second;
        parsed = parse_index_sql(sql->second);
        if (integer(row, 3) != 0) index.predicate = parsed.predicate;
      }
      auto keys =
          query(db_, "SELECT seqno, cid, name, \"desc\" FROM pragma_index_xinfo(?) WHERE key = 1 ORDER BY seqno",
                {index.name});
      if (!keys) return keys.error();
      for (const auto& key : *keys) {
        auto cid = integer(key, 1);
        auto seqno = static_cast<size_t>(integer(key, 0));
        if (cid == -2) {
          index.columns.push_back(seqno < parsed.terms.size() ? parsed.terms[seqno] : "<expression>");
        } else if (cid == -1) {
          index.columns.push_back("rowid");
        } else {
          index.columns.push_back(text(key, 2));
        }
        index.descending.push_back(integer(key, 3) != 0);
      }
      if (auto size = sizes.find(index.name); size != sizes.end()) index.size_bytes = size->second;
      // Distinct values of the leading column: rows / rows-per-key from sqlite_stat1.
      if (auto stat = stat_index.find(index.name);
          stat != stat_index.end() && stat->second.size() >= 2 && stat->second[1] > 0 && !index.columns.empty()) {
        for (auto& column : table.columns) {
          if (column.name == index.columns[0] && !column.distinct_values) {
            column.distinct_values = stat->second[0] / stat->second[1];
          }
        }
      }
      table.indexes.push_back(std::move(index));
    }

    auto fks = query(db_, "SELECT id, \"table\", \"from\", \"to\" FROM pragma_foreign_key_list(?) ORDER BY id, seq",
                     {table.name});
    if (!fks) return fks.error();
    for (const auto& row : *fks) {
      auto name = fmt::format("fk_{}_{}", table.name, integer(row, 0));
      if (table.foreign_keys.empty() || table.foreign_keys.back().name != name) {
        model::ForeignKey fk;
        fk.name = name;
        fk.table = table.name;
        fk.referenced_table = text(row, 1);
        table.foreign_keys.push_back(std::move(fk));
      }
      auto& fk = table.foreign_keys.back();
      fk.columns.push_back(text(row, 2));
      if (row[3]) fk.referenced_columns.push_back(*row[3]);
    }
    // "REFERENCES parent" without columns means the parent's primary key.
    for (auto& fk : table.foreign_keys) {
      if (!fk.referenced_columns.empty()) continue;
      auto parent = query(db_, "SELECT name FROM pragma_table_info(?) WHERE pk > 0 ORDER BY pk", {fk.referenced_table});
      if (parent) {
        for (const auto& row : *parent) fk.referenced_columns.push_back(text(row, 0));
      }
    }

    if (auto stat = stat_rows.find(table.name); stat != stat_rows.end()) {
      table.estimated_rows = stat->second;
    } else {
      // No statistics: count, but only up to a bound so that a huge table costs no full scan.
      auto name = sql::quote_identifier(sql::Dialect::sqlite, table.name);
      if (!name) return name.error();
      auto count =
          query(db_, fmt::format("SELECT count(*) FROM (SELECT 1 FROM {} LIMIT {})", *name, kCountRowsBound + 1));
      if (!count) return count.error();
      if (!count->empty() && integer(count->front(), 0) <= kCountRowsBound) {
        table.estimated_rows = static_cast<double>(integer(count->front(), 0));
      }
    }
    if (auto size = sizes.find(table.name); size != sizes.end()) table.size_bytes = size->second;
    schema.tables.push_back(std::move(table));
  }
  return schema;
}

}  // namespace dbvet::engines::sqlite
