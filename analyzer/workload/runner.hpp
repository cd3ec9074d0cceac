#pragma once
// Runs a parsed script for one client: evaluates \set, substitutes :variables into SQL, follows
// \if branches, hands statements to an Executor. Deterministic for a given seed and client id.

#include <chrono>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "analyzer/core/expected.hpp"
#include "analyzer/core/random.hpp"
#include "analyzer/workload/script.hpp"

namespace dbvet::workload {

struct ResultRow {
  std::vector<std::string> columns;
  std::vector<std::optional<std::string>> values;
};

// Where statements go (a live connection, a recorder in tests, the bench engine).
class Executor {
 public:
  virtual ~Executor() = default;
  // Runs one statement; returns its rows when `want_rows` (for \gset and \aset).
  virtual core::Expected<std::vector<ResultRow>> run(const std::string& sql, bool want_rows) = 0;
  virtual void sleep(std::chrono::microseconds duration) = 0;
  // Where the statement of the next run() comes from (Script::path, else its name; 1-based line),
  // for executors that report locations (the audit's dry run).
  virtual void at(const std::string& /*script*/, int /*line*/) {}
};

class Session {
 public:
  // pgbench's automatic variables: :scale, :client_id, :random_seed, :default_seed.
  Session(uint64_t seed, int client_id, Value scale);

  void set(const std::string& name, Value value);
  void set_text(const std::string& name, std::string text);  // as -D name=value or \gset gives it
  core::Expected<Value> get(const std::string& name) const;
  bool has(const std::string& name) const;

  // `:name` replaced for every defined variable; other text (and `::` casts) left as written.
  std::string substitute(const std::string& sql) const;
  // The same into `out`, reusing its buffer: no allocation per statement on the bench's hot path.
  void substitute_into(const std::string& sql, std::string& out) const;

  core::Expected<Value> evaluate(const Expr& expr);

  // One pass over the script (one transaction in pgbench's terms). Errors name file and line.
  core::Status run(const Script& script, Executor& executor);

  core::Random& random() { return random_; }

 private:
  struct Variable {
    Value value;
    std::optional<std::string> text;  // set when the variable came as text
  };
  std::map<std::string, Variable, std::less<>> variables_;  // std::less<>: found by string_view, no copy
  std::string statement_;                                   // the statement being run, reused per statement
  core::Random random_;
  uint64_t default_seed_ = 0;
};

// Picks a script by weight, as pgbench does with several -f options.
size_t choose_script(const std::vector<Script>& scripts, core::Random& random);

}  // namespace dbvet::workload
