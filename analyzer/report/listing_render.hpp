#pragma once
// Text and Markdown of the small results: gen (a sample loaded), rules and rule (the rule
// catalogue and one rule's page), sandbox (dbvet's sandboxes on a target). Each reads the kind's
// canonical JSON.

#include <string>

#include "analyzer/report/renderers.hpp"
#include "nlohmann/json_fwd.hpp"

namespace dbvet::report {

std::string render_gen_text(const nlohmann::json& doc, const RenderOptions& options);
std::string render_rules_text(const nlohmann::json& doc, const RenderOptions& options);
std::string render_rules_md(const nlohmann::json& doc, const RenderOptions& options);
std::string render_rule_page(const nlohmann::json& doc, const RenderOptions& options);
std::string render_sandbox_text(const nlohmann::json& doc, const RenderOptions& options);

}  // namespace dbvet::report
