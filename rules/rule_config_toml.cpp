// The one place rules read TOML (toml++ is heavy to include).
#include <fstream>
#include <sstream>

#include "analyzer/core/toml_document.hpp"
#include "fmt/format.h"
#include "rules/registry.hpp"
#include "rules/rule_config.hpp"
#include "toml++/toml.h"

namespace dbvet::rules {
namespace {

core::Error usage_error(const std::string& source, const toml::source_region& where, const std::string& message) {
  return core::make_error(core::ErrorKind::usage, fmt::format("{}:{}: {}", source, where.begin.line, message));
}

std::string known_thresholds(const Rule& rule) {
  std::string names;
  for (const auto& t : rule.thresholds()) {
    names += names.empty() ? "" : ", ";
    names += t.name;
  }
  return names.empty() ? "none" : names;
}

}  // namespace

core::Expected<RuleConfig> parse_rule_config(const std::string& toml_text, const std::string& source) {
  auto parsed = core::parse_toml(toml_text, source);
  if (!parsed) return parsed.error();
  const toml::table& root = *parsed;
  RuleConfig config;
  const toml::node* rules_node = root.get("rules");
  if (!rules_node) return config;
  const toml::table* rules_table = rules_node->as_table();
  if (!rules_table) return usage_error(source, rules_node->source(), "[rules] must be a table of [rules.<id>] tables");
  for (auto&& [key, node] : *rules_table) {
    std::string id(key.str());
    const Rule* rule = find_rule(id);
    if (!rule) return usage_error(source, node.source(), fmt::format("unknown rule '{}' (see `dbvet rules list`)", id));
    const toml::table* settings_table = node.as_table();
    if (!settings_table) return usage_error(source, node.source(), fmt::format("[rules.{}] must be a table", id));
    RuleSettings settings;
    for (auto&& [setting_key, value] : *settings_table) {
      std::string name(setting_key.str());
      if (name == "enabled") {
        auto flag = value.value<bool>();
        if (!flag || !value.is_boolean()) {
          return usage_error(source, value.source(), fmt::format("rules.{}.enabled must be true or false", id));
        }
        settings.enabled = *flag;
      } else if (name == "severity") {
        auto text = value.value<std::string>();
        auto severity = text ? model::parse_severity(*text) : std::nullopt;
        if (!severity) {
          return usage_error(source, value.source(),
                             fmt::format("rules.{}.severity must be \"info\", \"warning\" or \"error\"", id));
        }
        settings.severity = severity;
      } else {
        bool known = false;
        for (const auto& t : rule->thresholds()) known = known || t.name == name;
        if (!known) {
          return usage_error(
              source, value.source(),
              fmt::format("rule '{}' has no threshold '{}' (it has: {})", id, name, known_thresholds(*rule)));
        }
        if (!value.is_number()) {
          return usage_error(source, value.source(), fmt::format("rules.{}.{} must be a number", id, name));
        }
        settings.thresholds[name] = *value.value<double>();
      }
    }
    config[id] = std::move(settings);
  }
  return config;
}

core::Expected<RuleConfig> load_rule_config(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return core::make_error(core::ErrorKind::input, fmt::format("cannot read {}", path.string()));
  std::stringstream text;
  text << in.rdbuf();
  return parse_rule_config(text.str(), path.string());
}

core::Status disable_rules(RuleConfig& config, const std::vector<std::string>& ids) {
  for (const auto& id : ids) {
    if (!find_rule(id)) {
      return core::make_error(core::ErrorKind::usage, fmt::format("--disable-rule: unknown rule '{}'", id));
    }
    config[id].enabled = false;
  }
  return core::ok();
}

}  // namespace dbvet::rules
