#pragma once
// `dbvet compare` as text and as the Markdown table a code review reads, from the compare
// document (docs/json/compare.md).

#include <string>

#include "analyzer/report/renderers.hpp"
#include "nlohmann/json_fwd.hpp"

namespace dbvet::report {

std::string render_compare_text(const nlohmann::json& doc, const RenderOptions& options);
std::string render_compare_md(const nlohmann::json& doc, const RenderOptions& options);

}  // namespace dbvet::report
