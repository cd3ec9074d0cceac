#pragma once
// A server's normalized text ($1, $2 in place of values: pg_stat_statements, a log's prepared
// statements) made plannable on PostgreSQL: each $n becomes a representative value of the column it
// is compared with, read from pg_stats (the most common value, else the middle of the histogram),
// and LIMIT/OFFSET $n become 10. The plan is then the one those typical values get; a
// generic plan (EXPLAIN (GENERIC_PLAN), PostgreSQL 16+) is not used, so the text can also be timed.

#include <string>

#include "analyzer/core/expected.hpp"
#include "analyzer/engines/connection.hpp"
#include "analyzer/model/schema.hpp"

namespace dbvet::pipeline {

struct RepresentativeText {
  std::string sql;          // the text with values
  std::string description;  // "$1 = 'shipped' (orders.status, most common)", ...
};

// Fails (ErrorKind::input) when a placeholder is compared with no column, or its column has no
// statistics (ANALYZE has not run on the table).
core::Expected<RepresentativeText> with_representative_values(engines::Connection& connection, const std::string& sql,
                                                              const model::Schema& schema);

}  // namespace dbvet::pipeline
