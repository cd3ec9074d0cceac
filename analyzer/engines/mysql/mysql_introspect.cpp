#include "analyzer/engines/mysql/mysql_introspect.hpp"

#include <cstdlib>
#include <map>

#include "fmt/format.h"

namespace dbvet::engines::mysql {
namespace {

std::optional<double> as_double(const std::optional<std::string>& value) {
  if (!value) return std::nullopt;
  char* end = nullptr;
  double number = std::strtod(value->c_str(), &end);
  if (end == value->c_str()) return std::nullopt;
  return number;
}

std::optional<int64_t> as_int(const std::optional<std::string>& value) {
  auto number = as_double(value);
  if (!number) return std::nullopt;
  return static_cast<int64_t>(*number);
}

std::string text(const std::optional<std::string>& value) { return value.value_or(""); }

}  // namespace

core::Expected<model::Schema> introspect_schema(Session& session, const std::string& requested) {
  std::string database = requested;
  if (database.empty()) {
    auto current = session.query("SELECT DATABASE()");
    if (!current) return current.error();
    if (!current->rows.empty() && current->rows[0][0]) database = *current->rows[0][0];
  }
  if (database.empty()) {
    return core::make_error(core::ErrorKind::usage,
                            fmt::format("{} names no database: add /DBNAME to the URL", session.target()));
  }
  std::string schema_literal = session.quote(database);

  model::Schema schema;
  schema.engine = session.is_mariadb() ? "mariadb" : "mysql";
  schema.engine_version = session.version();
  schema.database = database;

  auto tables =
      session.query("SELECT TABLE_NAME, TABLE_ROWS, DATA_LENGTH FROM information_schema.TABLES WHERE TABLE_SCHEMA = " +
                    schema_literal + " AND TABLE_TYPE = 'BASE TABLE' ORDER BY TABLE_NAME");
  if (!tables) return tables.error();
  std::map<std::string, size_t> by_name;
  for (const auto& row : tables->rows) {
    model::Table table;
    table.schema = database;
    table.name = text(row[0]);
    table.estimated_rows = as_double(row[1]);
    table.size_bytes = as_int(row[2]);
    by_name[table.name] = schema.tables.size();
    schema.tables.push_back(std::move(table));
  }
  auto table_of = [&](const std::optional<std::string>& name) -> model::Table* {
    auto it = by_name.find(text(name));
    return it == by_name.end() ? nullptr : &schema.tables[it->second];
  };

  auto columns = session.query(
      "SELECT TABLE_NAME, COLUMN_NAME, COLUMN_TYPE, IS_NULLABLE, COLUMN_DEFAULT FROM information_schema.COLUMNS "
      "WHERE TABLE_SCHEMA = " +
      schema_literal + " ORDER BY TABLE_NAME, ORDINAL_POSITION");
  if (!columns) return columns.error();
  for (const auto& row : columns->rows) {
    model::Table* table = table_of(row[0]);
    if (!table) continue;
    model::Column column;
    column.name = text(row[1]);
    column.type = text(row[2]);
    column.nullable = text(row[3]) == "YES";
    column.default_value = row[4];
    table->columns.push_back(std::move(column));
  }

  auto statistics = session.query(
      "SELECT TABLE_NAME, INDEX_NAME, SEQ_IN_INDEX, COLUMN_NAME, NON_UNIQUE, INDEX_TYPE, CARDINALITY, SUB_PART, "
      "COLLATION FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = " +
      schema_literal + " ORDER BY TABLE_NAME, INDEX_NAME, SEQ_IN_INDEX");
  if (!statistics) return statistics.error();
  for (const auto& row : statistics->rows) {
    model::Table* table = table_of(row[0]);
    if (!table) continue;
    std::string name = text(row[1]);
    if (table->indexes.empty() || table->indexes.back().name != name) {
      model::Index index;
      index.name = name;
      index.table = table->name;
      index.unique = text(row[4]) == "0";
      index.primary = name == "PRIMARY";
      index.method = text(row[5]);
      for (auto& c : index.method) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      table->indexes.push_back(std::move(index));
    }
    model::Index& index = table->indexes.back();
    std::string column = text(row[3]);
    if (auto sub_part = as_int(row[7])) column += fmt::format("({})", *sub_part);
    index.columns.push_back(column);
    index.descending.push_back(text(row[8]) == "D");
    // CARDINALITY of the first key part is the number of distinct values of the leading column.
    if (text(row[2]) == "1" && !row[7]) {
      if (auto cardinality = as_double(row[6])) {
        for (auto& col : table->columns) {
          if (col.name == text(row[3]) && (!col.distinct_values || *col.distinct_values < *cardinality)) {
            col.distinct_values = *cardinality;
          }
        }
      }
    }
  }

  // Index sizes from InnoDB's persistent statistics, when this user may read them.
  if (auto sizes =
          session.query("SELECT table_name, index_name, stat_value * @@innodb_page_size FROM mysql.innodb_index_stats "
                        "WHERE database_name = " +
                        schema_literal + " AND stat_name = 'size'")) {
    for (const auto& row : sizes->rows) {
      model::Table* table = table_of(row[0]);
      if (!table) continue;
      for (auto& index : table->indexes) {
        if (index.name == text(row[1])) index.size_bytes = as_int(row[2]);
      }
    }
  }

  auto foreign_keys = session.query(
      "SELECT k.CONSTRAINT_NAME, k.TABLE_NAME, k.COLUMN_NAME, k.REFERENCED_TABLE_NAME, k.REFERENCED_COLUMN_NAME "
      "FROM information_schema.KEY_COLUMN_USAGE k JOIN information_schema.REFERENTIAL_CONSTRAINTS r "
      "ON r.CONSTRAINT_SCHEMA = k.CONSTRAINT_SCHEMA AND r.CONSTRAINT_NAME = k.CONSTRAINT_NAME "
      "AND r.TABLE_NAME = k.TABLE_NAME WHERE k.TABLE_SCHEMA = " +
      schema_literal +
      " AND k.REFERENCED_TABLE_NAME IS NOT NULL ORDER BY k.TABLE_NAME, k.CONSTRAINT_NAME, "
      "k.ORDINAL_POSITION");
  if (!foreign_keys) return foreign_keys.error();
  for (const auto& row : foreign_keys->rows) {
    model::Table* table = table_of(row[1]);
    if (!table) continue;
    std::string name = text(row[0]);
    if (table->foreign_keys.empty() || table->foreign_keys.back().name != name) {
      model::ForeignKey key;
      key.name = name;
      key.table = table->name;
      key.referenced_table = text(row[3]);
      table->foreign_keys.push_back(std::move(key));
    }
    table->foreign_keys.back().columns.push_back(text(row[2]));
    table->foreign_keys.back().referenced_columns.push_back(text(row[4]));
  }

  // performance_schema counters since the server started (or since TRUNCATE of the summaries).
  if (auto io = session.query("SELECT OBJECT_NAME, COUNT_INSERT, COUNT_UPDATE, COUNT_DELETE FROM "
                              "performance_schema.table_io_waits_summary_by_table WHERE OBJECT_SCHEMA = " +
                              schema_literal)) {
    for (const auto& row : io->rows) {
      if (model::Table* table = table_of(row[0])) {
        table->inserts = as_int(row[1]);
        table->updates = as_int(row[2]);
        table->deletes = as_int(row[3]);
      }
    }
  }
  // Per index: COUNT_STAR of I/O through it. The row with INDEX_NAME NULL is I/O done without an
  // index, i.e. rows read by full table scans.
  if (auto usage = session.query("SELECT OBJECT_NAME, INDEX_NAME, COUNT_STAR, COUNT_FETCH FROM "
                                 "performance_schema.table_io_waits_summary_by_index_usage WHERE OBJECT_SCHEMA = " +
                                 schema_literal)) {
    for (const auto& row : usage->rows) {
      model::Table* table = table_of(row[0]);
      if (!table) continue;
      if (!row[1]) {
        table->seq_scans = as_int(row[3]);
        continue;
      }
      table->index_scans = table->index_scans.value_or(0) + as_int(row[3]).value_or(0);
      for (auto& index : table->indexes) {
        if (index.name == *row[1]) index.scans = as_int(row[2]);
      }
    }
  }
  // The counters above start at the server's start (a TRUNCATE of the summaries is not recorded).
  if (auto uptime = session.query("SHOW GLOBAL STATUS LIKE 'Uptime'"); uptime && !uptime->rows.empty()) {
    if (auto seconds = as_int(uptime->rows[0][1])) schema.statistics_age_seconds = static_cast<double>(*seconds);
  }
  return schema;
}

}  // namespace dbvet::engines::mysql
