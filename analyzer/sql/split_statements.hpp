#pragma once
// Splits a script into statements at top-level semicolons, leaving semicolons inside quotes,
// dollar quotes and comments alone.

#include <string>
#include <string_view>
#include <vector>

#include "analyzer/sql/lexer.hpp"

namespace dbvet::sql {

struct ScriptStatement {
  std::string text;  // trimmed, without the terminating semicolon
  int line = 1;      // 1-based line where the statement starts
};

std::vector<ScriptStatement> split_statements(std::string_view script);

// The same with `dialect`'s lexer (MySQL: backslash escapes in '..' and "..", none in `..`, # comments;
// PostgreSQL: E'..' escapes, dollar quotes). Where the lexer and the server could disagree it errs on
// splitting less, so that a piece sent on its own never starts inside a quote the server sees.
std::vector<ScriptStatement> split_statements(std::string_view script, Dialect dialect);

}  // namespace dbvet::sql
