#include <atomic>
#include <cctype>

#include "analyzer/engines/connection.hpp"
#include "analyzer/engines/registry.hpp"
#include "analyzer/sql/side_effects.hpp"
#include "fmt/format.h"

namespace dbvet::engines {
namespace {
std::atomic<int64_t> g_connect_timeout_ms{10000};
std::atomic<int64_t> g_statement_timeout_ms{30000};
}  // namespace

void set_client_timeouts(const ClientTimeouts& timeouts) {
  g_connect_timeout_ms.store(timeouts.connect.count());
  g_statement_timeout_ms.store(timeouts.statement.count());
}

ClientTimeouts client_timeouts() {
  return {std::chrono::milliseconds(g_connect_timeout_ms.load()),
          std::chrono::milliseconds(g_statement_timeout_ms.load())};
}

Expected<std::unique_ptr<Connection>> connect(const core::TargetUrl& url, const ConnectOptions& options) {
  const Driver* driver = find_driver(url.engine);
  if (!driver || !driver->connect) return not_compiled(url.engine);
  return driver->connect(url, options);
}

std::vector<std::string> compiled_engines() {
  std::vector<std::string> engines;
  for (const auto* driver : drivers()) engines.emplace_back(driver->description->name);
  return engines;
}

bool is_writing_statement(const std::string& sql) {
  // Skips comments and whitespace, then looks at the first keyword; a WITH may hide a writing CTE,
  // so WITH counts as writing when any data-changing keyword follows at the top level.
  size_t i = 0;
  auto skip_space_and_comments = [&] {
    for (;;) {
      while (i < sql.size() && std::isspace(static_cast<unsigned char>(sql[i]))) ++i;
      if (sql.compare(i, 2, "--") == 0 || (i < sql.size() && sql[i] == '#')) {
        while (i < sql.size() && sql[i] != '\n') ++i;
      } else if (sql.compare(i, 2, "/*") == 0) {
        auto end = sql.find("*/", i + 2);
        i = end == std::string::npos ? sql.size() : end + 2;
      } else {
        return;
      }
    }
  };
  skip_space_and_comments();
  while (i < sql.size() && sql[i] == '(') {
    ++i;
    skip_space_and_comments();
  }
  std::string word;
  while (i < sql.size() && std::isalpha(static_cast<unsigned char>(sql[i]))) {
    word += static_cast<char>(std::toupper(static_cast<unsigned char>(sql[i])));
    ++i;
  }
  static const char* const kReading[] = {"SELECT", "EXPLAIN", "SHOW", "VALUES", "TABLE", "DESCRIBE", "DESC", "PRAGMA"};
  for (const char* reading : kReading) {
    if (word == reading) return false;
  }
  if (word == "WITH") {
    std::string upper;
    upper.reserve(sql.size());
    for (char c : sql) upper += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    for (const char* writing : {"INSERT ", "UPDATE ", "DELETE ", "MERGE "}) {
      if (upper.find(writing) != std::string::npos) return true;
    }
    return false;
  }
  return !word.empty();
}

namespace {

// Words every construct the classifier knows contains: statements without any of them (nearly all
// of a benchmark's) skip the parse.
bool may_have_side_effect(const std::string& sql) {
  static const std::string_view kWords[] = {"outfile", "dumpfile",  "load",     "copy",      "pg_",
                                            "lo_",     "dblink",    "attach",   "detach",    "vacuum",
                                            "pragma",  "extension", "readfile", "writefile", "install"};
  for (size_t i = 0; i < sql.size(); ++i) {
    const char c = static_cast<char>(std::tolower(static_cast<unsigned char>(sql[i])));
    for (auto word : kWords) {
      if (c != word[0] || sql.size() - i < word.size()) continue;
      size_t k = 1;
      while (k < word.size() && std::tolower(static_cast<unsigned char>(sql[i + k])) == word[k]) ++k;
      if (k == word.size()) return true;
    }
  }
  return false;
}

}  // namespace

Status refuse_side_effects(const std::string& sql, core::Engine engine, const std::string& target) {
  if (!may_have_side_effect(sql)) return core::ok();
  auto check = sql::check_statement(sql, sql::dialect_of(engine));
  if (check.effects.empty()) return core::ok();
  return core::make_error(core::ErrorKind::usage,
                          fmt::format("{}: {}: refused, the session is read-only (the statement was not sent)", target,
                                      sql::describe(check.effects.front())));
}

core::Error counter_refusal(const std::string& target, const std::vector<std::string>& counters) {
  std::string names;
  for (const auto& counter : counters) names += (names.empty() ? "" : ", ") + counter;
  return core::make_error(
      core::ErrorKind::usage,
      fmt::format("{}: EXPLAIN ANALYZE of this statement would advance {} (the rollback that undoes the write does "
                  "not put it back); pass --allow-side-effects to run it anyway",
                  target, names));
}

}  // namespace dbvet::engines
