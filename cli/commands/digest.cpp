#include <cstdio>
#include <iostream>
#include <thread>

#include "CLI/CLI.hpp"
#include "analyzer/core/json_envelope.hpp"
#include "analyzer/history/history.hpp"
#include "analyzer/pipeline/digest_report.hpp"
#include "analyzer/pipeline/digest_runner.hpp"
#include "analyzer/pipeline/digest_state.hpp"
#include "cli/cli_context.hpp"
#include "fmt/format.h"
#include "nlohmann/json.hpp"

namespace dbvet::cli {
namespace {

struct DigestArgs {
  std::vector<std::string> files;
  std::string engine = "auto";
  unsigned jobs = 0;  // 0: one part per core
  size_t top = 20;
  std::string order_by = "total";
  std::string fingerprint = "canonical";
  std::string history;
  std::string log_prefix;
  std::string state;
  bool class_trends = false;
};

int run_digest(CommandContext& context, const DigestArgs& args) {
  if (auto status = context.require_format_of("digest"); !status) return context.fail(status.error());
  auto engine = capture::parse_engine(args.engine);
  if (!engine) {
    return context.fail(core::make_error(core::ErrorKind::usage,
                                         fmt::format("--engine {}: expected auto, mysql or postgres", args.engine)));
  }
  auto mode = sql::parse_fingerprint_mode(args.fingerprint);
  if (!mode) {
    return context.fail(core::make_error(
        core::ErrorKind::usage, fmt::format("--fingerprint {}: expected pt, canonical or pg", args.fingerprint)));
  }
  auto order = digest::parse_order_by(args.order_by);
  if (!order) {
    return context.fail(core::make_error(
        core::ErrorKind::usage, fmt::format("--order-by {}: expected total, avg, p95 or count", args.order_by)));
  }
  if (!args.log_prefix.empty()) {  // a prefix that does not compile is refused before any file is read
    auto checked = capture::make_log_reader(
        capture::LogFormat::postgres_stderr, [](model::QueryEvent&&) {}, args.log_prefix);
    if (!checked) {
      return context.fail(core::make_error(core::ErrorKind::usage, "--log-prefix: " + checked.error().message));
    }
  }

  pipeline::DigestOptions options;
  options.files = args.files;
  options.engine = *engine;
  options.jobs = args.jobs > 0 ? args.jobs : std::max(1u, std::thread::hardware_concurrency());
  options.mode = *mode;
  options.log_line_prefix = args.log_prefix;
  // The HTML page draws every class over the log's time; JSON and text carry it when asked.
  options.time_buckets = args.class_trends || context.options().format == "html";
  if (context.show_progress()) {
    options.progress = [](uint64_t done, uint64_t total) {
      if (total) {
        std::fprintf(stderr, "\rdigest: %5.1f%% of %.1f MB", 100.0 * double(done) / double(total), double(total) / 1e6);
      } else {
        std::fprintf(stderr, "\rdigest: %.1f MB", double(done) / 1e6);
      }
      std::fflush(stderr);
    };
  }
  auto result = pipeline::run_digest(options);
  if (options.progress) std::fprintf(stderr, "\r%40s\r", "");
  if (!result) return context.fail(result.error());
  for (const auto& note : result->oversized_notes) std::cerr << "dbvet: " << note << '\n';
  if (context.options().verbose) {
    for (const auto& skipped : result->skipped_records) {
      std::cerr << fmt::format("dbvet: {}: byte {}: skipped: {}\n", skipped.file, skipped.record.byte_offset,
                               skipped.record.reason);
    }
    if (result->skipped > result->skipped_records.size()) {
      std::cerr << fmt::format("dbvet: ... and {} more skipped records\n",
                               result->skipped - result->skipped_records.size());
    }
  }

  if (!args.state.empty()) {
    if (auto written = pipeline::write_digest_state(*result, args.state); !written) {
      return context.fail(written.error());
    }
  }

  pipeline::ReportOptions report_options;
  report_options.order_by = *order;
  report_options.top = args.top;
  auto doc = pipeline::digest_to_json(*result, report_options);
  if (auto written = context.write_result(doc); !written) return context.fail(written.error());
  if (!args.history.empty()) {
    auto appended = history::append(args.history, "digest", core::json_text(doc));
    if (!appended) return context.fail(appended.error());
  }
  // The digest of what could be read is out; the input that could not be read fails the run.
  for (const auto& error : result->read_errors) std::cerr << "dbvet: " << error << '\n';
  return result->read_errors.empty() ? kExitOk : kExitRuntime;
}

}  // namespace

CommandRun setup_digest(CLI::App& app) {
  auto args = std::make_shared<DigestArgs>();
  app.add_option("files", args->files, "Log files (slow logs, PostgreSQL logs; gzip/bzip2/zstd; - for stdin)")
      ->required();
  app.add_option("--engine", args->engine, "Log format family: auto, mysql or postgres")->default_val("auto");
  app.add_option("-j,--jobs", args->jobs, "Read plain files in N parts in parallel (default: one per core)")
      ->check(CLI::Range(1, 256));
  app.add_option(
      "--history", args->history,
      "Append this run's JSON result to a history: an SQLite file or a postgresql:// URL (dbvet report --history)");
  app.add_option("--top", args->top, "Report the N most costly classes (0: all)")->default_val(20);
  app.add_option("--order-by", args->order_by, "Rank classes by total, avg, p95 or count")->default_val("total");
  app.add_option("--fingerprint", args->fingerprint, "Fingerprint mode: canonical, pt or pg")->default_val("canonical");
  app.add_option("--log-prefix", args->log_prefix,
                 "PostgreSQL stderr/syslog logs: the server's log_line_prefix, with its escapes (default: detected)");
  app.add_option("--state", args->state,
                 "Also write a mergeable digest state to FILE, every class whole (dbvet merge STATE...)");
  app.add_flag("--class-trends", args->class_trends,
               "Count each class's calls and time in time buckets over the log's span (JSON time_buckets, kept in "
               "--state; always on with --format html)");
  return [args](CommandContext& context) { return run_digest(context, *args); };
}

}  // namespace dbvet::cli
