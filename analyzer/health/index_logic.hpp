#pragma once
// Index reasoning shared by the engines: which index another one makes redundant, and whether an
// index serves a foreign key. Pure functions of the index definitions.

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

// An index is redundant when another valid index on the same table, with the same method and
// predicate, starts with all its columns in the same order, unless it enforces a uniqueness the
// other does not (a unique index is only covered by a unique index on exactly its columns).
// Primary keys are never reported as the redundant one; of two identical indexes the one with the
// greater name is.
std::vector<RedundantIndex> find_redundant_indexes(const std::vector<IndexDef>& indexes);

// True when some valid index of the table has the foreign key's columns as its leading columns,
// in any order (what lets the engine find the referencing rows without a scan).
bool fk_has_index(const std::vector<std::string>& fk_columns, const std::vector<IndexDef>& table_indexes);

// Splits "a\x1fb" (the separator the gathering SQL uses) into its parts.
std::vector<std::string> split_list(const std::string& text, char separator = '\x1f');

}  // namespace dbvet::health
