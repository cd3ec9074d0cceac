#pragma once
// The audit's text and Markdown, both read from its JSON (the contract of docs/json/audit.md, built
// by pipeline/audit_json.hpp). `advise` is the same document with the recommendations alone.

#include <string>

#include "analyzer/report/renderers.hpp"
#include "nlohmann/json_fwd.hpp"

namespace dbvet::report {

std::string render_audit_text(const nlohmann::json& doc, const RenderOptions& options);
std::string render_audit_md(const nlohmann::json& doc, const RenderOptions& options);

}  // namespace dbvet::report
