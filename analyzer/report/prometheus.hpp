#pragma once
// Prometheus text exposition (format 0.0.4) of health metrics, for the node exporter's textfile
// collector and for `promtool check metrics`; analyzer/push/pushgateway.hpp pushes it.

#include <string>
#include <string_view>

#include "analyzer/report/renderers.hpp"
#include "nlohmann/json_fwd.hpp"

namespace dbvet::report {

// Label values escape backslash, double quote and newline; HELP text backslash and newline.
std::string prometheus_escape_label(std::string_view value);
std::string prometheus_escape_help(std::string_view text);
bool prometheus_metric_name_ok(std::string_view name);  // [a-zA-Z_:][a-zA-Z0-9_:]*
bool prometheus_label_name_ok(std::string_view name);   // [a-zA-Z_][a-zA-Z0-9_]*, not __reserved
std::string prometheus_value(double value);             // NaN, +Inf, -Inf, shortest decimal otherwise

// Every metric of every target of a health document (docs/json/health.md) as gauges, one family
// per name (HELP and TYPE once), each sample labelled target and engine first. A sample repeated
// with the same labels keeps its last value.
std::string render_prometheus(const nlohmann::json& doc, const RenderOptions& options = {});

}  // namespace dbvet::report
