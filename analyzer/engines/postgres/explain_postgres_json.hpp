#pragma once
// PostgreSQL's EXPLAIN (FORMAT JSON [, ANALYZE, BUFFERS]) output mapped onto the engine-neutral plan.
// A pure function: text in, Plan out, so that saved fixtures test it without a server.

#include <string_view>

#include "analyzer/core/expected.hpp"
#include "analyzer/model/plan.hpp"

namespace dbvet::engines::postgres {

// Accepts the array PostgreSQL prints (`[{"Plan": {...}, "Planning Time": ...}]`) or its single
// element. Malformed input is an ErrorKind::input error naming the byte offset or the JSON path and
// what was expected there. Each node's `raw` holds that node's JSON without its children ("Plans").
core::Expected<model::Plan> parse_postgres_explain_json(std::string_view json);

// How a node of this "Node Type" ("Seq Scan", "Index Only Scan", ...) reaches its rows; shared with
// the TEXT format's parser so that both formats map a node the same way.
model::AccessType postgres_access_type(std::string_view node_type);

}  // namespace dbvet::engines::postgres
