#include "benchmarks/bench_runner.hpp"

#include <unistd.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <csignal>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>

#include "analyzer/core/redact.hpp"
#include "analyzer/core/target_url.hpp"
#include "analyzer/engines/connection.hpp"
#include "analyzer/pipeline/live/workload_capture.hpp"
#ifdef DBVET_WITH_POSTGRES
#include "analyzer/engines/postgres/postgres_prepared.hpp"
#endif
#include "analyzer/engines/redis/redis_client.hpp"
#include "analyzer/workload/runner.hpp"
#include "benchmarks/cache_aside.hpp"
#include "benchmarks/cacheability.hpp"
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

// One second of one client (or, merged, of every client) for one query, until it is summarized.
struct PendingSecond {
  uint64_t transactions = 0, errors = 0;
  LatencyStats latency;
};

// The per-second figures of one phase. Each client hands over a second when it has moved past it;
// a second's merged histogram lives only until every client has handed it over, and then only its
// quantiles are kept. Memory stays flat in the number of clients and nearly so in the duration.
class IntervalBook {
 public:
  IntervalBook(size_t queries, size_t clients) : seconds_(queries), done_(clients, -1) {}

  // `client` has finished every second up to `second`; `pending` (one per query) holds that second.
  void hand_over(size_t client, int64_t second, std::vector<PendingSecond>& pending, bool last = false) {
    std::lock_guard<std::mutex> lock(mutex_);
    for (size_t q = 0; q < pending.size(); ++q) {
      auto& part = pending[q];
      if (part.transactions + part.errors > 0) {
        auto& slots = seconds_[q];
        if (slots.size() <= static_cast<size_t>(second)) slots.resize(static_cast<size_t>(second) + 1);
        auto& slot = slots[static_cast<size_t>(second)];
        slot.pending.transactions += part.transactions;
        slot.pending.errors += part.errors;
        slot.pending.latency.merge(part.latency);
      }
      part = PendingSecond{};
    }
    done_[client] = last ? INT64_MAX : second;
    int64_t through = *std::min_element(done_.begin(), done_.end());
    for (auto& slots : seconds_) {
      for (size_t s = summarized_; s < slots.size() && static_cast<int64_t>(s) <= through; ++s) summarize(slots[s]);
    }
    if (through >= 0) summarized_ = std::max(summarized_, static_cast<size_t>(std::min<int64_t>(through, 1 << 30)) + 1);
  }

  std::vector<IntervalStats> take(size_t query) {
    std::lock_guard<std::mutex> lock(mutex_);
    std::vector<IntervalStats> out;
    out.reserve(seconds_[query].size());
    for (auto& slot : seconds_[query]) {
      summarize(slot);
      out.push_back(slot.summary);
    }
    return out;
  }

 private:
  struct Slot {
    PendingSecond pending;
    IntervalStats summary;
    bool summarized = false;
  };
  static void summarize(Slot& slot) {
    if (slot.summarized) return;
    slot.summary.transactions = slot.pending.transactions;
    slot.summary.errors = slot.pending.errors;
    slot.summary.p50_ms = slot.pending.latency.quantile(0.5);
    slot.summary.p95_ms = slot.pending.latency.quantile(0.95);
    slot.summary.p99_ms = slot.pending.latency.quantile(0.99);
    slot.summary.max_ms = slot.pending.latency.max;
    slot.pending = PendingSecond{};
    slot.summarized = true;
  }

  std::mutex mutex_;
  std::vector<std::vector<Slot>> seconds_;  // per query, per second
  std::vector<int64_t> done_;               // per client: the last second handed over
  size_t summarized_ = 0;                   // seconds before this are summarized for every query
};

// What one client thread measures, per query (script index).
struct ClientStats {
  std::vector<PendingSecond> current;  // per query: the second in progress
  int64_t second = 0;
  std::vector<QueryRun> runs;
  std::vector<uint64_t> hashes;  // per query: this client's hash of its first transactions
  std::vector<int> hashed;       // per query: how many transactions went into it

  // A transaction's latency is added to the second in progress only, and each query's whole-run
  // latency takes in the second's when the second is handed over: one histogram add per
  // transaction on the hot path, not two.
  void hand_over(IntervalBook& book, size_t client, bool last = false) {
    for (size_t q = 0; q < current.size(); ++q) runs[q].latency.merge(current[q].latency);
    book.hand_over(client, second, current, last);
  }
};

// The database side of a client: the engine's connection, or on PostgreSQL the prepared-statement
// session an application driver would use.
struct ClientDatabase {
  std::unique_ptr<engines::Connection> connection;
#ifdef DBVET_WITH_POSTGRES
  std::unique_ptr<engines::postgres::PreparedSession> prepared;
#endif
  // `while_waiting` runs while the server works on the statement where the session can split sending
  // from reading (the prepared PostgreSQL session); elsewhere it is not called.
  core::Expected<engines::ResultSummary> execute(const std::string& sql, const engines::ExecuteOptions& options,
                                                 const std::function<void()>& while_waiting = {}) {
#ifdef DBVET_WITH_POSTGRES
    if (prepared) return prepared->execute(sql, options.keep_rows, while_waiting);
#endif
    (void)while_waiting;
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
  // `time_statements`: each statement is timed and the slowest kept, for the plan hotspots of a run
  // with SLAs; without them the two clock reads per statement are left out of the hot path.
  BenchExecutor(ClientDatabase* db, CacheAside* cache, bool time_statements)
      : db_(db), cache_(cache), time_statements_(time_statements) {}

  void begin(QueryRun* run) {
    run_ = run;
    rows_ = 0;
    hash_ = 0;
    session_ = {};
    lost_connection_ = false;
  }
  // Work to do while the server answers a statement (at most once per statement sent).
  void set_while_waiting(std::function<void()> work) { while_waiting_ = std::move(work); }
  // After a reconnection, the fresh sessions.
  void rebind(ClientDatabase* db, CacheAside* cache) {
    db_ = db;
    cache_ = cache;
  }
  // The transaction failed because the database or the cache stopped answering (the script's
  // error wraps the kind away, so it is remembered here).
  bool lost_connection() const { return lost_connection_; }
  int64_t rows() const { return rows_; }
  uint64_t hash() const { return hash_; }

  core::Expected<std::vector<workload::ResultRow>> run(const std::string& sql, bool want_rows) override {
    auto rows = run_statement(sql, want_rows);
    if (!rows && rows.error().kind == core::ErrorKind::connection) lost_connection_ = true;
    return rows;
  }

  void sleep(std::chrono::microseconds duration) override { std::this_thread::sleep_for(duration); }

  void rollback() {
    if (!lost_connection_) (void)db_->execute("ROLLBACK", options_);
    session_ = {};
  }

 private:
  core::Expected<std::vector<workload::ResultRow>> run_statement(const std::string& sql, bool want_rows) {
    // Only answers that do not depend on the session, the clock or this transaction's own writes.
    bool use_cache = cache_ && cacheable(sql, session_);
    if (cache_) track(sql, session_);  // the session state only serves cacheable()
    if (use_cache) {
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
    // Rows are copied out of the answer only when \gset reads them (the hash covers every row).
    auto result = timed_execute(sql, want_rows ? options_ : kNoRows);
    if (!result) return result.error();
    if (cache_ && engines::is_writing_statement(sql)) {
      if (auto invalidated = cache_->invalidate(sql); !invalidated) return invalidated.error();
    }
    return answer(*result, want_rows);
  }

  core::Expected<engines::ResultSummary> timed_execute(const std::string& sql) { return timed_execute(sql, options_); }
  core::Expected<engines::ResultSummary> timed_execute(const std::string& sql, const engines::ExecuteOptions& options) {
    if (!time_statements_) return db_->execute(sql, options, while_waiting_);
    auto start = Clock::now();
    auto result = db_->execute(sql, options, while_waiting_);
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

  ClientDatabase* db_;
  CacheAside* cache_;
  bool time_statements_;
  SessionState session_;
  bool lost_connection_ = false;
  QueryRun* run_ = nullptr;
  std::function<void()> while_waiting_;
  engines::ExecuteOptions options_{64};
  static inline const engines::ExecuteOptions kNoRows{0};
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

// Shared by the clients of one phase: the first outage that no reconnection could bridge stops them all.
class PhaseOutage {
 public:
  bool stopped() const { return stop_.load(std::memory_order_relaxed); }
  void report(std::string reason) {
    std::lock_guard<std::mutex> lock(mutex_);
    if (reason_.empty()) reason_ = std::move(reason);
    stop_.store(true);
  }
  std::string reason() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return reason_;
  }

 private:
  std::atomic<bool> stop_{false};
  mutable std::mutex mutex_;
  std::string reason_;
};

using Reconnect = std::function<core::Status()>;

// A client whose connection was lost reconnects with exponential backoff (50 ms doubling to 1 s)
// for at most the reconnect window: a server that comes back within it costs the failed
// transactions only; one that does not stops the phase as an outage. Never a busy loop of failures.
bool regain_connection(const BenchConfig& config, const Reconnect& reconnect, PhaseOutage& outage,
                       const std::string& lost) {
  auto give_up = Clock::now() + config.reconnect_window;
  auto backoff = std::chrono::milliseconds(50);
  std::string last;
  for (;;) {
    if (g_interrupted.load(std::memory_order_relaxed) || outage.stopped()) return false;
    auto attempt = reconnect();
    if (attempt) return true;
    last = attempt.error().message;
    auto now = Clock::now();
    if (now >= give_up) break;
    auto wake = std::min<Clock::time_point>(now + backoff, give_up);
    while (Clock::now() < wake && !g_interrupted.load(std::memory_order_relaxed) && !outage.stopped()) {
      std::this_thread::sleep_until(std::min<Clock::time_point>(wake, Clock::now() + std::chrono::milliseconds(50)));
    }
    backoff = std::min(backoff * 2, std::chrono::milliseconds(1000));
  }
  outage.report(
      fmt::format("connection lost and not regained within the {:g} s reconnect window: {} (last attempt: {})",
                  static_cast<double>(config.reconnect_window.count()) / 1000, lost, last));
  return false;
}

void client_loop(const PhaseInput& in, int client, BenchExecutor& executor, ClientStats& stats, Clock::time_point start,
                 Clock::time_point deadline, const Reconnect& reconnect, PhaseOutage& outage, IntervalBook& book) {
  const auto& config = *in.config;
  workload::Value scale = std::floor(config.scale) == config.scale
                              ? workload::Value::of_int(static_cast<int64_t>(config.scale))
                              : workload::Value::of_double(config.scale);
  workload::Session session(config.seed * 1000003ULL + static_cast<uint64_t>(client), client + 1, scale);
  core::Random schedule(config.seed, fmt::format("schedule-{}", client));
  const bool open_loop = in.rate > 0;
  const double client_rate = open_loop ? in.rate / config.load.clients : 0;

  // A transaction's figures are recorded while the server works on the next one's first statement
  // (where the session can split sending from reading), as pgbench does its bookkeeping between
  // sending and reading: the recording then costs no time between an answer and the next statement.
  // What is still pending is recorded before the next transaction's own outcome and at the end.
  struct Finished {
    size_t script = 0;
    Clock::time_point ended;
    double latency_ms = 0;
    double lag_ms = 0;
    int64_t rows = 0;
    uint64_t hash = 0;
  };
  std::optional<Finished> pending;
  auto enter_second_of = [&](Clock::time_point moment) {
    auto second = std::max<int64_t>(0, std::chrono::duration_cast<std::chrono::seconds>(moment - start).count());
    if (second != stats.second) {
      stats.hand_over(book, static_cast<size_t>(client));
      stats.second = second;
    }
  };
  auto record_pending = [&] {
    if (!pending) return;
    const Finished finished = *pending;
    pending.reset();
    enter_second_of(finished.ended);
    QueryRun& run = stats.runs[finished.script];
    auto& interval = stats.current[finished.script];
    interval.latency.add(finished.latency_ms);  // and into run.latency with its second
    ++interval.transactions;
    ++run.transactions;
    run.rows += finished.rows;
    if (open_loop) {
      run.lag_sum_ms += finished.lag_ms;
      run.lag_max_ms = std::max(run.lag_max_ms, finished.lag_ms);
    }
    if (stats.hashed[finished.script] < kHashedTransactions) {
      stats.hashes[finished.script] = mix(stats.hashes[finished.script], finished.hash);
      ++stats.hashed[finished.script];
    }
  };
  executor.set_while_waiting(record_pending);

  auto intended = start;
  auto last_ended = Clock::now();  // a closed loop's clock for the deadline: one read per transaction
  for (int64_t done = 0;; ++done) {
    if (g_interrupted.load(std::memory_order_relaxed) || outage.stopped()) break;
    if (in.transactions > 0 ? done >= in.transactions : (open_loop ? Clock::now() : last_ended) >= deadline) break;
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
    last_ended = ended;
    record_pending();  // not recorded while waiting: no statement went to the server, or not that way
    if (!status) {
      enter_second_of(ended);
      auto& interval = stats.current[script];
      ++run.errors;
      ++interval.errors;
      if (looks_like_timeout(status.error().message)) ++run.timeouts;
      if (run.first_error.empty()) run.first_error = status.error().message;
      if (executor.lost_connection()) {
        ++run.connection_errors;
        if (!regain_connection(config, reconnect, outage, status.error().message)) break;
        ++run.reconnects;
        last_ended = Clock::now();
        continue;
      }
      executor.rollback();
      last_ended = Clock::now();
      continue;
    }
    pending = Finished{script,
                       ended,
                       ms_between(measured_from, ended),
                       open_loop ? std::max(0.0, ms_between(intended, begun)) : 0.0,
                       executor.rows(),
                       executor.hash()};
  }
  record_pending();
  executor.set_while_waiting({});  // it refers to this function's locals
}

struct PhaseOutcome {
  std::vector<QueryRun> runs;
  std::string outage;  // why the phase stopped early; empty when it ran to its end
};

core::Expected<PhaseOutcome> run_phase(const PhaseInput& in) {
  const auto& config = *in.config;
  engines::ConnectOptions options;
  options.statement_timeout = config.statement_timeout;
  options.connect_timeout = config.connect_timeout;
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
      auto client = engines::redis::RedisClient::connect(*redis_url, config.connect_timeout);
      if (!client) return client.error();
      caches.push_back(std::make_unique<CacheAside>(std::move(*client), in.cache_prefix, in.variant->cache_ttl_s));
    }
  }
  std::vector<ClientStats> stats(static_cast<size_t>(config.load.clients));
  for (auto& s : stats) {
    s.runs.resize(in.scripts->size());
    s.current.resize(in.scripts->size());
    s.hashes.assign(in.scripts->size(), 0);
    s.hashed.assign(in.scripts->size(), 0);
  }
  auto start = Clock::now() + std::chrono::milliseconds(5);
  auto deadline = start + in.duration;
  PhaseOutage outage;
  IntervalBook book(in.scripts->size(), stats.size());
  std::vector<std::thread> threads;
  for (int c = 0; c < config.load.clients; ++c) {
    threads.emplace_back([&, c] {
      const auto at = static_cast<size_t>(c);
      std::this_thread::sleep_until(start);
      BenchExecutor executor(&connections[at], caches.empty() ? nullptr : caches[at].get(), !config.slas.empty());
      // Fresh sessions for this client only; the connect timeout never outlasts the window.
      Reconnect reconnect = [&, at]() -> core::Status {
        engines::ConnectOptions retry = options;
        retry.connect_timeout = std::min(options.connect_timeout, config.reconnect_window);
        auto db = open_client(in.url, retry);
        if (!db) return db.error();
        if (redis_url) {
          auto client = engines::redis::RedisClient::connect(*redis_url, retry.connect_timeout);
          if (!client) return client.error();
          caches[at] = std::make_unique<CacheAside>(std::move(*client), in.cache_prefix, in.variant->cache_ttl_s);
        }
        connections[at] = std::move(*db);
        executor.rebind(&connections[at], caches.empty() ? nullptr : caches[at].get());
        return core::ok();
      };
      client_loop(in, c, executor, stats[at], start, deadline, reconnect, outage, book);
      stats[at].hand_over(book, at, true);
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
      run.result_hash += mix(s.hashes[q], static_cast<uint64_t>(s.hashed[q]));
    }
    run.intervals = book.take(q);
  }
  return PhaseOutcome{std::move(merged), outage.reason()};
}

// Deletes this run's cache keys (SCAN MATCH prefix*), and returns used_memory afterwards.
core::Expected<int64_t> reset_cache(const core::TargetUrl& url, const std::string& prefix,
                                    std::chrono::milliseconds timeout) {
  auto client = engines::redis::RedisClient::connect(url, timeout);
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
    options.connect_timeout = config.connect_timeout;
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

namespace {
std::mutex g_stop_mutex;
std::string g_stop_reason;
}  // namespace

void request_stop(const std::string& reason) {
  {
    std::lock_guard<std::mutex> lock(g_stop_mutex);
    if (g_stop_reason.empty()) g_stop_reason = reason;
  }
  g_interrupted.store(true);
}

void install_interrupt_handler() {
  struct sigaction action {};
  action.sa_handler = on_interrupt;
  sigemptyset(&action.sa_mask);
  // SIGHUP too: a closed terminal or ssh session must not leave sandbox copies behind.
  for (int signal : {SIGINT, SIGTERM, SIGHUP}) sigaction(signal, &action, nullptr);
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
  connection_errors += other.connection_errors;
  reconnects += other.reconnects;
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
  if (auto status = pipeline::live::check_workload_statements(config.scripts, url->engine, read_only); !status) {
    return status.error();
  }
  for (const auto& variant : variants) {
    if (auto status = pipeline::live::check_workload_statements(variant.scripts, url->engine, read_only); !status) {
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
        core::redact_url(variant.spec), "", 0};  // a cache variant's spec is a redis:// URL: its password stays here
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
    if (!warm->outage.empty()) return core::make_error(core::ErrorKind::connection, "warm-up: " + warm->outage);
  }
  // An outage keeps what was measured: the phases so far, and the phase it cut short (marked).
  std::string outage;
  auto stop_for_outage = [&](std::string reason) {
    outage = std::move(reason);
    result.interrupted = true;
    result.outage = true;
    result.interruption = outage;
  };
  auto measured_phase = [&](size_t v, PhaseInput in) -> core::Expected<std::vector<QueryRun>> {
    std::optional<core::TargetUrl> redis_url;
    int64_t memory_before = 0;
    if (variants[v].kind == Variant::Kind::cache) {
      redis_url = *core::parse_target_url(variants[v].spec);
      auto before = reset_cache(*redis_url, in.cache_prefix, config.connect_timeout);  // every repetition starts cold
      if (!before) return before.error();
      memory_before = *before;
    }
    auto phase = run_phase(in);
    if (!phase) return phase.error();
    if (!phase->outage.empty()) stop_for_outage(phase->outage);
    if (redis_url && phase->outage.empty()) {
      auto client = engines::redis::RedisClient::connect(*redis_url, config.connect_timeout);
      if (client) {
        if (auto after = used_memory(*client)) {
          result.variants[v].redis_memory_delta =
              std::max(result.variants[v].redis_memory_delta, *after - memory_before);
        }
      }
      (void)reset_cache(*redis_url, in.cache_prefix, config.connect_timeout);
    }
    for (const auto& run : phase->runs) {
      if (progress) progress(run);
    }
    return std::move(phase->runs);
  };
  // A phase that cannot even start after others were measured is an outage too: the partial result
  // is still worth reporting. Before anything was measured it is a plain error.
  auto phase_failed = [&](const core::Error& error) {
    if (result.runs.empty() || error.kind != core::ErrorKind::connection) return true;
    stop_for_outage(error.message);
    return false;
  };
  if (config.ramp) {
    // Each variant climbs the rates (interleaved: every variant at one rate, then the next rate)
    // until a phase breaks; the knee is the last rate that held.
    std::vector<bool> climbing(urls.size(), true);
    auto rates = config.ramp->rates();
    for (size_t step = 0; step < rates.size() && !g_interrupted.load() && outage.empty(); ++step) {
      bool any = false;
      for (size_t v = 0; v < urls.size() && !g_interrupted.load() && outage.empty(); ++v) {
        if (!climbing[v]) continue;
        any = true;
        auto in = phase_input(v, static_cast<int>(step));
        in.rate = rates[step];
        auto runs = measured_phase(v, in);
        if (!runs) {
          if (phase_failed(runs.error())) return runs.error();
          break;
        }
        if (g_interrupted.load() || !outage.empty()) {  // a cut-short phase says nothing about the rate
          for (auto& run : *runs) result.runs.push_back(std::move(run));
          break;
        }
        RampStep verdict = judge_ramp_step(config, *runs, variants[v].name, rates[step]);
        climbing[v] = verdict.held;
        result.ramp.push_back(std::move(verdict));
        for (auto& run : *runs) result.runs.push_back(std::move(run));
      }
      if (!any) break;
    }
  }
  for (int repetition = 0; !config.ramp && repetition < config.repetitions && !g_interrupted.load() && outage.empty();
       ++repetition) {
    for (size_t v = 0; v < urls.size() && !g_interrupted.load() && outage.empty(); ++v) {
      auto runs = measured_phase(v, phase_input(v, repetition));
      if (!runs) {
        if (phase_failed(runs.error())) return runs.error();
        break;
      }
      for (auto& run : *runs) result.runs.push_back(std::move(run));
    }
  }
  if (g_interrupted.load()) {
    result.interrupted = true;
    std::lock_guard<std::mutex> lock(g_stop_mutex);
    if (result.interruption.empty())
      result.interruption = g_stop_reason.empty() ? "interrupted by a signal" : g_stop_reason;
  }
  if (!config.slas.empty() && !result.interrupted)
    result.hotspots = explain_hotspots(config, result.runs, variants, urls);
  for (auto& sandbox : sandboxes) {
    if (auto removed = sandbox.remove(); !removed) {
      if (result.outage) continue;  // the server that took the sandbox away is the error already reported
      return removed.error();
    }
  }
  return result;
}

}  // namespace dbvet::bench
