#include "analyzer/pipeline/representative_values.hpp"

#include <map>
#include <set>

#include "analyzer/sql/lexer.hpp"
#include "analyzer/sql/parameters.hpp"
#include "analyzer/sql/render.hpp"
#include "analyzer/util/ascii.hpp"
#include "fmt/format.h"

namespace dbvet::pipeline {
namespace {

// The most common value of table.column, else its histogram's middle bound, as text; with which.
core::Expected<std::pair<std::string, std::string>> representative(engines::Connection& connection,
                                                                   const std::string& schema_name,
                                                                   const std::string& table,
                                                                   const std::string& column) {
  auto schema_literal = sql::quote_literal(sql::Dialect::postgres, schema_name);
  auto table_literal = sql::quote_literal(sql::Dialect::postgres, table);
  auto column_literal = sql::quote_literal(sql::Dialect::postgres, column);
  if (!schema_literal) return schema_literal.error();
  if (!table_literal) return table_literal.error();
  if (!column_literal) return column_literal.error();
  // anyarray has no subscript: through text to text[]. The schema is the table's, or (unknown) any.
  auto row = connection.execute(fmt::format(
      "SELECT (most_common_vals::text::text[])[1], "
      "(histogram_bounds::text::text[])[greatest(1, (array_length(histogram_bounds::text::text[], 1) + 1) / 2)] "
      "FROM pg_stats WHERE tablename = {} AND attname = {} AND ({} = '' OR schemaname = {}) "
      "ORDER BY schemaname = current_schema() DESC LIMIT 1",
      *table_literal, *column_literal, *schema_literal, *schema_literal));
  if (!row) return row.error();
  if (!row->rows.empty() && row->rows[0].size() == 2) {
    if (row->rows[0][0]) return std::make_pair(*row->rows[0][0], std::string("most common"));
    if (row->rows[0][1]) return std::make_pair(*row->rows[0][1], std::string("histogram middle"));
  }
  return core::make_error(core::ErrorKind::input,
                          fmt::format("{}.{} has no statistics in pg_stats (ANALYZE {})", table, column, table));
}

}  // namespace

core::Expected<RepresentativeText> with_representative_values(engines::Connection& connection, const std::string& sql,
                                                              const model::Schema& schema) {
  auto uses = sql::parameter_uses(sql, &schema);
  if (!uses) return core::make_error(core::ErrorKind::input, "the PostgreSQL parser rejects the text");
  std::set<int> numbers;
  sql::Lexer lexer(sql, sql::Dialect::postgres);
  for (auto token = lexer.next(); token.kind != sql::TokenKind::end; token = lexer.next()) {
    if (token.kind == sql::TokenKind::placeholder && token.text.size() > 1 && token.text[0] == '$') {
      numbers.insert(std::atoi(std::string(token.text.substr(1)).c_str()));
    }
  }
  std::map<int, std::string> literals;
  std::vector<std::string> described;
  for (int limit : uses->limits) literals[limit] = "10";
  for (const auto& use : uses->columns) {
    if (literals.count(use.number)) continue;
    const auto* table = schema.find_table(use.table);
    auto value = representative(connection, table ? table->schema : "", table ? table->name : use.table, use.column);
    if (!value) return value.error();
    auto literal = sql::quote_literal(sql::Dialect::postgres, value->first);
    if (!literal) return literal.error();
    literals[use.number] = *literal;
    described.push_back(
        fmt::format("${} = {} ({}.{}, {})", use.number, *literal, use.table, use.column, value->second));
  }
  for (int number : numbers) {
    if (!literals.count(number)) {
      return core::make_error(core::ErrorKind::input, fmt::format("${} is compared with no column", number));
    }
  }
  for (int limit : uses->limits) described.push_back(fmt::format("${} = 10 (LIMIT/OFFSET)", limit));
  RepresentativeText out;
  out.sql = sql::substitute_parameters(sql, literals);
  for (size_t i = 0; i < described.size(); ++i) out.description += (i ? ", " : "") + described[i];
  return out;
}

}  // namespace dbvet::pipeline
