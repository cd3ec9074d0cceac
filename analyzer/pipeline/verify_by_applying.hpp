#pragma once
// Proof by applying (`--verify`): the recommendations are followed on a scratch copy of the target
// (a Sandbox: SQLite backup, PostgreSQL TEMPLATE copy, MariaDB table copies), the workload's reading
// queries are timed before and after, and each recommendation is kept only when
//   - its DDL succeeds,
//   - a new index is used by the plan of at least one query, and
//   - no query whose plan uses it (for a drop: whose plan used the dropped index) got slower by more
//     than `max_slowdown` (and by more than the noise floor): timed in runs alternating with runs
//     that hide its new indexes where the engine can hide them, else in two timings after.
// Withdrawn recommendations are removed from the copy and the rest measured again, up to `max_rounds`
// times. A cost model can prefer an index the clock does not; this is where that is caught.

#include <string>
#include <vector>

#include "analyzer/engines/connection.hpp"
#include "analyzer/model/finding.hpp"
#include "analyzer/pipeline/index_advisor.hpp"

namespace dbvet::pipeline {

struct VerifyOptions {
  int repetitions = 5;             // timed runs of each query (after one warm-up); the median counts
  double max_slowdown = 0.05;      // a query this much slower than before fails the recommendation
  double noise_floor_ms = 0.05;    // and by at least this much: sub-0.05 ms changes are timer noise
  int max_rounds = 6;              // re-measurements after withdrawals
  double max_statement_ms = 2000;  // a query slower than this is run once only
};

// One query measured before and after: the median in milliseconds, and the indexes its plans use.
struct MeasuredQuery {
  std::string id;
  double calls = 0;
  double before_ms = 0;
  double after_ms = 0;
  std::vector<std::string> indexes_before;
  std::vector<std::string> indexes_after;
  // The plan after is the plan before, node for node (operations, tables, indexes, join types): the
  // advice cannot have changed how long it takes.
  bool same_plan = false;
  // Where it read slower with new indexes: its median without them (hidden on the copy), timed in
  // runs alternating with those of after_ms. 0 when it was not so timed.
  double without_new_ms = 0;
};

// Whether `query` got slower by more than max_slowdown (and the noise floor) because of the advice:
// than without its new indexes where it was timed interleaved with them hidden, else than before. A
// query whose plan the advice left as it was reads slower only by timing noise (TPC-H Q18, seq scans
// and hash joins both ways, once read 70.3 -> 95.4 ms; timed interleaved, 98.8 and 96.6 ms).
bool slower_by_the_advice(const MeasuredQuery& query, const VerifyOptions& options);
// Whether its median after is slower by more than max_slowdown and the noise floor, whatever the cause.
bool reads_slower(const MeasuredQuery& query, const VerifyOptions& options);

// What applying one index or drop recommendation did on the copy (docs/json/audit.md "verify").
struct RecommendationOutcome {
  std::string type;  // index or drop_index
  std::string table;
  std::string index;
  bool ddl_succeeded = false;
  bool used = false;  // index: a plan uses it (in the round before it was withdrawn, if it was); drop: a plan used the
                      // index before
  int queries = 0;    // the queries concerned (as `used`)
  double before_ms = 0, after_ms = 0;  // their medians summed, before and after
  std::vector<std::string> slower;     // "id before ms -> after ms" for each slower by > max_slowdown
  bool kept = false;
  std::string why;  // withdrawn: why
  int attempt = 1;  // audit --verify: the copy (attempt) it was applied to
};

struct VerifyReport {
  std::vector<MeasuredQuery> queries;  // the last round's measurements
  std::vector<RecommendationOutcome> outcomes;
  int rounds = 0;
  double workload_before_ms = 0;  // sum over queries of calls x median
  double workload_after_ms = 0;
};

// An index of the scratch copy to hide from its plans: the table it is on (MariaDB/MySQL) and its name.
struct HiddenIndex {
  std::string table, index;
};
struct PairedTiming {
  double with_ms = 0, without_ms = 0;  // medians
};
// The medians of `sql` on `scratch` with `indexes` and with them hidden, timed in alternating runs:
// PostgreSQL and SQLite drop them in a transaction that is rolled back (their DDL is transactional,
// and a drop costs no rebuild), MariaDB/MySQL mark them IGNORED (10.6+) and then NOT IGNORED.
core::Expected<PairedTiming> time_with_and_without(engines::Connection& scratch,
                                                   const std::vector<HiddenIndex>& indexes, const std::string& sql,
                                                   const VerifyOptions& options);

// Milliseconds as a person writes them: 0.0213, 4.17, 86.2, 24617.
std::string format_ms(double ms);

// Follows `recommendations` (index and drop_index, with DDL) on `scratch` and keeps those that pass.
// Kept ones carry details "verified_by_applying" (what was measured); the others are dropped from
// the list with a note each. Rewrite and cache advice pass through untouched. With `schema` (the
// target's), a withdrawn drop's index is rebuilt from its definition at the end, so that the copy is
// left as following the kept advice leaves the target (what a re-audit then examines).
core::Expected<VerifyReport> verify_by_applying(std::vector<model::Recommendation>& recommendations,
                                                const std::vector<ClassWork>& classes, engines::Connection& scratch,
                                                const VerifyOptions& options, std::vector<std::string>* notes,
                                                const model::Schema* schema = nullptr);

}  // namespace dbvet::pipeline
