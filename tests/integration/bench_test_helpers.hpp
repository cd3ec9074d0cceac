#pragma once
// What the bench integration tests share: the lookup workload over t(id, k, v), `dbvet bench`
// without progress, and a dbvet process started in the background (to interrupt it).

#include <spawn.h>
#include <sys/types.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "tests/support/test_env.hpp"

extern char** environ;

namespace dbvet::testing {

inline std::filesystem::path write_file(const std::filesystem::path& path, const std::string& text) {
  std::ofstream(path) << text;
  return path;
}

// Rows of one k: a full scan of t unless k is indexed.
inline const char* kLookup =
    "-- rows of one k\n"
    "\\set k random(1, 1999)\n"
    "SELECT count(*), max(v) FROM t WHERE k = :k;\n";

inline CommandResult bench(const std::vector<std::string>& args) {
  std::vector<std::string> all{"bench"};
  all.insert(all.end(), args.begin(), args.end());
  all.push_back("--no-progress");
  return run_dbvet(all);
}

// Starts `dbvet ARGS...` without waiting; returns its pid (0 when it could not start).
inline pid_t spawn_dbvet(std::vector<std::string> argv) {
  argv.insert(argv.begin(), std::getenv("DBVET_BIN") ? std::getenv("DBVET_BIN") : "dbvet");
  std::vector<char*> args;
  for (auto& a : argv) args.push_back(a.data());
  args.push_back(nullptr);
  pid_t pid = 0;
  return posix_spawn(&pid, args[0], nullptr, nullptr, args.data(), environ) == 0 ? pid : 0;
}

}  // namespace dbvet::testing
