// `dbvet check TARGET --contracts FILE`: plan contracts (docs/commands/check.md). The work is in
// analyzer/pipeline/check.*; this file reads the options, connects read-only and writes the result.

#include "analyzer/pipeline/check.hpp"

#include "CLI/CLI.hpp"
#include "analyzer/core/target_url.hpp"
#include "analyzer/engines/connection.hpp"
#include "cli/cli_context.hpp"
#include "fmt/format.h"

namespace dbvet::cli {
namespace {

struct CheckArgs {
  std::string target;
  std::string contracts;
  bool analyze = false;
  bool update = false;
};

int run_check(CommandContext& context, const CheckArgs& args) {
  if (auto status = context.require_format_of("check"); !status) return context.fail(status.error());
  auto file = pipeline::load_contracts(args.contracts);
  if (!file) return context.fail(file.error());
  auto url = core::parse_target_url(args.target);
  if (!url) return context.fail(url.error());
  if (url->engine == core::Engine::redis) {
    return context.fail(core::make_error(core::ErrorKind::usage,
                                         "check judges SQL plans: give a postgresql://, "
                                         "mysql:// or sqlite: target"));
  }
  // Read-only: the session refuses writes; --analyze runs writing statements rolled back.
  auto connection = engines::connect(*url, engines::ConnectOptions{});
  if (!connection) return context.fail(connection.error());
  pipeline::CheckOptions options;
  options.analyze = args.analyze;
  options.update = args.update;
  auto doc = pipeline::run_check(**connection, *file, options);
  if (!doc) return context.fail(doc.error());
  if (auto written = context.write_result(*doc); !written) return context.fail(written.error());
  return pipeline::check_exit_code(*doc);
}

}  // namespace

CommandRun setup_check(CLI::App& app) {
  auto args = std::make_shared<CheckArgs>();
  app.add_option("target", args->target, "Database URL (postgresql://, mysql://, sqlite:PATH)")->required();
  app.add_option("--contracts", args->contracts, "The contracts file (TOML, docs/commands/check.md)")->required();
  app.add_flag("--analyze", args->analyze,
               "EXPLAIN ANALYZE: run each statement (writes rolled back) so that row_estimate_within and actual "
               "rows examined can be judged");
  app.add_flag("--update", args->update,
               "Write each contract's plan snapshot (beside the contracts file) before judging plan_unchanged");
  return [args](CommandContext& context) { return run_check(context, *args); };
}

}  // namespace dbvet::cli
