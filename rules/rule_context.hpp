#pragma once
// Everything a rule may look at. Rules are pure functions of this: no connection, no printing, no
// state. Every input is optional; a rule that needs what is absent returns no finding.

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "analyzer/model/dialect.hpp"
#include "analyzer/model/finding.hpp"
#include "analyzer/model/plan.hpp"
#include "analyzer/model/schema.hpp"
#include "analyzer/sql/migration.hpp"
#include "analyzer/sql/query_shape.hpp"

namespace dbvet::rules {

// A query class's statistics as the digest (or pg_stat_statements, performance_schema) saw them.
struct QueryStats {
  double count = 0;
  double total_time_s = 0;
  double avg_time_s = 0;
  std::optional<double> rows_sent;      // total over all calls
  std::optional<double> rows_examined;  // total over all calls
  std::optional<double> window_s;       // last_seen - first_seen, when the source has timestamps
  // The highest rate of calls over a short window (calls per second), when the source can tell.
  std::optional<double> peak_calls_per_second;
  // The most calls of the class within one transaction of a workload run (N+1 evidence that a log
  // or a statistics view cannot give).
  std::optional<double> max_calls_per_transaction;
};

struct QueryInfo {
  std::string sql;
  std::string query_id;
  std::optional<QueryStats> stats;
  // The parsed statement; empty when it could not be read (query rules then stay silent).
  std::optional<sql::QueryShape> shape;
};

// Builds a QueryInfo, parsing `sql` once for every query rule.
QueryInfo make_query_info(std::string sql, std::string query_id, std::optional<QueryStats> stats = std::nullopt,
                          const model::Schema* schema = nullptr);

// One rule's settings from dbvet.toml and the command line.
struct RuleSettings {
  bool enabled = true;
  std::optional<model::Severity> severity;
  std::map<std::string, double> thresholds;
};

// Rule id -> settings; rules absent from the map run with their defaults.
using RuleConfig = std::map<std::string, RuleSettings>;

// One statement of a migration file (`dbvet lint`), with its file for the rules that look at the
// statements around it, and the server versions the migration will run on.
struct MigrationInput {
  const sql::MigrationStatement* statement = nullptr;
  const std::vector<sql::MigrationStatement>* file = nullptr;  // every statement of the file, in order
  int pg_version = 15;                                         // major version
  int mysql_major = 10, mysql_minor = 11;                      // MariaDB 10.11 unless told
};

struct RuleContext {
  const model::Plan* plan = nullptr;
  const QueryInfo* query = nullptr;
  const model::Schema* schema = nullptr;
  const RuleConfig* config = nullptr;
  const MigrationInput* migration = nullptr;
  std::string engine;  // postgres, mysql, mariadb, sqlite

  const sql::QueryShape* shape() const { return query && query->shape ? &*query->shape : nullptr; }
  // The schema's table by name, or nullptr.
  const model::Table* table(const std::string& name) const { return schema ? schema->find_table(name) : nullptr; }
  // Engine of the plan, else of the context, else of the schema.
  std::string engine_name() const;
  // What the engine can do and how it names things; rules ask it instead of testing engine names.
  const model::Dialect& dialect() const { return model::dialect_named(engine_name()); }
};

}  // namespace dbvet::rules
