#pragma once
// The one reader of dbvet.toml's text: every part of the file (the [rules.<id>] settings of audit,
// the [targets] and thresholds of health --config) goes through it, so that the toml++ guard of
// toml_text.hpp and the "file:line:column: message" errors are the same everywhere. It includes
// toml++, which is heavy: only the few files that walk the tables include this header.

#include <string>

#include "analyzer/core/expected.hpp"
#include "toml++/toml.h"

namespace dbvet::core {

// A usage error naming `source`, the line and the column when the text is not TOML.
Expected<toml::table> parse_toml(const std::string& text, const std::string& source);

}  // namespace dbvet::core
