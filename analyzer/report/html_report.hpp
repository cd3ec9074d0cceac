#pragma once
// One self-contained HTML page (no network: Chart.js, the script and the styles are embedded, and a
// Content-Security-Policy forbids any fetch) that renders dbvet results: health, audit/advise,
// digest, bench and compare documents, oldest first. The audit and bench HTML outputs call this too.

#include <string>
#include <vector>

#include "nlohmann/json_fwd.hpp"

namespace dbvet::report {

std::string render_html_report(const std::vector<nlohmann::json>& documents, const std::string& title);

// JSON made safe inside <script type="application/json">: '<', '>' and '&' as \u escapes.
std::string json_for_script(const nlohmann::json& value);

}  // namespace dbvet::report
