#pragma once
// The Virtual Pet sample's tables, as data: which service owns each, its columns in load order,
// how many rows a scale gives, and how row i is made. Parents come before children so that every
// foreign key points at rows that exist.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "analyzer/core/random.hpp"

namespace dbvet::sample {

// How a value is written: every engine reads integers and text alike; timestamps gain a UTC
// offset for PostgreSQL's timestamptz; booleans are 1/0 everywhere (PostgreSQL accepts those too).
enum class ColumnKind { integer, text, timestamp, boolean };

struct ColumnSpec {
  std::string name;
  ColumnKind kind = ColumnKind::integer;
};

// Row counts for a scale. Scale 1 is about a million rows over all tables; counts are linear
// (int(base * scale), at least 1), and derived counts follow the base ones so foreign keys hold.
struct SampleSize {
  double scale = 1;
  int64_t users = 0;
  int64_t pets = 0;
  int64_t orders = 0;

  static SampleSize for_scale(double scale);
  // The base rows at scale 1, as the workload scripts compute them: int(BASE * :scale).
  static constexpr int64_t kUsersBase = 20000;
  static constexpr int64_t kPetsBase = 30000;
  static constexpr int64_t kOrdersBase = 40000;
};

using Row = std::vector<std::optional<std::string>>;

struct RowContext {
  core::Random& random;
  const SampleSize& size;
  uint64_t seed;
};

struct TableSpec {
  std::string name;
  std::string service;  // user-service, pet-service, payment-service, events
  std::vector<ColumnSpec> columns;
  std::string identity_column;  // generated key whose sequence must follow the loaded rows; may be empty
  int64_t (*row_count)(const SampleSize&);
  void (*make_row)(RowContext& context, int64_t index, Row& row);  // index is 0-based
};

// Every table of the sample, parents first.
const std::vector<TableSpec>& virtualpet_tables();
const std::vector<std::string>& virtualpet_services();

}  // namespace dbvet::sample
