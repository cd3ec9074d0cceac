#pragma once
// What plan rules share: the numbers of a node read the same way on every engine.

#include <optional>
#include <string>

#include "analyzer/model/plan.hpp"
#include "rules/rule_context.hpp"

namespace dbvet::rules::plan_support {

// "Seq Scan on pets", "SCAN pets", "ALL on orders".
std::string describe(const model::PlanNode& node);

// Rows a node returns over all its loops: actual when analyzed, else the estimate.
std::optional<double> rows_out(const model::PlanNode& node);

// Rows a scan reads before its filter, per loop: actual rows + removed by filter, MySQL's rows
// examined, MySQL's estimate (which counts rows read), else the table's estimated size.
std::optional<double> rows_read(const RuleContext& context, const model::PlanNode& node);

// The table's estimated row count from the schema statistics.
std::optional<double> table_rows(const RuleContext& context, const std::string& table);

// Whether the engine's plan_rows estimate counts rows read (MySQL/MariaDB) rather than returned.
bool estimate_counts_rows_read(const RuleContext& context);

// Database seconds the node took over all loops, when analyzed.
std::optional<double> node_seconds(const model::PlanNode& node);

std::string number(double value);
std::string percent(double fraction);

}  // namespace dbvet::rules::plan_support
