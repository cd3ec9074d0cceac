#include "analyzer/advisor/audit.hpp"

#include <filesystem>
#include <iostream>

#include "CLI/CLI.hpp"
#include "analyzer/advisor/plan_only_what_if.hpp"
#include "analyzer/core/target_url.hpp"
#include "analyzer/engines/connection.hpp"
#include "analyzer/engines/sqlite/what_if_sqlite.hpp"
#include "analyzer/report/audit_render.hpp"
#include "cli/cli_context.hpp"
#include "fmt/format.h"
#include "nlohmann/json.hpp"
#include "rules/rule_config.hpp"

namespace dbvet::cli {

struct AuditArgs {
  std::string target;
  std::vector<std::string> workloads;
  std::string log;
  std::string source;
  std::string fail_on;
  size_t max_indexes = 10;
  std::vector<std::string> disabled_rules;
  std::string config;
  int transactions = 200;
  double scale = 1;
  uint64_t seed = 42;
  bool apply = false;
};

namespace {

int run_audit_command(CommandContext& context, const AuditArgs& args, bool advise) {
  if (auto status = context.require_format({"text", "json", "md"}); !status) return context.fail(status.error());
  if (!args.log.empty() || !args.source.empty()) {
    return context.fail(core::make_error(core::ErrorKind::unsupported,
                                         "--log and --source are not available in this version yet; use --workload"));
  }
  if (args.workloads.empty()) {
    return context.fail(core::make_error(core::ErrorKind::usage, "audit needs at least one --workload FILE[@WEIGHT]"));
  }
  if (args.apply) {
    return context.fail(core::make_error(
        core::ErrorKind::unsupported, "--apply is not implemented yet: run the DDL of the recommendations yourself"));
  }
  std::optional<model::Severity> fail_on;
  if (!args.fail_on.empty()) {
    fail_on = model::parse_severity(args.fail_on);
    if (!fail_on) {
      return context.fail(core::make_error(core::ErrorKind::usage, "--fail-on expects warning or error"));
    }
  }
  rules::RuleConfig rule_config;
  // dbvet.toml in the working directory applies unless --config names another file.
  std::string config_path = args.config;
  if (config_path.empty() && std::filesystem::exists("dbvet.toml")) config_path = "dbvet.toml";
  if (!config_path.empty()) {
    auto loaded = rules::load_rule_config(config_path);
    if (!loaded) return context.fail(loaded.error());
    rule_config = std::move(*loaded);
  }
  if (auto status = rules::disable_rules(rule_config, args.disabled_rules); !status) {
    return context.fail(status.error());
  }
  auto url = core::parse_target_url(args.target);
  if (!url) return context.fail(url.error());
  auto connection = engines::connect(*url, {});
  if (!connection) return context.fail(connection.error());

  std::unique_ptr<model::WhatIf> what_if;
  if (url->engine == core::Engine::sqlite) {
    auto sqlite = engines::sqlite::SqliteWhatIf::open(url->path, url->redacted());
    if (!sqlite) return context.fail(sqlite.error());
    what_if = std::move(*sqlite);
  } else {
    what_if = std::make_unique<advisor::PlanOnlyWhatIf>(**connection);
  }

  advisor::AuditOptions options;
  options.workloads = args.workloads;
  options.capture.transactions = args.transactions;
  options.capture.scale = args.scale;
  options.capture.seed = args.seed;
  options.max_indexes = args.max_indexes;
  options.rule_config = std::move(rule_config);
  auto result = advisor::run_audit(**connection, *what_if, options);
  if (!result) return context.fail(result.error());

  auto out = context.out();
  if (!out) return context.fail(out.error());
  const auto& format = context.options().format;
  if (format == "json") {
    **out << report::audit_to_json(*result, advise ? "advise" : "audit").dump(2) << '\n';
  } else if (format == "md") {
    **out << report::render_audit_md(*result, advise);
  } else {
    **out << report::render_audit_text(*result, advise);
  }
  if (fail_on) {
    for (const auto& f : result->findings) {
      if (f.severity >= *fail_on) return kExitGateFailed;
    }
  }
  return kExitOk;
}

}  // namespace

CommandRun setup_audit_like(CLI::App& app, bool advise) {
  auto args = std::make_shared<AuditArgs>();
  app.add_option("target", args->target, "Database URL (postgresql://, mysql://, sqlite:PATH)")->required();
  app.add_option("-w,--workload", args->workloads, "A pgbench-style workload script, FILE[@WEIGHT]; repeatable");
  app.add_option("--log", args->log, "A query log to digest instead of running a workload");
  app.add_option("--source", args->source, "pg_stat_statements or performance_schema");
  if (!advise) app.add_option("--fail-on", args->fail_on, "Exit 1 when a finding has this severity or worse");
  app.add_option("--max-indexes", args->max_indexes, "At most this many new indexes")->default_val(10);
  app.add_option("--disable-rule", args->disabled_rules, "Skip this rule id; repeatable");
  app.add_option("--config", args->config, "Rule settings ([rules.<id>] tables); default ./dbvet.toml if present");
  app.add_option("--transactions", args->transactions, "Workload script runs to capture")->default_val(200);
  app.add_option("--scale", args->scale, "The :scale the workload scripts see (the sample's gen scale)")
      ->default_val(1);
  app.add_option("--seed", args->seed, "Seed of the workload's random values")->default_val(42);
  app.add_flag("--apply", args->apply, "Apply the recommended indexes (not implemented yet)");
  return [args, advise](CommandContext& context) { return run_audit_command(context, *args, advise); };
}

CommandRun setup_audit(CLI::App& app) { return setup_audit_like(app, false); }

}  // namespace dbvet::cli
