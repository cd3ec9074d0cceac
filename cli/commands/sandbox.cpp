// `dbvet sandbox list|clean TARGET`: the sandboxes that bench --sandbox and audit --sandbox make
// are removed by the run that made them, even when interrupted; only a process that was killed
// outright (kill -9, a crash, a power cut) leaves one. This finds those by their name and, with
// `clean`, drops the ones whose owner is gone. It never drops a sandbox a running dbvet uses, nor
// one made on another host (its pid says nothing here), nor anything not named as a sandbox.

#include <ctime>
#include <iostream>

#include "CLI/CLI.hpp"
#include "analyzer/core/json_envelope.hpp"
#include "analyzer/core/target_url.hpp"
#include "analyzer/engines/sandbox_names.hpp"
#include "cli/cli_context.hpp"
#include "cli/sandbox_warning.hpp"
#include "fmt/format.h"

namespace dbvet::cli {
namespace {

struct SandboxArgs {
  std::string action;
  std::string target;
};

std::string created_text(int64_t seconds) {
  std::time_t time = static_cast<std::time_t>(seconds);
  std::tm utc{};
  gmtime_r(&time, &utc);
  char buffer[32];
  std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return buffer;
}

int run_sandbox(CommandContext& context, const SandboxArgs& args) {
  if (auto status = context.require_format_of("sandbox"); !status) return context.fail(status.error());
  auto url = core::parse_target_url(args.target);
  if (!url) return context.fail(url.error());
  auto entries = engines::list_sandboxes(*url);
  if (!entries) return context.fail(entries.error());

  bool clean = args.action == "clean";
  int exit_code = kExitOk;
  std::vector<std::string> outcomes(entries->size());
  for (size_t i = 0; clean && i < entries->size(); ++i) {
    const auto& entry = (*entries)[i];
    if (!entry.orphaned()) {
      outcomes[i] = "kept";
      continue;
    }
    auto dropped = engines::drop_sandbox(*url, entry);
    outcomes[i] = dropped ? "removed" : "failed: " + dropped.error().message;
    if (!dropped) exit_code = context.fail(dropped.error());
  }

  {
    auto doc = core::json_envelope("sandbox");
    doc["target"] = url->redacted();
    doc["action"] = args.action;
    doc["sandboxes"] = nlohmann::json::array();
    for (size_t i = 0; i < entries->size(); ++i) {
      const auto& entry = (*entries)[i];
      nlohmann::json row{{"name", entry.name},
                         {"pid", entry.parsed.pid},
                         {"created", created_text(entry.parsed.created)},
                         {"this_host", entry.this_host},
                         {"owner_alive", entry.owner_alive},
                         {"orphaned", entry.orphaned()}};
      if (clean) row["outcome"] = outcomes[i];
      doc["sandboxes"].push_back(std::move(row));
    }
    if (auto written = context.write_result(doc); !written) return context.fail(written.error());
    return exit_code;
  }
}

}  // namespace

void warn_orphaned_sandboxes(const core::TargetUrl& target) {
  auto entries = engines::list_sandboxes(target);
  if (!entries) return;  // the run itself reports a target it cannot reach
  std::string names;
  size_t count = 0;
  for (const auto& entry : *entries) {
    if (!entry.orphaned()) continue;
    ++count;
    if (count <= 3) names += (names.empty() ? "" : ", ") + entry.name;
  }
  if (count == 0) return;
  if (count > 3) names += ", ...";
  std::cerr << fmt::format(
      "dbvet: warning: {} sandbox{} left by a dbvet that was killed ({}); `dbvet sandbox clean {}` "
      "removes {}\n",
      count, count == 1 ? "" : "es", names, target.redacted(), count == 1 ? "it" : "them");
}

CommandRun setup_sandbox(CLI::App& app) {
  auto args = std::make_shared<SandboxArgs>();
  app.add_option("action", args->action, "list: show dbvet's sandboxes; clean: drop those whose dbvet process ended")
      ->required()
      ->check(CLI::IsMember({"list", "clean"}));
  app.add_option("target", args->target, "Database URL (postgresql://, mysql://, sqlite:PATH)")->required();
  return [args](CommandContext& context) { return run_sandbox(context, *args); };
}

}  // namespace dbvet::cli
