#pragma once
// Rule settings from dbvet.toml ([rules.<id>] enabled, severity, thresholds) and from flags.

#include <filesystem>
#include <string>
#include <vector>

#include "analyzer/core/expected.hpp"
#include "rules/rule_context.hpp"

namespace dbvet::rules {

// Reads the [rules] tables of a dbvet.toml text; other tables are left to their owners. Unknown
// rule ids, unknown thresholds, non-numeric values and unknown severities are usage errors naming
// `source` and the line.
core::Expected<RuleConfig> parse_rule_config(const std::string& toml_text, const std::string& source);
core::Expected<RuleConfig> load_rule_config(const std::filesystem::path& path);

// --disable-rule ID (repeatable); an unknown id is a usage error.
core::Status disable_rules(RuleConfig& config, const std::vector<std::string>& ids);

}  // namespace dbvet::rules
