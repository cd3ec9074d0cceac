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
  std::vector<std::string> columns;  // key columns in order; an expression key is its SQL text
  std::vector<bool> descending;      // per key, empty means all ascending
  std::vector<std::string> include;  // PostgreSQL INCLUDE columns
  std::string where;                 // partial index predicate, empty when none
  std::string method = "btree";
  std::string opclass;  // e.g. text_pattern_ops for prefix LIKE, applied to the first key
  bool unique = false;

  // A stable name derived from the table and keys: dbvet_<table>_<col>_<col>.
  std::string name() const;
};

// CREATE INDEX in PostgreSQL's syntax: expression keys in parentheses, the opclass on the first
// key, USING for a method other than btree, INCLUDE and WHERE. `name` empty gives an unnamed index
// (as HypoPG takes it); the advisor's DDL adds CONCURRENTLY and the candidate's name.
std::string postgres_create_index(const IndexCandidate& candidate, const std::string& name, bool concurrently);

// ALTER TABLE ... ADD INDEX in MySQL/MariaDB syntax, named after the candidate; expression keys in
// their own parentheses (MySQL 8 functional keys). MySQL has no partial indexes: `where` is left out.
std::string mysql_add_index(const IndexCandidate& candidate);

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
