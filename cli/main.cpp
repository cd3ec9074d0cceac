// The thin executable: global options, the subcommand table, and the one place where fatal errors
// are caught and turned into the contract's exit codes.

#include <csignal>
#include <exception>
#include <iostream>
#include <string_view>

#include "CLI/CLI.hpp"
#include "analyzer/core/fatal.hpp"
#include "analyzer/core/version.hpp"
#include "analyzer/engines/connection.hpp"
#include "analyzer/report/renderers.hpp"
#include "cli/cli_context.hpp"
#include "cli/timeouts.hpp"

namespace {

std::string version_text() {
  std::string engines;
  for (const auto& engine : dbvet::engines::compiled_engines()) engines += (engines.empty() ? "" : ", ") + engine;
  return std::string("dbvet ") + dbvet::core::kVersion + " (engines: " + engines + ")";
}

// Which commands get their options set up before parsing. Setting up all eleven is about 40% of
// the instructions of a start (`dbvet --version`, `dbvet digest` of a small log), and a parse needs
// only the command argv names: the others stay bare subcommands, which is all --help lists of them.
struct CommandsToSetUp {
  bool all = false;
  const dbvet::cli::CommandEntry* only = nullptr;  // without `all`: this one, or none if argv names none
};

// Reads argv as CLI11 will, as far as the command name: global options in their plain spellings
// (with their values) and then a word. Anything else (another option or spelling, a word that is no
// command, "--") sets up every command, so that CLI11 parses and reports as with the whole table.
CommandsToSetUp commands_to_set_up(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    std::string_view arg = argv[i];
    std::string_view name = arg.substr(0, arg.find('='));
    bool takes_value = name == "--format" || name == "--output" || name == "--color" || arg == "-o" ||
                       name == "--connect-timeout" || name == "--statement-timeout" || name == "--timeout";
    bool is_flag = arg == "--no-progress" || arg == "-v" || arg == "--verbose" || arg == "--version" || arg == "-h" ||
                   arg == "--help";
    if (takes_value) {
      if (name == arg) ++i;  // the value is the next argument, whatever it looks like
    } else if (!is_flag) {
      for (const auto& entry : dbvet::cli::command_table()) {
        if (arg == entry.name) return {.only = &entry};
      }
      return {.all = true};
    }
  }
  return {};
}

int run(int argc, char** argv) {
  using namespace dbvet::cli;
  CLI::App app{"dbvet: database query analyzer and optimization advisor", "dbvet"};
  app.require_subcommand(1);
  app.fallthrough();
  app.set_version_flag("--version", version_text());

  GlobalOptions options;
  app.add_option("--format", options.format,
                 "Output format: text, json, md (html, sarif, junit, github, prom where they apply; a command's --help "
                 "lists its own)")
      ->default_str("text");
  app.add_option("-o,--output", options.output_path, "Write output to FILE instead of standard output");
  app.add_flag("--no-progress", options.no_progress, "Never show progress, even on a terminal");
  app.add_option("--color", options.color, "Color output: auto, always, never")
      ->check(CLI::IsMember({"auto", "always", "never"}));
  app.add_flag("-v,--verbose", options.verbose, "Say more: skipped records with their offsets, timings");
  app.add_option("--connect-timeout", options.connect_timeout, "Client-side: give up connecting after this (10s)");
  app.add_option("--statement-timeout", options.statement_timeout,
                 "Per statement: the server cancels it, and the client gives up 2 s later if the server stopped "
                 "answering (30s)");
  app.add_option("--timeout", options.timeout, "Overall: stop the whole command after this (e.g. 5m); exit 3");

  CommandRun selected;
  CommandsToSetUp to_set_up = commands_to_set_up(argc, argv);
  for (const auto& entry : command_table()) {
    CLI::App* sub = app.add_subcommand(entry.name, entry.summary);
    if (!to_set_up.all && &entry != to_set_up.only) continue;
    CommandRun command = entry.setup(*sub);
    if (entry.kind != nullptr) {
      std::string formats;
      for (const auto& format : dbvet::report::formats_for(entry.kind))
        formats += (formats.empty() ? "" : ", ") + format;
      sub->footer("Formats (--format): " + formats);
    }
    sub->callback([&selected, command] { selected = command; });
  }

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    // CLI11 returns 0 for --help/--version and its own codes otherwise; the contract says 2.
    int code = app.exit(error);
    return code == 0 ? kExitOk : kExitUsage;
  }
  CommandContext context(options);
  if (!selected) return kExitUsage;
  auto deadline = apply_global_timeouts(options);
  if (!deadline) return context.fail(deadline.error());
  return context.finish(selected(context));
}

}  // namespace

int main(int argc, char** argv) {
  // A closed pipe or socket is a write error, reported where it happens (CommandContext::finish
  // exits 3 quietly when standard output's reader went away), never a death that leaves sandboxes
  // and temporary files behind.
  std::signal(SIGPIPE, SIG_IGN);
  try {
    return run(argc, argv);
  } catch (const dbvet::core::FatalError& error) {
    std::cerr << "dbvet: " << error.what() << '\n';
    return error.error().exit_code();
  } catch (const std::exception& error) {
    std::cerr << "dbvet: internal error: " << error.what() << '\n';
    return dbvet::cli::kExitRuntime;
  }
}
