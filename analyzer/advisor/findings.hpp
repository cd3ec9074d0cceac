#pragma once
// The audit's checks of plans, queries and schema, with the rule ids of docs/rules/. Interim: the
// rule engine of rules/ replaces these when it is merged; the ids and thresholds are the same.

#include <map>
#include <string>
#include <vector>

#include "analyzer/advisor/audit.hpp"
#include "analyzer/advisor/index_advisor.hpp"
#include "analyzer/model/finding.hpp"
#include "analyzer/model/plan.hpp"
#include "analyzer/model/schema.hpp"

namespace dbvet::advisor {

struct FindingContext {
  const model::Schema& schema;
  const AuditOptions& options;
  const std::map<std::string, double>& write_share;
};

std::vector<model::Finding> class_findings(const ClassWork& work, const model::Plan& plan, double plan_cost,
                                           const FindingContext& context);
std::vector<model::Finding> schema_findings(const FindingContext& context);

}  // namespace dbvet::advisor
