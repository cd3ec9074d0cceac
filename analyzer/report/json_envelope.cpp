#include "analyzer/report/json_envelope.hpp"

#include "analyzer/core/version.hpp"

namespace dbvet::report {

nlohmann::json json_envelope(const std::string& kind) {
  nlohmann::json doc = nlohmann::json::object();
  doc["dbvet_version"] = core::kVersion;
  doc["kind"] = kind;
  return doc;
}

}  // namespace dbvet::report
