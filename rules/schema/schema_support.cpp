#include "rules/schema/schema_support.hpp"

#include <cctype>

namespace dbvet::rules::schema_support {

std::string lower(std::string text) {
  for (auto& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

std::string join(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& i : items) {
    out += out.empty() ? "" : ", ";
    out += i;
  }
  return out;
}

std::string method_of(const model::Index& index) { return index.method.empty() ? "btree" : lower(index.method); }

namespace {
std::vector<std::string> lowered(const std::vector<std::string>& items) {
  std::vector<std::string> out;
  for (const auto& i : items) out.push_back(lower(i));
  return out;
}
bool descending(const model::Index& index, size_t i) { return i < index.descending.size() && index.descending[i]; }
}  // namespace

bool same_kind(const model::Index& a, const model::Index& b) {
  return method_of(a) == method_of(b) && lower(a.predicate) == lower(b.predicate) &&
         lowered(a.include) == lowered(b.include);
}

bool key_is_prefix(const model::Index& a, const model::Index& b, bool allow_equal) {
  if (a.columns.empty() || a.columns.size() > b.columns.size()) return false;
  if (!allow_equal && a.columns.size() == b.columns.size()) return false;
  for (size_t i = 0; i < a.columns.size(); ++i) {
    if (lower(a.columns[i]) != lower(b.columns[i]) || descending(a, i) != descending(b, i)) return false;
  }
  return true;
}

}  // namespace dbvet::rules::schema_support
