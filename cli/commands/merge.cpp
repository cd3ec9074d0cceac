// dbvet merge STATE...: the digest of logs read on many hosts, from the states that
// `dbvet digest --state FILE` wrote there (docs/commands/merge.md).
#include <iostream>

#include "CLI/CLI.hpp"
#include "analyzer/core/json_envelope.hpp"
#include "analyzer/history/history.hpp"
#include "analyzer/pipeline/digest_report.hpp"
#include "analyzer/pipeline/digest_state.hpp"
#include "cli/cli_context.hpp"
#include "fmt/format.h"
#include "nlohmann/json.hpp"

namespace dbvet::cli {
namespace {

struct MergeArgs {
  std::vector<std::string> states;
  size_t top = 20;
  std::string order_by = "total";
  std::string history;
  std::string state;
};

int run_merge(CommandContext& context, const MergeArgs& args) {
  if (auto status = context.require_format_of("digest"); !status) return context.fail(status.error());
  auto order = digest::parse_order_by(args.order_by);
  if (!order) {
    return context.fail(core::make_error(
        core::ErrorKind::usage, fmt::format("--order-by {}: expected total, avg, p95 or count", args.order_by)));
  }
  std::vector<pipeline::NamedState> states;
  for (const auto& path : args.states) {
    auto state = pipeline::read_digest_state(path);
    if (!state) return context.fail(state.error());
    states.push_back({path, std::move(*state)});
  }
  auto merged = pipeline::merge_digest_states(std::move(states));
  if (!merged) return context.fail(merged.error());
  for (const auto& note : merged->oversized_notes) std::cerr << "dbvet: " << note << '\n';
  if (!args.state.empty()) {  // a merge of merges: a region's states, then the whole fleet
    if (auto written = pipeline::write_digest_state(*merged, args.state); !written) {
      return context.fail(written.error());
    }
  }
  pipeline::ReportOptions report_options;
  report_options.order_by = *order;
  report_options.top = args.top;
  auto doc = pipeline::digest_to_json(*merged, report_options);
  if (auto written = context.write_result(doc); !written) return context.fail(written.error());
  if (!args.history.empty()) {
    auto appended = history::append(args.history, "digest", core::json_text(doc));
    if (!appended) return context.fail(appended.error());
  }
  // As `dbvet digest` over all the logs: an input a host could not read fails the run.
  for (const auto& error : merged->read_errors) std::cerr << "dbvet: " << error << '\n';
  return merged->read_errors.empty() ? kExitOk : kExitRuntime;
}

}  // namespace

CommandRun setup_merge(CLI::App& app) {
  auto args = std::make_shared<MergeArgs>();
  app.add_option("states", args->states, "Digest states written by dbvet digest --state FILE (any order)")->required();
  app.add_option("--top", args->top, "Report the N most costly classes (0: all)")->default_val(20);
  app.add_option("--order-by", args->order_by, "Rank classes by total, avg, p95 or count")->default_val("total");
  app.add_option(
      "--history", args->history,
      "Append the merged JSON result to a history: an SQLite file or a postgresql:// URL (dbvet report --history)");
  app.add_option("--state", args->state, "Also write the merged state to FILE (to merge it again later)");
  return [args](CommandContext& context) { return run_merge(context, *args); };
}

}  // namespace dbvet::cli
