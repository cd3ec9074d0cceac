#include "analyzer/health/check.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <string_view>

#include "fmt/format.h"
#include "rules/registry.hpp"

namespace dbvet::health {

std::string check_status_name(CheckStatus status) {
  switch (status) {
    case CheckStatus::ok:
      return "ok";
    case CheckStatus::findings:
      return "findings";
    case CheckStatus::skipped:
      return "skipped";
    case CheckStatus::failed:
      return "failed";
  }
  return "ok";
}

namespace {

double unused_index_default(std::string_view name) {
  if (const rules::Rule* rule = rules::find_rule("schema-unused-index")) {
    for (const auto& spec : rule->thresholds()) {
      if (spec.name == name) return spec.default_value;
    }
  }
  return 0;
}

}  // namespace

// PgHero's thresholds are the floor for PostgreSQL; the others follow the engines' own guidance
// (MySQL's sys schema, Redis' INFO documentation).
Thresholds::Thresholds()
    : values_{
          {"pg.cache_hit_ratio", 0.99},
          {"pg.cache_min_blocks", 1000},
          // One judgement with the schema rule audit and advise run: its defaults are these.
          {"pg.unused_index_max_scans", unused_index_default("max_scans")},
          {"pg.unused_index_min_bytes", unused_index_default("min_size_bytes")},
          {"pg.unused_index_min_stats_age_days", unused_index_default("min_statistics_age_days")},
          {"pg.sequence_used_ratio", 0.9},
          {"pg.xid_remaining", 10000000},
          {"pg.xid_age_ratio", 0.5},
          {"pg.long_running_seconds", 60},
          {"pg.idle_in_transaction_seconds", 60},
          {"pg.connections_ratio", 0.8},
          {"pg.replication_lag_seconds", 60},
          {"pg.maintenance_changes", 10000},
          {"pg.seq_scan_min_rows", 10000},
          {"pg.seq_scan_index_ratio", 0.95},
          {"pg.bloat_bytes", 100.0 * 1024 * 1024},
          {"pg.bloat_ratio", 0.5},
          {"top_queries", 10},
          {"mysql.buffer_pool_hit_ratio", 0.99},
          {"mysql.connections_ratio", 0.8},
          {"mysql.auto_increment_ratio", 0.9},
          {"mysql.tmp_disk_ratio", 0.25},
          {"mysql.tmp_disk_min_tables", 100},
          {"mysql.full_scan_min_executions", 10},
          {"sqlite.free_ratio", 0.25},
          {"sqlite.free_min_bytes", 1024.0 * 1024},
          {"redis.hit_ratio", 0.8},
          {"redis.hit_min_lookups", 1000},
          {"redis.memory_ratio", 0.9},
          {"redis.fragmentation_ratio", 1.5},
          {"redis.fragmentation_min_bytes", 100.0 * 1024 * 1024},
          {"redis.clients_ratio", 0.8},
          {"redis.scan_keys", 1000},
          {"redis.scan_streams", 100},
          {"redis.big_key_bytes", 10.0 * 1024 * 1024},
          {"redis.no_ttl_ratio", 0.5},
          {"redis.stream_lag", 1000},
          {"redis.stream_pending", 1000},
          {"redis.stream_pending_idle_seconds", 300},
      } {}

double Thresholds::get(const std::string& name) const {
  auto it = values_.find(name);
  return it == values_.end() ? 0 : it->second;
}

bool Thresholds::set(const std::string& name, double value) {
  auto it = values_.find(name);
  if (it == values_.end()) return false;
  it->second = value;
  return true;
}

void record_check(TargetHealth& target, const std::string& id, core::Expected<CheckResult> result, double seconds) {
  CheckOutcome outcome;
  outcome.id = id;
  outcome.seconds = seconds;
  if (!result) {
    // unsupported: the server lacks what the check needs (an extension, a view, a command); say so, go on.
    outcome.status = result.error().kind == core::ErrorKind::unsupported ? CheckStatus::skipped : CheckStatus::failed;
    outcome.note = result.error().message;
  } else {
    outcome.status = result->findings.empty() ? CheckStatus::ok : CheckStatus::findings;
    for (auto& finding : result->findings) target.findings.push_back(std::move(finding));
    for (auto& metric : result->metrics) {
      if (std::none_of(metric.labels.begin(), metric.labels.end(), [](const auto& l) { return l.first == "check"; })) {
        metric.labels.insert(metric.labels.begin(), {"check", id});
      }
      target.metrics.push_back(std::move(metric));
    }
    for (auto& top : result->top_queries) target.top_queries.push_back(std::move(top));
  }
  target.checks.push_back(std::move(outcome));
}

std::optional<double> to_number(const std::optional<std::string>& text) {
  if (!text || text->empty()) return std::nullopt;
  const char* begin = text->data();
  const char* end = begin + text->size();
  while (begin < end && *begin == ' ') ++begin;
  if (begin < end && *begin == '+') ++begin;
  double value = 0;
  auto [ptr, ec] = std::from_chars(begin, end, value);
  if (ec != std::errc() || ptr == begin) return std::nullopt;
  if (!std::isfinite(value)) return std::nullopt;
  return value;
}

std::string format_ratio(double ratio) {
  double percent = ratio * 100;
  if (percent >= 99.95 && percent < 100) return fmt::format("{:.2f}%", percent);
  return fmt::format("{:.1f}%", percent);
}

std::string format_bytes(double bytes) {
  static const char* const kUnits[] = {"B", "kB", "MB", "GB", "TB"};
  int unit = 0;
  while (std::fabs(bytes) >= 1024 && unit < 4) {
    bytes /= 1024;
    ++unit;
  }
  return unit == 0 ? fmt::format("{:.0f} {}", bytes, kUnits[unit]) : fmt::format("{:.1f} {}", bytes, kUnits[unit]);
}

}  // namespace dbvet::health
