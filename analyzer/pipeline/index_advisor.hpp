#pragma once
// The index advisor: candidates from what the costly classes filter, join and sort on; each one
// verified through a WhatIf (the engine's planner, never a guess when it can answer); the set chosen
// for the whole workload by the database time it saves, bounded by --max-indexes. Pure except
// through WhatIf.

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "analyzer/model/finding.hpp"
#include "analyzer/model/schema.hpp"
#include "analyzer/model/what_if.hpp"
#include "analyzer/sql/query_shape.hpp"

namespace dbvet::pipeline {

// One query class as the advisors see it.
struct ClassWork {
  std::string id;
  std::string sql;  // the example planned (literals included): the costliest of the slowest few
  // More examples of the class (other literals), on which index advice is verified too: with skewed
  // data the slowest example is the hot key, where a plan that suits the typical key may not pay.
  std::vector<std::string> other_examples;
  double calls = 0;
  double total_time_s = 0;
  double distinct_parameters = 0;
  double rows_sent_avg = 0;
  int max_repeats_per_transaction = 0;
  sql::QueryShape shape;  // kind `other` when the statement could not be read
};

// A SELECT, UPDATE or DELETE: a statement an index can serve and the advisors plan.
bool plannable(const sql::QueryShape& shape);

// True when the statement reads or writes `table` (case-insensitive).
bool touches_table(const sql::QueryShape& shape, const std::string& table);

struct IndexAdvisorOptions {
  std::string engine = "sqlite";  // postgres, mysql, mariadb, sqlite: the DDL dialect
  size_t max_indexes = 10;
  // A new index larger than this (estimated_index_bytes) is not recommended; 0: no bound.
  int64_t max_index_bytes = 0;
  double min_improvement = 0.2;  // a candidate must make its classes this much cheaper
  // No class may plan costlier with the advice than without it by more than this share: where the
  // engine's planner guesses (SQLite without sqlite_stat4) and the cost model counts, an index can
  // lure another query into a worse plan.
  double max_cost_increase = 0.05;
  // Tables' share of writing statements in the workload (0..1), for the write cost of an index.
  std::map<std::string, double> write_share;
  // Candidates (by name) not to consider: withdrawn by --verify after applying them to a copy.
  std::set<std::string> excluded;
  // Existing indexes (by name) the advice drops: planned as absent and never taken to serve a
  // candidate, so that the new indexes are chosen for the schema as the advice leaves it (without
  // this the apply-all loop's re-audit found the index the drop made worth having).
  std::vector<std::string> hidden;
  // How the set is chosen. `configuration` (where the WhatIf can plan many hypothetical indexes at
  // once: HypoPG, the SQLite copy): every candidate of the workload is offered to the planner at
  // once, the ones its plans use are kept, then each is dropped while no query plans at least
  // `min_improvement` costlier without it (the "drop" heuristic of Whang, 1985, as compared by
  // Kossmann et al., VLDB 2020; docs/advisor.md). `per_candidate`: each candidate alone, then a
  // greedy choice by benefit (engines where one what-if call is costly: the MariaDB sandbox).
  enum class Selection { automatic, configuration, per_candidate };
  Selection selection = Selection::automatic;
};

// The candidate indexes one class suggests. With `covering`, each SELECT's candidates also come with
// a covering twin (the statement's other columns of the table as INCLUDE columns, or appended keys
// where the engine has no INCLUDE); the configuration selection narrows a twin back when covering
// saves less than min_improvement.
std::vector<model::IndexCandidate> index_candidates(const ClassWork& work, const model::Schema& schema,
                                                    const std::string& engine, bool covering = false);

// Index recommendations for the workload; `notes` collects why candidates were dropped, `chosen`
// (when given) receives the candidates behind the verified recommendations.
std::vector<model::Recommendation> advise_indexes(const std::vector<ClassWork>& classes, const model::Schema& schema,
                                                  model::WhatIf& what_if, const IndexAdvisorOptions& options,
                                                  std::vector<std::string>* notes = nullptr,
                                                  std::vector<model::IndexCandidate>* chosen = nullptr);

// Plans the classes that touch each drop's table without the index (WhatIf `hide`) and fills in
// cost_before/cost_after and `verified`; a drop stays an estimate where the engine cannot hide.
// The costs are those of the state the advice leads to: with the `recommended` new indexes in place.
// A drop that is safe only once they exist (a class plans much costlier without the index and
// without them: the planner falls back to another plan, not to the covering index) says so in its
// rationale and in details["apply_after"].
void verify_drops(std::vector<model::Recommendation>& drops, const std::vector<ClassWork>& classes,
                  model::WhatIf& what_if, const std::vector<model::IndexCandidate>& recommended = {},
                  std::vector<std::string>* notes = nullptr);

// What a B-tree over the candidate's keys and INCLUDE columns takes: one entry per row of the table
// (all rows for a partial index too: an upper bound) of the keys' widths, from their types (text
// from the table's average row width), plus 16 bytes of tuple header and line pointer, at 90% fill.
// Empty when the table's row count is unknown.
std::optional<int64_t> estimated_index_bytes(const model::IndexCandidate& candidate, const model::Schema& schema);

// CREATE INDEX in the engine's dialect (CONCURRENTLY for PostgreSQL, online ALTER for MariaDB).
core::Expected<std::string> index_ddl(const model::IndexCandidate& candidate, const std::string& engine);

// True when `index` (existing) starts with the candidate's keys and has the same predicate.
bool index_covers(const model::Index& index, const model::IndexCandidate& candidate);

}  // namespace dbvet::pipeline
