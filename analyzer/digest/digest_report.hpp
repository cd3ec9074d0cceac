#pragma once
// The digest as a result object (JSON, the contract in docs/json/digest.md) and its text
// (pt-query-digest's shape) and Markdown renderings, both produced from that object.

#include <string>

#include "analyzer/digest/digest.hpp"
#include "analyzer/digest/digest_runner.hpp"
#include "nlohmann/json_fwd.hpp"

namespace dbvet::digest {

struct ReportOptions {
  Digest::OrderBy order_by = Digest::OrderBy::total;
  size_t top = 20;  // 0: every class
};

nlohmann::json digest_to_json(const DigestResult& result, const ReportOptions& options);
std::string render_digest_text(const nlohmann::json& doc);
std::string render_digest_markdown(const nlohmann::json& doc);

}  // namespace dbvet::digest
