#pragma once
// The health result's text and Markdown, both read from its JSON document (docs/json/health.md),
// which health/render.hpp builds.

#include <string>

#include "nlohmann/json_fwd.hpp"

namespace dbvet::report {

std::string render_health_text(const nlohmann::json& doc, bool color);
std::string render_health_markdown(const nlohmann::json& doc);

}  // namespace dbvet::report
