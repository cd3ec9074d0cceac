#pragma once
// The plan node that costs the most: what a broken SLA names beside the query. Its own cost is the
// node's total cost less its children's (PostgreSQL and MySQL costs include the subtree); a plan
// without costs (SQLite) is ranked by access: a full scan first, then a temporary b-tree or an
// automatic index, then the widest estimated row count.

#include "analyzer/model/plan.hpp"
#include "benchmarks/bench_runner.hpp"

namespace dbvet::bench {

// Fills the node fields of `hotspot` (operation, relation, index, access, cost) from `plan`.
void find_plan_hotspot(const model::Plan& plan, PlanHotspot& hotspot);

}  // namespace dbvet::bench
