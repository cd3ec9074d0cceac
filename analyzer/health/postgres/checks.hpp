#pragma once
// PostgreSQL health checks (PgHero's checks and thresholds are the floor). Each evaluate_* is a pure
// function of the rows its statement returns; postgres_checks() (sql_check.hpp) pairs each with its
// read-only SQL.

#include "analyzer/engines/connection.hpp"
#include "analyzer/health/check.hpp"

namespace dbvet::health::postgres {

using engines::ResultSummary;

CheckResult evaluate_cache_hit_ratio(const ResultSummary& rows, const Thresholds& thresholds);
CheckResult evaluate_unused_indexes(const ResultSummary& rows, const Thresholds& thresholds);
CheckResult evaluate_duplicate_indexes(const ResultSummary& indexes, const Thresholds& thresholds);
CheckResult evaluate_invalid_indexes(const ResultSummary& indexes, const Thresholds& thresholds);
CheckResult evaluate_unindexed_foreign_keys(const ResultSummary& foreign_keys, const ResultSummary& indexes,
                                            const Thresholds& thresholds);
CheckResult evaluate_bloat(const ResultSummary& rows, const Thresholds& thresholds);
CheckResult evaluate_sequences(const ResultSummary& rows, const Thresholds& thresholds);
CheckResult evaluate_xid_wraparound(const ResultSummary& rows, const Thresholds& thresholds);
CheckResult evaluate_long_running_queries(const ResultSummary& rows, const Thresholds& thresholds);
CheckResult evaluate_idle_in_transaction(const ResultSummary& rows, const Thresholds& thresholds);
CheckResult evaluate_connections(const ResultSummary& rows, const Thresholds& thresholds);
CheckResult evaluate_replication(const ResultSummary& rows, const Thresholds& thresholds);
CheckResult evaluate_maintenance(const ResultSummary& rows, const Thresholds& thresholds);
CheckResult evaluate_seq_scans(const ResultSummary& rows, const Thresholds& thresholds);
CheckResult evaluate_stat_statements(const ResultSummary& rows, const Thresholds& thresholds);
CheckResult evaluate_top_queries(const ResultSummary& rows, const Thresholds& thresholds);

// The largest value a column of this type holds (format_type spelling), 0 when not an integer type.
double integer_type_max(const std::string& type);

}  // namespace dbvet::health::postgres
