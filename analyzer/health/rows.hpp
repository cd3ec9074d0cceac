#pragma once
// Named-column access to a ResultSummary, so that evaluations read `rows.number(i, "idx_scan")`
// and tests build their input as plain tables.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "analyzer/engines/connection.hpp"

namespace dbvet::health {

class Rows {
 public:
  explicit Rows(const engines::ResultSummary& result) : result_(result) {}

  size_t size() const { return result_.rows.size(); }
  bool has_column(std::string_view column) const { return index_of(column).has_value(); }
  std::optional<std::string> text(size_t row, std::string_view column) const;
  std::string str(size_t row, std::string_view column) const;  // "" for NULL or a missing column
  std::optional<double> number(size_t row, std::string_view column) const;
  double num(size_t row, std::string_view column, double fallback = 0) const;
  bool truthy(size_t row, std::string_view column) const;  // t, true, 1, on, yes

 private:
  std::optional<size_t> index_of(std::string_view column) const;
  const engines::ResultSummary& result_;
};

// Builds a ResultSummary from literal rows; nullopt cells are NULL. For tests and for checks that
// assemble their input from several answers.
engines::ResultSummary make_result(std::vector<std::string> columns,
                                   std::vector<std::vector<std::optional<std::string>>> rows);

// Name -> value from two-column answers (SHOW GLOBAL STATUS, INFO, PRAGMA lists).
std::vector<std::pair<std::string, std::string>> key_values(const engines::ResultSummary& result);

}  // namespace dbvet::health
