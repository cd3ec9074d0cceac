#pragma once
// The check result (plan contracts, docs/json/check.md) as text, Markdown and JUnit XML, read from its
// JSON document. SARIF and GitHub annotations come from ci_issues (one issue per broken assertion,
// located at its line of the contracts file).

#include <string>

#include "nlohmann/json_fwd.hpp"

namespace dbvet::report {

std::string render_check_text(const nlohmann::json& doc);
std::string render_check_markdown(const nlohmann::json& doc);
// One test case per contract assertion (a contract that could not run: one "query" case).
std::string render_check_junit(const nlohmann::json& doc);

}  // namespace dbvet::report
