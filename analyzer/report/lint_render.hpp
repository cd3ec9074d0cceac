#pragma once
// `dbvet lint` results (docs/json/lint.md) as text and Markdown; SARIF, JUnit and GitHub
// annotations come from ci_render over the same findings.

#include <string>

#include "analyzer/report/renderers.hpp"
#include "nlohmann/json_fwd.hpp"

namespace dbvet::report {

// One line per finding, `file:line: severity: message [rule]` (the compilers' shape, which editors
// and terminals turn into links), then a summary line.
std::string render_lint_text(const nlohmann::json& doc, const RenderOptions& options);
std::string render_lint_md(const nlohmann::json& doc, const RenderOptions& options);

}  // namespace dbvet::report
