#include "analyzer/health/index_logic.hpp"

#include <algorithm>
#include <cctype>

namespace dbvet::health {
namespace {

std::string lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return std::tolower(c); });
  return text;
}

bool starts_with_columns(const std::vector<std::string>& longer, const std::vector<std::string>& prefix) {
  if (prefix.empty() || prefix.size() > longer.size()) return false;
  return std::equal(prefix.begin(), prefix.end(), longer.begin());
}

}  // namespace

std::vector<RedundantIndex> find_redundant_indexes(const std::vector<IndexDef>& indexes) {
  std::vector<RedundantIndex> out;
  for (const auto& a : indexes) {
    if (a.primary || !a.valid) continue;
    for (const auto& b : indexes) {
      if (&a == &b || !b.valid || a.table != b.table || lower(a.method) != lower(b.method) ||
          a.predicate != b.predicate || !starts_with_columns(b.columns, a.columns)) {
        continue;
      }
      bool identical = a.columns.size() == b.columns.size();
      if (a.unique && !(b.unique && identical)) continue;
      // Of two identical indexes report one: keep the primary key, then the unique one, then the first name.
      if (identical && !b.primary && (b.unique == a.unique) && b.name > a.name) continue;
      if (identical && !b.primary && a.unique && !b.unique) continue;
      out.push_back({a, b, identical});
      break;
    }
  }
  return out;
}

bool fk_has_index(const std::vector<std::string>& fk_columns, const std::vector<IndexDef>& table_indexes) {
  if (fk_columns.empty()) return true;
  std::vector<std::string> wanted = fk_columns;
  std::sort(wanted.begin(), wanted.end());
  for (const auto& index : table_indexes) {
    if (!index.valid || !index.predicate.empty() || index.columns.size() < wanted.size()) continue;
    std::vector<std::string> leading(index.columns.begin(), index.columns.begin() + static_cast<long>(wanted.size()));
    std::sort(leading.begin(), leading.end());
    if (leading == wanted) return true;
  }
  return false;
}

std::vector<std::string> split_list(const std::string& text, char separator) {
  std::vector<std::string> parts;
  if (text.empty()) return parts;
  size_t start = 0;
  for (;;) {
    size_t end = text.find(separator, start);
    parts.push_back(text.substr(start, end == std::string::npos ? std::string::npos : end - start));
    if (end == std::string::npos) break;
    start = end + 1;
  }
  return parts;
}

}  // namespace dbvet::health
