// `dbvet lint FILE...`: SQL and migration files judged without a database (docs/commands/lint.md).
// The work is in analyzer/pipeline/lint.*; this file reads the options and the files and writes the
// result.

#include "analyzer/pipeline/lint.hpp"

#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "CLI/CLI.hpp"
#include "cli/cli_context.hpp"
#include "fmt/format.h"
#include "rules/registry.hpp"
#include "rules/rule_config.hpp"

namespace dbvet::cli {
namespace {

struct LintArgs {
  std::vector<std::string> files;
  std::string engine = "postgres";
  int pg_version = 15;
  std::string mysql_version = "10.11";
  std::string fail_on = "warning";
  std::string baseline;
  bool update_baseline = false;
  bool assume_in_transaction = false;
  std::vector<std::string> rules;
  std::vector<std::string> disabled_rules;
  std::string config;
};

core::Status parse_mysql_version(const std::string& text, pipeline::LintOptions& options) {
  int major = 0, minor = 0;
  char dot = 0;
  std::istringstream in(text);
  if (!(in >> major >> dot >> minor) || dot != '.' || major <= 0 || minor < 0) {
    return core::make_error(core::ErrorKind::usage,
                            fmt::format("--mysql-version {}: expected MAJOR.MINOR such as 10.11 or 8.0", text));
  }
  options.mysql_major = major;
  options.mysql_minor = minor;
  return core::ok();
}

core::Status write_baseline(const std::string& path, const nlohmann::json& baseline) {
  std::string temporary = path + ".tmp";
  {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    out << baseline.dump(2) << '\n';
    if (!out.flush()) return core::make_error(core::ErrorKind::input, fmt::format("cannot write baseline {}", path));
  }
  std::error_code ec;
  std::filesystem::rename(temporary, path, ec);
  if (ec)
    return core::make_error(core::ErrorKind::input, fmt::format("cannot write baseline {}: {}", path, ec.message()));
  return core::ok();
}

int run_lint(CommandContext& context, const LintArgs& args) {
  if (auto status = context.require_format_of("lint"); !status) return context.fail(status.error());
  pipeline::LintOptions options;
  if (args.engine == "postgres" || args.engine == "postgresql" || args.engine == "pg") {
    options.engine = "postgres";
  } else if (args.engine == "mysql" || args.engine == "mariadb") {
    options.engine = args.engine;
  } else {
    return context.fail(core::make_error(core::ErrorKind::usage,
                                         fmt::format("--engine {}: expected postgres, mysql or mariadb", args.engine)));
  }
  if (args.pg_version < 9 || args.pg_version > 99) {
    return context.fail(core::make_error(
        core::ErrorKind::usage, fmt::format("--pg-version {}: expected a major version such as 15", args.pg_version)));
  }
  options.pg_version = args.pg_version;
  options.assume_in_transaction = args.assume_in_transaction;
  if (auto status = parse_mysql_version(args.mysql_version, options); !status) return context.fail(status.error());
  auto fail_on = model::parse_severity(args.fail_on);
  if (!fail_on) {
    return context.fail(core::make_error(core::ErrorKind::usage, "--fail-on expects info, warning or error"));
  }
  if (args.update_baseline && args.baseline.empty()) {
    return context.fail(core::make_error(core::ErrorKind::usage, "--update-baseline needs --baseline FILE"));
  }
  std::string config_path = args.config;
  if (config_path.empty() && std::filesystem::exists("dbvet.toml")) config_path = "dbvet.toml";
  if (!config_path.empty()) {
    auto loaded = rules::load_rule_config(config_path);
    if (!loaded) return context.fail(loaded.error());
    options.rule_config = std::move(*loaded);
  }
  if (auto status = rules::disable_rules(options.rule_config, args.disabled_rules); !status) {
    return context.fail(status.error());
  }
  for (const auto& id : args.rules) {
    if (!rules::find_rule(id)) {
      return context.fail(core::make_error(core::ErrorKind::usage, fmt::format("--rules: unknown rule id {}", id)));
    }
    options.only_rules.insert(id);
  }
  if (!args.baseline.empty() && !args.update_baseline) {
    auto baseline = pipeline::load_lint_baseline(args.baseline);
    if (!baseline) return context.fail(baseline.error());
    options.baseline = std::move(*baseline);
  }

  std::vector<pipeline::LintSource> sources;
  for (const auto& path : args.files) {
    if (path == "-") {
      std::stringstream text;
      text << std::cin.rdbuf();
      sources.push_back({"<stdin>", text.str()});
      continue;
    }
    auto source = pipeline::read_lint_source(path);
    if (!source) return context.fail(source.error());
    sources.push_back(std::move(*source));
  }
  auto doc = pipeline::run_lint(sources, options);
  if (args.update_baseline) {
    auto baseline = pipeline::lint_baseline(doc);
    if (auto status = write_baseline(args.baseline, baseline); !status) return context.fail(status.error());
    // Everything found is now known: the report shows it hidden, and the gate passes.
    auto fingerprints = pipeline::load_lint_baseline(args.baseline);
    if (!fingerprints) return context.fail(fingerprints.error());
    options.baseline = std::move(*fingerprints);
    doc = pipeline::run_lint(sources, options);
  }
  if (auto written = context.write_result(doc); !written) return context.fail(written.error());
  return pipeline::lint_exit_code(doc, fail_on);
}

}  // namespace

CommandRun setup_lint(CLI::App& app) {
  auto args = std::make_shared<LintArgs>();
  app.add_option("files", args->files, "SQL or migration files; - for standard input")->required();
  app.add_option("--engine", args->engine, "postgres (default), mysql or mariadb");
  app.add_option("--pg-version", args->pg_version, "PostgreSQL major version the migration runs on (default 15)");
  app.add_option("--mysql-version", args->mysql_version, "MySQL/MariaDB version, MAJOR.MINOR (default 10.11)");
  app.add_option("--fail-on", args->fail_on, "Exit 1 when a finding has this severity or worse (default warning)");
  app.add_option("--baseline", args->baseline, "A baseline file: its known findings are hidden");
  app.add_flag("--update-baseline", args->update_baseline, "Write every current finding into the --baseline file");
  app.add_option("--rules", args->rules, "Run only these rule ids (comma-separated)")->delimiter(',');
  app.add_option("--disable-rule,--disable", args->disabled_rules, "Skip these rule ids (comma-separated; repeatable)")
      ->delimiter(',');
  app.add_flag("--assume-in-transaction", args->assume_in_transaction,
               "Lint each file as run inside a transaction its migration tool opens");
  app.add_option("--config", args->config, "Rule settings ([rules.<id>] tables); default ./dbvet.toml if present");
  return [args](CommandContext& context) { return run_lint(context, *args); };
}

}  // namespace dbvet::cli
