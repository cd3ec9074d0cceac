#pragma once
// What the placeholders of a server's normalized text ($1, $2: pg_stat_statements, a log's
// prepared statements) stand for: the column each is compared with, or a LIMIT/OFFSET. From the
// PostgreSQL parse tree; a representative value per placeholder then gives a plannable text.

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "analyzer/model/schema.hpp"

namespace dbvet::sql {

struct ParameterColumn {
  int number = 0;     // $number
  std::string table;  // the table's name as written, without schema
  std::string column;
};

struct ParameterUses {
  std::vector<ParameterColumn> columns;  // $n = col, col < $n, col IN ($n, ...), BETWEEN, LIKE
  std::vector<int> limits;               // LIMIT $n, OFFSET $n
};

// nullopt when the PostgreSQL parser rejects the text.
std::optional<ParameterUses> parameter_uses(const std::string& sql, const model::Schema* schema = nullptr);

// The $n placeholders of `sql` (outside strings, comments and quoted names) replaced by the literal
// given for n; those without one are left.
std::string substitute_parameters(const std::string& sql, const std::map<int, std::string>& literals);

}  // namespace dbvet::sql
