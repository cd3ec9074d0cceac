#include <fstream>
#include <iostream>
#include <sstream>

#include "CLI/CLI.hpp"
#include "analyzer/core/json_envelope.hpp"
#include "analyzer/core/target_url.hpp"
#include "analyzer/engines/connection.hpp"
#include "analyzer/report/plan_render.hpp"
#include "analyzer/sql/side_effects.hpp"
#include "analyzer/sql/split_statements.hpp"
#include "cli/cli_context.hpp"
#include "fmt/format.h"

namespace dbvet::cli {
namespace {

struct ExplainArgs {
  std::string target;
  std::string sql;
  std::string file;
  bool analyze = false;
  bool raw = false;
  bool allow_side_effects = false;
  int statement_timeout_s = 30;
};

int run_explain(CommandContext& context, const ExplainArgs& args) {
  if (auto status = context.require_format_of("explain"); !status) return context.fail(status.error());
  if (args.sql.empty() == args.file.empty()) {
    return context.fail(core::make_error(core::ErrorKind::usage, "explain needs a statement or -f FILE, not both"));
  }
  std::string script = args.sql;
  if (!args.file.empty()) {
    std::ifstream in(args.file, std::ios::binary);
    if (!in) return context.fail(core::make_error(core::ErrorKind::input, fmt::format("cannot read {}", args.file)));
    std::stringstream buffer;
    buffer << in.rdbuf();
    script = buffer.str();
  }
  auto statements = sql::split_statements(script);
  if (statements.empty()) {
    return context.fail(core::make_error(core::ErrorKind::usage, "no statement to explain"));
  }

  auto url = core::parse_target_url(args.target);
  if (!url) return context.fail(url.error());
  if (args.analyze) {
    // --analyze runs the statements: one that reaches outside the target's rows (a file, a
    // program, another server) stops the command before it connects.
    for (const auto& statement : statements) {
      auto check = sql::check_statement(statement.text, sql::dialect_of(url->engine));
      if (check.effects.empty()) continue;
      const std::string where = args.file.empty() ? "" : fmt::format("{}:{}: ", args.file, statement.line);
      return context.fail(core::make_error(
          core::ErrorKind::usage, fmt::format("{}{}: refused, explain --analyze runs the statement and dbvet is "
                                              "read-only (nothing was sent to the target)",
                                              where, sql::describe(check.effects.front()))));
    }
  }
  engines::ConnectOptions connect_options;
  connect_options.statement_timeout = std::chrono::seconds(args.statement_timeout_s);
  auto connection = engines::connect(*url, connect_options);
  if (!connection) return context.fail(connection.error());

  auto doc = core::json_envelope("explain");
  doc["target"] = {{"engine", std::string(core::engine_name(url->engine))}, {"url", url->redacted()}};
  doc["statements"] = nlohmann::json::array();
  int exit_code = kExitOk;
  engines::ExplainOptions options;
  options.analyze = args.analyze;
  options.allow_side_effects = args.allow_side_effects;
  for (const auto& statement : statements) {
    auto plan = (*connection)->explain(statement.text, options);
    std::string where = args.file.empty() ? "" : fmt::format("{}:{}: ", args.file, statement.line);
    if (!plan) {
      std::cerr << "dbvet: " << where << plan.error().message << '\n';
      doc["statements"].push_back({{"sql", statement.text}, {"error", plan.error().message}});
      exit_code = plan.error().exit_code();
      continue;
    }
    doc["statements"].push_back({{"sql", statement.text}, {"plan", report::plan_to_json(*plan)}});
  }

  report::RenderOptions render_options;
  render_options.raw = args.raw;
  if (auto written = context.write_result(doc, render_options); !written) return context.fail(written.error());
  return exit_code;
}

}  // namespace

CommandRun setup_explain(CLI::App& app) {
  auto args = std::make_shared<ExplainArgs>();
  app.add_option("target", args->target, "Database URL (postgresql://, mysql://, sqlite:PATH)")->required();
  app.add_option("sql", args->sql, "The statement to explain");
  app.add_option("-f,--file", args->file, "Explain every statement of FILE");
  app.add_flag("--analyze", args->analyze,
               "Run the statement too (writing statements inside a transaction that is rolled back)");
  app.add_flag("--allow-side-effects", args->allow_side_effects,
               "With --analyze: run an INSERT even though it advances a sequence or AUTO_INCREMENT counter, which "
               "the rollback does not restore (refused by default, naming the counter)");
  app.add_flag("--raw", args->raw, "Show each node as the engine gave it");
  app.add_option("--statement-timeout", args->statement_timeout_s, "Seconds before a statement is cancelled")
      ->default_val(30)
      ->check(CLI::Range(1, 86400));
  return [args](CommandContext& context) { return run_explain(context, *args); };
}

}  // namespace dbvet::cli
