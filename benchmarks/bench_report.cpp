#include "benchmarks/bench_report.hpp"

#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <ctime>
#include <map>
#include <optional>
#include <thread>

#include "analyzer/util/escape.hpp"
#include "benchmarks/sla_check.hpp"
#include "fmt/format.h"
#include "nlohmann/json.hpp"

namespace dbvet::bench {
namespace {

using nlohmann::json;

double hit_ratio(const QueryRun& run) {
  uint64_t total = run.cache_hits + run.cache_misses;
  return total ? static_cast<double>(run.cache_hits) / static_cast<double>(total) : 0;
}

json latency_json(const LatencyStats& latency) {
  return {{"p50_ms", latency.quantile(0.5)},  {"p90_ms", latency.quantile(0.9)},    {"p95_ms", latency.quantile(0.95)},
          {"p99_ms", latency.quantile(0.99)}, {"p999_ms", latency.quantile(0.999)}, {"max_ms", latency.max},
          {"mean_ms", latency.mean()},        {"stddev_ms", latency.stddev()},      {"count", latency.count}};
}

json context_json() {
  // Google Benchmark's field: the checklist reads it to say an SLA was measured on a loaded machine.
  json load_avg = json::array();
  double loads[3];
  if (int n = getloadavg(loads, 3); n > 0) {
    for (int i = 0; i < n; ++i) load_avg.push_back(loads[i]);
  }
  char host[256] = {};
  gethostname(host, sizeof host - 1);
  std::time_t now = std::time(nullptr);
  char date[64] = {};
  std::strftime(date, sizeof date, "%Y-%m-%dT%H:%M:%S+00:00", std::gmtime(&now));
  return {{"date", date},
          {"host_name", host},
          {"executable", "dbvet bench"},
          {"num_cpus", std::thread::hardware_concurrency()},
          {"mhz_per_cpu", 0},
          {"cpu_scaling_enabled", false},
          {"caches", json::array()},
          {"load_avg", load_avg},
          {"library_build_type", "release"}};
}

json hotspot_json(const PlanHotspot& hotspot) {
  json out = {{"statement", hotspot.statement}, {"description", hotspot.describe()}};
  if (!hotspot.error.empty()) {
    out["error"] = hotspot.error;
    return out;
  }
  out["operation"] = hotspot.operation;
  out["relation"] = hotspot.relation;
  out["index"] = hotspot.index;
  out["access"] = hotspot.access;
  out["cost"] = hotspot.cost ? json(*hotspot.cost) : json(nullptr);
  return out;
}

// Summaries grouped by query (queries and variants in the order they first ran).
std::vector<const QuerySummary*> by_query(const std::vector<QuerySummary>& summaries) {
  std::vector<const QuerySummary*> out;
  for (const auto& summary : summaries) {
    bool seen = false;
    for (const auto* done : out) seen = seen || done->query == summary.query;
    if (seen) continue;
    for (const auto& same : summaries) {
      if (same.query == summary.query) out.push_back(&same);
    }
  }
  return out;
}

std::string rate_text(double rate) { return fmt::format("{:g}/s", rate); }

// The runs of one ramp step, one per query.
std::vector<const QueryRun*> step_runs(const BenchResult& result, const RampStep& step) {
  std::vector<const QueryRun*> out;
  for (const auto& run : result.runs) {
    if (run.variant == step.variant && run.offered_rate == step.rate) out.push_back(&run);
  }
  return out;
}

json ramp_json(const BenchReport& report) {
  const auto& result = report.result;
  const auto& ramp = *result.config.ramp;
  json out = {{"from", ramp.from},
              {"to", ramp.to},
              {"step", ramp.step},
              {"max_error_rate", ramp.max_error_rate},
              {"step_duration_s", result.config.load.duration.count() / 1000.0}};
  out["steps"] = json::array();
  for (const auto& step : result.ramp) {
    json item = {{"variant", step.variant}, {"rate", step.rate}, {"held", step.held}, {"broken", step.broken}};
    item["queries"] = json::array();
    for (const auto* run : step_runs(result, step)) {
      item["queries"].push_back({{"query", run->query},
                                 {"transactions", run->transactions},
                                 {"throughput", run->throughput()},
                                 {"errors", run->errors},
                                 {"dropped", run->dropped},
                                 {"error_rate", run->error_rate()},
                                 {"lag_max_ms", run->lag_max_ms},
                                 {"latency", latency_json(run->latency)}});
    }
    out["steps"].push_back(std::move(item));
  }
  out["knees"] = json::array();
  for (const auto& knee : report.knees) {
    out["knees"].push_back({{"variant", knee.variant},
                            {"knee", knee.knee ? json(*knee.knee) : json(nullptr)},
                            {"broke_at", knee.broke_at ? json(*knee.broke_at) : json(nullptr)},
                            {"broken", knee.broken}});
  }
  return out;
}

std::string knee_line(const RampKnee& knee, double top) {
  std::string out = knee.knee ? fmt::format("knee of '{}': {}", knee.variant, rate_text(*knee.knee))
                              : fmt::format("knee of '{}': none, the lowest rate already broke", knee.variant);
  if (knee.broke_at) {
    out += fmt::format(" (broke at {}: ", rate_text(*knee.broke_at));
    for (size_t i = 0; i < knee.broken.size(); ++i) out += (i ? "; " : "") + knee.broken[i];
    out += ")";
  } else if (knee.knee) {
    out += fmt::format(" (every rate up to {} held)", rate_text(top));
  }
  return out;
}

}  // namespace

std::string sla_broken_message(const SlaVerdict& sla) {
  if (sla.variant.empty()) return fmt::format("SLA '{}' names no measured query", sla.sla);
  std::string out = fmt::format("SLA '{}' broken by query '{}' (variant {}): measured {}", sla.sla, sla.query,
                                sla.variant, format_sla_value(sla.metric, sla.measured));
  if (sla.hotspot) {
    auto node = sla.hotspot->describe();
    if (!node.empty()) out += "; costliest plan node: " + node;
  }
  return out;
}

bool BenchReport::slas_broken() const {
  for (const auto& sla : slas) {
    if (!sla.passed) return true;
  }
  return false;
}

bool BenchReport::ramp_failed() const {
  for (const auto& knee : knees) {
    if (!knee.knee) return true;
  }
  return false;
}

bool BenchReport::answers_changed() const {
  for (const auto& summary : summaries) {
    if (summary.answer == "changed") return true;
  }
  return false;
}

BenchReport build_report(BenchResult result) {
  BenchReport report;
  std::map<std::pair<std::string, std::string>, size_t> index;
  std::map<std::pair<std::string, std::string>, std::vector<uint64_t>> hashes;
  for (const auto& run : result.runs) {
    auto key = std::make_pair(run.query, run.variant);
    auto [it, inserted] = index.try_emplace(key, report.summaries.size());
    if (inserted) report.summaries.push_back({run.query, run.variant, {}, "", ""});
    auto& merged = report.summaries[it->second].merged;
    merged.query = run.query;
    merged.variant = run.variant;
    merged.elapsed_s += run.elapsed_s;
    merged.merge_counts(run);
    // A ramp's steps hash as many answers as they ran (fewer than the hashed count at a low rate),
    // so only its first step, the same rate for every variant, is compared.
    bool compared = !result.config.ramp || run.repetition == 0;
    if (run.transactions > 0 && compared) hashes[key].push_back(run.result_hash);
  }
  // The first variant is the reference for answers.
  std::string reference = result.variants.empty() ? "" : result.variants.front().name;
  auto stable_hash = [&](const std::string& query, const std::string& variant) -> std::optional<uint64_t> {
    const auto& list = hashes[{query, variant}];
    if (list.empty()) return std::nullopt;
    for (auto h : list) {
      if (h != list.front()) return std::nullopt;
    }
    return list.front();
  };
  for (auto& summary : report.summaries) {
    auto own = stable_hash(summary.query, summary.variant);
    summary.result_hash = own ? fmt::format("{:016x}", *own) : "unstable";
    auto ref = stable_hash(summary.query, reference);
    if (!own || !ref) {
      summary.answer = "unstable";
    } else {
      summary.answer = *own == *ref ? "same" : "changed";
    }
  }
  for (const auto& variant : result.variants) {
    if (!result.config.ramp) break;
    RampKnee knee;
    knee.variant = variant.name;
    for (const auto& step : result.ramp) {
      if (step.variant != variant.name) continue;
      if (step.held) {
        knee.knee = step.rate;
      } else if (!knee.broke_at) {
        knee.broke_at = step.rate;
        knee.broken = step.broken;
      }
    }
    report.knees.push_back(std::move(knee));
  }
  for (const auto& sla : result.config.slas) {
    if (result.config.ramp) break;
    bool matched = false;
    for (const auto& summary : report.summaries) {
      if (!sla.query.empty() && sla.query != summary.query) continue;
      matched = true;
      double measured = sla_metric_value(summary.merged, sla.metric);
      bool passed = sla_holds(sla, measured);
      SlaVerdict verdict{sla.text, sla.metric, summary.query, summary.variant, measured, passed, std::nullopt};
      if (!passed) {
        for (const auto& hotspot : result.hotspots) {
          if (hotspot.query == summary.query && hotspot.variant == summary.variant) verdict.hotspot = hotspot;
        }
      }
      report.slas.push_back(std::move(verdict));
    }
    if (!matched)
      report.slas.push_back({sla.text, sla.metric, sla.query, "", 0, false, std::nullopt});  // names no measured query
  }
  report.result = std::move(result);
  return report;
}

void to_json(json& out, const BenchReport& report) {
  const auto& result = report.result;
  const auto& config = result.config;
  out["context"] = context_json();
  out["benchmarks"] = json::array();
  for (const auto& run : result.runs) {
    std::string name = run.query + "/" + run.variant;
    double mean = run.latency.mean();
    json entry = {{"name", name},
                  {"family_index", 0},
                  {"per_family_instance_index", 0},
                  {"run_name", name},
                  {"run_type", "iteration"},
                  {"repetitions", config.repetitions},
                  {"repetition_index", run.repetition},
                  {"threads", config.load.clients},
                  {"iterations", run.transactions},
                  {"real_time", mean},
                  {"cpu_time", mean},
                  {"time_unit", "ms"},
                  {"items_per_second", run.throughput()},
                  {"dbvet_query", run.query},
                  {"dbvet_variant", run.variant},
                  {"errors", run.errors},
                  {"timeouts", run.timeouts},
                  {"connection_errors", run.connection_errors},
                  {"reconnects", run.reconnects},
                  {"dropped", run.dropped},
                  {"rows", run.rows},
                  {"result_hash", fmt::format("{:016x}", run.result_hash)},
                  {"elapsed_s", run.elapsed_s}};
    entry.update(latency_json(run.latency));
    entry.erase("count");
    if (config.ramp) entry["dbvet_rate"] = run.offered_rate;
    if (run.offered_rate > 0) {
      entry["lag_max_ms"] = run.lag_max_ms;
      entry["lag_mean_ms"] = run.transactions ? run.lag_sum_ms / static_cast<double>(run.transactions) : 0;
    }
    if (run.cache_hits + run.cache_misses > 0) {
      entry["hit_ratio"] = hit_ratio(run);
      entry["cache_hits"] = run.cache_hits;
      entry["cache_misses"] = run.cache_misses;
      entry["hit_p50_ms"] = run.hit_latency.quantile(0.5);
      entry["miss_p50_ms"] = run.miss_latency.quantile(0.5);
    }
    out["benchmarks"].push_back(std::move(entry));
  }
  json dbvet = {{"target", result.target},
                {"engine", result.engine},
                {"interrupted", result.interrupted},
                {"outage", result.outage},
                {"load",
                 {{"model", config.ramp            ? "ramp"
                            : config.load.rate > 0 ? "open"
                                                   : "closed"},
                  {"clients", config.load.clients},
                  {"duration_s", config.load.duration.count() / 1000.0},
                  {"transactions_per_client", config.load.transactions},
                  {"rate", config.load.rate},
                  {"warmup_s", config.load.warmup.count() / 1000.0},
                  {"repetitions", config.repetitions},
                  {"seed", config.seed}}}};
  if (!result.interruption.empty()) dbvet["interruption"] = result.interruption;
  dbvet["variants"] = json::array();
  for (const auto& variant : result.variants) {
    json item = {{"name", variant.name}, {"kind", variant.kind}, {"spec", variant.spec}};
    if (!variant.sandbox.empty()) item["sandbox"] = variant.sandbox;
    if (variant.kind == "cache") item["redis_memory_bytes"] = variant.redis_memory_delta;
    dbvet["variants"].push_back(std::move(item));
  }
  dbvet["summary"] = json::array();
  for (const auto& summary : report.summaries) {
    const auto& run = summary.merged;
    json item = {{"query", summary.query},
                 {"variant", summary.variant},
                 {"transactions", run.transactions},
                 {"throughput", run.throughput()},
                 {"rows_per_second", run.elapsed_s > 0 ? static_cast<double>(run.rows) / run.elapsed_s : 0.0},
                 {"errors", run.errors},
                 {"error_rate", run.error_rate()},
                 {"timeouts", run.timeouts},
                 {"connection_errors", run.connection_errors},
                 {"reconnects", run.reconnects},
                 {"dropped", run.dropped},
                 {"rows", run.rows},
                 {"result_hash", summary.result_hash},
                 {"answer", summary.answer},
                 {"latency", latency_json(run.latency)}};
    if (config.load.rate > 0) {
      item["lag_max_ms"] = run.lag_max_ms;
      item["lag_mean_ms"] = run.transactions ? run.lag_sum_ms / static_cast<double>(run.transactions) : 0;
    }
    if (run.cache_hits + run.cache_misses > 0) {
      item["cache"] = {{"hit_ratio", hit_ratio(run)},
                       {"hits", run.cache_hits},
                       {"misses", run.cache_misses},
                       {"hit_latency", latency_json(run.hit_latency)},
                       {"miss_latency", latency_json(run.miss_latency)}};
    }
    if (!run.first_error.empty()) item["first_error"] = run.first_error;
    dbvet["summary"].push_back(std::move(item));
  }
  dbvet["slas"] = json::array();
  for (const auto& sla : report.slas) {
    json item = {{"sla", sla.sla},
                 {"query", sla.query},
                 {"variant", sla.variant},
                 {"measured", sla.measured},
                 {"passed", sla.passed}};
    if (sla.hotspot) item["plan_node"] = hotspot_json(*sla.hotspot);
    dbvet["slas"].push_back(std::move(item));
  }
  if (config.ramp) dbvet["ramp"] = ramp_json(report);
  out["dbvet"] = std::move(dbvet);
}

std::string render_bench_text(const BenchReport& report) {
  const auto& config = report.result.config;
  std::string out =
      config.ramp
          ? fmt::format("dbvet bench {} ({}), {} client(s), open-loop ramp {}..{}, summary over every step\n",
                        report.result.target, report.result.engine, config.load.clients, rate_text(config.ramp->from),
                        rate_text(config.ramp->to))
          : fmt::format("dbvet bench {} ({}), {} client(s), {} loop{}, {} repetition(s)\n", report.result.target,
                        report.result.engine, config.load.clients, config.load.rate > 0 ? "open" : "closed",
                        config.load.rate > 0 ? fmt::format(" at {}/s", config.load.rate) : "", config.repetitions);
  std::string current;
  for (const auto* summary_ptr : by_query(report.summaries)) {
    const auto& summary = *summary_ptr;
    if (summary.query != current) {
      current = summary.query;
      out += fmt::format("\n{}\n  {:<14} {:>10} {:>9} {:>9} {:>9} {:>9} {:>9} {:>9} {:>7} {:>8} {:>10}  {}\n", current,
                         "variant", "tps", "p50 ms", "p90 ms", "p95 ms", "p99 ms", "max ms", "mean ms", "errors",
                         "rows/tx", "rows/s", "answer");
    }
    const auto& run = summary.merged;
    double tps = run.elapsed_s > 0 ? static_cast<double>(run.transactions) / run.elapsed_s : 0;
    out += fmt::format(
        "  {:<14} {:>10.1f} {:>9.3f} {:>9.3f} {:>9.3f} {:>9.3f} {:>9.3f} {:>9.3f} {:>7} {:>8.1f} {:>10.1f}  {}\n",
        summary.variant, tps, run.latency.quantile(0.5), run.latency.quantile(0.9), run.latency.quantile(0.95),
        run.latency.quantile(0.99), run.latency.max, run.latency.mean(), run.errors,
        run.transactions ? static_cast<double>(run.rows) / static_cast<double>(run.transactions) : 0.0,
        run.elapsed_s > 0 ? static_cast<double>(run.rows) / run.elapsed_s : 0.0,
        summary.answer == "changed" ? "CHANGED (differs from " + report.result.variants.front().name + ")"
                                    : summary.answer);
    if (run.cache_hits + run.cache_misses > 0) {
      out += fmt::format("  {:<14} cache hit ratio {:.1f}%, hit p50 {:.3f} ms, miss p50 {:.3f} ms\n", "",
                         hit_ratio(run) * 100, run.hit_latency.quantile(0.5), run.miss_latency.quantile(0.5));
    }
    if (config.load.rate > 0) {
      out += fmt::format("  {:<14} schedule lag mean {:.3f} ms, max {:.3f} ms, dropped {}\n", "",
                         run.transactions ? run.lag_sum_ms / static_cast<double>(run.transactions) : 0.0,
                         run.lag_max_ms, run.dropped);
    }
    if (!run.first_error.empty()) out += fmt::format("  {:<14} first error: {}\n", "", run.first_error);
  }
  for (const auto& variant : report.result.variants) {
    if (variant.kind == "cache") {
      out += fmt::format("\nRedis memory used by '{}': {} bytes\n", variant.name, variant.redis_memory_delta);
    }
  }
  if (!report.slas.empty()) {
    out += "\nSLAs\n";
    for (const auto& sla : report.slas) {
      if (sla.variant.empty()) {
        out += fmt::format("  FAIL  {}: no query named '{}' was measured\n", sla.sla, sla.query);
        continue;
      }
      out += fmt::format("  {}  {} on {}/{}: {}\n", sla.passed ? "ok  " : "FAIL", sla.sla, sla.query, sla.variant,
                         format_sla_value(sla.metric, sla.measured));
      if (sla.hotspot && !sla.hotspot->describe().empty()) {
        out += fmt::format("        costliest plan node: {}\n        of: {}\n", sla.hotspot->describe(),
                           sla.hotspot->statement);
      }
    }
  }
  if (config.ramp) {
    out += fmt::format("\nRamp {}..{} step {}, {:g} s per step (open loop)\n", rate_text(config.ramp->from),
                       rate_text(config.ramp->to), rate_text(config.ramp->step), config.load.duration.count() / 1000.0);
    out += fmt::format("  {:<14} {:>10} {:<14} {:>10} {:>9} {:>9} {:>7} {:>7}  {}\n", "variant", "offered", "query",
                       "tps", "p95 ms", "p99 ms", "errors", "dropped", "verdict");
    for (const auto& step : report.result.ramp) {
      auto runs = step_runs(report.result, step);
      for (size_t i = 0; i < runs.size(); ++i) {
        const auto& run = *runs[i];
        std::string verdict;
        if (i + 1 == runs.size()) {
          verdict = step.held ? "held" : "BROKEN: ";
          for (size_t b = 0; b < step.broken.size(); ++b) verdict += (b ? "; " : "") + step.broken[b];
        }
        out += fmt::format("  {:<14} {:>10} {:<14} {:>10.1f} {:>9.3f} {:>9.3f} {:>7} {:>7}  {}\n", step.variant,
                           rate_text(step.rate), run.query, run.throughput(), run.latency.quantile(0.95),
                           run.latency.quantile(0.99), run.errors, run.dropped, verdict);
      }
    }
    for (const auto& knee : report.knees) out += "  " + knee_line(knee, config.ramp->to) + "\n";
  }
  if (report.result.interrupted) {
    out += report.result.interruption.empty()
               ? "\ninterrupted: the results above are partial\n"
               : fmt::format("\ninterrupted ({}): the results above are partial\n", report.result.interruption);
  }
  return out;
}

std::string render_bench_markdown(const BenchReport& report) {
  std::string out = fmt::format("### dbvet bench `{}`\n\n", report.result.target);
  out += "| Query | Variant | tps | p50 ms | p95 ms | p99 ms | max ms | errors | answer | cache hit ratio |\n";
  out += "|---|---|---:|---:|---:|---:|---:|---:|---|---:|\n";
  for (const auto* summary_ptr : by_query(report.summaries)) {
    const auto& summary = *summary_ptr;
    const auto& run = summary.merged;
    double tps = run.elapsed_s > 0 ? static_cast<double>(run.transactions) / run.elapsed_s : 0;
    out += fmt::format("| `{}` | {} | {:.1f} | {:.3f} | {:.3f} | {:.3f} | {:.3f} | {} | {} | {} |\n", summary.query,
                       summary.variant, tps, run.latency.quantile(0.5), run.latency.quantile(0.95),
                       run.latency.quantile(0.99), run.latency.max, run.errors,
                       summary.answer == "changed" ? "**changed**" : summary.answer,
                       run.cache_hits + run.cache_misses > 0 ? fmt::format("{:.1f}%", hit_ratio(run) * 100) : "");
  }
  if (report.result.config.ramp) {
    out += "\n| Variant | Offered | Query | tps | p95 ms | p99 ms | errors | dropped | Verdict |\n";
    out += "|---|---:|---|---:|---:|---:|---:|---:|---|\n";
    for (const auto& step : report.result.ramp) {
      std::string verdict = step.held ? "✅ held" : "❌ ";
      for (size_t b = 0; b < step.broken.size(); ++b) verdict += (b ? "; " : "") + step.broken[b];
      for (const auto* run : step_runs(report.result, step)) {
        out += fmt::format("| {} | {} | `{}` | {:.1f} | {:.3f} | {:.3f} | {} | {} | {} |\n", step.variant,
                           rate_text(step.rate), run->query, run->throughput(), run->latency.quantile(0.95),
                           run->latency.quantile(0.99), run->errors, run->dropped, verdict);
      }
    }
    out += "\n";
    for (const auto& knee : report.knees) out += "- " + knee_line(knee, report.result.config.ramp->to) + "\n";
  }
  if (!report.slas.empty()) {
    out += "\n| SLA | Query | Variant | Measured | |\n|---|---|---|---:|---|\n";
    for (const auto& sla : report.slas) {
      std::string node = sla.hotspot ? sla.hotspot->describe() : "";
      out += fmt::format("| `{}` | `{}` | {} | {:.3f} | {} |\n", sla.sla, sla.query, sla.variant, sla.measured,
                         sla.passed     ? "✅"
                         : node.empty() ? "❌ broken"
                                        : "❌ broken; costliest plan node: " + node);
    }
  }
  return out;
}

std::string render_bench_junit(const BenchReport& report) {
  size_t failures = 0;
  for (const auto& sla : report.slas) failures += sla.passed ? 0 : 1;
  for (const auto& summary : report.summaries) failures += summary.answer == "changed" ? 1 : 0;
  for (const auto& knee : report.knees) failures += knee.knee ? 0 : 1;
  size_t tests = report.slas.size() + report.summaries.size() + report.knees.size();
  std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  out +=
      fmt::format("<testsuites>\n  <testsuite name=\"dbvet bench\" tests=\"{}\" failures=\"{}\">\n", tests, failures);
  for (const auto& summary : report.summaries) {
    out += fmt::format("    <testcase classname=\"answers\" name=\"{}/{}\"", util::escape_markup(summary.query),
                       util::escape_markup(summary.variant));
    if (summary.answer == "changed") {
      out += fmt::format("><failure message=\"the variant returns different rows than {}\"/></testcase>\n",
                         util::escape_markup(report.result.variants.front().name));
    } else {
      out += "/>\n";
    }
  }
  for (const auto& sla : report.slas) {
    out += fmt::format("    <testcase classname=\"sla\" name=\"{} {}/{}\"", util::escape_markup(sla.sla),
                       util::escape_markup(sla.query), util::escape_markup(sla.variant));
    if (sla.passed) {
      out += "/>\n";
    } else {
      out += fmt::format("><failure message=\"{}\">{}</failure></testcase>\n",
                         util::escape_markup(sla_broken_message(sla)),
                         util::escape_markup(sla.hotspot ? sla.hotspot->statement : ""));
    }
  }
  for (const auto& knee : report.knees) {
    out += fmt::format("    <testcase classname=\"ramp\" name=\"knee {}\"", util::escape_markup(knee.variant));
    std::string line = util::escape_markup(knee_line(knee, report.result.config.ramp->to));
    out += knee.knee ? fmt::format("><system-out>{}</system-out></testcase>\n", line)
                     : fmt::format("><failure message=\"{}\"/></testcase>\n", line);
  }
  out += "  </testsuite>\n</testsuites>\n";
  return out;
}

std::string render_bench_csv(const BenchReport& report) {
  std::string out = "query,variant,repetition,second,transactions,errors,p50_ms,p95_ms,p99_ms,max_ms\n";
  for (const auto& run : report.result.runs) {
    for (size_t s = 0; s < run.intervals.size(); ++s) {
      const auto& interval = run.intervals[s];
      out += fmt::format("{},{},{},{},{},{},{:.4f},{:.4f},{:.4f},{:.4f}\n", run.query, run.variant, run.repetition, s,
                         interval.transactions, interval.errors, interval.p50_ms, interval.p95_ms, interval.p99_ms,
                         interval.max_ms);
    }
  }
  return out;
}

}  // namespace dbvet::bench
