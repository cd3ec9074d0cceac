#pragma once
// What every subcommand shares: the global options, where output goes, how errors are reported.
// Kept free of CLI11 so that only the files that declare options pay for its headers.

#include <fstream>
#include <functional>
#include <iosfwd>
#include <memory>
#include <string>
#include <vector>

#include "analyzer/core/expected.hpp"

namespace CLI {
class App;
}

namespace dbvet::cli {

// The contract's exit codes.
inline constexpr int kExitOk = 0;
inline constexpr int kExitGateFailed = 1;
inline constexpr int kExitUsage = 2;
inline constexpr int kExitRuntime = 3;

struct GlobalOptions {
  std::string format = "text";
  std::string output_path;  // empty: standard output
  bool no_progress = false;
  std::string color = "auto";  // auto, always, never
  bool verbose = false;
  // Client timeouts shared by every command (cli/timeouts.hpp); empty: the defaults.
  std::string connect_timeout, statement_timeout, timeout;
};

class CommandContext {
 public:
  explicit CommandContext(const GlobalOptions& options) : options_(options) {}

  const GlobalOptions& options() const { return options_; }

  // Fails with a usage error when the chosen --format is not one the command renders.
  core::Status require_format(const std::vector<std::string>& supported) const;

  // The stream that -o names, or standard output. Opened on first use.
  core::Expected<std::ostream*> out();

  // Colors only on a terminal unless --color says otherwise.
  bool use_color() const;
  // Progress only on a terminal and without --no-progress.
  bool show_progress() const;

  // Prints "dbvet: <message>" on standard error and returns the exit code for the error's kind.
  int fail(const core::Error& error) const;

 private:
  const GlobalOptions& options_;
  std::unique_ptr<std::ofstream> file_;
};

// A subcommand: declares its options on `app` and returns the function that runs it.
using CommandRun = std::function<int(CommandContext&)>;
using CommandSetup = CommandRun (*)(CLI::App& app);

struct CommandEntry {
  const char* name;
  const char* summary;
  CommandSetup setup;
};

// Sorted by name; one row per file in cli/commands/.
const std::vector<CommandEntry>& command_table();

}  // namespace dbvet::cli
