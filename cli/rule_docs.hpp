#pragma once

#include <string_view>

namespace dbvet::cli {

// The page docs/rules/<id>.md as it was at build time (compiled in by cmake/embed_rule_docs.cmake),
// or empty when the rule has none.
std::string_view rule_doc(std::string_view id);

}  // namespace dbvet::cli
