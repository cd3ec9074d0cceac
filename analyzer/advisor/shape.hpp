#pragma once
// What a statement filters, joins, sorts and groups on, read from libpg_query's parse tree (the
// advisor's own minimal reading until rules/ provides analyzer/sql/query_shape).

#include <optional>
#include <string>
#include <vector>

#include "analyzer/model/schema.hpp"

namespace dbvet::advisor {

enum class UseKind { equality, range, in_list, like_prefix, like_leading, is_null, join, order_by, group_by };

struct ColumnUse {
  std::string table;   // resolved table name; empty when unknown
  std::string column;  // column name, or an expression's SQL text such as lower(email)
  UseKind kind = UseKind::equality;
  bool descending = false;
  bool function = false;  // the column is wrapped in a function (lower(email), date(created_at))
  std::string function_name;
  std::string value;  // the constant compared with, when there is one
};

struct QueryShape {
  bool parsed = false;
  std::string command;  // select, insert, update, delete, other
  std::vector<std::string> tables;
  std::vector<ColumnUse> uses;
  bool has_where = false;
  bool select_star = false;
  bool aggregate_count = false;  // the target list is count(*)
  bool has_or_across_columns = false;
  std::optional<long long> limit, offset;
};

QueryShape query_shape(const std::string& sql, const model::Schema& schema);

}  // namespace dbvet::advisor
