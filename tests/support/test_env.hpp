#pragma once
// What tests need to find: the source tree, ../shared, the dbvet binary, and the URLs of the real
// servers that `scripts/testenv up` started for this build.

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace dbvet::testing {

std::filesystem::path source_dir();
// ../shared beside the checkout, or nullopt when it is absent (tests that need it skip then).
std::optional<std::filesystem::path> shared_dir();

// URL of the test server: key is "PG", "MYSQL" or "REDIS" (DBVET_TEST_<KEY>_URL). Read from the
// environment, else from $DBVET_TESTENV_DIR/env. Fails the test (not skips) when it is missing,
// since `make test` always starts the servers.
std::string server_url(const std::string& key);

// A fresh scratch directory under the build's temp area, removed by the caller if it wishes.
std::filesystem::path scratch_dir(const std::string& name);

struct CommandResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

// Runs the dbvet binary with arguments (no shell), capturing stdout and stderr.
CommandResult run_dbvet(const std::vector<std::string>& args, const std::vector<std::string>& extra_env = {});
// Runs any program (no shell).
CommandResult run_program(const std::vector<std::string>& argv, const std::vector<std::string>& extra_env = {});
// A word for a bash command line, single-quoted (a ' inside becomes '\'').
std::string shell_quoted(const std::string& text);
// Runs a bash script with $DBVET set to the dbvet binary: for pipes, redirections and ulimit.
CommandResult run_shell(const std::string& script);

std::string read_file(const std::filesystem::path& path);

}  // namespace dbvet::testing
