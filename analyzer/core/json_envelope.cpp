#include "analyzer/core/json_envelope.hpp"

#include "analyzer/core/version.hpp"

namespace dbvet::core {

nlohmann::json json_envelope(const std::string& kind) {
  nlohmann::json doc = nlohmann::json::object();
  doc["dbvet_version"] = core::kVersion;
  doc["kind"] = kind;
  return doc;
}

std::string json_text(const nlohmann::json& doc, int indent) {
  return doc.dump(indent, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace dbvet::core
