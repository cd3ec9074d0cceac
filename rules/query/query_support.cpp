#include "rules/query/query_support.hpp"

#include <algorithm>
#include <cctype>

#include "fmt/format.h"

namespace dbvet::rules::query_support {
namespace {
std::string lower(std::string text) {
  for (auto& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}
}  // namespace

bool is_select(const RuleContext& context) {
  const auto* shape = context.shape();
  return shape && shape->kind == sql::StatementKind::select;
}

const model::Index* index_leading_with(const model::Table& table, const std::string& column) {
  for (const auto& index : table.indexes) {
    if (!index.valid || index.columns.empty()) continue;
    if (lower(index.columns[0]) == lower(column)) return &index;
  }
  return nullptr;
}

bool has_expression_index(const model::Table& table, const std::string& function, const std::string& column) {
  std::string fn = function.rfind("cast:", 0) == 0 ? function.substr(5) : function;
  for (const auto& index : table.indexes) {
    if (!index.valid || index.columns.empty()) continue;
    std::string key = lower(index.columns[0]);
    if (key.find('(') == std::string::npos && key.find("::") == std::string::npos) continue;
    if (key.find(lower(column)) != std::string::npos && key.find(lower(fn)) != std::string::npos) return true;
  }
  return false;
}

std::string number(double value) {
  if (value == static_cast<double>(static_cast<long long>(value)) && value < 1e15 && value > -1e15) {
    return fmt::format("{}", static_cast<long long>(value));
  }
  return fmt::format("{:.2f}", value);
}

}  // namespace dbvet::rules::query_support
