#pragma once
// SQLite's EXPLAIN QUERY PLAN, as rows or as the sqlite3 shell prints it, mapped onto the
// engine-neutral Plan. Pure functions: no database needed.
//
// Accepted wordings: 3.24+ ("SCAN t", "SEARCH t USING INDEX i (a=?)", id/parent rows) and the
// older 3.7-3.23 one ("SCAN TABLE t", "EXECUTE LIST SUBQUERY 1", selectid|order|from|detail rows).

#include <string>
#include <string_view>
#include <vector>

#include "analyzer/core/expected.hpp"
#include "analyzer/model/plan.hpp"

namespace dbvet::engines::sqlite {

// One row of EXPLAIN QUERY PLAN (3.24+): the node's id, its parent's id (0 at the top) and the text.
struct EqpRow {
  int id = 0;
  int parent = 0;
  std::string detail;
};

// Builds the tree from id/parent. The root is a "QUERY PLAN" node whose children are the top-level
// rows, in order (several SCAN/SEARCH rows at one level are the loops of a join, outermost first).
core::Expected<model::Plan> parse_sqlite_query_plan(const std::vector<EqpRow>& rows);

// Parses text output: the shell's tree ("QUERY PLAN\n|--SCAN t\n`--..."), 3.24+ rows as
// "id|parent|notused|detail" lines, or pre-3.24 "selectid|order|from|detail" lines ("0|0|0|SCAN
// TABLE t"), whose subqueries are attached under the row that names them ("EXECUTE SCALAR
// SUBQUERY 1", "SCAN SUBQUERY 1", "COMPOUND SUBQUERIES 1 AND 2 ..."). Errors name the line.
core::Expected<model::Plan> parse_sqlite_plan_text(std::string_view text);

// Maps one detail text onto a node (no children). Unknown wording becomes AccessType::other with
// the text kept as the operation.
model::PlanNode parse_sqlite_eqp_detail(const std::string& detail);

}  // namespace dbvet::engines::sqlite
