#include "analyzer/health/index_logic.hpp"

#include <algorithm>

#include "rules/schema/index_judge.hpp"

namespace dbvet::health {
namespace {

model::Index as_model(const IndexDef& def) {
  model::Index index;
  index.name = def.name;
  index.table = def.table;
  index.columns = def.columns;
  index.method = def.method;
  index.predicate = def.predicate;
  index.unique = def.unique;
  index.primary = def.primary;
  index.valid = def.valid;
  return index;
}

}  // namespace

std::vector<RedundantIndex> find_redundant_indexes(const std::vector<IndexDef>& indexes) {
  using rules::index_judge::Cover;
  std::vector<model::Index> models;
  models.reserve(indexes.size());
  for (const auto& def : indexes) models.push_back(as_model(def));
  std::vector<RedundantIndex> out;
  for (size_t a = 0; a < models.size(); ++a) {
    for (size_t b = 0; b < models.size(); ++b) {
      if (a == b || indexes[a].table != indexes[b].table) continue;
      const Cover cover = rules::index_judge::covered_by(models[a], models[b]);
      if (cover == Cover::none) continue;
      // Of two duplicates report one, the one the judge would drop.
      if (cover == Cover::duplicate && rules::index_judge::drop_of_duplicates(models[a], models[b]) != &models[a]) {
        continue;
      }
      out.push_back({indexes[a], indexes[b], cover == Cover::duplicate});
      break;
    }
  }
  return out;
}

bool fk_has_index(const std::vector<std::string>& fk_columns, const std::vector<IndexDef>& table_indexes) {
  return fk_columns.empty() || std::any_of(table_indexes.begin(), table_indexes.end(), [&](const IndexDef& def) {
           return rules::index_judge::serves_foreign_key(as_model(def), fk_columns);
         });
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
