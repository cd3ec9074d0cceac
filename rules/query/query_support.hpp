#pragma once
// What query rules share.

#include <optional>
#include <string>

#include "rules/rule_context.hpp"

namespace dbvet::rules::query_support {

// True when the query's statement was read (a shape exists) and is a SELECT.
bool is_select(const RuleContext& context);

// The schema's index whose leading key is `column` (plain column, not an expression), or nullptr.
const model::Index* index_leading_with(const model::Table& table, const std::string& column);

// Whether the table has an expression index over `function` applied to `column`.
bool has_expression_index(const model::Table& table, const std::string& function, const std::string& column);

std::string number(double value);

}  // namespace dbvet::rules::query_support
