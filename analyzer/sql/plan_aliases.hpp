#pragma once
// Plans name a table by the alias the statement gave it: SQLite 3.36+ ("SCAN o") and MariaDB's and
// MySQL's EXPLAIN ("table_name": "r"). Findings and the advisor need the table. Reads the aliases
// from the statement and puts the table in `relation`, the alias in `alias`.

#include <string>

#include "analyzer/model/plan.hpp"

namespace dbvet::sql {

// Names that are no alias, and an alias that is also the name of a table of the statement (or
// names two tables), stay as the plan wrote them.
void resolve_plan_aliases(model::Plan& plan, const std::string& statement);

}  // namespace dbvet::sql
