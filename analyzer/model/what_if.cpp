#include "analyzer/model/what_if.hpp"

#include <cctype>

namespace dbvet::model {

std::string IndexCandidate::name() const {
  std::string out = "dbvet_" + table;
  for (const auto& column : columns) {
    out += '_';
    for (char c : column) {
      if (std::isalnum(static_cast<unsigned char>(c))) out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
  }
  if (!where.empty()) out += "_partial";
  // Identifiers are limited to 63 bytes in PostgreSQL and 64 in MySQL.
  if (out.size() > 60) out.resize(60);
  return out;
}

}  // namespace dbvet::model
