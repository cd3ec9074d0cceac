#pragma once
// Splits a script into statements at top-level semicolons, leaving semicolons inside quotes,
// dollar quotes and comments alone.

#include <string>
#include <string_view>
#include <vector>

namespace dbvet::sql {

struct ScriptStatement {
  std::string text;  // trimmed, without the terminating semicolon
  int line = 1;      // 1-based line where the statement starts
};

std::vector<ScriptStatement> split_statements(std::string_view script);

}  // namespace dbvet::sql
