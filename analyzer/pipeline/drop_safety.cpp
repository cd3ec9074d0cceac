#include "analyzer/pipeline/drop_safety.hpp"

#include <algorithm>
#include <set>

#include "analyzer/util/ascii.hpp"
#include "fmt/format.h"

namespace dbvet::pipeline {
namespace {

std::string index_of(const model::Recommendation& drop) {
  auto it = drop.details.find("index");
  return it == drop.details.end() ? std::string() : it->second;
}

std::string key(const std::string& table, const std::string& index) {
  return util::to_lower(table) + "\n" + util::to_lower(index);
}

// The index's leading keys are the foreign key's columns, in any order (what the engines accept).
bool serves_foreign_key(const model::Index& index, const model::ForeignKey& fk) {
  if (fk.columns.empty() || index.columns.size() < fk.columns.size() || !index.predicate.empty() || !index.valid) {
    return false;
  }
  std::vector<std::string> leading, wanted;
  for (std::size_t i = 0; i < fk.columns.size(); ++i) leading.push_back(util::to_lower(index.columns[i]));
  for (const auto& column : fk.columns) wanted.push_back(util::to_lower(column));
  std::sort(leading.begin(), leading.end());
  std::sort(wanted.begin(), wanted.end());
  return leading == wanted;
}

// A unique index may go when an identical unique index stays to enforce the same constraint.
bool identical_unique_stays(const model::Table& table, const model::Index& index, const model::Recommendation& drop,
                            const std::set<std::string>& dropped) {
  auto cover = drop.details.find("covered_by");
  if (cover == drop.details.end()) return false;
  for (const auto& other : table.indexes) {
    if (util::to_lower(other.name) != util::to_lower(cover->second) || dropped.count(key(table.name, other.name)))
      continue;
    if (other.unique && other.columns == index.columns && other.predicate == index.predicate) return true;
  }
  return false;
}

}  // namespace

std::vector<model::Recommendation> withdraw_unsafe_drops(std::vector<model::Recommendation> drops,
                                                         const model::Schema& schema, std::vector<std::string>* notes) {
  auto withdraw = [&](const model::Recommendation& drop, const std::string& why) {
    if (notes) notes->push_back(fmt::format("drop of {} on {} withdrawn: {}", index_of(drop), drop.table, why));
  };
  // Unused-index drops first: they decide which indexes go, and a redundant index they cover stays.
  std::stable_partition(drops.begin(), drops.end(),
                        [](const model::Recommendation& r) { return !r.details.count("covered_by"); });
  std::vector<model::Recommendation> kept;
  std::set<std::string> dropped;  // table + index of the drops kept so far
  for (auto& drop : drops) {
    if (drop.type != model::RecommendationType::drop_index) {
      kept.push_back(std::move(drop));
      continue;
    }
    const std::string name = index_of(drop);
    const auto* table = schema.find_table(drop.table);
    const model::Index* index = nullptr;
    if (table) {
      for (const auto& i : table->indexes) {
        if (util::to_lower(i.name) == util::to_lower(name)) index = &i;
      }
    }
    if (index && index->primary) {
      withdraw(drop, "it is the primary key");
      continue;
    }
    if (index && index->unique && !identical_unique_stays(*table, *index, drop, dropped)) {
      withdraw(drop, "it enforces a unique constraint");
      continue;
    }
    if (auto cover = drop.details.find("covered_by");
        cover != drop.details.end() && dropped.count(key(drop.table, cover->second))) {
      withdraw(drop, fmt::format("{}, which covers it, is recommended dropped", cover->second));
      continue;
    }
    std::string foreign_key;
    if (table && index) {
      for (const auto& fk : table->foreign_keys) {
        if (!serves_foreign_key(*index, fk)) continue;
        bool another = std::any_of(table->indexes.begin(), table->indexes.end(), [&](const model::Index& other) {
          return &other != index && !dropped.count(key(table->name, other.name)) && serves_foreign_key(other, fk);
        });
        if (!another) {
          foreign_key = fk.name.empty() ? fk.referenced_table : fk.name;
          break;
        }
      }
    }
    if (!foreign_key.empty()) {
      withdraw(drop, fmt::format("it is the only index serving foreign key {}", foreign_key));
      continue;
    }
    dropped.insert(key(drop.table, name));
    kept.push_back(std::move(drop));
  }
  return kept;
}

}  // namespace dbvet::pipeline
