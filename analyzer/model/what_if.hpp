#pragma once
// The advisor's question to an engine: "what would this statement cost with these indexes (and
// without those)?". Declared here, in the model, so that rules/ and the advisor never include an
// engine; each engine answers it its own way (HypoPG, an SQLite copy, a MariaDB sandbox) and the
// command wires the two together.

#include <optional>
#include <string>
#include <vector>

#include "analyzer/core/expected.hpp"
#include "analyzer/model/plan.hpp"

namespace dbvet::model {

struct IndexCandidate {
  std::string table;
  // Key columns in order. A key is a column name (quoted when rendered) unless `expression` marks
  // it as an expression: SQL text from the user's own parsed statement (`lower(email)`), which
  // analyzer/sql checks holds one expression and nothing else before rendering it.
  std::vector<std::string> columns;
  std::vector<bool> expression;      // per key, empty means all keys are columns
  std::vector<bool> descending;      // per key, empty means all ascending
  std::vector<std::string> include;  // PostgreSQL INCLUDE columns
  // The last this-many keys were appended only so that the index alone answers the statement (a
  // covering index where the engine has no INCLUDE); the candidate without them is its narrow twin.
  size_t covering_keys = 0;
  std::string where_is_null;  // partial index WHERE <this column> IS NULL, empty when none
  std::string method = "btree";
  std::string opclass;  // e.g. text_pattern_ops for prefix LIKE, applied to the first key
  // e.g. NOCASE: SQLite's LIKE compares without case, so only an index in that collation serves
  // LIKE 'abc%'; applied to the first key. Letters, digits and _ only (rendered unquoted).
  std::string collation;
  bool unique = false;

  bool is_expression(size_t key) const { return key < expression.size() && expression[key]; }
  bool partial() const { return !where_is_null.empty(); }
  bool covering() const { return !include.empty() || covering_keys > 0; }
  // The same index without the columns added only to cover: what it searches by.
  IndexCandidate narrowed() const;

  // A stable name derived from the table and keys: dbvet_<table>_<col>_<col>[_partial], lower-case
  // letters, digits and _ only, so that it needs no quoting anywhere. When that loses anything
  // (other characters, case, length) an FNV-1a hash of the exact table, keys and predicate is
  // appended, so different names never collide; always at most 63 bytes (PostgreSQL's limit).
  std::string name() const;
};

// The DDL itself is rendered by analyzer/sql/render.hpp (sql::create_index, sql::mysql_add_index):
// the model holds names as data only.

struct WhatIfResult {
  double cost = 0;                           // the planner's total cost (engine units; SQLite: a relative estimate)
  Plan plan;                                 // the plan chosen under the hypothesis
  std::vector<std::string> used_candidates;  // names of candidate indexes the plan uses
};

class WhatIf {
 public:
  virtual ~WhatIf() = default;
  // How answers are obtained: "hypopg", "sqlite-copy", "sandbox", "estimate".
  virtual std::string method() const = 0;
  // Plans `sql` as if `add` existed and `hide` (existing index names) did not. Never changes the
  // target: hypothetical indexes, a private copy, or a disposable sandbox.
  virtual core::Expected<WhatIfResult> plan_with(const std::string& sql, const std::vector<IndexCandidate>& add,
                                                 const std::vector<std::string>& hide) = 0;
};

}  // namespace dbvet::model
