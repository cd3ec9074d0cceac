#pragma once
// Pushing metrics to a Prometheus Pushgateway: the one place dbvet sends a result over the network
// (report/ only renders; the exposition text comes from report/prometheus.hpp).

#include <chrono>
#include <string>
#include <string_view>

#include "analyzer/core/expected.hpp"

namespace dbvet::push {

// The Pushgateway grouping path: /metrics/job/<job>/instance/<instance>, with values that are not
// plain URL path text written in the gateway's base64 form (instance@base64/...).
std::string pushgateway_path(std::string_view job, std::string_view instance);

// PUTs `body` (text exposition) to base_url + pushgateway_path(job, instance), replacing the group.
core::Status push_to_gateway(const std::string& base_url, const std::string& job, const std::string& instance,
                             const std::string& body, std::chrono::milliseconds timeout);

}  // namespace dbvet::push
