// `dbvet gen`: creates the Virtual Pet sample in a target and loads generated data by the engine's
// bulk path, then builds secondary indexes and runs ANALYZE.

#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "CLI/CLI.hpp"
#include "analyzer/core/json_envelope.hpp"
#include "analyzer/core/target_url.hpp"
#include "analyzer/engines/connection.hpp"
#include "analyzer/sample/generator.hpp"
#include "analyzer/sample/loader.hpp"
#include "cli/cli_context.hpp"
#include "fmt/format.h"

namespace dbvet::cli {
namespace {

struct GenArgs {
  std::string sample = "virtualpet";
  std::string service;
  double scale = 1;
  uint64_t seed = 42;
  bool replace = false;
  int jobs = 2;
  std::string sample_dir;
  std::string target;
};

std::string hex64(uint64_t value) { return fmt::format("{:016x}", value); }

// A one-line bar on standard error, redrawn at most ten times a second.
class ProgressBar {
 public:
  void update(const sample::GenProgress& progress) {
    const auto now = std::chrono::steady_clock::now();
    if (now - last_ < std::chrono::milliseconds(100) && progress.done_rows < progress.total_rows) return;
    last_ = now;
    const double fraction = progress.total_rows > 0
                                ? static_cast<double>(progress.done_rows) / static_cast<double>(progress.total_rows)
                                : 0;
    const int width = 30;
    const int filled = static_cast<int>(fraction * width);
    std::cerr << fmt::format("\r[{}{}] {:3.0f}% {:<20} {:>10}/{:<10}", std::string(static_cast<size_t>(filled), '#'),
                             std::string(static_cast<size_t>(width - filled), '.'), fraction * 100, progress.table,
                             progress.table_rows, progress.table_total)
              << std::flush;
    drawn_ = true;
  }
  void clear() {
    if (drawn_) std::cerr << '\r' << std::string(90, ' ') << '\r' << std::flush;
    drawn_ = false;
  }

 private:
  std::chrono::steady_clock::time_point last_{};
  bool drawn_ = false;
};

int run_gen(CommandContext& context, const GenArgs& args) {
  if (auto status = context.require_format_of("gen"); !status) return context.fail(status.error());
  if (args.sample != "virtualpet") {
    return context.fail(core::make_error(core::ErrorKind::usage,
                                         fmt::format("unknown sample '{}' (the only one is virtualpet)", args.sample)));
  }
  auto url = core::parse_target_url(args.target);
  if (!url) return context.fail(url.error());
  if (url->engine == core::Engine::redis) {
    return context.fail(
        core::make_error(core::ErrorKind::usage,
                         "the sample is relational: give a postgresql://, mysql:// or sqlite: target "
                         "(Redis Streams are documented in samples/virtualpet/events/redis-streams.md)"));
  }

  std::filesystem::path sample_dir;
  if (!args.sample_dir.empty()) {
    sample_dir = args.sample_dir;
  } else {
    std::error_code ec;
    auto found = sample::find_sample_dir(std::filesystem::read_symlink("/proc/self/exe", ec));
    if (!found) {
      return context.fail(core::make_error(
          core::ErrorKind::input, "cannot find samples/virtualpet; pass --sample-dir or set DBVET_SAMPLE_DIR"));
    }
    sample_dir = *found;
  }

  // An SQLite target is created when it does not exist yet (an empty file is an empty database).
  if (url->engine == core::Engine::sqlite && url->path != ":memory:" && !std::filesystem::exists(url->path)) {
    std::ofstream create(url->path, std::ios::binary);
    if (!create) {
      return context.fail(core::make_error(core::ErrorKind::input, fmt::format("cannot create {}", url->path)));
    }
  }

  engines::ConnectOptions connect_options;
  connect_options.allow_writes = true;
  connect_options.statement_timeout = std::chrono::hours(2);  // index builds of a large scale take a while
  auto connection = engines::connect(*url, connect_options);
  if (!connection) return context.fail(connection.error());

  sample::GenOptions options;
  if (!args.service.empty()) options.service = args.service;
  options.scale = args.scale;
  options.seed = args.seed;
  options.replace = args.replace;
  options.sample_dir = sample_dir;
  options.jobs = args.jobs;
  options.open_session = [&]() { return engines::connect(*url, connect_options); };
  ProgressBar bar;
  if (context.show_progress()) options.progress = [&bar](const sample::GenProgress& p) { bar.update(p); };
  auto result = sample::generate_sample(**connection, options);
  bar.clear();
  if (!result) return context.fail(result.error());

  const double mb = static_cast<double>(result->bytes()) / 1e6;
  const double load = result->load_seconds > 0 ? result->load_seconds : 1e-9;
  auto doc = core::json_envelope("gen");
  doc["sample"] = args.sample;
  doc["scale"] = args.scale;
  doc["seed"] = args.seed;
  doc["target"] = {{"engine", std::string(core::engine_name(url->engine))}, {"url", url->redacted()}};
  doc["services"] = result->services;
  doc["tables"] = nlohmann::json::array();
  for (const auto& table : result->tables) {
    doc["tables"].push_back({{"name", table.name},
                             {"service", table.service},
                             {"rows", table.rows},
                             {"bytes", table.bytes},
                             {"checksum", hex64(table.checksum)},
                             {"seconds", table.seconds}});
  }
  doc["totals"] = {{"rows", result->rows()},
                   {"bytes", result->bytes()},
                   {"schema_seconds", result->schema_seconds},
                   {"load_seconds", result->load_seconds},
                   {"load_cpu_seconds", result->load_cpu_seconds},
                   {"index_seconds", result->index_seconds},
                   {"analyze_seconds", result->analyze_seconds},
                   {"seconds", result->total_seconds},
                   {"rows_per_second", static_cast<double>(result->rows()) / load},
                   {"mb_per_second", mb / load}};
  doc["checksum"] = hex64(result->checksum);
  if (auto written = context.write_result(doc); !written) return context.fail(written.error());
  return kExitOk;
}

}  // namespace

CommandRun setup_gen(CLI::App& app) {
  auto args = std::make_shared<GenArgs>();
  app.add_option("--sample", args->sample, "The sample to generate (virtualpet)")->default_val("virtualpet");
  app.add_option("--service", args->service,
                 "Only this service's tables: user-service, pet-service, payment-service, events");
  app.add_option("--scale", args->scale, "Size: 1 is about a million rows over all tables; linear")
      ->default_val(1.0)
      ->check(CLI::PositiveNumber);
  app.add_option("--seed", args->seed, "Seed of the generator: the same seed and scale give the same data")
      ->default_val(42);
  app.add_flag("--replace", args->replace, "Drop the sample's own tables first when the target already holds them");
  app.add_option("-j,--jobs", args->jobs, "Sessions loading tables side by side (PostgreSQL, MariaDB)")
      ->default_val(2)
      ->check(CLI::Range(1, 64));
  app.add_option("--sample-dir", args->sample_dir, "Where samples/virtualpet is (found automatically by default)");
  app.add_option("target", args->target, "Database URL (postgresql://, mysql://, sqlite:PATH)")->required();
  return [args](CommandContext& context) { return run_gen(context, *args); };
}

}  // namespace dbvet::cli
