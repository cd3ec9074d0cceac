#include "benchmarks/compare.hpp"

#include <iostream>

#include "CLI/CLI.hpp"
#include "analyzer/core/json_envelope.hpp"
#include "cli/cli_context.hpp"

namespace dbvet::cli {
namespace {

struct CompareArgs {
  std::string base;
  std::string head;
  std::string base_variant;
  std::string threshold = "5%";
  std::string alpha = "0.02";
  std::string family = "benchmark";
};

int run_compare(CommandContext& context, const CompareArgs& args) {
  if (auto status = context.require_format_of("compare"); !status) return context.fail(status.error());
  bench::CompareOptions options;
  auto threshold = bench::parse_fraction(args.threshold, "--threshold");
  if (!threshold) return context.fail(threshold.error());
  options.threshold = *threshold;
  auto alpha = bench::parse_fraction(args.alpha, "--alpha");
  if (!alpha) return context.fail(alpha.error());
  options.alpha = *alpha;
  auto family = bench::parse_family(args.family);
  if (!family) return context.fail(family.error());
  options.family = *family;

  auto base = bench::read_run(args.base);
  if (!base) return context.fail(base.error());
  bench::Comparison comparison;
  if (args.head.empty()) {
    auto within = bench::compare_variants(*base, args.base_variant, options);
    if (!within) return context.fail(within.error());
    comparison = std::move(*within);
  } else {
    if (!args.base_variant.empty()) {
      return context.fail(
          core::make_error(core::ErrorKind::usage, "--base-variant compares the variants of one run: give one file"));
    }
    auto head = bench::read_run(args.head);
    if (!head) return context.fail(head.error());
    comparison = bench::compare_runs(*base, *head, options);
  }
  // "0 regressed" over nothing would pass a gate that measured nothing.
  if (comparison.rows.empty()) {
    return context.fail(core::make_error(
        core::ErrorKind::input,
        args.head.empty() ? args.base + ": no variant measured the same query as the base variant: nothing to compare"
                          : args.base + " and " + args.head + ": no benchmark in common: nothing to compare"));
  }

  auto doc = core::json_envelope("compare");
  nlohmann::json body = comparison;
  doc.update(body);
  if (auto written = context.write_result(doc); !written) return context.fail(written.error());
  return comparison.regressed() ? kExitGateFailed : kExitOk;
}

}  // namespace

CommandRun setup_compare(CLI::App& app) {
  auto args = std::make_shared<CompareArgs>();
  app.add_option("base", args->base, "The run before the change (dbvet bench or Google Benchmark JSON)")->required();
  app.add_option("head", args->head,
                 "The run after the change; without it, every variant of BASE against its first (or "
                 "--base-variant)");
  app.add_option("--base-variant", args->base_variant,
                 "With one run: the variant the others are compared with (default: the first, baseline)");
  app.add_option("--threshold", args->threshold, "Smallest relative change that counts (default 5%)");
  app.add_option("--alpha", args->alpha,
                 "Family-wise error rate per benchmark, Holm's correction over its metrics (default 0.02: at "
                 "most 1% false regressions)");
  app.add_option("--family", args->family,
                 "What Holm's correction spans: benchmark (its metrics, the default), query (every variant of "
                 "a query) or run (everything)");
  return [args](CommandContext& context) { return run_compare(context, *args); };
}

}  // namespace dbvet::cli
