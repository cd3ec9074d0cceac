#include "cli/cli_context.hpp"

namespace dbvet::cli {

CommandRun setup_advise(CLI::App& app);
CommandRun setup_audit(CLI::App& app);
CommandRun setup_bench(CLI::App& app);
CommandRun setup_capture(CLI::App& app);
CommandRun setup_check(CLI::App& app);
CommandRun setup_compare(CLI::App& app);
CommandRun setup_digest(CLI::App& app);
CommandRun setup_explain(CLI::App& app);
CommandRun setup_gen(CLI::App& app);
CommandRun setup_health(CLI::App& app);
CommandRun setup_lint(CLI::App& app);
CommandRun setup_merge(CLI::App& app);
CommandRun setup_report(CLI::App& app);
CommandRun setup_rules(CLI::App& app);
CommandRun setup_sandbox(CLI::App& app);

const std::vector<CommandEntry>& command_table() {
  static const std::vector<CommandEntry> table = {
      {"advise", "Recommend indexes, rewrites and caching for a workload", setup_advise, "advise"},
      {"audit", "Find what costs the most and what to do about it (the main job)", setup_audit, "audit"},
      {"bench", "Benchmark a workload against its variants, with SLAs", setup_bench},
      {"capture", "Capture query statistics from a live server or a workload run", setup_capture, "digest"},
      {"check", "Check plan contracts: indexes used, no full scans, costs, SLAs, plan snapshots", setup_check, "check"},
      {"compare", "Compare two benchmark results statistically", setup_compare, "compare"},
      {"digest", "Aggregate slow query logs by fingerprint", setup_digest, "digest"},
      {"explain", "Show the plan of a statement on any engine", setup_explain, "explain"},
      {"gen", "Create and load the Virtual Pet sample", setup_gen, "gen"},
      {"health", "Health checks of databases and caches", setup_health, "health"},
      {"lint", "Lint SQL and migration files without a database: locks, rewrites, breaking changes", setup_lint,
       "lint"},
      {"merge", "Combine digest states from many hosts into one digest", setup_merge, "digest"},
      {"report", "Render results and history into one HTML report", setup_report, "report"},
      {"rules", "List and describe the rules", setup_rules, "rules"},
      {"sandbox", "List or remove sandboxes left by a dbvet that was killed", setup_sandbox, "sandbox"},
  };
  return table;
}

}  // namespace dbvet::cli
