#include "analyzer/pipeline/live/workload_capture.hpp"

#include <thread>

#include "analyzer/sql/side_effects.hpp"
#include "analyzer/workload/runner.hpp"
#include "fmt/format.h"

namespace dbvet::pipeline::live {
namespace {

using Clock = std::chrono::steady_clock;

// Runs each statement on the connection and adds its timed execution to the digest.
class TimingExecutor : public workload::Executor {
 public:
  TimingExecutor(engines::Connection& connection, digest::Digest& digest, const WorkloadCaptureOptions& options)
      : connection_(connection), digest_(digest), options_(options) {}

  core::Expected<std::vector<workload::ResultRow>> run(const std::string& sql, bool want_rows) override {
    engines::ExecuteOptions execute_options;
    execute_options.keep_rows = want_rows ? 100000 : 0;
    const auto start = Clock::now();
    auto result = connection_.execute(sql, execute_options);
    const auto elapsed = Clock::now() - start;
    if (!result) return result.error();
    model::QueryEvent event;
    event.sql = sql;
    event.query_time_s = std::chrono::duration<double>(elapsed).count();
    event.rows_sent = static_cast<double>(result->row_count);
    if (result->affected_rows > 0) event.rows_affected = static_cast<double>(result->affected_rows);
    event.timestamp =
        std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
    event.database = options_.database;
    event.byte_offset = statements_++;  // the execution's position: ties between examples go to the first
    digest_.add(event, input_);
    std::vector<workload::ResultRow> rows;
    if (want_rows) {
      for (const auto& values : result->rows) rows.push_back({result->columns, values});
    }
    return rows;
  }

  void sleep(std::chrono::microseconds duration) override {
    if (options_.sleep && duration.count() > 0) std::this_thread::sleep_for(duration);
  }

  void set_input(uint32_t input) { input_ = input; }

 private:
  engines::Connection& connection_;
  digest::Digest& digest_;
  const WorkloadCaptureOptions& options_;
  uint32_t input_ = 0;
  uint64_t statements_ = 0;
};

}  // namespace

core::Status check_workload_writes(const std::vector<WorkloadFile>& scripts, bool allow_writes) {
  if (allow_writes) return core::ok();
  for (const auto& script : scripts) {
    for (const auto& command : script.commands) {
      if (command.type == workload::Command::Type::sql && engines::is_writing_statement(command.sql)) {
        return core::make_error(core::ErrorKind::usage,
                                fmt::format("{}:{}: the workload writes to the target; pass --allow-writes to run it",
                                            script.name, command.line));
      }
    }
  }
  return core::ok();
}

core::Status check_workload_statements(const std::vector<WorkloadFile>& scripts, core::Engine engine, bool read_only) {
  const sql::Dialect dialect = sql::dialect_of(engine);
  for (const auto& script : scripts) {
    for (const auto& command : script.commands) {
      if (command.type != workload::Command::Type::sql) continue;
      auto check = sql::check_statement(command.sql, dialect);
      if (read_only && !check.effects.empty()) {
        return core::make_error(core::ErrorKind::usage,
                                fmt::format("{}:{}: {}: refused, the run is read-only (nothing was sent to the target)",
                                            script.name, command.line, sql::describe(check.effects.front())));
      }
      if (check.syntax_error) {
        return core::make_error(core::ErrorKind::input, fmt::format("{}:{}: the statement does not parse: {}",
                                                                    script.name, command.line, *check.syntax_error));
      }
    }
  }
  return core::ok();
}

core::Expected<LiveCapture> capture_workload(engines::Connection& connection, const std::vector<WorkloadFile>& scripts,
                                             const WorkloadCaptureOptions& options) {
  if (scripts.empty()) return core::make_error(core::ErrorKind::usage, "no workload script to run");
  if (auto status = check_workload_writes(scripts, options.allow_writes); !status) return status.error();
  if (auto status = check_workload_statements(scripts, connection.engine(), !options.allow_writes); !status) {
    return status.error();
  }

  LiveCapture capture;
  capture.result.digest = digest::Digest(options.mode);
  capture.result.format = "workload";
  for (const auto& script : scripts) capture.result.files.push_back(script.name);

  workload::Session session(options.seed, 1, workload::Value::of_double(options.scale));
  if (options.scale == static_cast<double>(static_cast<int64_t>(options.scale))) {
    session.set("scale", workload::Value::of_int(static_cast<int64_t>(options.scale)));
  }
  for (const auto& [name, value] : options.defines) session.set_text(name, value);

  TimingExecutor executor(connection, capture.result.digest, options);
  const uint64_t runs = options.transactions ? options.transactions : (options.duration.count() ? 0 : 10);
  const auto deadline = Clock::now() + options.duration;
  for (uint64_t done = 0; runs == 0 || done < runs; ++done) {
    if (options.duration.count() && Clock::now() >= deadline) break;
    const size_t chosen = scripts.size() == 1 ? 0 : workload::choose_script(scripts, session.random());
    executor.set_input(static_cast<uint32_t>(chosen));
    auto status = session.run(scripts[chosen], executor);
    if (!status) {
      return core::make_error(status.error().kind,
                              fmt::format("{}: {}", connection.describe(), status.error().message));
    }
    if (options.progress) options.progress(done + 1);
  }
  capture.result.events = capture.result.digest.events();
  return capture;
}

}  // namespace dbvet::pipeline::live
