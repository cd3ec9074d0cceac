#pragma once
// Every JSON document dbvet writes starts with the same envelope (docs/json/README.md).

#include <string>

#include "nlohmann/json.hpp"

namespace dbvet::core {

// {"dbvet_version": "...", "kind": kind}
nlohmann::json json_envelope(const std::string& kind);

// The document as text (indent -1: one line). Bytes that are not UTF-8 (a log's statement may
// hold any) become U+FFFD instead of failing the whole output.
std::string json_text(const nlohmann::json& doc, int indent = -1);

}  // namespace dbvet::core
