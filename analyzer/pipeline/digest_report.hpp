#pragma once
// The digest as a result object: its JSON, the contract in docs/json/digest.md (report/digest_render.hpp
// renders it as text and Markdown).

#include <string>

#include "analyzer/digest/digest.hpp"
#include "analyzer/pipeline/digest_runner.hpp"
#include "nlohmann/json_fwd.hpp"

namespace dbvet::pipeline {

struct ReportOptions {
  digest::Digest::OrderBy order_by = digest::Digest::OrderBy::total;
  size_t top = 20;  // 0: every class
};

nlohmann::json digest_to_json(const DigestResult& result, const ReportOptions& options);

}  // namespace dbvet::pipeline
