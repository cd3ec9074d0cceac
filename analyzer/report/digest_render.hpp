#pragma once
// The digest's text (pt-query-digest's shape) and Markdown, both read from its JSON document
// (docs/json/digest.md), which pipeline/digest_report.hpp builds.

#include <string>

#include "nlohmann/json_fwd.hpp"

namespace dbvet::report {

std::string render_digest_text(const nlohmann::json& doc);
std::string render_digest_markdown(const nlohmann::json& doc);

}  // namespace dbvet::report
