#pragma once
// `dbvet gen`'s work, without printing: create the sample's schema on a connection, bulk-load the
// generated rows, build secondary indexes and foreign keys afterwards, then ANALYZE.

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "analyzer/core/expected.hpp"
#include "analyzer/engines/connection.hpp"

namespace dbvet::sample {

struct GenProgress {
  std::string table;
  int64_t table_rows = 0;  // produced so far in this table
  int64_t table_total = 0;
  int64_t done_rows = 0;  // over all tables
  int64_t total_rows = 0;
};

struct GenOptions {
  std::optional<std::string> service;
  double scale = 1;
  uint64_t seed = 42;
  bool replace = false;
  std::filesystem::path sample_dir;
  std::function<void(const GenProgress&)> progress;
};

struct TableLoad {
  std::string name;
  std::string service;
  int64_t rows = 0;
  int64_t bytes = 0;
  uint64_t checksum = 0;
  double seconds = 0;
};

struct GenResult {
  std::vector<std::string> services;
  std::vector<TableLoad> tables;
  double schema_seconds = 0;
  double load_seconds = 0;
  double index_seconds = 0;
  double analyze_seconds = 0;
  double total_seconds = 0;
  uint64_t checksum = 0;  // over every table's checksum, in load order
  int64_t rows() const;
  int64_t bytes() const;
};

// Names of the tables the connection's current database/schema holds.
core::Expected<std::vector<std::string>> existing_tables(engines::Connection& connection);

// Refuses (ErrorKind::usage) when the target already holds any of the sample's tables, unless
// options.replace: then drops those tables only, children first.
core::Expected<GenResult> generate_sample(engines::Connection& connection, const GenOptions& options);

}  // namespace dbvet::sample
