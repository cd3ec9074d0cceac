#include "rules/schema/index_judge.hpp"

#include <algorithm>

#include "rules/schema/schema_support.hpp"

namespace dbvet::rules::index_judge {
namespace {

using schema_support::lower;

std::vector<std::string> lowered(const std::vector<std::string>& items) {
  std::vector<std::string> out;
  out.reserve(items.size());
  for (const auto& item : items) out.push_back(lower(item));
  return out;
}

bool descending(const model::Index& index, size_t i) { return i < index.descending.size() && index.descending[i]; }

// `a`'s key is a leading part of `b`'s (or equal to it), directions included.
bool key_is_leading_part(const model::Index& a, const model::Index& b) {
  if (a.columns.empty() || a.columns.size() > b.columns.size()) return false;
  for (size_t i = 0; i < a.columns.size(); ++i) {
    if (lower(a.columns[i]) != lower(b.columns[i]) || descending(a, i) != descending(b, i)) return false;
  }
  return true;
}

int enforcement(const model::Index& index) { return index.primary ? 2 : index.unique ? 1 : 0; }

}  // namespace

std::string method_of(const model::Index& index) { return index.method.empty() ? "btree" : lower(index.method); }

bool serves_foreign_key(const model::Index& index, const std::vector<std::string>& fk_columns) {
  if (fk_columns.empty()) return true;
  if (!index.valid || !index.predicate.empty() || index.columns.size() < fk_columns.size()) return false;
  const std::string method = method_of(index);
  if (method != "btree" && method != "rowid") return false;  // SQLite: the rowid is a B-tree key
  auto wanted = lowered(fk_columns);
  std::vector<std::string> leading(index.columns.begin(),
                                   index.columns.begin() + static_cast<std::ptrdiff_t>(fk_columns.size()));
  leading = lowered(leading);
  std::sort(wanted.begin(), wanted.end());
  std::sort(leading.begin(), leading.end());
  return wanted == leading;
}

Cover covered_by(const model::Index& index, const model::Index& covering) {
  if (&index == &covering || index.primary || !index.valid || !covering.valid) return Cover::none;
  if (method_of(index) != method_of(covering) || lower(index.predicate) != lower(covering.predicate)) {
    return Cover::none;
  }
  if (!key_is_leading_part(index, covering)) return Cover::none;
  const bool same_key = index.columns.size() == covering.columns.size();
  if (same_key) {
    if (lowered(index.include) != lowered(covering.include)) return Cover::none;
    if (index.unique && enforcement(covering) == 0) return Cover::none;
    return Cover::duplicate;
  }
  if (index.unique || method_of(index) != "btree" || !index.include.empty()) return Cover::none;
  return Cover::prefix;
}

const model::Index* drop_of_duplicates(const model::Index& a, const model::Index& b) {
  const int rank_a = enforcement(a);
  const int rank_b = enforcement(b);
  const model::Index* drop = rank_a != rank_b ? (rank_a < rank_b ? &a : &b) : (a.name > b.name ? &a : &b);
  const model::Index& keep = drop == &a ? b : a;
  if (drop->primary || (drop->unique && !keep.unique && !keep.primary)) return nullptr;
  return drop;
}

}  // namespace dbvet::rules::index_judge
