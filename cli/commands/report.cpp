#include "CLI/CLI.hpp"
#include "cli/cli_context.hpp"

namespace dbvet::cli {

// Not built yet: says so with a usage error rather than pretending to work.
CommandRun setup_report(CLI::App& app) {
  app.allow_extras();
  return [](CommandContext& context) {
    return context.fail(core::make_error(core::ErrorKind::usage, "'dbvet report' is not available in this version yet"));
  };
}

}  // namespace dbvet::cli
