#pragma once
// The audit result as JSON (the contract of docs/json/audit.md), text and Markdown. `advise` is
// the same document with the recommendations alone (kind "advise").

#include <string>

#include "analyzer/advisor/audit.hpp"
#include "nlohmann/json_fwd.hpp"

namespace dbvet::report {

nlohmann::json audit_to_json(const advisor::AuditResult& result, const std::string& kind);
std::string render_audit_text(const advisor::AuditResult& result, bool recommendations_only);
std::string render_audit_md(const advisor::AuditResult& result, bool recommendations_only);

}  // namespace dbvet::report
