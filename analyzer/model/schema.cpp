#include "analyzer/model/schema.hpp"

#include <algorithm>
#include <cctype>

#include "analyzer/util/ascii.hpp"

namespace dbvet::model {
using util::iequals;

const Column* Table::find_column(const std::string& column) const {
  for (const auto& c : columns) {
    if (iequals(c.name, column)) return &c;
  }
  return nullptr;
}

bool Table::has_primary_key() const {
  return std::any_of(indexes.begin(), indexes.end(), [](const Index& i) { return i.primary; });
}

const Table* Schema::find_table(const std::string& name) const {
  auto dot = name.rfind('.');
  std::string bare = dot == std::string::npos ? name : name.substr(dot + 1);
  for (const auto& t : tables) {
    if (iequals(t.name, bare)) return &t;
  }
  return nullptr;
}

}  // namespace dbvet::model
