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

}  // namespace dbvet::rules::schema_support
