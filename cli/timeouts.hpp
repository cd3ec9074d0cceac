#pragma once
// The client timeouts every command shares: --connect-timeout and --statement-timeout become the
// engines' defaults, and --timeout bounds the whole command. When the overall deadline passes, a
// running bench is asked to stop (it reports what it measured, marked), and a command still running
// a grace period later exits with the runtime error code and a message naming the timeout.

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "analyzer/core/expected.hpp"
#include "cli/cli_context.hpp"

namespace dbvet::cli {

// "500ms", "10s", "2m", "1h", or a number of seconds; zero only where `allow_zero` (a bench's
// --warmup 0), never for a timeout.
core::Expected<std::chrono::milliseconds> parse_duration(const std::string& text, const std::string& option,
                                                         bool allow_zero);
inline core::Expected<std::chrono::milliseconds> parse_timeout(const std::string& text, const std::string& option) {
  return parse_duration(text, option, false);
}

class OverallDeadline {
 public:
  OverallDeadline(std::chrono::milliseconds after, std::string flag_text);
  ~OverallDeadline();  // the command ended in time: nothing happens
  OverallDeadline(const OverallDeadline&) = delete;
  OverallDeadline& operator=(const OverallDeadline&) = delete;

  static constexpr std::chrono::milliseconds kGrace{3000};

 private:
  std::mutex mutex_;
  std::condition_variable done_;
  bool finished_ = false;
  std::thread thread_;
};

// Sets the engines' default timeouts from the global flags and arms --timeout; a usage error for a
// malformed value.
core::Expected<std::unique_ptr<OverallDeadline>> apply_global_timeouts(const GlobalOptions& options);

}  // namespace dbvet::cli
