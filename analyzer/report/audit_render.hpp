#pragma once
// The audit result as JSON (the contract of docs/json/audit.md), and its text and Markdown, both
// read from that JSON. `advise` is the same document with the recommendations alone (kind
// "advise").

#include <string>

#include "analyzer/advisor/audit.hpp"
#include "analyzer/report/renderers.hpp"
#include "nlohmann/json_fwd.hpp"

namespace dbvet::report {

nlohmann::json audit_to_json(const advisor::AuditResult& result, const std::string& kind);
std::string render_audit_text(const nlohmann::json& doc, const RenderOptions& options);
std::string render_audit_md(const nlohmann::json& doc, const RenderOptions& options);

}  // namespace dbvet::report
