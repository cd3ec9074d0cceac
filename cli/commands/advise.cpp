#include "CLI/CLI.hpp"
#include "cli/cli_context.hpp"

namespace dbvet::cli {

CommandRun setup_audit_like(CLI::App& app, bool advise);  // cli/commands/audit.cpp

// `dbvet advise`: the audit's recommendations alone (kind "advise").
CommandRun setup_advise(CLI::App& app) { return setup_audit_like(app, true); }

}  // namespace dbvet::cli
