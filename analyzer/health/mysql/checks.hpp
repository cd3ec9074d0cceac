#pragma once
// MariaDB/MySQL health checks: what MySQL's sys schema answers, computed from performance_schema and
// information_schema so that it works without sys, plus the server's counters. Each evaluate_* is
// pure; mysql_checks() (sql_check.hpp) pairs each with its read-only SQL.

#include "analyzer/engines/connection.hpp"
#include "analyzer/health/check.hpp"

namespace dbvet::health::mysql {

using engines::ResultSummary;

CheckResult evaluate_unused_indexes(const ResultSummary& rows, const Thresholds& thresholds);
CheckResult evaluate_redundant_indexes(const ResultSummary& rows, const Thresholds& thresholds);
CheckResult evaluate_full_scans(const ResultSummary& digests, const Thresholds& thresholds);
CheckResult evaluate_tmp_disk_tables(const ResultSummary& status, const Thresholds& thresholds);
CheckResult evaluate_buffer_pool(const ResultSummary& status, const Thresholds& thresholds);
CheckResult evaluate_connections(const ResultSummary& status, const ResultSummary& variables,
                                 const Thresholds& thresholds);
CheckResult evaluate_auto_increment(const ResultSummary& rows, const Thresholds& thresholds);
CheckResult evaluate_missing_primary_keys(const ResultSummary& rows, const Thresholds& thresholds);
CheckResult evaluate_instrumentation(const ResultSummary& variables, const Thresholds& thresholds);
CheckResult evaluate_top_queries(const ResultSummary& digests, const Thresholds& thresholds);

// Largest value of an integer column type as information_schema spells it ("int(11) unsigned").
double integer_type_max(const std::string& column_type);

}  // namespace dbvet::health::mysql
