#pragma once
// The health result as JSON (the canonical form, docs/json/health.md); report/health_render.hpp
// renders it as text and Markdown.

#include <string>
#include <vector>

#include "analyzer/health/check.hpp"
#include "nlohmann/json_fwd.hpp"

namespace dbvet::health {

// started_at: ISO 8601 UTC time of the run.
nlohmann::json health_to_json(const std::vector<TargetHealth>& results, const std::string& started_at);

// "2026-11-24T11:00:00Z"
std::string utc_now_iso8601();

}  // namespace dbvet::health
