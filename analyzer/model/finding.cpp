#include "analyzer/model/finding.hpp"

namespace dbvet::model {

std::string severity_name(Severity severity) {
  switch (severity) {
    case Severity::info: return "info";
    case Severity::warning: return "warning";
    case Severity::error: return "error";
  }
  return "info";
}

std::optional<Severity> parse_severity(const std::string& text) {
  if (text == "info") return Severity::info;
  if (text == "warning") return Severity::warning;
  if (text == "error") return Severity::error;
  return std::nullopt;
}

std::string recommendation_type_name(RecommendationType type) {
  switch (type) {
    case RecommendationType::index: return "index";
    case RecommendationType::drop_index: return "drop_index";
    case RecommendationType::cache: return "cache";
    case RecommendationType::rewrite: return "rewrite";
  }
  return "index";
}

}  // namespace dbvet::model
