#pragma once
// What a statement does to each table it touches: which columns it filters by equality or range,
// matches with LIKE, sorts, groups and joins on, which functions wrap its predicate columns, its
// LIMIT/OFFSET. The query rules and the index advisor read this, never the SQL text.
//
// PostgreSQL's own parser (libpg_query) reads what it can: PostgreSQL and most SQLite/MySQL SQL once
// placeholders (`?`, `:name`) and backticks are rewritten. MySQL-only syntax it rejects falls back to
// a token-level reading that finds the same facts with less precision (`parser` says which).

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "analyzer/core/expected.hpp"

namespace dbvet::model {
struct Schema;
}

namespace dbvet::sql {

enum class StatementKind { select, insert, update, delete_, other };
std::string statement_kind_name(StatementKind kind);

struct SortColumn {
  std::string column;
  bool descending = false;
};

struct LikePredicate {
  std::string column;
  std::string pattern;            // the literal pattern, empty when it is a parameter
  bool leading_wildcard = false;  // '%foo', '_foo'
  bool prefix = false;            // 'foo%': an index can serve it
  bool case_insensitive = false;  // ILIKE
  bool negated = false;
};

// A function or cast wrapped around a column inside a predicate: lower(email) = ?, created_at::date = ?
struct FunctionPredicate {
  std::string function;  // "lower", "date", "cast:date"
  std::string column;
  std::string expression;  // as written, best effort: "lower(email)"
  // How the predicate compares it: "=" (= value, IN list), "range", "like", "null", "other".
  std::string comparison = "other";
  bool index_key = false;  // a one-argument call of the bare column: `expression` is valid as an index key
};

// column = literal, for partial indexes on skewed values (status = 'pending').
struct ConstantPredicate {
  std::string column;
  std::string value;  // the literal as text, strings without quotes
};

// col < literal, col >= literal, ... (the column on the left, the operator mirrored if written the
// other way round).
struct RangeConstant {
  std::string column;
  std::string op;     // <, <=, >, >=
  std::string value;  // the literal as text, strings without quotes
};

struct TableUsage {
  std::string name;    // the table's name as written, without schema
  std::string schema;  // schema/database qualifier when written
  std::string alias;
  bool read = false;
  bool written = false;
  std::vector<std::string> equality_columns;  // col = x, col IN (...), col IS NULL
  std::vector<std::string> null_columns;      // col IS NULL (also in equality_columns)
  std::vector<std::string> range_columns;     // <, <=, >, >=, BETWEEN, <>
  std::vector<LikePredicate> likes;
  std::vector<SortColumn> order_by;
  std::vector<std::string> group_by;
  std::vector<std::string> join_columns;  // columns compared to another table's columns
  std::vector<FunctionPredicate> functions;
  std::vector<ConstantPredicate> constants;    // col = literal
  std::vector<RangeConstant> range_constants;  // col < literal and the like
  std::vector<std::string> selected_columns;   // output columns read from this table ("*" for all)
  bool filtered = false;  // at least one predicate restricts this table's rows (not counting joins)
};

// An OR whose branches test different columns (a = 1 OR b = 2): one index cannot serve it.
struct OrAcrossColumns {
  std::vector<std::string> columns;  // "table.column", sorted, distinct
};

// col NOT IN (SELECT x FROM t ...): any NULL x makes the whole predicate unknown.
struct NotInSubquery {
  std::string column;           // outer column, "table.column" when known
  std::string subquery_table;   // the table the subquery reads, when simple
  std::string subquery_column;  // the column it returns, when simple
};

struct QueryShape {
  StatementKind kind = StatementKind::other;
  std::string parser;  // "pg_query" or "tokens"
  std::vector<TableUsage> tables;
  bool select_star = false;               // SELECT * or SELECT t.* in the outermost query
  bool has_where = false;                 // the outermost query has a WHERE (or a JOIN condition restricting it)
  bool count_star_without_where = false;  // SELECT count(*) FROM t with no WHERE, JOIN or GROUP BY
  bool has_aggregate = false;
  bool has_group_by = false;
  bool has_join = false;
  bool has_subquery = false;
  bool distinct = false;
  bool order_by_random = false;  // ORDER BY random()/rand()
  std::optional<int64_t> limit;
  std::optional<int64_t> offset;
  bool limit_is_parameter = false;
  bool offset_is_parameter = false;
  std::vector<OrAcrossColumns> or_across_columns;
  std::vector<NotInSubquery> not_in_subqueries;
  std::vector<std::string> unresolved_columns;  // columns no table in scope could be proven to own

  const TableUsage* find_table(const std::string& name) const;  // case-insensitive
};

// Reads one statement. `schema`, when given, attributes unqualified columns in joins to the table
// that has them. Fails (ErrorKind::input) only when neither parser can make sense of the text.
core::Expected<QueryShape> analyze_query(const std::string& sql, const model::Schema* schema = nullptr);

// The statement rewritten for PostgreSQL's parser: `?` and `:name` placeholders become $n,
// backticks become double quotes, MySQL's `LIMIT a, b` becomes `LIMIT b OFFSET a`.
std::string normalize_for_pg_query(const std::string& sql);

}  // namespace dbvet::sql
