#include <unistd.h>

#include <iostream>

#include "CLI/CLI.hpp"
#include "analyzer/core/json_envelope.hpp"
#include "analyzer/engines/connection.hpp"
#include "analyzer/history/history.hpp"
#include "analyzer/report/html_report.hpp"
#include "analyzer/report/renderers.hpp"
#include "analyzer/workload/script.hpp"
#include "benchmarks/advice_variants.hpp"
#include "benchmarks/bench_report.hpp"
#include "benchmarks/bench_runner.hpp"
#include "cli/cli_context.hpp"
#include "cli/sandbox_warning.hpp"
#include "cli/timeouts.hpp"
#include "fmt/format.h"

namespace dbvet::cli {
namespace {

struct BenchArgs {
  std::string target;
  std::string history;
  std::vector<std::string> workloads;
  std::vector<std::string> builtins;
  std::vector<std::string> variants;
  std::vector<std::string> slas;
  int clients = 1;
  std::string duration = "10s";
  int64_t transactions = 0;
  double rate = 0;
  std::string max_lag = "1s";
  int repetitions = 1;
  std::string warmup = "0s";
  uint64_t seed = 1;
  double scale = 1;
  bool sandbox = false;
  bool allow_ddl = false;
  std::string statement_timeout;  // empty: the global --statement-timeout
  std::string reconnect_window = "10s";
  double max_error_rate = 0;  // fraction of failed transactions a run may have and still pass
  std::string ramp;
  std::string from_advice;
  double ramp_max_errors = 1;  // percent
};

core::Expected<std::chrono::milliseconds> parse_duration(const std::string& text, const std::string& option) {
  return cli::parse_duration(text, option, true);
}

core::Expected<bench::BenchConfig> make_config(const BenchArgs& args) {
  bench::BenchConfig config;
  config.target = args.target;
  for (const auto& spec : args.workloads) {
    auto script = workload::load_script(spec);
    if (!script) return script.error();
    config.scripts.push_back(std::move(*script));
  }
  for (const auto& name : args.builtins) {
    auto script = workload::builtin_script(name);
    if (!script) return script.error();
    config.scripts.push_back(std::move(*script));
  }
  if (config.scripts.empty()) {
    return core::make_error(core::ErrorKind::usage,
                            "bench needs a workload: --workload FILE[@WEIGHT] or --builtin NAME");
  }
  if (auto weights = workload::check_total_weight(config.scripts); !weights) return weights.error();
  for (const auto& text : args.variants) {
    auto variant = bench::parse_variant(text);
    if (!variant) return variant.error();
    for (const auto& other : config.variants) {
      if (other.name == variant->name) {
        return core::make_error(core::ErrorKind::usage, fmt::format("--variant: two variants named '{}'", other.name));
      }
    }
    config.variants.push_back(std::move(*variant));
  }
  if (!args.from_advice.empty()) {
    auto advised = bench::variants_from_advice(args.from_advice);
    if (!advised) return advised.error();
    if (!args.sandbox) {
      return core::make_error(core::ErrorKind::usage,
                              "--from-advice applies the recommendations' DDL: it needs --sandbox (dbvet never "
                              "changes the target itself)");
    }
    if (config.variants.empty()) {
      bench::Variant baseline;
      baseline.name = "baseline";
      config.variants.push_back(std::move(baseline));
    }
    for (auto& variant : *advised) {
      for (const auto& other : config.variants) {
        if (other.name == variant.name) {
          return core::make_error(core::ErrorKind::usage,
                                  fmt::format("--from-advice: a variant named '{}' is already given", other.name));
        }
      }
      config.variants.push_back(std::move(variant));
    }
  }
  for (const auto& text : args.slas) {
    auto sla = bench::parse_sla(text);
    if (!sla) return sla.error();
    config.slas.push_back(std::move(*sla));
  }
  auto duration = parse_duration(args.duration, "--duration");
  if (!duration) return duration.error();
  auto warmup = parse_duration(args.warmup, "--warmup");
  if (!warmup) return warmup.error();
  auto max_lag = parse_duration(args.max_lag, "--max-lag");
  if (!max_lag) return max_lag.error();
  auto timeout = args.statement_timeout.empty()
                     ? core::Expected<std::chrono::milliseconds>(engines::client_timeouts().statement)
                     : parse_duration(args.statement_timeout, "--statement-timeout");
  if (!timeout) return timeout.error();
  auto reconnect_window = parse_duration(args.reconnect_window, "--reconnect-window");
  if (!reconnect_window) return reconnect_window.error();
  config.reconnect_window = *reconnect_window;
  config.connect_timeout = engines::client_timeouts().connect;
  config.load.clients = args.clients;
  config.load.duration = *duration;
  config.load.transactions = args.transactions;
  config.load.rate = args.rate;
  config.load.max_lag = *max_lag;
  config.load.warmup = *warmup;
  config.repetitions = args.repetitions;
  config.seed = args.seed;
  config.scale = args.scale;
  config.sandbox = args.sandbox;
  config.allow_ddl = args.allow_ddl;
  config.statement_timeout = *timeout;
  if (!args.ramp.empty()) {
    auto ramp = bench::parse_ramp(args.ramp);
    if (!ramp) return ramp.error();
    if (args.rate > 0) return core::make_error(core::ErrorKind::usage, "--ramp sets the rates itself: drop --rate");
    if (args.repetitions != 1) {
      return core::make_error(core::ErrorKind::usage, "--ramp runs one phase per rate: drop --repetitions");
    }
    ramp->max_error_rate = args.ramp_max_errors / 100;
    config.ramp = *ramp;
  }
  return config;
}

int run_bench(CommandContext& context, const BenchArgs& args) {
  if (auto status = context.require_format({"text", "json", "md", "html", "junit", "csv", "checklist"}); !status) {
    return context.fail(status.error());
  }
  auto config = make_config(args);
  if (!config) return context.fail(config.error());

  bench::install_interrupt_handler();
  if (config->sandbox) {
    if (auto url = core::parse_target_url(config->target)) warn_orphaned_sandboxes(*url);
  }
  bool progress = context.show_progress();
  size_t phases = 0;
  auto result = bench::run_bench(*config, [&](const bench::QueryRun& run) {
    if (!progress) return;
    ++phases;
    std::string phase = config->ramp ? fmt::format("ramp {:g}/s", run.offered_rate)
                                     : fmt::format("rep {}/{}", run.repetition + 1, config->repetitions);
    std::cerr << fmt::format("\r\033[K[{}] {} {}/{}: {:.1f} tps, p95 {:.3f} ms, {} errors", phases, phase, run.query,
                             run.variant, run.throughput(), run.latency.quantile(0.95), run.errors)
              << std::flush;
  });
  if (progress && phases > 0) std::cerr << "\r\033[K" << std::flush;
  if (!result) {
    if (bench::interrupted().load()) std::cerr << "dbvet: interrupted; sandboxes removed\n";
    return context.fail(result.error());
  }
  // Over the whole run, before the report takes the result.
  uint64_t failed = 0, attempted = 0;
  for (const auto& run : result->runs) {
    failed += run.errors;
    attempted += run.transactions + run.errors;
  }
  auto report = bench::build_report(std::move(*result));

  auto out = context.out();
  if (!out) return context.fail(out.error());
  const auto& format = context.options().format;
  auto doc = core::json_envelope("bench");
  {
    nlohmann::json body = report;
    doc.update(body);
  }
  if (format == "json") {
    **out << core::json_text(doc, 2) << '\n';
  } else if (format == "html") {
    **out << report::render_html_report({doc}, "dbvet bench");
  } else if (format == "md") {
    **out << bench::render_bench_markdown(report);
  } else if (format == "junit") {
    **out << bench::render_bench_junit(report);
  } else if (format == "csv") {
    **out << bench::render_bench_csv(report);
  } else if (format == "checklist") {
    **out << report::render(doc, "checklist").value();  // a row of renderers.def
  } else {
    **out << bench::render_bench_text(report);
  }
  (*out)->flush();
  if (!args.history.empty() && !report.result.interrupted) {
    auto appended = history::append(args.history, "bench", core::json_text(doc));
    if (!appended) return context.fail(appended.error());
  }
  if (report.result.interrupted) {
    context.keep_output_on_failure();  // what was measured, marked "interrupted": true
    // One message for an outage, however many transactions it failed; the counts are in the result.
    std::cerr << fmt::format(
        "dbvet: {}; the results are partial ({} of {} transactions failed) and every sandbox was "
        "removed\n",
        report.result.interruption.empty() ? "interrupted" : report.result.interruption, failed, attempted);
    return kExitRuntime;
  }
  bool too_many_errors = false;
  if (!config->ramp && attempted > 0 &&
      static_cast<double>(failed) > args.max_error_rate * static_cast<double>(attempted)) {
    too_many_errors = true;
    std::string first;
    for (const auto& run : report.result.runs) {
      if (!run.first_error.empty()) {
        first = run.first_error;
        break;
      }
    }
    std::cerr << fmt::format(
        "dbvet: {} of {} transactions failed ({:.3f}%), more than --max-error-rate {:g}; first "
        "error: {}\n",
        failed, attempted, 100.0 * static_cast<double>(failed) / static_cast<double>(attempted), args.max_error_rate,
        first);
  }
  for (const auto& sla : report.slas) {
    if (!sla.passed) {
      std::cerr << "dbvet: " << bench::sla_broken_message(sla) << '\n';
    }
  }
  for (const auto& summary : report.summaries) {
    if (summary.answer == "changed") {
      std::cerr << fmt::format("dbvet: variant '{}' changes the answer of query '{}'\n", summary.variant,
                               summary.query);
    }
  }
  for (const auto& knee : report.knees) {
    if (!knee.knee) {
      std::cerr << fmt::format("dbvet: variant '{}' broke already at the lowest rate of the ramp\n", knee.variant);
    }
  }
  return too_many_errors || report.slas_broken() || report.answers_changed() || report.ramp_failed() ? kExitGateFailed
                                                                                                     : kExitOk;
}

}  // namespace

CommandRun setup_bench(CLI::App& app) {
  auto args = std::make_shared<BenchArgs>();
  app.add_option("target", args->target, "Database URL (postgresql://, mysql://, sqlite:PATH)")->required();
  app.add_option("-w,--workload", args->workloads, "pgbench-style script FILE[@WEIGHT] (repeatable)");
  app.add_option("-b,--builtin", args->builtins, "pgbench built-in script: tpcb-like, simple-update, select-only");
  app.add_option("--variant", args->variants,
                 "NAME=baseline | NAME=index:DDL | NAME=rewrite:FILE | NAME=cache:redis://HOST:PORT[?ttl=S]");
  app.add_option("--from-advice", args->from_advice,
                 "advice.json of `dbvet advise --format json`: one variant per recommendation's DDL alone and one "
                 "with all together (needs --sandbox)");
  app.add_option("-c,--clients", args->clients, "Client threads, one connection each")->check(CLI::Range(1, 1024));
  app.add_option("-T,--duration", args->duration, "Length of each phase (10s, 2m)");
  app.add_option("-t,--transactions", args->transactions, "Transactions per client per phase (instead of --duration)")
      ->check(CLI::Range(int64_t{0}, int64_t{1} << 40));
  app.add_option("-R,--rate", args->rate, "Open loop: offered transactions per second over all clients");
  app.add_option("--ramp", args->ramp,
                 "Stress: open-loop phases at FROM, FROM+STEP, ... TO tx/s (FROM:TO:STEP); each variant climbs "
                 "until an SLA or the error rate breaks, and the knee is reported");
  app.add_option("--ramp-max-errors", args->ramp_max_errors,
                 "Ramp: percent of errors and dropped requests that breaks a step when no errors SLA is given (1)")
      ->check(CLI::Range(0.0, 100.0));
  app.add_option("--max-lag", args->max_lag, "Open loop: drop a request that could not start within this (1s)");
  app.add_option("--repetitions", args->repetitions, "Phases per variant, interleaved A B A B")
      ->check(CLI::Range(1, 1000));
  app.add_option("--warmup", args->warmup, "Unmeasured warm-up per variant (e.g. 2s)");
  app.add_option("--history", args->history,
                 "Append this run's JSON result to an SQLite history (dbvet report --history)");
  app.add_option("--sla", args->slas, "[query:]p95<20ms | errors<0.1% | throughput>500/s (repeatable)");
  app.add_flag("--sandbox", args->sandbox, "Run every variant in a disposable copy of the target (needed for DDL)");
  app.add_flag("--allow-ddl", args->allow_ddl, "The target is disposable: let the workload write to it");
  app.add_option("--seed", args->seed, "Random seed of the workload variables");
  app.add_option("-s,--scale", args->scale, "Value of :scale in the scripts");
  app.add_option("--statement-timeout", args->statement_timeout, "Per statement (30s, or the global flag)");
  app.add_option("--max-error-rate", args->max_error_rate,
                 "Fraction of failed transactions the run may have and pass (0: any failure exits 1)")
      ->check(CLI::Range(0.0, 1.0));
  app.add_option("--reconnect-window", args->reconnect_window,
                 "How long a client whose connection was lost keeps reconnecting before the run stops as an outage "
                 "(exit 3) (10s)");
  return [args](CommandContext& context) { return run_bench(context, *args); };
}

}  // namespace dbvet::cli
