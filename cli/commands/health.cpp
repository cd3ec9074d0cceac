// dbvet health TARGET... | --config dbvet.toml: the scheduled check of every database of a product.
#include "analyzer/health/health.hpp"

#include <algorithm>
#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>

#include "CLI/CLI.hpp"
#include "analyzer/core/json_envelope.hpp"
#include "analyzer/core/toml_document.hpp"
#include "analyzer/engines/connection.hpp"
#include "analyzer/health/render.hpp"
#include "analyzer/history/history.hpp"
#include "analyzer/push/pushgateway.hpp"
#include "analyzer/report/prometheus.hpp"
#include "cli/cli_context.hpp"
#include "fmt/format.h"
#include "nlohmann/json.hpp"
#include "toml++/toml.h"

namespace dbvet::cli {
namespace {

struct HealthArgs {
  std::vector<std::string> targets;
  std::string config;
  std::string fail_on;
  std::string push;
  std::string job = "dbvet";
  std::string history;
  std::vector<std::string> thresholds;
  int connect_timeout_s = 0;    // 0: the global --connect-timeout if given, else 5
  int statement_timeout_s = 0;  // 0: the global --statement-timeout if given, else 10
};

struct Config {
  std::vector<std::pair<std::string, std::string>> targets;  // name -> URL, in file order
  std::vector<std::pair<std::string, double>> thresholds;
  std::string fail_on, push, history;
};

core::Expected<Config> read_config(const std::string& path) {
  Config config;
  std::ifstream file(path, std::ios::binary);
  std::string text((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
  if (!file.is_open() || file.bad())
    return core::make_error(core::ErrorKind::input, fmt::format("cannot read {}", path));
  auto parsed = core::parse_toml(text, path);
  if (!parsed) return parsed.error();
  toml::table& root = *parsed;
  auto where = [&](const toml::node& node) { return fmt::format("{}:{}", path, node.source().begin.line); };
  const toml::table* targets = root["targets"].as_table();
  if (targets == nullptr || targets->empty()) {
    return core::make_error(
        core::ErrorKind::usage,
        fmt::format("{}: expected a [targets] table such as user-service = \"postgresql://...\"", path));
  }
  // toml++ keeps tables sorted by key; report targets in the order the file gives them.
  for (const auto& [key, node] : *targets) {
    auto url = node.value<std::string>();
    if (!url) {
      return core::make_error(core::ErrorKind::usage,
                              fmt::format("{}: target {} must be a URL string", where(node), key.str()));
    }
    config.targets.emplace_back(std::string(key.str()), *url);
  }
  std::sort(config.targets.begin(), config.targets.end(), [&](const auto& a, const auto& b) {
    return (*targets)[a.first].node()->source().begin.line < (*targets)[b.first].node()->source().begin.line;
  });
  if (const toml::table* thresholds = root["thresholds"].as_table()) {
    for (const auto& [key, node] : *thresholds) {
      auto value = node.value<double>();
      if (!value) {
        return core::make_error(core::ErrorKind::usage,
                                fmt::format("{}: threshold {} must be a number", where(node), key.str()));
      }
      config.thresholds.emplace_back(std::string(key.str()), *value);
    }
  }
  if (const toml::table* health = root["health"].as_table()) {
    config.fail_on = (*health)["fail_on"].value_or(std::string());
    config.push = (*health)["push"].value_or(std::string());
    config.history = (*health)["history"].value_or(std::string());
  }
  return config;
}

int run_health(CommandContext& context, HealthArgs args) {
  if (auto status = context.require_format_of("health"); !status) return context.fail(status.error());
  health::HealthOptions options;
  // health's own defaults are shorter than the other commands': a scheduled check must not hang.
  options.connect_timeout = args.connect_timeout_s ? std::chrono::milliseconds(args.connect_timeout_s * 1000)
                            : context.options().connect_timeout.empty() ? std::chrono::milliseconds(5000)
                                                                        : engines::client_timeouts().connect;
  options.statement_timeout = args.statement_timeout_s ? std::chrono::milliseconds(args.statement_timeout_s * 1000)
                              : context.options().statement_timeout.empty() ? std::chrono::milliseconds(10000)
                                                                            : engines::client_timeouts().statement;

  std::vector<health::HealthTarget> targets;
  if (!args.config.empty()) {
    auto config = read_config(args.config);
    if (!config) return context.fail(config.error());
    for (const auto& [name, text] : config->targets) {
      auto url = core::parse_target_url(text);
      if (!url) {
        return context.fail(core::make_error(core::ErrorKind::usage,
                                             fmt::format("{}: target {}: {}", args.config, name, url.error().message)));
      }
      targets.push_back({name, *url});
    }
    for (const auto& [name, value] : config->thresholds) {
      if (!options.thresholds.set(name, value)) {
        return context.fail(
            core::make_error(core::ErrorKind::usage, fmt::format("{}: unknown threshold {}", args.config, name)));
      }
    }
    if (args.fail_on.empty()) args.fail_on = config->fail_on;
    if (args.push.empty()) args.push = config->push;
    if (args.history.empty()) args.history = config->history;
  }
  for (const auto& text : args.targets) {
    auto url = core::parse_target_url(text);
    if (!url) return context.fail(url.error());
    targets.push_back({url->redacted(), *url});
  }
  if (targets.empty()) {
    return context.fail(core::make_error(core::ErrorKind::usage, "health needs a TARGET or --config dbvet.toml"));
  }
  for (const auto& spec : args.thresholds) {
    auto eq = spec.find('=');
    auto value = eq == std::string::npos ? std::nullopt : health::to_number(spec.substr(eq + 1));
    if (!value || !options.thresholds.set(spec.substr(0, eq), *value)) {
      return context.fail(core::make_error(
          core::ErrorKind::usage,
          fmt::format("--threshold {}: expected NAME=NUMBER with a known NAME (see dbvet health --help)", spec)));
    }
  }
  std::optional<model::Severity> gate;
  if (!args.fail_on.empty()) {
    gate = model::parse_severity(args.fail_on);
    if (!gate) {
      return context.fail(core::make_error(core::ErrorKind::usage,
                                           fmt::format("--fail-on {}: expected info, warning or error", args.fail_on)));
    }
  }

  std::string started_at = health::utc_now_iso8601();
  auto results = health::check_targets(targets, options);
  auto doc = health::health_to_json(results, started_at);

  if (auto written = context.write_result(doc); !written) return context.fail(written.error());
  if (auto out = context.out(); out) (*out)->flush();
  // A target that is down is part of the report (dbvet_target_up 0), not a reason to lose it.
  context.keep_output_on_failure();

  int exit_code = kExitOk;
  if (!args.history.empty()) {
    auto appended = history::append(args.history, "health", core::json_text(doc));
    if (!appended) exit_code = context.fail(appended.error());
  }
  if (!args.push.empty()) {
    for (const auto& target : doc["targets"]) {
      nlohmann::json one = doc;  // each target is its own Pushgateway group
      one["targets"] = nlohmann::json::array({target});
      auto pushed =
          push::push_to_gateway(args.push, args.job, target["name"].get<std::string>(), report::render_prometheus(one),
                                options.connect_timeout + std::chrono::seconds(5));
      if (!pushed) exit_code = context.fail(pushed.error());
    }
  }
  if (gate && health::any_at_or_above(results, *gate)) return kExitGateFailed;
  if (exit_code != kExitOk) return exit_code;
  for (const auto& target : results) {
    if (!target.up) return kExitRuntime;
  }
  return kExitOk;
}

}  // namespace

CommandRun setup_health(CLI::App& app) {
  auto args = std::make_shared<HealthArgs>();
  app.add_option("targets", args->targets, "Database URLs (postgresql://, mysql://, sqlite:PATH, redis://)");
  app.add_option("--config", args->config,
                 "TOML file naming the targets: [targets] user-service = \"postgresql://...\"")
      ->check(CLI::ExistingFile);
  app.add_option("--fail-on", args->fail_on, "Exit 1 when a finding is at or above this severity (warning, error)");
  app.add_option("--push", args->push, "Pushgateway URL: PUT each target's metrics to /metrics/job/JOB/instance/NAME");
  app.add_option("--job", args->job, "Pushgateway job name")->default_val("dbvet");
  app.add_option("--history", args->history, "Append this run to an SQLite history file (dbvet report --history)");
  app.add_option("--threshold", args->thresholds,
                 "Override a threshold, NAME=VALUE (e.g. pg.cache_hit_ratio=0.95); see docs/commands/health.md");
  app.add_option("--connect-timeout", args->connect_timeout_s, "Seconds to wait for each target (5)")
      ->check(CLI::Range(1, 3600));
  app.add_option("--statement-timeout", args->statement_timeout_s,
                 "Seconds before a check's statement is cancelled (10); the client gives up 2 s later")
      ->check(CLI::Range(1, 86400));
  return [args](CommandContext& context) { return run_health(context, *args); };
}

}  // namespace dbvet::cli
