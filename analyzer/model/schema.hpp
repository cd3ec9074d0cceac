#pragma once
// Engine-neutral schema and statistics, as introspected from a live database.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace dbvet::model {

struct Column {
  std::string name;
  std::string type;
  bool nullable = true;
  std::optional<double> distinct_values;  // estimated; PostgreSQL n_distinct made absolute
  std::optional<double> null_fraction;
  std::optional<std::string> default_value;
};

struct Index {
  std::string name;
  std::string table;
  std::vector<std::string> columns;  // column names, or the expression text for expression keys
  std::vector<bool> descending;      // per key, when known
  std::vector<std::string> include;  // PostgreSQL INCLUDE columns
  bool unique = false;
  bool primary = false;
  bool valid = true;
  std::string method;      // btree, hash, gin, ...
  std::string predicate;   // partial index WHERE, empty when none
  std::string definition;  // the engine's own DDL when it gives one
  std::optional<int64_t> size_bytes;
  std::optional<int64_t> scans;  // since the statistics were reset, where the engine counts them
};

struct ForeignKey {
  std::string name;
  std::string table;
  std::vector<std::string> columns;
  std::string referenced_table;
  std::vector<std::string> referenced_columns;
};

struct Table {
  std::string schema;  // namespace: PostgreSQL schema, MySQL database, "main" for SQLite
  std::string name;
  std::optional<double> estimated_rows;
  std::optional<int64_t> size_bytes;  // heap/data size
  std::vector<Column> columns;
  std::vector<Index> indexes;
  std::vector<ForeignKey> foreign_keys;
  // Activity counters, where the engine keeps them.
  std::optional<int64_t> seq_scans;
  std::optional<int64_t> index_scans;
  std::optional<int64_t> inserts;
  std::optional<int64_t> updates;
  std::optional<int64_t> deletes;

  const Column* find_column(const std::string& column) const;
  bool has_primary_key() const;
};

struct Schema {
  std::string engine;
  std::string engine_version;
  std::string database;
  std::vector<Table> tables;
  // How long the engine has been counting index scans (since a statistics reset or the server start):
  // an index unscanned for an hour is not an unused index. Unknown when empty.
  std::optional<double> statistics_age_seconds;

  const Table* find_table(const std::string& name) const;  // by name, case-insensitive, any schema
};

}  // namespace dbvet::model
