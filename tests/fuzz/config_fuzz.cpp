// libFuzzer target for TOML configuration: dbvet.toml's [rules.<id>] sections (the rule config
// reader), through toml++'s parser as `health --config` reads its file.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "analyzer/core/toml_text.hpp"
#include "rules/rule_config.hpp"
#include "toml++/toml.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  (void)dbvet::rules::parse_rule_config(text, "fuzz.toml");
  // As health's reader: the text is checked before toml++ parses it (toml++ 3.3 has undefined
  // behaviour on some non-ASCII characters outside strings).
  if (!dbvet::core::check_toml_text(text, "fuzz.toml")) return 0;
  try {
    toml::table root = toml::parse(std::string_view(text), std::string_view("fuzz.toml"));
    // What health's reader asks of a document: tables of strings and numbers.
    if (const toml::table* targets = root["targets"].as_table()) {
      for (const auto& [key, node] : *targets) (void)node.value<std::string>();
    }
    if (const toml::table* thresholds = root["thresholds"].as_table()) {
      for (const auto& [key, node] : *thresholds) (void)node.value<double>();
    }
  } catch (const toml::parse_error&) {
  }
  return 0;
}
