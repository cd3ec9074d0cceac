#include "analyzer/health/health.hpp"

#include <future>

#include "analyzer/engines/connection.hpp"
#include "analyzer/health/gatherer.hpp"
#include "analyzer/health/sql_check.hpp"
#include "fmt/format.h"

namespace dbvet::health {
namespace {

void add_summary_metrics(TargetHealth& target) {
  int counts[3] = {0, 0, 0};
  std::map<std::string, int> by_check;
  for (const auto& check : target.checks) {
    if (check.status == CheckStatus::ok || check.status == CheckStatus::findings) by_check[check.id] = 0;
  }
  // Findings may carry finer ids than the check that made them (pg-replication reports
  // pg-inactive-replication-slot); they are counted under the id they carry.
  for (const auto& finding : target.findings) {
    ++counts[static_cast<int>(finding.severity)];
    ++by_check[finding.check];
  }
  target.metrics.push_back({"dbvet_target_up", "1 when dbvet reached the target", {}, target.up ? 1.0 : 0.0});
  target.metrics.push_back(
      {"dbvet_health_duration_seconds", "Time the health checks of the target took", {}, target.seconds});
  for (auto severity : {model::Severity::error, model::Severity::warning, model::Severity::info}) {
    target.metrics.push_back({"dbvet_findings",
                              "Findings of the last health run by severity",
                              {{"severity", model::severity_name(severity)}},
                              static_cast<double>(counts[static_cast<int>(severity)])});
  }
  for (const auto& [check, count] : by_check) {
    target.metrics.push_back({"dbvet_check_findings",
                              "Findings of the last health run by check",
                              {{"check", check}},
                              static_cast<double>(count)});
  }
  int failed = 0;
  for (const auto& check : target.checks) failed += check.status == CheckStatus::failed;
  target.metrics.push_back(
      {"dbvet_checks_failed", "Checks that could not run (an error other than a missing feature)", {}, double(failed)});
}

bool same_index(const std::string& a, const std::string& b) {
  return a == b || a.ends_with("." + b) || b.ends_with("." + a);
}

}  // namespace

void fold_index_drops(std::vector<CheckFinding>& findings) {
  auto is_covered_finding = [](const CheckFinding& f) {
    return f.check.ends_with("-duplicate-index") || f.check.ends_with("-redundant-index");
  };
  std::vector<bool> folded(findings.size(), false);
  for (size_t i = 0; i < findings.size(); ++i) {
    if (!findings[i].check.ends_with("-unused-index")) continue;
    for (const auto& other : findings) {
      if (is_covered_finding(other) && same_index(other.object, findings[i].object) &&
          static_cast<int>(other.severity) >= static_cast<int>(findings[i].severity)) {
        folded[i] = true;
        break;
      }
    }
  }
  std::vector<CheckFinding> kept;
  kept.reserve(findings.size());
  for (size_t i = 0; i < findings.size(); ++i) {
    if (!folded[i]) kept.push_back(std::move(findings[i]));
  }
  findings = std::move(kept);
}

void mark_down(TargetHealth& target, const std::string& error) {
  target.up = false;
  target.error = error;
  target.findings.push_back({"target-down", model::Severity::error, target.name,
                             fmt::format("{} is down or unreachable: {}", target.name, error), std::nullopt,
                             std::nullopt});
}

void run_sql_target(const HealthTarget& target, const HealthOptions& options, const std::vector<SqlCheck>& checks,
                    TargetHealth& out) {
  engines::ConnectOptions connect_options;
  connect_options.connect_timeout = options.connect_timeout;
  connect_options.statement_timeout = options.statement_timeout;
  auto connection = engines::connect(target.url, connect_options);
  if (!connection) {
    mark_down(out, connection.error().message);
    return;
  }
  out.up = true;
  out.server_version = (*connection)->server_version();
  SqlSource source(**connection);
  run_sql_checks(source, checks, options.thresholds, out);
  if (source.lost()) mark_down(out, source.lost()->message);
}

std::vector<std::string> ids_of(const std::vector<SqlCheck>& checks) {
  std::vector<std::string> ids;
  for (const auto& check : checks) ids.push_back(check.id);
  return ids;
}

TargetHealth check_target(const HealthTarget& target, const HealthOptions& options) {
  auto start = std::chrono::steady_clock::now();
  TargetHealth out;
  out.name = target.name;
  out.url = target.url.redacted();
  out.engine = target.url.engine;
  if (const Gatherer* gatherer = find_gatherer(target.url.engine)) gatherer->run(target, options, out);
  fold_index_drops(out.findings);
  out.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  add_summary_metrics(out);
  return out;
}

std::vector<TargetHealth> check_targets(const std::vector<HealthTarget>& targets, const HealthOptions& options) {
  std::vector<std::future<TargetHealth>> running;
  running.reserve(targets.size());
  for (const auto& target : targets) {
    running.push_back(std::async(std::launch::async, [&target, &options] { return check_target(target, options); }));
  }
  std::vector<TargetHealth> results;
  results.reserve(targets.size());
  for (auto& future : running) results.push_back(future.get());
  return results;
}

std::vector<std::string> check_ids(core::Engine engine) {
  const Gatherer* gatherer = find_gatherer(engine);
  return gatherer ? gatherer->check_ids() : std::vector<std::string>{};
}

Summary summarize(const std::vector<TargetHealth>& results) {
  Summary summary;
  for (const auto& target : results) {
    ++summary.targets;
    summary.down += target.up ? 0 : 1;
    for (const auto& finding : target.findings) {
      switch (finding.severity) {
        case model::Severity::error:
          ++summary.errors;
          break;
        case model::Severity::warning:
          ++summary.warnings;
          break;
        case model::Severity::info:
          ++summary.infos;
          break;
      }
    }
  }
  return summary;
}

bool any_at_or_above(const std::vector<TargetHealth>& results, model::Severity level) {
  for (const auto& target : results) {
    for (const auto& finding : target.findings) {
      if (static_cast<int>(finding.severity) >= static_cast<int>(level)) return true;
    }
  }
  return false;
}

}  // namespace dbvet::health
