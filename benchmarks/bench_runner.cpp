#include "benchmarks/bench_runner.hpp"

#include <unistd.h>

#include <array>
#include <chrono>
#include <cmath>
#include <csignal>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <thread>

#include "analyzer/capture/live/workload_capture.hpp"
#include "analyzer/core/target_url.hpp"
#include "analyzer/engines/connection.hpp"
#ifdef DBVET_WITH_POSTGRES
#include "analyzer/engines/postgres/postgres_prepared.hpp"
#endif
#include "analyzer/engines/redis/redis_client.hpp"
#include "analyzer/workload/runner.hpp"
#include "benchmarks/cache_aside.hpp"
#include "benchmarks/plan_hotspot.hpp"
#include "benchmarks/sandbox.hpp"
#include "benchmarks/sla_check.hpp"
#include "fmt/format.h"

namespace dbvet::bench {

core::Expected<int64_t> used_memory(engines::redis::RedisClient& client);

namespace {

using Clock = std::chrono::steady_clock;
constexpr int kHashedTransactions = 50;  // per client and query: the answers compared across variants

std::atomic<bool> g_interrupted{false};
void on_interrupt(int) { g_interrupted.store(true); }

double ms_between(Clock::time_point from, Clock::time_point to) {
  return std::chrono::duration<double, std::milli>(to - from).count();
}

uint64_t mix(uint64_t hash, uint64_t value) {
  hash ^= value + 0x9e3779b97f4a7c15ULL + (hash << 6) + (hash >> 2);
  return hash * 0x100000001b3ULL;
}

std::string query_name(const std::string& script_name) {
  auto stem = std::filesystem::path(script_name).stem().string();
  return stem.empty() ? script_name : stem;
}

bool looks_like_timeout(const std::string& message) {
  return message.find("timeout") != std::string::npos || message.find("cancel") != std::string::npos;
}

// What one client thread measures, per query (script index).
struct ClientStats {
  std::vector<QueryRun> runs;
  std::vector<uint64_t> hashes;  // per query: this client's hash of its first transactions
  std::vector<int> hashed;       // per query: how many transactions went into it
};

// The database side of a client: the engine's connection, or on PostgreSQL the prepared-statement
// session an application driver would use.
struct ClientDatabase {
  std::unique_ptr<engines::Connection> connection;
#ifdef DBVET_WITH_POSTGRES
  std::unique_ptr<engines::postgres::PreparedSession> prepared;
#endif
  core::Expected<engines::ResultSummary> execute(const std::string& sql, const engines::ExecuteOptions& options) {
#ifdef DBVET_WITH_POSTGRES
    if (prepared) return prepared->execute(sql, options.keep_rows);
#endif
    return connection->execute(sql, options);
  }
};

core::Expected<ClientDatabase> open_client(const core::TargetUrl& url, const engines::ConnectOptions& options) {
  ClientDatabase db;
#ifdef DBVET_WITH_POSTGRES
  if (url.engine == core::Engine::postgres) {
    auto prepared = engines::postgres::PreparedSession::connect(url, options);
    if (!prepared) return prepared.error();
    db.prepared = std::move(*prepared);
    return db;
  }
#endif
  auto connection = engines::connect(url, options);
  if (!connection) return connection.error();
  db.connection = std::move(*connection);
  return db;
}

// Statements of a transaction go to the database, or through the cache-aside layer.
class BenchExecutor : public workload::Executor {
 public:
  BenchExecutor(ClientDatabase& db, CacheAside* cache) : db_(db), cache_(cache) {}

  void begin(QueryRun* run) {
    run_ = run;
    rows_ = 0;
    hash_ = 0;
  }
  int64_t rows() const { return rows_; }
  uint64_t hash() const { return hash_; }

  core::Expected<std::vector<workload::ResultRow>> run(const std::string& sql, bool want_rows) override {
    if (cache_ && is_cacheable_read(sql)) {
      auto start = Clock::now();
      auto cached = cache_->get(sql, want_rows);
      if (!cached) return cached.error();
      if (*cached) {
        run_->hit_latency.add(ms_between(start, Clock::now()));
        ++run_->cache_hits;
        return answer(**cached, want_rows);
      }
      auto result = timed_execute(sql);
      if (!result) return result.error();
      if (auto stored = cache_->put(sql, *result); !stored) return stored.error();
      run_->miss_latency.add(ms_between(start, Clock::now()));
      ++run_->cache_misses;
      return answer(*result, want_rows);
    }
    auto result = timed_execute(sql);
    if (!result) return result.error();
    if (cache_ && engines::is_writing_statement(sql)) {
      if (auto invalidated = cache_->invalidate(sql); !invalidated) return invalidated.error();
    }
    return answer(*result, want_rows);
  }

  void sleep(std::chrono::microseconds duration) override { std::this_thread::sleep_for(duration); }

  void rollback() { (void)db_.execute("ROLLBACK", options_); }

 private:
  core::Expected<engines::ResultSummary> timed_execute(const std::string& sql) {
    auto start = Clock::now();
    auto result = db_.execute(sql, options_);
    double ms = ms_between(start, Clock::now());
    if (ms > run_->slowest_statement_ms) {
      run_->slowest_statement_ms = ms;
      run_->slowest_statement = sql;
    }
    return result;
  }

  std::vector<workload::ResultRow> answer(const engines::ResultSummary& result, bool want_rows) {
    rows_ += result.row_count;
    hash_ = mix(hash_, result.result_hash + static_cast<uint64_t>(result.row_count));
    std::vector<workload::ResultRow> rows;
    if (!want_rows) return rows;
    for (const auto& row : result.rows) rows.push_back({result.columns, row});
    return rows;
  }

  ClientDatabase& db_;
  CacheAside* cache_;
  QueryRun* run_ = nullptr;
  engines::ExecuteOptions options_{64};
  int64_t rows_ = 0;
  uint64_t hash_ = 0;
};

struct PhaseInput {
  const BenchConfig* config;
  const Variant* variant;
  core::TargetUrl url;
  const std::vector<workload::Script>* scripts;
  std::vector<std::string> query_names;
  int repetition = 0;
  bool measure = true;
  std::chrono::milliseconds duration{0};
  int64_t transactions = 0;
  double rate = 0;  // open loop: offered transactions per second over all clients; 0 = closed
  std::string cache_prefix;
};

void client_loop(const PhaseInput& in, int client, BenchExecutor& executor, ClientStats& stats, Clock::time_point start,
                 Clock::time_point deadline) {
  const auto& config = *in.config;
  workload::Value scale = std::floor(config.scale) == config.scale
                              ? workload::Value::of_int(static_cast<int64_t>(config.scale))
                              : workload::Value::of_double(config.scale);
  workload::Session session(config.seed * 1000003ULL + static_cast<uint64_t>(client), client + 1, scale);
  sample::Random schedule(config.seed, fmt::format("schedule-{}", client));
  const bool open_loop = in.rate > 0;
  const double client_rate = open_loop ? in.rate / config.load.clients : 0;
  auto intended = start;
  for (int64_t done = 0;; ++done) {
    if (g_interrupted.load(std::memory_order_relaxed)) break;
    if (in.transactions > 0 ? done >= in.transactions : Clock::now() >= deadline) break;
    if (open_loop) {
      double u = static_cast<double>(schedule.next() >> 11) * 0x1.0p-53;
      intended +=
          std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(-std::log(1 - u) / client_rate));
      if (in.transactions <= 0 && intended >= deadline) break;
      auto now = Clock::now();
      if (now < intended) {
        while (Clock::now() < intended && !g_interrupted.load(std::memory_order_relaxed)) {
          std::this_thread::sleep_until(std::min(intended, Clock::now() + std::chrono::milliseconds(100)));
        }
      } else if (now - intended > config.load.max_lag) {
        size_t script = workload::choose_script(*in.scripts, session.random());
        ++stats.runs[script].dropped;  // pgbench --latency-limit: too late to be worth starting
        continue;
      }
    }
    size_t script = workload::choose_script(*in.scripts, session.random());
    QueryRun& run = stats.runs[script];
    auto begun = Clock::now();
    auto measured_from = open_loop ? intended : begun;
    executor.begin(&run);
    auto status = session.run((*in.scripts)[script], executor);
    auto ended = Clock::now();
    auto second = static_cast<size_t>(std::chrono::duration_cast<std::chrono::seconds>(ended - start).count());
    if (run.intervals.size() <= second) run.intervals.resize(second + 1);
    auto& interval = run.intervals[second];
    if (!status) {
      ++run.errors;
      ++interval.errors;
      if (looks_like_timeout(status.error().message)) ++run.timeouts;
      if (run.first_error.empty()) run.first_error = status.error().message;
      executor.rollback();
      continue;
    }
    double latency = ms_between(measured_from, ended);
    run.latency.add(latency);
    interval.latency.add(latency);
    ++interval.transactions;
    ++run.transactions;
    run.rows += executor.rows();
    if (open_loop) {
      double lag = std::max(0.0, ms_between(intended, begun));
      run.lag_sum_ms += lag;
      run.lag_max_ms = std::max(run.lag_max_ms, lag);
    }
    if (stats.hashed[script] < kHashedTransactions) {
      stats.hashes[script] = mix(stats.hashes[script], executor.hash());
      ++stats.hashed[script];
    }
  }
}

core::Expected<std::vector<QueryRun>> run_phase(const PhaseInput& in) {
  const auto& config = *in.config;
  engines::ConnectOptions options;
  options.statement_timeout = config.statement_timeout;
  options.allow_writes = config.sandbox || config.allow_ddl;
  std::vector<ClientDatabase> connections;
  std::vector<std::unique_ptr<CacheAside>> caches;
  std::optional<core::TargetUrl> redis_url;
  if (in.variant->kind == Variant::Kind::cache) {
    auto url = core::parse_target_url(in.variant->spec);
    if (!url) return url.error();
    redis_url = *url;
  }
  for (int c = 0; c < config.load.clients; ++c) {
    auto connection = open_client(in.url, options);
    if (!connection) return connection.error();
    connections.push_back(std::move(*connection));
    if (redis_url) {
      auto client = engines::redis::RedisClient::connect(*redis_url, std::chrono::milliseconds(10000));
      if (!client) return client.error();
      caches.push_back(std::make_unique<CacheAside>(std::move(*client), in.cache_prefix, in.variant->cache_ttl_s));
    }
  }
  std::vector<ClientStats> stats(static_cast<size_t>(config.load.clients));
  for (auto& s : stats) {
    s.runs.resize(in.scripts->size());
    s.hashes.assign(in.scripts->size(), 0);
    s.hashed.assign(in.scripts->size(), 0);
  }
  auto start = Clock::now() + std::chrono::milliseconds(5);
  auto deadline = start + in.duration;
  std::vector<std::thread> threads;
  for (int c = 0; c < config.load.clients; ++c) {
    threads.emplace_back([&, c] {
      std::this_thread::sleep_until(start);
      BenchExecutor executor(connections[static_cast<size_t>(c)],
                             caches.empty() ? nullptr : caches[static_cast<size_t>(c)].get());
      client_loop(in, c, executor, stats[static_cast<size_t>(c)], start, deadline);
    });
  }
  for (auto& thread : threads) thread.join();
  double elapsed = std::chrono::duration<double>(Clock::now() - start).count();

  std::vector<QueryRun> merged(in.scripts->size());
  for (size_t q = 0; q < merged.size(); ++q) {
    auto& run = merged[q];
    run.query = in.query_names[q];
    run.variant = in.variant->name;
    run.repetition = in.repetition;
    run.elapsed_s = elapsed;
    run.offered_rate = in.rate;
    for (const auto& s : stats) {
      const auto& part = s.runs[q];
      run.merge_counts(part);
      if (run.intervals.size() < part.intervals.size()) run.intervals.resize(part.intervals.size());
      for (size_t i = 0; i < part.intervals.size(); ++i) {
        run.intervals[i].transactions += part.intervals[i].transactions;
        run.intervals[i].errors += part.intervals[i].errors;
        run.intervals[i].latency.merge(part.intervals[i].latency);
      }
      run.result_hash += mix(s.hashes[q], static_cast<uint64_t>(s.hashed[q]));
    }
  }
  return merged;
}

// Deletes this run's cache keys (SCAN MATCH prefix*), and returns used_memory afterwards.
core::Expected<int64_t> reset_cache(const core::TargetUrl& url, const std::string& prefix) {
  auto client = engines::redis::RedisClient::connect(url, std::chrono::milliseconds(10000));
  if (!client) return client.error();
  std::string cursor = "0";
  do {
    auto reply = client->command({"SCAN", cursor, "MATCH", prefix + "*", "COUNT", "1000"});
    if (!reply) return reply.error();
    if (reply->elements.size() != 2) break;
    cursor = reply->elements[0].str;
    std::vector<std::string> del{"DEL"};
    for (const auto& key : reply->elements[1].elements) del.push_back(key.str);
    if (del.size() > 1) {
      if (auto deleted = client->command(del); !deleted) return deleted.error();
    }
  } while (cursor != "0");
  return used_memory(*client);
}

// One rate of the ramp for one variant: every SLA that names a query of the phase (or every query)
// and the error rate, counting dropped requests, which an overloaded open loop sheds.
RampStep judge_ramp_step(const BenchConfig& config, const std::vector<QueryRun>& runs, const std::string& variant,
                         double rate) {
  RampStep step;
  step.variant = variant;
  step.rate = rate;
  bool errors_sla = false;
  uint64_t offered = 0, failed = 0;
  for (const auto& run : runs) {
    offered += run.transactions + run.errors + run.dropped;
    failed += run.errors + run.dropped;
    for (const auto& sla : config.slas) {
      if (!sla.query.empty() && sla.query != run.query) continue;
      errors_sla = errors_sla || sla.metric == "errors";
      if (run.transactions + run.errors == 0 && sla.query.empty()) continue;  // the script was never picked
      double measured = sla_metric_value(run, sla.metric);
      if (!sla_holds(sla, measured)) {
        step.broken.push_back(fmt::format("{} on {}: {}", sla.text, run.query, format_sla_value(sla.metric, measured)));
      }
    }
  }
  double error_rate = offered ? static_cast<double>(failed) / static_cast<double>(offered) : 0;
  if (!errors_sla && error_rate > config.ramp->max_error_rate) {
    step.broken.push_back(
        fmt::format("errors and dropped {:.2f}% > {:.2f}%", error_rate * 100, config.ramp->max_error_rate * 100));
  }
  step.held = step.broken.empty();
  return step;
}

// For every query and variant, EXPLAIN (without ANALYZE: nothing runs) the slowest statement the
// phases saw, on the variant's own database, and keep the node that costs the most.
std::vector<PlanHotspot> explain_hotspots(const BenchConfig& config, const std::vector<QueryRun>& runs,
                                          const std::vector<Variant>& variants,
                                          const std::vector<core::TargetUrl>& urls) {
  std::vector<PlanHotspot> hotspots;
  for (size_t v = 0; v < urls.size(); ++v) {
    std::map<std::string, QueryRun> slowest;  // per query
    std::vector<std::string> order;
    for (const auto& run : runs) {
      if (run.variant != variants[v].name) continue;
      auto [it, inserted] = slowest.try_emplace(run.query);
      if (inserted) order.push_back(run.query);
      if (run.slowest_statement_ms >= it->second.slowest_statement_ms && !run.slowest_statement.empty()) {
        it->second.slowest_statement_ms = run.slowest_statement_ms;
        it->second.slowest_statement = run.slowest_statement;
      }
    }
    if (order.empty()) continue;
    engines::ConnectOptions options;
    options.statement_timeout = config.statement_timeout;
    auto session = engines::connect(urls[v], options);
    for (const auto& query : order) {
      PlanHotspot hotspot;
      hotspot.query = query;
      hotspot.variant = variants[v].name;
      hotspot.statement = slowest[query].slowest_statement;
      if (hotspot.statement.empty()) {
        hotspot.error = "no statement reached the database";
      } else if (!session) {
        hotspot.error = session.error().message;
      } else if (auto plan = (*session)->explain(hotspot.statement, engines::ExplainOptions{false, false}); !plan) {
        hotspot.error = plan.error().message;
      } else {
        find_plan_hotspot(*plan, hotspot);
      }
      hotspots.push_back(std::move(hotspot));
    }
  }
  return hotspots;
}

}  // namespace

std::atomic<bool>& interrupted() { return g_interrupted; }

void install_interrupt_handler() {
  struct sigaction action {};
  action.sa_handler = on_interrupt;
  sigemptyset(&action.sa_mask);
  sigaction(SIGINT, &action, nullptr);
  sigaction(SIGTERM, &action, nullptr);
}

void LatencyStats::add(double ms) {
  histogram.add(ms);
  ++count;
  sum += ms;
  sum_squares += ms * ms;
  max = std::max(max, ms);
}

void LatencyStats::merge(const LatencyStats& other) {
  histogram.merge(other.histogram);
  count += other.count;
  sum += other.sum;
  sum_squares += other.sum_squares;
  max = std::max(max, other.max);
}

void QueryRun::merge_counts(const QueryRun& other) {
  latency.merge(other.latency);
  transactions += other.transactions;
  errors += other.errors;
  timeouts += other.timeouts;
  dropped += other.dropped;
  rows += other.rows;
  lag_sum_ms += other.lag_sum_ms;
  lag_max_ms = std::max(lag_max_ms, other.lag_max_ms);
  if (first_error.empty()) first_error = other.first_error;
  if (other.slowest_statement_ms > slowest_statement_ms) {
    slowest_statement_ms = other.slowest_statement_ms;
    slowest_statement = other.slowest_statement;
  }
  cache_hits += other.cache_hits;
  cache_misses += other.cache_misses;
  hit_latency.merge(other.hit_latency);
  miss_latency.merge(other.miss_latency);
}

double LatencyStats::stddev() const {
  if (count < 2) return 0;
  double n = static_cast<double>(count);
  double variance = (sum_squares - sum * sum / n) / (n - 1);
  return variance > 0 ? std::sqrt(variance) : 0;
}

core::Expected<int64_t> used_memory(engines::redis::RedisClient& client) {
  auto info = client.info("memory");
  if (!info) return info.error();
  auto it = info->find("used_memory");
  if (it == info->end()) return int64_t{0};
  try {
    return static_cast<int64_t>(std::stoll(it->second));
  } catch (const std::exception&) {
    return int64_t{0};
  }
}

core::Expected<BenchResult> run_bench(const BenchConfig& config, const PhaseCallback& progress) {
  auto url = core::parse_target_url(config.target);
  if (!url) return url.error();
  if (config.scripts.empty()) return core::make_error(core::ErrorKind::usage, "bench needs at least one --workload");
  BenchResult result;
  result.target = url->redacted();
  result.engine = std::string(core::engine_name(url->engine));
  result.config = config;

  std::vector<Variant> variants = config.variants;
  if (variants.empty()) {
    Variant baseline;
    baseline.name = "baseline";
    variants.push_back(std::move(baseline));
  }
  for (const auto& variant : variants) {
    if (variant.kind == Variant::Kind::index && !config.sandbox) {
      return core::make_error(core::ErrorKind::usage,
                              fmt::format("variant '{}' needs DDL: run it with --sandbox (dbvet never changes the "
                                          "target itself)",
                                          variant.name));
    }
  }

  // Every script, the rewrites' too, is checked before a sandbox is made or a statement is sent.
  const bool read_only = !(config.sandbox || config.allow_ddl);
  if (auto status = capture::live::check_workload_statements(config.scripts, url->engine, read_only); !status) {
    return status.error();
  }
  for (const auto& variant : variants) {
    if (auto status = capture::live::check_workload_statements(variant.scripts, url->engine, read_only); !status) {
      return status.error();
    }
  }

  // Sandboxes (one per variant, so that writes of one variant never reach another) live until the
  // end of this function, whichever way it ends.
  std::vector<Sandbox> sandboxes;
  std::vector<core::TargetUrl> urls;
  std::vector<std::vector<workload::Script>> scripts(variants.size());
  std::vector<std::string> query_names;
  for (const auto& script : config.scripts) query_names.push_back(query_name(script.name));
  for (size_t v = 0; v < variants.size(); ++v) {
    const auto& variant = variants[v];
    VariantInfo info{
        variant.name,
        std::array<const char*, 4>{"baseline", "index", "rewrite", "cache"}[static_cast<size_t>(variant.kind)],
        variant.spec, "", 0};
    core::TargetUrl variant_url = *url;
    if (config.sandbox) {
      auto sandbox = Sandbox::create(*url, fmt::format("{}", v));
      if (!sandbox) return sandbox.error();
      variant_url = sandbox->url();
      info.sandbox = sandbox->describe();
      sandboxes.push_back(std::move(*sandbox));
      if (g_interrupted.load()) break;
    }
    if (variant.kind == Variant::Kind::index) {
      engines::ConnectOptions options;
      options.allow_writes = true;
      options.statement_timeout = std::chrono::minutes(30);
      auto session = engines::connect(variant_url, options);
      if (!session) return session.error();
      if (auto applied = (*session)->execute_script(variant.spec); !applied) {
        return core::make_error(applied.error().kind,
                                fmt::format("variant '{}': {}", variant.name, applied.error().message));
      }
    }
    scripts[v] = config.scripts;
    if (variant.kind == Variant::Kind::rewrite) {
      for (const auto& rewritten : variant.scripts) {
        bool replaced = false;
        for (auto& script : scripts[v]) {
          if (query_name(script.name) == query_name(rewritten.name)) {
            int weight = script.weight;
            script = rewritten;
            script.weight = weight;
            replaced = true;
          }
        }
        if (!replaced && scripts[v].size() == 1) {
          int weight = scripts[v][0].weight;
          scripts[v][0] = rewritten;
          scripts[v][0].weight = weight;
        } else if (!replaced) {
          return core::make_error(
              core::ErrorKind::usage,
              fmt::format("variant '{}': {} rewrites no workload of the same name", variant.name, rewritten.name));
        }
      }
    }
    urls.push_back(variant_url);
    result.variants.push_back(info);
  }

  auto phase_input = [&](size_t v, int repetition) {
    PhaseInput in;
    in.config = &config;
    in.variant = &variants[v];
    in.url = urls[v];
    in.scripts = &scripts[v];
    in.query_names = query_names;
    in.repetition = repetition;
    in.duration = config.load.duration;
    in.transactions = config.load.transactions;
    in.rate = config.load.rate;
    in.cache_prefix = fmt::format("dbvet:bench:{}:{}:", static_cast<long>(getpid()), variants[v].name);
    return in;
  };

  // Warm-up once per variant, then repetitions interleaved: A B A B.
  for (size_t v = 0; v < urls.size() && config.load.warmup.count() > 0 && !g_interrupted.load(); ++v) {
    auto in = phase_input(v, -1);
    in.measure = false;
    in.duration = config.load.warmup;
    in.transactions = 0;
    auto warm = run_phase(in);
    if (!warm) return warm.error();
  }
  auto measured_phase = [&](size_t v, PhaseInput in) -> core::Expected<std::vector<QueryRun>> {
    std::optional<core::TargetUrl> redis_url;
    int64_t memory_before = 0;
    if (variants[v].kind == Variant::Kind::cache) {
      redis_url = *core::parse_target_url(variants[v].spec);
      auto before = reset_cache(*redis_url, in.cache_prefix);  // every repetition starts cold
      if (!before) return before.error();
      memory_before = *before;
    }
    auto runs = run_phase(in);
    if (!runs) return runs.error();
    if (redis_url) {
      auto client = engines::redis::RedisClient::connect(*redis_url, std::chrono::milliseconds(10000));
      if (client) {
        if (auto after = used_memory(*client)) {
          result.variants[v].redis_memory_delta =
              std::max(result.variants[v].redis_memory_delta, *after - memory_before);
        }
      }
      (void)reset_cache(*redis_url, in.cache_prefix);
    }
    for (const auto& run : *runs) {
      if (progress) progress(run);
    }
    return runs;
  };
  if (config.ramp) {
    // Each variant climbs the rates (interleaved: every variant at one rate, then the next rate)
    // until a phase breaks; the knee is the last rate that held.
    std::vector<bool> climbing(urls.size(), true);
    auto rates = config.ramp->rates();
    for (size_t step = 0; step < rates.size() && !g_interrupted.load(); ++step) {
      bool any = false;
      for (size_t v = 0; v < urls.size() && !g_interrupted.load(); ++v) {
        if (!climbing[v]) continue;
        any = true;
        auto in = phase_input(v, static_cast<int>(step));
        in.rate = rates[step];
        auto runs = measured_phase(v, in);
        if (!runs) return runs.error();
        if (g_interrupted.load()) break;  // a cut-short phase says nothing about the rate
        RampStep verdict = judge_ramp_step(config, *runs, variants[v].name, rates[step]);
        climbing[v] = verdict.held;
        result.ramp.push_back(std::move(verdict));
        for (auto& run : *runs) result.runs.push_back(std::move(run));
      }
      if (!any) break;
    }
  }
  for (int repetition = 0; !config.ramp && repetition < config.repetitions && !g_interrupted.load(); ++repetition) {
    for (size_t v = 0; v < urls.size() && !g_interrupted.load(); ++v) {
      auto runs = measured_phase(v, phase_input(v, repetition));
      if (!runs) return runs.error();
      for (auto& run : *runs) result.runs.push_back(std::move(run));
    }
  }
  result.interrupted = g_interrupted.load();
  if (!config.slas.empty() && !result.interrupted)
    result.hotspots = explain_hotspots(config, result.runs, variants, urls);
  for (auto& sandbox : sandboxes) {
    if (auto removed = sandbox.remove(); !removed) return removed.error();
  }
  return result;
}

}  // namespace dbvet::bench
