#include "analyzer/advisor/audit.hpp"

#include <filesystem>
#include <iostream>

#include "CLI/CLI.hpp"
#include "analyzer/advisor/plan_only_what_if.hpp"
#include "analyzer/core/target_url.hpp"
#include "analyzer/engines/connection.hpp"
#include "analyzer/engines/sqlite/what_if_sqlite.hpp"
#ifdef DBVET_WITH_POSTGRES
#include "analyzer/engines/postgres/what_if_hypopg.hpp"
#endif
#ifdef DBVET_WITH_MYSQL
#include "analyzer/engines/mysql/what_if_sandbox.hpp"
#endif
#include "analyzer/history/history.hpp"
#include "analyzer/report/audit_render.hpp"
#include "analyzer/report/html_report.hpp"
#include "benchmarks/bench_runner.hpp"
#include "cli/cli_context.hpp"
#include "fmt/format.h"
#include "nlohmann/json.hpp"
#include "rules/rule_config.hpp"

namespace dbvet::cli {

struct AuditArgs {
  std::string target;
  std::string history;
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
  bool sandbox = false;
};

namespace {

// How index advice is verified: SQLite in a private copy, PostgreSQL through HypoPG, MariaDB in a
// sandbox database with --sandbox; otherwise (or when HypoPG is missing) the plan-only estimate.
core::Expected<std::unique_ptr<model::WhatIf>> open_what_if(const core::TargetUrl& url, engines::Connection& connection,
                                                            bool sandbox, std::vector<std::string>& notes) {
  if (sandbox && url.engine != core::Engine::mysql) {
    return core::make_error(core::ErrorKind::usage, "--sandbox is for MariaDB/MySQL targets");
  }
  switch (url.engine) {
    case core::Engine::sqlite: {
      auto sqlite = engines::sqlite::SqliteWhatIf::open(url.path, url.redacted());
      if (!sqlite) return sqlite.error();
      return std::unique_ptr<model::WhatIf>(std::move(*sqlite));
    }
#ifdef DBVET_WITH_POSTGRES
    case core::Engine::postgres: {
      auto hypopg = engines::postgres::HypopgWhatIf::open(url);
      if (hypopg) {
        if (!(*hypopg)->can_hide()) {
          notes.push_back(fmt::format("HypoPG {} cannot hide indexes (1.4 can): drop advice is not verified",
                                      (*hypopg)->hypopg_version()));
        }
        return std::unique_ptr<model::WhatIf>(std::move(*hypopg));
      }
      if (hypopg.error().kind != core::ErrorKind::unsupported) return hypopg.error();
      notes.push_back(hypopg.error().message + "; index advice is an unverified estimate");
      break;
    }
#endif
#ifdef DBVET_WITH_MYSQL
    case core::Engine::mysql: {
      if (!sandbox) {
        notes.push_back(
            "index advice on MariaDB/MySQL is an unverified estimate; --sandbox verifies it in a scratch "
            "database with a sample of the tables");
        break;
      }
      // Ctrl-C must still drop the scratch database: the handler only sets a flag.
      bench::install_interrupt_handler();
      engines::mysql::SandboxWhatIfOptions sandbox_options;
      sandbox_options.cancelled = &bench::interrupted();
      auto what_if = engines::mysql::SandboxWhatIf::open(url, sandbox_options);
      if (!what_if) return what_if.error();
      return std::unique_ptr<model::WhatIf>(std::move(*what_if));
    }
#endif
    default:
      break;
  }
  return std::unique_ptr<model::WhatIf>(std::make_unique<advisor::PlanOnlyWhatIf>(connection));
}

int run_audit_command(CommandContext& context, const AuditArgs& args, bool advise) {
  if (auto status = context.require_format({"text", "json", "md", "html"}); !status)
    return context.fail(status.error());
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

  std::vector<std::string> what_if_notes;
  auto what_if = open_what_if(*url, **connection, args.sandbox, what_if_notes);
  if (!what_if) return context.fail(what_if.error());

  advisor::AuditOptions options;
  options.workloads = args.workloads;
  options.capture.transactions = args.transactions;
  options.capture.scale = args.scale;
  options.capture.seed = args.seed;
  if (args.sandbox) options.capture.cancelled = &bench::interrupted();
  options.max_indexes = args.max_indexes;
  options.rule_config = std::move(rule_config);
  auto result = advisor::run_audit(**connection, **what_if, options);
  if (args.sandbox && bench::interrupted()) {
    what_if->reset();  // drops the sandbox before the exit
    return context.fail(core::make_error(core::ErrorKind::query, "interrupted"));
  }
  if (!result) return context.fail(result.error());
  result->notes.insert(result->notes.end(), what_if_notes.begin(), what_if_notes.end());

  auto out = context.out();
  if (!out) return context.fail(out.error());
  const auto& format = context.options().format;
  auto doc = report::audit_to_json(*result, advise ? "advise" : "audit");
  if (format == "json") {
    **out << doc.dump(2) << '\n';
  } else if (format == "html") {
    **out << report::render_html_report({doc}, advise ? "dbvet advise" : "dbvet audit");
  } else if (format == "md") {
    **out << report::render_audit_md(*result, advise);
  } else {
    **out << report::render_audit_text(*result, advise);
  }
  if (!args.history.empty()) {
    auto appended = history::append(args.history, advise ? "advise" : "audit", doc.dump());
    if (!appended) return context.fail(appended.error());
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
  app.add_option("--history", args->history,
                 "Append this run's JSON result to an SQLite history (dbvet report --history)");
  app.add_option("--max-indexes", args->max_indexes, "At most this many new indexes")->default_val(10);
  app.add_option("--disable-rule", args->disabled_rules, "Skip this rule id; repeatable");
  app.add_option("--config", args->config, "Rule settings ([rules.<id>] tables); default ./dbvet.toml if present");
  app.add_option("--transactions", args->transactions, "Workload script runs to capture")->default_val(200);
  app.add_option("--scale", args->scale, "The :scale the workload scripts see (the sample's gen scale)")
      ->default_val(1);
  app.add_option("--seed", args->seed, "Seed of the workload's random values")->default_val(42);
  app.add_flag("--apply", args->apply, "Apply the recommended indexes (not implemented yet)");
  app.add_flag("--sandbox", args->sandbox,
               "MariaDB/MySQL: verify index advice in a scratch database (created and dropped by dbvet)");
  return [args, advise](CommandContext& context) { return run_audit_command(context, *args, advise); };
}

CommandRun setup_audit(CLI::App& app) { return setup_audit_like(app, false); }

}  // namespace dbvet::cli
