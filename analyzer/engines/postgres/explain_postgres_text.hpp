#pragma once
// PostgreSQL's TEXT EXPLAIN output (what `EXPLAIN (ANALYZE, BUFFERS)` prints and auto_explain logs
// by default) mapped onto the same engine-neutral plan as explain_postgres_json.hpp builds from
// FORMAT JSON, so that the plan rules read a logged plan as they read one dbvet asked for.
// A pure function: text in, Plan out.

#include <string_view>

#include "analyzer/core/expected.hpp"
#include "analyzer/model/plan.hpp"

namespace dbvet::engines::postgres {

// Accepts a plan as EXPLAIN prints it (psql's "QUERY PLAN" header, dashes and "(N rows)" footer
// are skipped) or as auto_explain logs it: "Query Text: ..." (and "Query Parameters: ...") before
// the tree, each line possibly led by the log's continuation tab. The tree: "->" marks a child and
// indentation gives depth; "Name: value" lines belong to the node above them; "InitPlan 1 (returns
// $0)", "SubPlan 1" and "CTE x" head the subplan under them. Fields the text leaves out where it
// is zero (Rows Removed by Filter, Buffers, Heap Blocks, ...) are zero, as FORMAT JSON gives them,
// so that both formats of one plan give the same model (format and raw aside).
// Malformed input is an ErrorKind::input error naming the 1-based line and what was expected.
// Each node's `raw` holds its own lines (the node and its properties, not its children).
core::Expected<model::Plan> parse_postgres_explain_text(std::string_view text);

}  // namespace dbvet::engines::postgres
