#include "tests/support/test_env.hpp"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "gtest/gtest.h"

extern char** environ;

namespace dbvet::testing {

std::filesystem::path source_dir() {
  const char* dir = std::getenv("DBVET_SOURCE_DIR");
  return dir ? std::filesystem::path(dir) : std::filesystem::current_path();
}

std::optional<std::filesystem::path> shared_dir() {
  const char* dir = std::getenv("DBVET_SHARED_DIR");
  std::filesystem::path path = dir ? std::filesystem::path(dir) : source_dir() / ".." / "shared";
  if (std::filesystem::exists(path / "conformance")) return path;
  return std::nullopt;
}

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

std::string server_url(const std::string& key) {
  std::string var = "DBVET_TEST_" + key + "_URL";
  if (const char* url = std::getenv(var.c_str())) return url;
  const char* dir = std::getenv("DBVET_TESTENV_DIR");
  if (dir) {
    std::ifstream env(std::filesystem::path(dir) / "env");
    std::string line;
    std::string prefix = "export " + var + "=";
    while (std::getline(env, line)) {
      if (line.rfind(prefix, 0) == 0) {
        std::string value = line.substr(prefix.size());
        if (value.size() >= 2 && value.front() == '\'' && value.back() == '\'')
          value = value.substr(1, value.size() - 2);
        return value;
      }
    }
  }
  ADD_FAILURE() << var << " is not set and no testenv is running: run through ctest (or scripts/testenv up)";
  return {};
}

std::filesystem::path scratch_dir(const std::string& name) {
  const char* base = std::getenv("DBVET_TESTENV_DIR");
  std::filesystem::path root = base ? std::filesystem::path(base).parent_path() / "scratch"
                                    : std::filesystem::temp_directory_path() / "dbvet-scratch";
  auto path = root / (name + "-" + std::to_string(::getpid()));
  std::filesystem::remove_all(path);
  std::filesystem::create_directories(path);
  return path;
}

CommandResult run_program(const std::vector<std::string>& argv, const std::vector<std::string>& extra_env) {
  CommandResult result;
  auto dir = scratch_dir("run");
  auto out_path = dir / "stdout";
  auto err_path = dir / "stderr";
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 1, out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_addopen(&actions, 2, err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  std::vector<std::string> env_storage;
  for (char** e = environ; *e; ++e) env_storage.emplace_back(*e);
  for (const auto& e : extra_env) env_storage.push_back(e);
  std::vector<char*> env;
  for (auto& e : env_storage) env.push_back(e.data());
  env.push_back(nullptr);
  pid_t pid = 0;
  int rc = posix_spawnp(&pid, args[0], &actions, nullptr, args.data(), env.data());
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) {
    result.err = "could not start " + argv[0];
    return result;
  }
  int status = 0;
  ::waitpid(pid, &status, 0);
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  result.out = read_file(out_path);
  result.err = read_file(err_path);
  std::filesystem::remove_all(dir);
  return result;
}

CommandResult run_dbvet(const std::vector<std::string>& args, const std::vector<std::string>& extra_env) {
  const char* bin = std::getenv("DBVET_BIN");
  std::vector<std::string> argv{bin ? bin : "dbvet"};
  argv.insert(argv.end(), args.begin(), args.end());
  return run_program(argv, extra_env);
}

std::string shell_quoted(const std::string& text) {
  std::string out = "'";
  for (char c : text) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

CommandResult run_shell(const std::string& script) {
  const char* bin = std::getenv("DBVET_BIN");
  return run_program({"/bin/bash", "-c", script}, {std::string("DBVET=") + (bin ? bin : "dbvet")});
}

}  // namespace dbvet::testing
