#pragma once
// pgbench custom scripts: SQL commands ending with ';' (possibly over several lines), and the
// meta-commands \set, \sleep, \gset, \aset, \if/\elif/\else/\endif. `:name` in SQL is replaced by the
// variable's value when the script runs. Weights follow pgbench's `-f file@weight`.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "analyzer/core/expected.hpp"
#include "analyzer/workload/expr.hpp"

namespace dbvet::workload {

struct Command {
  enum class Type { sql, set, sleep, if_, elif, else_, endif };
  Type type = Type::sql;
  int line = 0;  // 1-based line where the command starts

  std::string sql;                         // sql: the statement, without the terminating ';'
  std::optional<std::string> gset_prefix;  // sql followed by \gset [prefix]
  bool aset = false;                       // \aset: every row's columns, the last row wins

  std::string variable;  // set: the variable assigned
  Expr expr;             // set: the value; if/elif: the condition

  std::string sleep_variable;  // sleep: ":var" duration, or empty when constant
  int64_t sleep_amount = 0;    // sleep: constant duration in units
  int64_t sleep_unit_us = 1000000;

  size_t next_branch = 0;  // if/elif: where to go when the condition is false
  size_t endif = 0;        // elif/else: where the taken branch ends
};

struct Script {
  std::string name;  // the file name, for messages
  std::string path;  // the file as given (load_script), for locations in reports; empty for text
  int weight = 1;
  std::vector<Command> commands;

  size_t sql_count() const;
};

// Parses a script; errors read "NAME:LINE: what was wrong".
core::Expected<Script> parse_script(std::string_view text, const std::string& name);

// Reads `path[@weight]` as pgbench's -f does.
core::Expected<Script> load_script(const std::string& spec);

// Scripts chosen by weight need a total above zero (pgbench refuses all-@0 too).
core::Status check_total_weight(const std::vector<Script>& scripts);

// pgbench's built-in scripts, as `pgbench -b NAME` runs them (tpcb-like, simple-update, select-only).
core::Expected<Script> builtin_script(const std::string& name);
std::string builtin_script_text(const std::string& name);

}  // namespace dbvet::workload
