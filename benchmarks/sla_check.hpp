#pragma once
// An SLA against one measured query run: the value of its metric and whether it holds. Shared by
// the report (over all repetitions) and the ramp (each offered rate on its own).

#include <string>

#include "benchmarks/bench_config.hpp"
#include "benchmarks/bench_runner.hpp"

namespace dbvet::bench {

// p50..mean in ms, errors as a fraction of transactions, throughput per second.
double sla_metric_value(const QueryRun& run, const std::string& metric);
bool sla_holds(const Sla& sla, double measured);
// "12.300ms", "0.500%", "480.0/s"
std::string format_sla_value(const std::string& metric, double value);

}  // namespace dbvet::bench
