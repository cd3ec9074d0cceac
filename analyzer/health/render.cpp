#include "analyzer/health/render.hpp"

#include <algorithm>
#include <chrono>
#include <ctime>

#include "analyzer/core/json_envelope.hpp"
#include "analyzer/health/health.hpp"
#include "fmt/format.h"
#include "nlohmann/json.hpp"

namespace dbvet::health {
using nlohmann::json;

std::string utc_now_iso8601() {
  auto now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm tm{};
  gmtime_r(&now, &tm);
  char buffer[32];
  std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buffer;
}

json health_to_json(const std::vector<TargetHealth>& results, const std::string& started_at) {
  json doc = core::json_envelope("health");
  doc["started_at"] = started_at;
  auto summary = summarize(results);
  doc["summary"] = {{"targets", summary.targets},
                    {"down", summary.down},
                    {"findings", {{"error", summary.errors}, {"warning", summary.warnings}, {"info", summary.infos}}}};
  doc["targets"] = json::array();
  for (const auto& target : results) {
    json t = {{"name", target.name},
              {"url", target.url},
              {"engine", std::string(core::engine_name(target.engine))},
              {"up", target.up},
              {"server_version", target.server_version},
              {"seconds", target.seconds}};
    if (!target.up) t["error"] = target.error;
    t["checks"] = json::array();
    for (const auto& check : target.checks) {
      json c = {{"id", check.id}, {"status", check_status_name(check.status)}, {"seconds", check.seconds}};
      if (!check.note.empty()) c["note"] = check.note;
      t["checks"].push_back(std::move(c));
    }
    t["findings"] = json::array();
    for (const auto& finding : target.findings) {
      json f = {{"check", finding.check},
                {"severity", model::severity_name(finding.severity)},
                {"target", target.name},
                {"object", finding.object},
                {"message", finding.message},
                {"value", finding.value ? json(*finding.value) : json(nullptr)},
                {"threshold", finding.threshold ? json(*finding.threshold) : json(nullptr)}};
      t["findings"].push_back(std::move(f));
    }
    t["metrics"] = json::array();
    for (const auto& metric : target.metrics) {
      json labels = json::object();
      for (const auto& [key, value] : metric.labels) labels[key] = value;
      t["metrics"].push_back(
          {{"name", metric.name}, {"labels", labels}, {"value", metric.value}, {"help", metric.help}});
    }
    t["top_queries"] = json::array();
    for (const auto& query : target.top_queries) {
      t["top_queries"].push_back({{"query", query.query},
                                  {"calls", query.calls},
                                  {"total_seconds", query.total_seconds},
                                  {"mean_seconds", query.mean_seconds},
                                  {"rows", query.rows}});
    }
    doc["targets"].push_back(std::move(t));
  }
  return doc;
}

}  // namespace dbvet::health
