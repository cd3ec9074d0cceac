#include "CLI/CLI.hpp"
#include "analyzer/core/json_envelope.hpp"
#include "cli/cli_context.hpp"
#include "cli/rule_docs.hpp"
#include "fmt/format.h"
#include "rules/registry.hpp"

namespace dbvet::cli {
namespace {

struct RulesArgs {
  std::string id;
};

nlohmann::json rule_json(const rules::Rule& rule) {
  nlohmann::json thresholds = nlohmann::json::object();
  for (const auto& t : rule.thresholds())
    thresholds[t.name] = {{"default", t.default_value}, {"description", t.description}};
  return {{"id", rule.id()},
          {"category", rules::category_name(rule.category())},
          {"severity", model::severity_name(rule.default_severity())},
          {"summary", rule.summary()},
          {"thresholds", thresholds}};
}

int run_list(CommandContext& context) {
  if (auto status = context.require_format_of("rules"); !status) return context.fail(status.error());
  auto doc = core::json_envelope("rules");
  doc["rules"] = nlohmann::json::array();
  for (const auto* rule : rules::all_rules()) doc["rules"].push_back(rule_json(*rule));
  if (auto written = context.write_result(doc); !written) return context.fail(written.error());
  return kExitOk;
}

// The rule's page of docs/rules/ (compiled in, so an installed dbvet has it in any directory), or a
// page made from the rule's own description.
std::string doc_page(const rules::Rule& rule) {
  if (auto embedded = rule_doc(rule.id()); !embedded.empty()) return std::string(embedded);
  std::string page = fmt::format("# {}\n\n{}.\n\nCategory: {}, default severity: {}\n", rule.id(), rule.summary(),
                                 rules::category_name(rule.category()), model::severity_name(rule.default_severity()));
  if (!rule.thresholds().empty()) page += "\n## Thresholds\n\n";
  for (const auto& t : rule.thresholds())
    page += fmt::format("- `{}` = {}: {}\n", t.name, t.default_value, t.description);
  return page;
}

int run_show(CommandContext& context, const RulesArgs& args) {
  if (auto status = context.require_format_of("rule"); !status) return context.fail(status.error());
  const rules::Rule* rule = rules::find_rule(args.id);
  if (!rule) {
    return context.fail(
        core::make_error(core::ErrorKind::usage, fmt::format("unknown rule '{}' (see `dbvet rules list`)", args.id)));
  }
  auto doc = core::json_envelope("rule");
  doc["rule"] = rule_json(*rule);
  doc["doc"] = doc_page(*rule);
  if (auto written = context.write_result(doc); !written) return context.fail(written.error());
  return kExitOk;
}

}  // namespace

CommandRun setup_rules(CLI::App& app) {
  auto args = std::make_shared<RulesArgs>();
  app.require_subcommand(1);
  app.fallthrough();
  auto* list = app.add_subcommand("list", "List every rule: id, category, default severity, summary");
  auto* show = app.add_subcommand("show", "Print a rule's documentation page");
  list->fallthrough();
  show->fallthrough();
  show->add_option("id", args->id, "Rule id, as `dbvet rules list` shows it")->required();
  return [args, list, show](CommandContext& context) {
    if (list->parsed()) return run_list(context);
    if (show->parsed()) return run_show(context, *args);
    return kExitUsage;
  };
}

}  // namespace dbvet::cli
