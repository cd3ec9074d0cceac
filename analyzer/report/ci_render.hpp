#pragma once
// The formats CI systems read, rendered from audit, advise and health documents (ci_issues.hpp):
// SARIF 2.1.0 for code scanning, JUnit XML for test reports, GitHub Actions workflow commands
// (annotations), GitLab Code Quality JSON. docs/ci/README.md says how each is wired in.

#include <string>

#include "analyzer/report/renderers.hpp"
#include "nlohmann/json_fwd.hpp"

namespace dbvet::report {

// Where the rule pages live: a SARIF helpUri is this plus the page's path in the repository.
inline constexpr const char* kRepositoryBlobUrl = "https://github.com/dbvet/dbvet/blob/main/";

std::string render_sarif(const nlohmann::json& doc, const RenderOptions& options);
// One test case per finding class (rule), failing when a finding of it is a warning or an error.
std::string render_audit_junit(const nlohmann::json& doc, const RenderOptions& options);
// One test case per check of each target, failing when it found a warning or an error.
std::string render_health_junit(const nlohmann::json& doc, const RenderOptions& options);
// `::warning file=F,line=L,title=RULE::message`, one line per issue.
std::string render_github_annotations(const nlohmann::json& doc, const RenderOptions& options);
// GitLab Code Quality (a Code Climate subset): one issue per CiIssue, with the same fingerprints as
// SARIF, for `artifacts: reports: codequality`.
std::string render_gitlab_code_quality(const nlohmann::json& doc, const RenderOptions& options);

}  // namespace dbvet::report
