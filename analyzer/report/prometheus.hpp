#pragma once
// Prometheus text exposition (format 0.0.4) of health metrics, for the node exporter's textfile
// collector and for `promtool check metrics`, and a push to a Pushgateway.

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include "analyzer/core/expected.hpp"
#include "analyzer/health/check.hpp"

namespace dbvet::report {

// Label values escape backslash, double quote and newline; HELP text backslash and newline.
std::string prometheus_escape_label(std::string_view value);
std::string prometheus_escape_help(std::string_view text);
bool prometheus_metric_name_ok(std::string_view name);  // [a-zA-Z_:][a-zA-Z0-9_:]*
bool prometheus_label_name_ok(std::string_view name);   // [a-zA-Z_][a-zA-Z0-9_]*, not __reserved
std::string prometheus_value(double value);             // NaN, +Inf, -Inf, shortest decimal otherwise

// Every metric of every target as gauges, one family per name (HELP and TYPE once), each sample
// labelled target and engine first. A sample repeated with the same labels keeps its last value.
std::string render_prometheus(const std::vector<health::TargetHealth>& results);

// The Pushgateway grouping path: /metrics/job/<job>/instance/<instance>, with values that are not
// plain URL path text written in the gateway's base64 form (instance@base64/...).
std::string pushgateway_path(std::string_view job, std::string_view instance);

// PUTs `body` (text exposition) to base_url + pushgateway_path(job, instance), replacing the group.
core::Status push_to_gateway(const std::string& base_url, const std::string& job, const std::string& instance,
                             const std::string& body, std::chrono::milliseconds timeout);

}  // namespace dbvet::report
