#include "analyzer/sample/loader.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <ctime>
#include <fstream>
#include <map>
#include <mutex>
#include <set>
#include <sstream>
#include <thread>

#include "analyzer/engines/registry.hpp"
#include "analyzer/sample/generator.hpp"
#include "analyzer/sample/index_plan.hpp"
#include "fmt/format.h"

namespace dbvet::sample {
namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) { return std::chrono::duration<double>(Clock::now() - start).count(); }

core::Expected<std::string> read_text(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return core::make_error(core::ErrorKind::input, fmt::format("cannot read {}", path.string()));
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

core::Status run_file(engines::Connection& connection, const std::filesystem::path& path) {
  auto text = read_text(path);
  if (!text) return text.error();
  auto status = connection.execute_script(*text);
  if (!status) {
    return core::make_error(status.error().kind,
                            fmt::format("{}: {}", path.filename().string(), status.error().message));
  }
  return core::ok();
}

std::string join(const std::vector<std::string>& names, const std::string& separator) {
  std::string out;
  for (const auto& name : names) out += (out.empty() ? "" : separator) + name;
  return out;
}

// Progress from several loading threads, reported one at a time.
struct ProgressState {
  std::mutex mutex;
  GenProgress progress;
  std::map<std::string, int64_t> per_table;

  void report(const std::function<void(const GenProgress&)>& callback, const std::string& table, int64_t produced,
              int64_t total) {
    std::lock_guard<std::mutex> lock(mutex);
    progress.done_rows += produced - per_table[table];
    per_table[table] = produced;
    progress.table = table;
    progress.table_rows = produced;
    progress.table_total = total;
    callback(progress);
  }
};

// Runs work items 0..count-1 on the sessions, one thread per session; the first error wins.
core::Status run_parallel(const std::vector<engines::Connection*>& sessions, size_t count,
                          const std::function<core::Status(engines::Connection&, size_t)>& work) {
  std::atomic<size_t> next{0};
  std::mutex mutex;
  std::optional<core::Error> failure;
  auto worker = [&](engines::Connection* session) {
    for (;;) {
      {
        std::lock_guard<std::mutex> lock(mutex);
        if (failure) return;
      }
      const size_t n = next++;
      if (n >= count) return;
      auto status = work(*session, n);
      if (!status) {
        std::lock_guard<std::mutex> lock(mutex);
        if (!failure) failure = status.error();
        return;
      }
    }
  };
  std::vector<std::thread> threads;
  const size_t used = std::min(sessions.size(), count);
  for (size_t i = 1; i < used; ++i) threads.emplace_back(worker, sessions[i]);
  worker(sessions[0]);
  for (auto& thread : threads) thread.join();
  if (failure) return *failure;
  return core::ok();
}

}  // namespace

int64_t GenResult::rows() const {
  int64_t total = 0;
  for (const auto& table : tables) total += table.rows;
  return total;
}

int64_t GenResult::bytes() const {
  int64_t total = 0;
  for (const auto& table : tables) total += table.bytes;
  return total;
}

namespace {

const engines::SampleLoad* sample_load(core::Engine engine) {
  const engines::Driver* driver = engines::find_driver(engine);
  return driver ? driver->sample : nullptr;
}

core::Error cannot_load() {
  return core::make_error(core::ErrorKind::unsupported, "the sample cannot be loaded into this engine");
}

}  // namespace

core::Expected<std::vector<std::string>> existing_tables(engines::Connection& connection) {
  const engines::SampleLoad* load = sample_load(connection.engine());
  if (!load) return cannot_load();
  engines::ExecuteOptions options;
  options.keep_rows = 100000;
  auto result = connection.execute(std::string(load->list_tables_sql), options);
  if (!result) return result.error();
  std::vector<std::string> names;
  for (const auto& row : result->rows) {
    if (!row.empty() && row[0]) names.push_back(*row[0]);
  }
  return names;
}

core::Expected<GenResult> generate_sample(engines::Connection& connection, const GenOptions& options) {
  const auto started = Clock::now();
  const core::Engine engine = connection.engine();
  auto plan = plan_load(engine, options.service, options.sample_dir);
  if (!plan) return plan.error();
  const engines::SampleLoad* load = sample_load(engine);
  if (!load) return cannot_load();
  if (!(options.scale > 0) || options.scale > 100000) {
    return core::make_error(core::ErrorKind::usage, fmt::format("--scale must be above 0 (got {})", options.scale));
  }

  // Refuse or replace.
  auto existing = existing_tables(connection);
  if (!existing) return existing.error();
  std::set<std::string> present;
  for (const auto& name : *existing) present.insert(name);
  std::vector<std::string> clashing;
  for (const TableSpec* table : plan->tables) {
    if (present.count(table->name)) clashing.push_back(table->name);
  }
  if (!clashing.empty()) {
    if (!options.replace) {
      return core::make_error(
          core::ErrorKind::usage,
          fmt::format("{} already holds the sample's tables ({}); pass --replace to drop and reload them "
                      "(only the sample's own tables are dropped)",
                      connection.describe(), join(clashing, ", ")));
    }
    std::string drops;
    drops += load->before_drops;
    for (auto it = plan->tables.rbegin(); it != plan->tables.rend(); ++it) {
      if (present.count((*it)->name)) drops += fmt::format("DROP TABLE {};\n", (*it)->name);
    }
    drops += load->after_drops;
    if (auto status = connection.execute_script(drops); !status) {
      return core::make_error(status.error().kind,
                              fmt::format("dropping the sample's tables failed: {}", status.error().message));
    }
  }

  GenResult result;
  result.services = plan->services;
  auto phase = Clock::now();
  for (const auto& file : plan->schema_files) {
    if (auto status = run_file(connection, file); !status) return status.error();
  }
  result.schema_seconds = seconds_since(phase);

  const SampleSize size = SampleSize::for_scale(options.scale);
  // Several sessions load tables side by side (as pg_restore -j does); SQLite has one writer.
  std::vector<engines::Connection*> sessions = {&connection};
  std::vector<std::unique_ptr<engines::Connection>> extra;
  if (load->several_writers && options.open_session) {
    for (int i = 1; i < options.jobs; ++i) {
      auto session = options.open_session();
      if (!session) return session.error();
      extra.push_back(std::move(*session));
      sessions.push_back(extra.back().get());
    }
  }

  // Session settings for a bulk load and index builds (they end with the sessions): sorts for
  // index builds and foreign-key checks in memory, where the engine has such settings.
  std::string session_setup(load->bulk_session_setup);
  if (!session_setup.empty()) {
    for (engines::Connection* session : sessions) {
      if (auto status = session->execute_script(session_setup); !status) return status.error();
    }
  }

  const std::clock_t cpu_started = std::clock();
  ProgressState progress_state;
  for (const TableSpec* table : plan->tables) progress_state.progress.total_rows += table->row_count(size);
  phase = Clock::now();
  result.tables.resize(plan->tables.size());
  std::vector<size_t> order(plan->tables.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  // Largest first, so that the last table to finish is a small one.
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    return plan->tables[a]->row_count(size) > plan->tables[b]->row_count(size);
  });
  // The index files' statements, by when they may run (PostgreSQL: see index_plan.hpp).
  const bool pipelined = load->pipelined_indexes;
  std::vector<std::filesystem::path> index_files;
  for (const auto& file : plan->index_files) {
    if (std::filesystem::exists(file)) index_files.push_back(file);
  }
  std::map<std::string, std::vector<std::string>> table_statements;
  std::vector<AfterLoadStatement> foreign_keys;
  std::vector<std::string> other_statements;
  if (pipelined) {
    std::set<std::string> loaded_names;
    for (const TableSpec* table : plan->tables) loaded_names.insert(table->name);
    std::string settings;
    for (const auto& file : index_files) {
      auto text = read_text(file);
      if (!text) return text.error();
      for (auto& statement : after_load_statements(*text)) {
        using Kind = AfterLoadStatement::Kind;
        if (statement.kind == Kind::setting) {
          settings += statement.sql + ";\n";
        } else if (statement.kind == Kind::table_index && loaded_names.count(statement.table)) {
          table_statements[statement.table].push_back(std::move(statement.sql));
        } else if (statement.kind == Kind::foreign_key && loaded_names.count(statement.table)) {
          foreign_keys.push_back(std::move(statement));
        } else {
          other_statements.push_back(std::move(statement.sql));
        }
      }
    }
    if (!settings.empty()) {
      for (engines::Connection* session : sessions) {
        if (auto status = session->execute_script(settings); !status) return status.error();
      }
    }
  }

  std::mutex timing_mutex;
  Clock::time_point last_copy_end = Clock::now();
  double analyze_busy = 0;
  auto load_one = [&](engines::Connection& session, size_t index) -> core::Status {
    const TableSpec* table = plan->tables[index];
    TableRows rows(*table, size, options.seed, engine);
    const auto table_started = Clock::now();
    if (options.progress) {
      rows.on_batch = [&](int64_t produced) {
        progress_state.report(options.progress, table->name, produced, rows.total_rows());
      };
    }
    PrefetchingRows prefetched(rows);
    auto loaded = session.load_rows(table->name, rows.column_names(), prefetched);
    prefetched.finish();
    if (!loaded) {
      return core::make_error(loaded.error().kind,
                              fmt::format("loading {} failed: {}", table->name, loaded.error().message));
    }
    if (*loaded != rows.total_rows()) {
      return core::make_error(core::ErrorKind::internal, fmt::format("loading {}: {} rows written, {} expected",
                                                                     table->name, *loaded, rows.total_rows()));
    }
    const auto copy_end = Clock::now();
    result.tables[index] = {table->name,  table->service,  rows.rows_produced(),
                            rows.bytes(), rows.checksum(), seconds_since(table_started)};
    if (!pipelined) return core::ok();
    {
      std::lock_guard<std::mutex> lock(timing_mutex);
      last_copy_end = std::max(last_copy_end, copy_end);
    }
    // This table's keys and indexes while other sessions still load, then its statistics.
    for (const auto& sql : table_statements[table->name]) {
      if (auto status = session.execute_script(sql); !status) {
        return core::make_error(status.error().kind, fmt::format("{}: {}", table->name, status.error().message));
      }
    }
    const auto analyze_started = Clock::now();
    if (auto status = session.execute_script("ANALYZE " + table->name); !status) {
      return core::make_error(status.error().kind, "ANALYZE failed: " + status.error().message);
    }
    std::lock_guard<std::mutex> lock(timing_mutex);
    analyze_busy += seconds_since(analyze_started);
    return core::ok();
  };
  if (auto status = run_parallel(sessions, order.size(),
                                 [&](engines::Connection& session, size_t n) { return load_one(session, order[n]); });
      !status) {
    return status.error();
  }
  result.load_seconds = pipelined ? std::chrono::duration<double>(last_copy_end - phase).count() : seconds_since(phase);
  result.load_cpu_seconds = static_cast<double>(std::clock() - cpu_started) / CLOCKS_PER_SEC;
  std::vector<uint64_t> checksums;
  for (const auto& table : result.tables) checksums.push_back(table.checksum);
  result.checksum = combine_checksums(checksums);

  phase = pipelined ? last_copy_end : Clock::now();
  if (pipelined) {
    // Foreign keys: added without a check (quick, one after another: ADD takes SHARE ROW EXCLUSIVE
    // on both tables), then checked side by side.
    for (const auto& key : foreign_keys) {
      if (auto status = connection.execute_script(add_not_valid(key)); !status) {
        return core::make_error(status.error().kind, fmt::format("{}: {}", key.constraint, status.error().message));
      }
    }
    if (auto status = run_parallel(sessions, foreign_keys.size(),
                                   [&](engines::Connection& session, size_t n) {
                                     return session.execute_script(validate_constraint(foreign_keys[n]));
                                   });
        !status) {
      return status.error();
    }
    for (const auto& sql : other_statements) {
      if (auto status = connection.execute_script(sql); !status) return status.error();
    }
  } else if (auto status = run_parallel(
                 sessions, index_files.size(),
                 [&](engines::Connection& session, size_t n) { return run_file(session, index_files[n]); });
             !status) {
    return status.error();
  }
  // Identity columns were loaded with explicit values: move their sequences past them.
  if (!load->identity_reset.empty()) {
    std::string sequences;
    for (const TableSpec* table : plan->tables) {
      if (table->identity_column.empty()) continue;
      sequences += fmt::format(fmt::runtime(load->identity_reset), table->name, table->identity_column);
    }
    if (!sequences.empty()) {
      if (auto status = connection.execute_script(sequences); !status) return status.error();
    }
  }
  result.index_seconds = seconds_since(phase);

  phase = Clock::now();
  std::vector<std::string> names;
  for (const TableSpec* table : plan->tables) names.push_back(table->name);
  core::Status analyzed = core::ok();
  if (pipelined) {
    // each table was analyzed after its indexes
  } else if (!load->analyze_tables_prefix.empty()) {
    auto done = connection.execute(std::string(load->analyze_tables_prefix) + join(names, ", "));
    if (!done) analyzed = done.error();
  } else {
    analyzed = connection.execute_script("ANALYZE");
  }
  if (!analyzed) return core::make_error(analyzed.error().kind, "ANALYZE failed: " + analyzed.error().message);
  // PostgreSQL: the sessions' time in ANALYZE, which overlapped the other phases.
  result.analyze_seconds = pipelined ? analyze_busy : seconds_since(phase);
  result.total_seconds = seconds_since(started);
  return result;
}

}  // namespace dbvet::sample
