#include "analyzer/pipeline/audit.hpp"

#include <chrono>
#include <filesystem>
#include <iostream>
#include <limits>
#include <optional>

#include "CLI/CLI.hpp"
#include "analyzer/core/json_envelope.hpp"
#include "analyzer/core/target_url.hpp"
#include "analyzer/engines/connection.hpp"
#include "analyzer/engines/registry.hpp"
#include "analyzer/engines/sandbox.hpp"
#include "analyzer/history/history.hpp"
#include "analyzer/pipeline/apply.hpp"
#include "analyzer/pipeline/audit_json.hpp"
#include "analyzer/pipeline/digest_runner.hpp"
#include "analyzer/pipeline/live/server_capture.hpp"
#include "analyzer/pipeline/plan_only_what_if.hpp"
#include "analyzer/report/audit_render.hpp"
#include "analyzer/util/parse.hpp"
#include "benchmarks/bench_runner.hpp"
#include "cli/cli_context.hpp"
#include "cli/sandbox_warning.hpp"
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
  size_t top_classes = 40;
  std::string max_index_size;
  std::vector<std::string> disabled_rules;
  std::string config;
  int transactions = 200;
  double scale = 1;
  uint64_t seed = 42;
  bool apply = false;
  bool sandbox = false;
  bool verify = false;
};

namespace {

// How index advice is verified: SQLite in a private copy, PostgreSQL through HypoPG, MariaDB in a
// sandbox database with --sandbox; otherwise (or when HypoPG is missing) the plan-only estimate.
core::Expected<std::unique_ptr<model::WhatIf>> open_what_if(const core::TargetUrl& url, engines::Connection& connection,
                                                            bool sandbox, std::vector<std::string>& notes) {
  if (sandbox && !engines::description(url.engine).what_if_in_sandbox) {
    std::string engines_with_sandbox;
    for (const auto* d : engines::descriptions()) {
      if (d->what_if_in_sandbox)
        engines_with_sandbox += (engines_with_sandbox.empty() ? "" : ", ") + std::string(d->title);
    }
    return core::make_error(core::ErrorKind::usage, fmt::format("--sandbox is for {} targets", engines_with_sandbox));
  }
  if (const auto* driver = engines::find_driver(url.engine); driver && driver->open_what_if) {
    engines::WhatIfRequest request;
    request.sandbox = sandbox;
    request.cancelled = &bench::interrupted();
    request.before_sandbox = [&url] {
      // Ctrl-C must still drop the scratch database: the handler only sets a flag.
      bench::install_interrupt_handler();
      warn_orphaned_sandboxes(url);
    };
    auto what_if = driver->open_what_if(url, request, notes);
    if (!what_if) return what_if.error();
    if (*what_if) return std::move(*what_if);
  }
  return std::unique_ptr<model::WhatIf>(std::make_unique<pipeline::PlanOnlyWhatIf>(connection));
}

// "500MB", "2 GB", "64kB", "1048576": bytes, with 1024-based units as PostgreSQL's size settings.
core::Expected<int64_t> parse_byte_size(const std::string& text) {
  if (auto bytes = util::parse_byte_size(text)) return *bytes;
  return core::make_error(core::ErrorKind::usage,
                          fmt::format("--max-index-size {}: expected a size such as 500MB or 2GB", text));
}

int run_audit_command(CommandContext& context, const AuditArgs& args, bool advise) {
  if (auto status = context.require_format_of(advise ? "advise" : "audit"); !status)
    return context.fail(status.error());
  int inputs = (args.workloads.empty() ? 0 : 1) + (args.log.empty() ? 0 : 1) + (args.source.empty() ? 0 : 1);
  if (inputs == 0) {
    return context.fail(core::make_error(
        core::ErrorKind::usage,
        "audit needs its input: --workload FILE[@WEIGHT]..., --log FILE or --source pg_stat_statements|"
        "performance_schema"));
  }
  if (inputs > 1) {
    return context.fail(
        core::make_error(core::ErrorKind::usage, "--workload, --log and --source are alternatives: give one of them"));
  }
  if (!args.source.empty() && args.source != "pg_stat_statements" && args.source != "performance_schema") {
    return context.fail(
        core::make_error(core::ErrorKind::usage,
                         fmt::format("--source {}: expected pg_stat_statements or performance_schema", args.source)));
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
  // --verify follows the advice on copies of the target. They are copied from one copy taken now,
  // before dbvet opens its own sessions: PostgreSQL copies with CREATE DATABASE ... TEMPLATE, which
  // refuses while any session (the audit's own included) is connected to the template.
  std::optional<engines::Sandbox> verify_base;
  if (args.verify) {
    auto base = engines::Sandbox::create(*url, "verify-base");
    if (!base) return context.fail(base.error());
    verify_base.emplace(std::move(*base));
  }
  auto connection = engines::connect(*url, {});
  if (!connection) return context.fail(connection.error());

  std::vector<std::string> what_if_notes;
  auto what_if = open_what_if(*url, **connection, args.sandbox, what_if_notes);
  if (!what_if) return context.fail(what_if.error());

  // --log: the digest of the log file; --source: of the server's statistics view.
  std::optional<digest::Digest> input_digest;
  pipeline::AuditInput input;
  if (!args.log.empty()) {
    pipeline::DigestOptions digest_options;
    digest_options.files = {args.log};
    auto digested = pipeline::run_digest(digest_options);
    if (!digested) return context.fail(digested.error());
    if (!digested->read_errors.empty()) {  // an audit of part of a log would rank the wrong classes
      return context.fail(core::make_error(core::ErrorKind::input, digested->read_errors.front()));
    }
    input.kind = "log";
    input.file = args.log;
    input.format = digested->format;
    input.events = digested->events;
    input.skipped = digested->skipped;
    input_digest = std::move(digested->digest);
  } else if (!args.source.empty()) {
    bool pg = args.source == "pg_stat_statements";
    if (url->engine != (pg ? core::Engine::postgres : core::Engine::mysql)) {
      return context.fail(core::make_error(
          core::ErrorKind::usage,
          fmt::format("--source {} does not fit a {} target", args.source, core::engine_name(url->engine))));
    }
    pipeline::live::ServerCaptureOptions capture_options;
    auto live = pg ? pipeline::live::capture_pg_stat_statements(**connection, capture_options)
                   : pipeline::live::capture_performance_schema(**connection, capture_options);
    if (!live) return context.fail(live.error());
    input.kind = "source";
    input.source = args.source;
    input.events = live->result.events;
    input_digest = std::move(live->result.digest);
  }

  pipeline::AuditOptions options;
  options.workloads = args.workloads;
  if (input_digest) {
    options.digest = &*input_digest;
    options.database = url->database;
  }
  options.capture.transactions = args.transactions;
  options.capture.scale = args.scale;
  options.capture.seed = args.seed;
  if (args.sandbox) options.capture.cancelled = &bench::interrupted();
  options.max_indexes = args.max_indexes;
  options.top_classes = args.top_classes == 0 ? std::numeric_limits<size_t>::max() : args.top_classes;
  if (!args.max_index_size.empty()) {
    auto bytes = parse_byte_size(args.max_index_size);
    if (!bytes) return context.fail(bytes.error());
    options.max_index_bytes = *bytes;
  }
  options.rule_config = std::move(rule_config);
  if (verify_base) options.verify_target = verify_base->url();
  auto result = pipeline::run_audit(**connection, **what_if, options);
  if (args.sandbox && bench::interrupted()) {
    what_if->reset();  // drops the sandbox before the exit
    return context.fail(core::make_error(core::ErrorKind::query, "interrupted; the sandbox database was removed"));
  }
  if (!result) return context.fail(result.error());
  result->notes.insert(result->notes.end(), what_if_notes.begin(), what_if_notes.end());
  result->input = input;
  if (!args.log.empty()) {
    result->notes.push_back(
        fmt::format("input: the log {} ({}, {} statements); no workload ran (0 transactions), "
                    "so N+1 within a transaction is not detected",
                    args.log, input.format, result->statements));
  } else if (!args.source.empty()) {
    result->notes.push_back(
        fmt::format("input: {} ({} executions); no workload ran (0 transactions)", args.source, result->statements));
  }

  // Only --apply opens a writing session; the audit above ran read-only.
  if (args.apply) {
    engines::ConnectOptions write_options;
    write_options.allow_writes = true;
    write_options.statement_timeout = std::chrono::hours(6);  // an index build on a big table
    auto writer = engines::connect(*url, write_options);
    if (!writer) return context.fail(writer.error());
    result->applied = pipeline::apply_index_recommendations(**writer, result->recommendations);
  }

  auto doc = pipeline::audit_to_json(*result, advise ? "advise" : "audit");
  if (auto written = context.write_result(doc); !written) return context.fail(written.error());
  if (!args.history.empty()) {
    auto appended = history::append(args.history, advise ? "advise" : "audit", core::json_text(doc));
    if (!appended) return context.fail(appended.error());
  }
  if (result->applied) {
    for (const auto& a : *result->applied) {
      if (!a.applied) return kExitRuntime;
    }
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
  app.add_option("--top-classes", args->top_classes,
                 "Explain and advise the N costliest query classes (calls x plan cost); 0: all")
      ->default_val(40);
  app.add_option("--max-index-size", args->max_index_size,
                 "Leave out a new index estimated larger than this (e.g. 500MB, 2GB; bytes when bare)");
  app.add_option("--disable-rule", args->disabled_rules, "Skip this rule id; repeatable");
  app.add_option("--config", args->config, "Rule settings ([rules.<id>] tables); default ./dbvet.toml if present");
  app.add_option("--transactions", args->transactions, "Workload script runs to capture")->default_val(200);
  app.add_option("--scale", args->scale, "The :scale the workload scripts see (the sample's gen scale)")
      ->default_val(1);
  app.add_option("--seed", args->seed, "Seed of the workload's random values")->default_val(42);
  app.add_flag("--apply", args->apply,
               "Create the recommended indexes on the target (CONCURRENTLY on PostgreSQL, online on MariaDB)");
  app.add_flag("--verify", args->verify,
               "Follow the recommendations on a copy of the target, time the workload's reads before and after, "
               "and withdraw any that fails, goes unused or makes a query slower");
  app.add_flag("--sandbox", args->sandbox,
               "MariaDB/MySQL: verify index advice in a scratch database (created and dropped by dbvet)");
  return [args, advise](CommandContext& context) { return run_audit_command(context, *args, advise); };
}

CommandRun setup_audit(CLI::App& app) { return setup_audit_like(app, false); }

}  // namespace dbvet::cli
