#pragma once
// `--apply`: runs the DDL of the index recommendations on the target, one statement at a time, in
// a writing session that only this flag opens (CREATE INDEX CONCURRENTLY on PostgreSQL, an online
// ALTER on MariaDB, plain CREATE INDEX on SQLite: the DDL the advisor rendered). Drops are never
// applied. A failed statement does not stop the others; each outcome is reported.

#include <string>
#include <vector>

#include "analyzer/engines/connection.hpp"
#include "analyzer/model/finding.hpp"

namespace dbvet::pipeline {

struct AppliedIndex {
  std::string table;
  std::string ddl;
  bool applied = false;
  std::string error;  // why it failed
};

// Runs every `index` recommendation's DDL through `writer` (a session that allows writes).
std::vector<AppliedIndex> apply_index_recommendations(engines::Connection& writer,
                                                      const std::vector<model::Recommendation>& recommendations);

// The index a CREATE INDEX statement names, or "" when it cannot be read.
std::string created_index_name(const std::string& ddl);

}  // namespace dbvet::pipeline
