#include "cli/timeouts.hpp"

#include <unistd.h>

#include <cstdio>
#include <cstdlib>

#include "analyzer/engines/connection.hpp"
#include "analyzer/util/parse.hpp"
#include "benchmarks/bench_runner.hpp"
#include "fmt/format.h"

namespace dbvet::cli {

core::Expected<std::chrono::milliseconds> parse_duration(const std::string& text, const std::string& option,
                                                         bool allow_zero) {
  const auto duration = util::parse_duration(text);
  if (!duration || (!allow_zero && duration->count() == 0)) {
    return core::make_error(core::ErrorKind::usage,
                            fmt::format("{}: expected a {}duration such as 500ms, 10s or 2m, got '{}'", option,
                                        allow_zero ? "" : "positive ", text));
  }
  return *duration;
}

namespace {
// Straight to the descriptor: the main thread may be writing through std::cerr at the same time.
void say(const std::string& line) {
  std::string text = "dbvet: " + line + "\n";
  (void)!::write(STDERR_FILENO, text.data(), text.size());
}
}  // namespace

OverallDeadline::OverallDeadline(std::chrono::milliseconds after, std::string flag_text) {
  thread_ = std::thread([this, after, flag = std::move(flag_text)] {
    std::unique_lock<std::mutex> lock(mutex_);
    if (done_.wait_for(lock, after, [this] { return finished_; })) return;
    std::string reason = fmt::format("the overall --timeout of {} expired", flag);
    say(reason + "; stopping");
    bench::request_stop(reason);
    if (done_.wait_for(lock, kGrace, [this] { return finished_; })) return;
    say(fmt::format("still running {} s after the overall --timeout of {}; exiting", kGrace.count() / 1000, flag));
    std::_Exit(kExitRuntime);
  });
}

OverallDeadline::~OverallDeadline() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    finished_ = true;
  }
  done_.notify_all();
  thread_.join();
}

core::Expected<std::unique_ptr<OverallDeadline>> apply_global_timeouts(const GlobalOptions& options) {
  engines::ClientTimeouts timeouts = engines::client_timeouts();
  if (!options.connect_timeout.empty()) {
    auto connect = parse_timeout(options.connect_timeout, "--connect-timeout");
    if (!connect) return connect.error();
    timeouts.connect = *connect;
  }
  if (!options.statement_timeout.empty()) {
    auto statement = parse_timeout(options.statement_timeout, "--statement-timeout");
    if (!statement) return statement.error();
    timeouts.statement = *statement;
  }
  engines::set_client_timeouts(timeouts);
  std::unique_ptr<OverallDeadline> deadline;
  if (!options.timeout.empty()) {
    auto overall = parse_timeout(options.timeout, "--timeout");
    if (!overall) return overall.error();
    deadline = std::make_unique<OverallDeadline>(*overall, options.timeout);
  }
  return deadline;
}

}  // namespace dbvet::cli
