#include "analyzer/model/what_if.hpp"

#include <algorithm>
#include <cstdint>

#include "fmt/format.h"

namespace dbvet::model {
namespace {

void fnv1a(uint64_t& hash, const std::string& text) {
  for (unsigned char c : text) {
    hash ^= c;
    hash *= 1099511628211ULL;
  }
  hash ^= 0xff;  // a separator that no byte of a name can fake
  hash *= 1099511628211ULL;
}

}  // namespace

IndexCandidate IndexCandidate::narrowed() const {
  IndexCandidate out = *this;
  out.include.clear();
  out.columns.resize(columns.size() - std::min(covering_keys, columns.size()));
  if (out.expression.size() > out.columns.size()) out.expression.resize(out.columns.size());
  if (out.descending.size() > out.columns.size()) out.descending.resize(out.columns.size());
  out.covering_keys = 0;
  return out;
}

std::string IndexCandidate::name() const {
  bool lossy = false;
  // Expression keys are written for people (`lower(email)` -> loweremail): their parentheses,
  // commas and spaces are not counted as lost, anything else (a quoted column) is.
  auto append = [&](std::string& out, const std::string& part, bool expression) {
    for (char c : part) {
      if (expression && (c == '(' || c == ')' || c == ',' || c == ' ')) continue;
      if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
        out += c;
      } else if (c >= 'A' && c <= 'Z') {
        out += static_cast<char>(c - 'A' + 'a');
        lossy = true;  // "PetNotes" and "petnotes" are two tables in PostgreSQL
      } else if (c != '_') {
        lossy = true;
      }
    }
  };
  std::string out = "dbvet_";
  for (char c : table) {
    if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_') {
      out += c;
    } else if (c >= 'A' && c <= 'Z') {
      out += static_cast<char>(c - 'A' + 'a');
      lossy = true;
    } else {
      lossy = true;
    }
  }
  for (size_t i = 0; i < columns.size(); ++i) {
    out += '_';
    append(out, columns[i], is_expression(i));
  }
  if (!collation.empty()) {
    // Collation names are case-insensitive (NOCASE, nocase): no loss in writing them in lower case.
    std::string lowered;
    for (char c : collation) lowered += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
    out += '_';
    append(out, lowered, false);
  }
  if (!include.empty()) {
    out += "_incl";
    for (const auto& column : include) {
      out += '_';
      append(out, column, false);
    }
  }
  if (partial()) out += "_partial";
  if (partial() && where_is_null.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789_") != std::string::npos) {
    lossy = true;
  }
  // Identifiers are limited to 63 bytes in PostgreSQL and 64 characters in MySQL.
  constexpr size_t kMax = 60;
  if (!lossy && out.size() <= kMax) return out;
  uint64_t hash = 14695981039346656037ULL;
  fnv1a(hash, table);
  for (size_t i = 0; i < columns.size(); ++i) fnv1a(hash, (is_expression(i) ? "e:" : "c:") + columns[i]);
  for (const auto& column : include) fnv1a(hash, "i:" + column);
  fnv1a(hash, where_is_null);
  if (out.size() > kMax - 9) out.resize(kMax - 9);
  return fmt::format("{}_{:08x}", out, static_cast<uint32_t>(hash ^ (hash >> 32)));
}

}  // namespace dbvet::model
