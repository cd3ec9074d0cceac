#pragma once
// SQLite health checks. Each evaluate_* is pure; sqlite_checks() (sql_check.hpp) pairs each with its
// read-only PRAGMA or query.

#include "analyzer/engines/connection.hpp"
#include "analyzer/health/check.hpp"

namespace dbvet::health::sqlite {

using engines::ResultSummary;

CheckResult evaluate_quick_check(const ResultSummary& rows, const Thresholds& thresholds);
CheckResult evaluate_free_pages(const ResultSummary& rows, const Thresholds& thresholds);
CheckResult evaluate_analyze(const ResultSummary& rows, const Thresholds& thresholds);
CheckResult evaluate_journal_mode(const ResultSummary& rows, const Thresholds& thresholds);
CheckResult evaluate_foreign_keys_enforced(const ResultSummary& rows, const Thresholds& thresholds);
CheckResult evaluate_unindexed_foreign_keys(const ResultSummary& foreign_keys, const ResultSummary& indexes,
                                            const Thresholds& thresholds);

}  // namespace dbvet::health::sqlite
