#include "analyzer/health/rows.hpp"

#include <algorithm>
#include <cctype>
#include <cstdlib>

#include "analyzer/health/check.hpp"

namespace dbvet::health {

std::optional<size_t> Rows::index_of(std::string_view column) const {
  for (size_t i = 0; i < result_.columns.size(); ++i) {
    const auto& name = result_.columns[i];
    if (name.size() == column.size() && std::equal(name.begin(), name.end(), column.begin(), [](char a, char b) {
          return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b));
        })) {
      return i;
    }
  }
  return std::nullopt;
}

std::optional<std::string> Rows::text(size_t row, std::string_view column) const {
  auto index = index_of(column);
  if (!index || row >= result_.rows.size() || *index >= result_.rows[row].size()) return std::nullopt;
  return result_.rows[row][*index];
}

std::string Rows::str(size_t row, std::string_view column) const { return text(row, column).value_or(""); }

std::optional<double> Rows::number(size_t row, std::string_view column) const { return to_number(text(row, column)); }

double Rows::num(size_t row, std::string_view column, double fallback) const {
  return number(row, column).value_or(fallback);
}

bool Rows::truthy(size_t row, std::string_view column) const {
  std::string value = str(row, column);
  std::transform(value.begin(), value.end(), value.begin(), [](unsigned char c) { return std::tolower(c); });
  return value == "t" || value == "true" || value == "1" || value == "on" || value == "yes";
}

engines::ResultSummary make_result(std::vector<std::string> columns,
                                   std::vector<std::vector<std::optional<std::string>>> rows) {
  engines::ResultSummary result;
  result.columns = std::move(columns);
  result.rows = std::move(rows);
  result.row_count = static_cast<int64_t>(result.rows.size());
  return result;
}

std::vector<std::pair<std::string, std::string>> key_values(const engines::ResultSummary& result) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& row : result.rows) {
    if (row.size() < 2 || !row[0]) continue;
    out.emplace_back(*row[0], row[1].value_or(""));
  }
  return out;
}

}  // namespace dbvet::health
