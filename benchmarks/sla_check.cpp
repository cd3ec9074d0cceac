#include "benchmarks/sla_check.hpp"

#include "fmt/format.h"

namespace dbvet::bench {

double sla_metric_value(const QueryRun& run, const std::string& metric) {
  if (metric == "p50") return run.latency.quantile(0.50);
  if (metric == "p90") return run.latency.quantile(0.90);
  if (metric == "p95") return run.latency.quantile(0.95);
  if (metric == "p99") return run.latency.quantile(0.99);
  if (metric == "p99.9") return run.latency.quantile(0.999);
  if (metric == "max") return run.latency.max;
  if (metric == "mean") return run.latency.mean();
  if (metric == "errors") return run.error_rate();
  if (metric == "throughput") return run.throughput();
  return 0;
}

bool sla_holds(const Sla& sla, double measured) { return sla.less ? measured < sla.value : measured > sla.value; }

std::string format_sla_value(const std::string& metric, double value) {
  if (metric == "errors") return fmt::format("{:.3f}%", value * 100);
  if (metric == "throughput") return fmt::format("{:.1f}/s", value);
  return fmt::format("{:.3f}ms", value);
}

}  // namespace dbvet::bench
