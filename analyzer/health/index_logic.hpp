#pragma once
// Index reasoning shared by the engines' health checks: which index another one makes redundant, and
// whether an index serves a foreign key. The answers are rules::index_judge's, the judge the schema
// rules of audit and advise ask too, so health and audit cannot disagree.

#include <string>
#include <vector>

namespace dbvet::health {

struct IndexDef {
  std::string table;  // qualified as the engine names it
  std::string name;
  std::string method;                // btree, hash, BTREE...
  std::vector<std::string> columns;  // key columns or expressions, in order
  std::string predicate;             // partial index WHERE, empty when none
  bool unique = false;
  bool primary = false;
  bool valid = true;
  double bytes = 0;
  double scans = -1;  // scans since the statistics were reset; -1 when unknown
};

struct RedundantIndex {
  IndexDef redundant;
  IndexDef covering;
  bool identical = false;  // same columns (a true duplicate), not only a prefix
};

// The indexes another index on the same table covers (rules::index_judge::covered_by), each once: of
// two duplicates, the one the judge drops.
std::vector<RedundantIndex> find_redundant_indexes(const std::vector<IndexDef>& indexes);

// True when some index of the table serves the foreign key (rules::index_judge::serves_foreign_key).
bool fk_has_index(const std::vector<std::string>& fk_columns, const std::vector<IndexDef>& table_indexes);

// Splits "a\x1fb" (the separator the gathering SQL uses) into its parts.
std::vector<std::string> split_list(const std::string& text, char separator = '\x1f');

}  // namespace dbvet::health
