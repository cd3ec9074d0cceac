// dbvet capture TARGET: a digest from a live source (pg_stat_statements, performance_schema, or a
// workload run and timed by dbvet), rendered exactly as `dbvet digest` renders a log's.
#include <cstdio>
#include <iostream>

#include "CLI/CLI.hpp"
#include "analyzer/core/json_envelope.hpp"
#include "analyzer/core/target_url.hpp"
#include "analyzer/history/history.hpp"
#include "analyzer/pipeline/digest_report.hpp"
#include "analyzer/pipeline/live/server_capture.hpp"
#include "analyzer/pipeline/live/server_log_capture.hpp"
#include "analyzer/pipeline/live/workload_capture.hpp"
#include "cli/cli_context.hpp"
#include "fmt/format.h"
#include "nlohmann/json.hpp"

namespace dbvet::cli {
namespace {

struct CaptureArgs {
  std::string target;
  std::string source;
  std::vector<std::string> workloads;
  uint64_t transactions = 0;
  double duration_s = 0;
  uint64_t seed = 1;
  double scale = 1;
  std::vector<std::string> defines;
  bool allow_writes = false;
  bool all_databases = false;
  size_t top = 20;
  std::string order_by = "total";
  std::string fingerprint = "canonical";
  std::string history;
  int statement_timeout_s = 30;
  std::string log_file;
};

core::Error usage(std::string message) { return core::make_error(core::ErrorKind::usage, std::move(message)); }

int run_capture(CommandContext& context, const CaptureArgs& args) {
  if (auto status = context.require_format_of("digest"); !status) return context.fail(status.error());
  auto mode = sql::parse_fingerprint_mode(args.fingerprint);
  if (!mode)
    return context.fail(usage(fmt::format("--fingerprint {}: expected pt, canonical or pg", args.fingerprint)));
  auto order = digest::parse_order_by(args.order_by);
  if (!order)
    return context.fail(usage(fmt::format("--order-by {}: expected total, avg, p95 or count", args.order_by)));
  if (args.duration_s < 0 || args.duration_s > 7 * 86400) {
    return context.fail(usage(fmt::format("--duration {}: expected seconds between 0 and 604800", args.duration_s)));
  }
  auto url = core::parse_target_url(args.target);
  if (!url) return context.fail(url.error());

  std::string source = args.source;
  if (source.empty()) {
    if (!args.workloads.empty()) {
      source = "workload";
    } else if (url->engine == core::Engine::postgres) {
      source = "pg_stat_statements";
    } else if (url->engine == core::Engine::mysql) {
      source = "performance_schema";
    } else {
      return context.fail(usage(fmt::format("{}: {} keeps no statement statistics; capture it with --workload FILE",
                                            url->redacted(), core::engine_name(url->engine))));
    }
  }
  if (source != "workload" && source != "pg_stat_statements" && source != "performance_schema" && source != "slowlog") {
    return context.fail(usage(
        fmt::format("--source {}: expected pg_stat_statements, performance_schema, slowlog or workload", source)));
  }
  if (!args.log_file.empty() && source != "slowlog") {
    return context.fail(usage(fmt::format("--log-file goes with --source slowlog, not --source {}", source)));
  }
  if (source == "workload" && args.workloads.empty()) {
    return context.fail(usage("--source workload needs at least one --workload FILE[@WEIGHT]"));
  }
  if (source != "workload" && !args.workloads.empty()) {
    return context.fail(usage(fmt::format("--workload runs a workload: it does not go with --source {}", source)));
  }
  const auto duration = std::chrono::milliseconds(static_cast<int64_t>(args.duration_s * 1000));

  std::vector<pipeline::live::WorkloadFile> scripts;
  pipeline::live::WorkloadCaptureOptions workload_options;
  if (source == "workload") {
    for (const auto& spec : args.workloads) {
      auto script = workload::load_script(spec);
      if (!script) return context.fail(script.error());
      scripts.push_back(std::move(*script));
    }
    if (auto weights = workload::check_total_weight(scripts); !weights) return context.fail(weights.error());
    if (auto status = pipeline::live::check_workload_writes(scripts, args.allow_writes); !status) {
      return context.fail(status.error());
    }
    for (const auto& define : args.defines) {
      auto eq = define.find('=');
      if (eq == std::string::npos || eq == 0)
        return context.fail(usage(fmt::format("-D {}: expected NAME=VALUE", define)));
      workload_options.defines[define.substr(0, eq)] = define.substr(eq + 1);
    }
  }

  engines::ConnectOptions connect_options;
  connect_options.statement_timeout = std::chrono::seconds(args.statement_timeout_s);
  connect_options.allow_writes = source == "workload" && args.allow_writes;
  auto connection = engines::connect(*url, connect_options);
  if (!connection) return context.fail(connection.error());

  core::Expected<pipeline::live::LiveCapture> captured = core::make_error(core::ErrorKind::internal, "no capture");
  if (source == "workload") {
    workload_options.transactions = args.transactions;
    workload_options.duration = duration;
    workload_options.seed = args.seed;
    workload_options.scale = args.scale;
    workload_options.allow_writes = args.allow_writes;
    workload_options.mode = *mode;
    workload_options.database = url->engine == core::Engine::sqlite ? url->path : url->database;
    if (context.show_progress()) {
      workload_options.progress = [](uint64_t done) {
        if (done % 100 == 0) std::fprintf(stderr, "\rcapture: %llu runs", static_cast<unsigned long long>(done));
      };
    }
    captured = pipeline::live::capture_workload(**connection, scripts, workload_options);
    if (workload_options.progress) std::fprintf(stderr, "\r%40s\r", "");
  } else if (source == "slowlog") {
    if (args.transactions) return context.fail(usage("--transactions applies to --workload only"));
    pipeline::live::ServerLogOptions log_options;
    log_options.duration = duration;
    log_options.all_databases = args.all_databases;
    log_options.mode = *mode;
    log_options.log_file = args.log_file;
    if (context.show_progress() && duration.count()) {
      std::fprintf(stderr, "capture: the server's log over %.1f s...\n", args.duration_s);
    }
    captured = pipeline::live::capture_server_log(**connection, log_options);
    if (captured && context.options().verbose) {
      for (const auto& skipped : captured->result.skipped_records) {
        std::cerr << fmt::format("dbvet: {}: byte {}: skipped: {}\n", skipped.file, skipped.record.byte_offset,
                                 skipped.record.reason);
      }
    }
  } else {
    if (args.transactions) return context.fail(usage("--transactions applies to --workload only"));
    pipeline::live::ServerCaptureOptions server_options;
    server_options.duration = duration;
    server_options.all_databases = args.all_databases;
    server_options.mode = *mode;
    if (context.show_progress() && duration.count()) {
      std::fprintf(stderr, "capture: %s delta over %.1f s...\n", source.c_str(), args.duration_s);
    }
    captured = source == "pg_stat_statements"
                   ? pipeline::live::capture_pg_stat_statements(**connection, server_options)
                   : pipeline::live::capture_performance_schema(**connection, server_options);
  }
  if (!captured) return context.fail(captured.error());

  pipeline::ReportOptions report_options;
  report_options.order_by = *order;
  report_options.top = args.top;
  auto doc = pipeline::live::live_capture_to_json(*captured, report_options);
  doc["input"]["target"] = url->redacted();
  if (duration.count()) doc["input"]["duration"] = args.duration_s;
  if (auto written = context.write_result(doc, "dbvet capture"); !written) return context.fail(written.error());
  if (!args.history.empty()) {
    auto appended = history::append(args.history, "capture", core::json_text(doc));
    if (!appended) return context.fail(appended.error());
  }
  return kExitOk;
}

}  // namespace

CommandRun setup_capture(CLI::App& app) {
  auto args = std::make_shared<CaptureArgs>();
  app.add_option("target", args->target, "Database URL (postgresql://, mysql://, sqlite:)")->required();
  app.add_option("--source", args->source,
                 "pg_stat_statements, performance_schema, slowlog (the server's log file) or workload (default: by "
                 "engine, workload with --workload)");
  app.add_option("--log-file", args->log_file,
                 "slowlog: the server's log file, when the server cannot name it (PostgreSQL without "
                 "logging_collector)");
  app.add_option("-w,--workload", args->workloads, "pgbench-style script FILE[@WEIGHT] to run and time (repeatable)");
  app.add_option("-t,--transactions", args->transactions, "Workload: script runs (default 10 without --duration)");
  app.add_option("--duration", args->duration_s,
                 "Seconds: statistics sources take two snapshots this far apart and report the difference; "
                 "a workload runs this long");
  app.add_option("--seed", args->seed, "Workload: random seed")->default_val(1);
  app.add_option("--scale", args->scale, "Workload: value of :scale")->default_val(1);
  app.add_option("-D,--define", args->defines, "Workload: NAME=VALUE variable (repeatable)");
  app.add_flag("--allow-writes", args->allow_writes, "Workload: allow scripts that change the target");
  app.add_flag("--all-databases", args->all_databases, "Statistics of every database, not only the target's");
  app.add_option("--history", args->history,
                 "Append this run's JSON result to an SQLite history (dbvet report --history)");
  app.add_option("--top", args->top, "Report the N most costly classes (0: all)")->default_val(20);
  app.add_option("--order-by", args->order_by, "Rank classes by total, avg, p95 or count")->default_val("total");
  app.add_option("--fingerprint", args->fingerprint, "Fingerprint mode: canonical, pt or pg")->default_val("canonical");
  app.add_option("--statement-timeout", args->statement_timeout_s, "Seconds per statement")->default_val(30);
  return [args](CommandContext& context) { return run_capture(context, *args); };
}

}  // namespace dbvet::cli
