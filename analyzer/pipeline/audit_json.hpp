#pragma once
// The audit result as JSON (the contract of docs/json/audit.md): the canonical document that
// report/audit_render.hpp renders. `advise` is the same document with the recommendations alone
// (kind "advise").

#include <string>

#include "analyzer/pipeline/audit.hpp"
#include "nlohmann/json_fwd.hpp"

namespace dbvet::pipeline {

nlohmann::json audit_to_json(const AuditResult& result, const std::string& kind);

// One finding as audit's "findings" give it (rule, severity, query_id, table, message, evidence,
// cost), also the shape of a digest class's "plan_findings".
nlohmann::json finding_json(const model::Finding& finding);

}  // namespace dbvet::pipeline
