#include "analyzer/model/what_if.hpp"

#include <cctype>

namespace dbvet::model {

std::string IndexCandidate::name() const {
  std::string out = "dbvet_" + table;
  for (const auto& column : columns) {
    out += '_';
    for (char c : column) {
      if (std::isalnum(static_cast<unsigned char>(c)))
        out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
  }
  if (!where.empty()) out += "_partial";
  // Identifiers are limited to 63 bytes in PostgreSQL and 64 in MySQL.
  if (out.size() > 60) out.resize(60);
  return out;
}

std::string postgres_create_index(const IndexCandidate& c, const std::string& name, bool concurrently) {
  std::string keys;
  for (size_t i = 0; i < c.columns.size(); ++i) {
    if (i) keys += ", ";
    bool expression = c.columns[i].find('(') != std::string::npos;
    keys += expression ? "(" + c.columns[i] + ")" : c.columns[i];
    if (i == 0 && !c.opclass.empty()) keys += " " + c.opclass;
    if (i < c.descending.size() && c.descending[i]) keys += " DESC";
  }
  std::string ddl = std::string("CREATE ") + (c.unique ? "UNIQUE " : "") + "INDEX " +
                    (concurrently ? "CONCURRENTLY " : "") + (name.empty() ? "" : name + " ") + "ON " + c.table;
  if (!c.method.empty() && c.method != "btree") ddl += " USING " + c.method;
  ddl += " (" + keys + ")";
  if (!c.include.empty()) {
    ddl += " INCLUDE (";
    for (size_t i = 0; i < c.include.size(); ++i) ddl += (i ? ", " : "") + c.include[i];
    ddl += ")";
  }
  if (!c.where.empty()) ddl += " WHERE " + c.where;
  return ddl;
}

std::string mysql_add_index(const IndexCandidate& c) {
  std::string keys;
  for (size_t i = 0; i < c.columns.size(); ++i) {
    bool expression = c.columns[i].find('(') != std::string::npos;
    keys += (i ? ", " : "") + (expression ? "(" + c.columns[i] + ")" : c.columns[i]);
  }
  return "ALTER TABLE " + c.table + " ADD " + (c.unique ? "UNIQUE " : "") + "INDEX " + c.name() + " (" + keys + ")";
}

}  // namespace dbvet::model
