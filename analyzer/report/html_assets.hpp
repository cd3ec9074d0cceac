#pragma once
// The files the HTML report embeds, compiled in at build time (analyzer/report/assets/).

#include <string_view>

namespace dbvet::report::assets {

std::string_view chart_js();          // Chart.js UMD build, from the npm registry
std::string_view chart_js_version();  // "4.5.1"
std::string_view report_js();         // analyzer/report/assets/report.js
std::string_view report_css();        // analyzer/report/assets/report.css

}  // namespace dbvet::report::assets
