#pragma once
// Every JSON document dbvet writes starts with the same envelope (docs/json/README.md).

#include <string>

#include "nlohmann/json.hpp"

namespace dbvet::report {

// {"dbvet_version": "...", "kind": kind}
nlohmann::json json_envelope(const std::string& kind);

}  // namespace dbvet::report
