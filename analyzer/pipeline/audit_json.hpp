#pragma once
// The audit result as JSON (the contract of docs/json/audit.md): the canonical document that
// report/audit_render.hpp renders. `advise` is the same document with the recommendations alone
// (kind "advise").

#include <string>

#include "analyzer/pipeline/audit.hpp"
#include "nlohmann/json_fwd.hpp"

namespace dbvet::pipeline {

nlohmann::json audit_to_json(const AuditResult& result, const std::string& kind);

}  // namespace dbvet::pipeline
