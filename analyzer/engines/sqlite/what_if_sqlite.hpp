#pragma once
// What-if planning for SQLite: an in-memory database with the target's schema (the CREATE
// statements of sqlite_schema) and its sqlite_stat1 rows, so that the planner sees the same
// statistics; candidate indexes are created there (with statistics measured read-only on the
// target) and EXPLAIN QUERY PLAN is compared. The target is only read.

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "analyzer/core/expected.hpp"
#include "analyzer/model/what_if.hpp"

namespace dbvet::engines::sqlite {

// How the rows a literal keeps are counted on the target. A table of up to `rows_counted_whole`
// rows is counted whole; a larger one in `sample_slices` runs of `rows_per_slice` consecutive
// rowids spread over its rowid range (each a search of the rowid B-tree, so a 50M-row table costs
// the same 65k rows as a 1M-row one), and the share kept there is taken for the table.
struct LiteralCounting {
  double rows_counted_whole = 1'000'000;
  int sample_slices = 16;
  int rows_per_slice = 4096;
};

class SqliteWhatIf final : public model::WhatIf {
 public:
  using Counting = LiteralCounting;

  // Opens `path` read-only and reads its schema and statistics.
  static core::Expected<std::unique_ptr<SqliteWhatIf>> open(const std::string& path, const std::string& target,
                                                            Counting counting = {});
  ~SqliteWhatIf() override;

  std::string method() const override { return "sqlite-copy"; }
  core::Expected<model::WhatIfResult> plan_with(const std::string& sql, const std::vector<model::IndexCandidate>& add,
                                                const std::vector<std::string>& hide) override;

  // One predicate of a column against a literal: `=`, `IS NULL` (no value), `<`, `<=`, `>`, `>=`.
  struct LiteralTerm {
    std::string column;
    std::string op;
    std::string value;
  };
  // What a statement's own predicates say about one table's rows: its equality columns (each keeps
  // 1/distinct of the rows, measured on the target) and whether a range or prefix LIKE filters it.
  // Where the statement compares a column with a literal, the rows the literal keeps are counted on
  // the target instead: `status = 'closed'` keeps 60% of helpdesk's tickets, not the quarter that
  // four distinct values suggest, and SQLite (without sqlite_stat4) plans by the quarter.
  struct Filter {
    std::vector<std::string> equalities;
    std::vector<std::string> ranges;
    std::vector<LiteralTerm> literals;
  };
  using Filters = std::map<std::string, Filter>;  // table (lower case) -> filter

  // The relative cost of a plan from its shape and the statistics (rows read, searches x log2).
  // With `filters`, the rows a scan or search passes on are those its table's predicates keep;
  // without, a tenth of a scanned table.
  double estimate_cost(const model::Plan& plan, const Filters& filters = {}) const;
  double table_rows(const std::string& table) const;
  // The rows the literal counts have read on the target so far (whole tables and sampled slices).
  double rows_read_counting() const;

 private:
  struct State;
  explicit SqliteWhatIf(std::unique_ptr<State> state);
  core::Expected<std::string> candidate_stat(const model::IndexCandidate& candidate);
  double kept_share(const std::string& table, const Filter& filter, const std::vector<std::string>& applied) const;
  // The rows of `table` its literal terms on `columns` keep, counted read-only on the target (and
  // remembered); none when a column has no literal term (a join key, a parameter) or when nothing
  // matches (a literal the column does not compare equal to as written: the statistics decide then).
  std::optional<double> literal_rows(const std::string& table, const Filter& filter,
                                     const std::vector<std::string>& columns) const;
  // The share of a large table's rows that `where` (with `terms` bound in order) keeps, from
  // sampled rowid slices; none for a table without rowid or where the slices hold no row.
  std::optional<double> sampled_share(const std::string& quoted_table, const std::string& where,
                                      const std::vector<const LiteralTerm*>& terms) const;
  std::unique_ptr<State> state_;
};

}  // namespace dbvet::engines::sqlite
