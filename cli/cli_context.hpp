#pragma once
// What every subcommand shares: the global options, where output goes, how errors are reported.
// Kept free of CLI11 so that only the files that declare options pay for its headers.

#include <fstream>
#include <functional>
#include <iosfwd>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "analyzer/core/expected.hpp"
#include "analyzer/report/renderers.hpp"
#include "nlohmann/json_fwd.hpp"

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
  // The same for a command whose result is of `kind`: the choices are the renderer table's rows for
  // that kind (analyzer/report/renderers.def).
  core::Status require_format_of(std::string_view kind) const;

  // Renders the result `doc` in --format through the renderer table and writes it to out(); the
  // one call a command makes to output its result. `title`: the HTML page's ("dbvet <kind>" when
  // empty).
  core::Status write_result(const nlohmann::json& doc, const std::string& title = {});
  // The same with the renderer's options (their color is set from --color here).
  core::Status write_result(const nlohmann::json& doc, report::RenderOptions options);

  // The stream that -o names, or standard output. Opened on first use. A regular file is written
  // to a temporary file beside it and only renamed over it by finish(), so a failed run never
  // truncates or replaces what was there; a device or FIFO (-o /dev/stdout) is written directly.
  core::Expected<std::ostream*> out();

  // The output is a complete document although the command fails (an interrupted bench's partial
  // result, marked as such): finish() keeps it instead of discarding it.
  void keep_output_on_failure() { keep_on_failure_ = true; }

  // Called once the command returned `exit_code`: flushes standard output and the -o file and
  // checks that every byte reached them, then renames the -o file into place when the command
  // succeeded (0, or 1 for a failed gate: its report is complete). Any write error is a runtime
  // error naming the file. Returns the exit code of the whole run.
  int finish(int exit_code);

  // Colors only on a terminal unless --color says otherwise.
  bool use_color() const;
  // Progress only on a terminal and without --no-progress.
  bool show_progress() const;

  // Prints "dbvet: <message>" on standard error and returns the exit code for the error's kind.
  int fail(const core::Error& error) const;

 private:
  void discard_temporary();

  const GlobalOptions& options_;
  std::unique_ptr<std::ofstream> file_;
  std::string temporary_path_;  // empty: file_ writes to output_path itself
  bool keep_on_failure_ = false;

 public:
  ~CommandContext();
  CommandContext(const CommandContext&) = delete;
  CommandContext& operator=(const CommandContext&) = delete;
};

// A subcommand: declares its options on `app` and returns the function that runs it.
using CommandRun = std::function<int(CommandContext&)>;
using CommandSetup = CommandRun (*)(CLI::App& app);

struct CommandEntry {
  const char* name;
  const char* summary;
  CommandSetup setup;
  // The kind of the command's result: the renderer table's rows for it are the --format choices
  // its --help lists. Null for a command whose formats are not in the table yet (bench, explain).
  const char* kind = nullptr;
};

// Sorted by name; one row per file in cli/commands/.
const std::vector<CommandEntry>& command_table();

}  // namespace dbvet::cli
