#include "analyzer/engines/sqlite/what_if_sqlite.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <sstream>

#include "analyzer/engines/sqlite/sqlite_handle.hpp"
#include "analyzer/engines/sqlite/sqlite_plan_parser.hpp"
#include "fmt/format.h"

namespace dbvet::engines::sqlite {
namespace {

std::string lower(std::string text) {
  for (auto& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

std::string quote_literal(const std::string& text) {
  std::string out = "'";
  for (char c : text) {
    out += c;
    if (c == '\'') out += '\'';
  }
  return out + "'";
}

std::string column_text(const sqlite3_stmt* stmt, int i) {
  const auto* text = sqlite3_column_text(const_cast<sqlite3_stmt*>(stmt), i);
  return text ? reinterpret_cast<const char*>(text) : "";
}

std::vector<double> parse_stat(const std::string& stat) {
  std::vector<double> out;
  std::istringstream in(stat);
  std::string word;
  while (in >> word) {
    char* end = nullptr;
    double value = std::strtod(word.c_str(), &end);
    if (end == word.c_str()) break;  // "unordered", "sz=..." and the like end the numbers
    out.push_back(value);
  }
  return out;
}

// Equalities at the front of an index condition: "(a=? AND b=? AND c>?)" -> 2, and whether a
// range follows.
std::pair<size_t, bool> condition_terms(const std::string& condition) {
  size_t equalities = 0;
  bool range = false;
  size_t pos = 0;
  while (pos <= condition.size()) {
    size_t next = condition.find(" AND ", pos);
    std::string term = condition.substr(pos, next == std::string::npos ? std::string::npos : next - pos);
    if (term.find(">") != std::string::npos || term.find("<") != std::string::npos) {
      range = true;
    } else if (term.find('=') != std::string::npos) {
      ++equalities;
    }
    if (next == std::string::npos) break;
    pos = next + 5;
  }
  return {equalities, range};
}

}  // namespace

struct SqliteWhatIf::State {
  SqliteDb target;
  std::string target_name;
  std::vector<std::pair<std::string, std::string>> tables;   // name, CREATE (tables, views)
  std::vector<std::pair<std::string, std::string>> indexes;  // name, CREATE
  std::vector<std::array<std::string, 3>> stat1;             // tbl, idx (empty = NULL), stat
  std::map<std::string, std::string> index_table;            // index name (lower) -> table
  std::map<std::string, std::vector<double>> index_stats;    // index name (lower) -> numbers
  std::map<std::string, double> table_rows;                  // table (lower) -> rows
  std::map<std::string, std::string> candidate_stats;        // ddl -> stat text
};

SqliteWhatIf::SqliteWhatIf(std::unique_ptr<State> state) : state_(std::move(state)) {}
SqliteWhatIf::~SqliteWhatIf() = default;

core::Expected<std::unique_ptr<SqliteWhatIf>> SqliteWhatIf::open(const std::string& path, const std::string& target) {
  auto db = SqliteDb::open(path, OpenMode::read_only, target, std::chrono::milliseconds(5000));
  if (!db) return db.error();
  auto state = std::make_unique<State>(State{std::move(*db), target, {}, {}, {}, {}, {}, {}, {}});
  {
    auto stmt = state->target.prepare(
        "SELECT type, name, tbl_name, sql FROM sqlite_schema WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%' "
        "ORDER BY CASE type WHEN 'table' THEN 0 WHEN 'view' THEN 1 ELSE 2 END, rowid");
    if (!stmt) return stmt.error();
    for (;;) {
      auto rc = state->target.step(stmt->get());
      if (!rc) return rc.error();
      if (*rc != SQLITE_ROW) break;
      std::string type = column_text(stmt->get(), 0), name = column_text(stmt->get(), 1);
      std::string table = column_text(stmt->get(), 2), sql = column_text(stmt->get(), 3);
      if (type == "table" || type == "view") state->tables.emplace_back(name, sql);
      if (type == "index") {
        state->indexes.emplace_back(name, sql);
        state->index_table[lower(name)] = table;
      }
    }
  }
  if (auto stmt = state->target.prepare("SELECT tbl, idx, stat FROM sqlite_stat1"); stmt) {
    for (;;) {
      auto rc = state->target.step(stmt->get());
      if (!rc || *rc != SQLITE_ROW) break;
      std::array<std::string, 3> row{column_text(stmt->get(), 0), column_text(stmt->get(), 1),
                                     column_text(stmt->get(), 2)};
      auto numbers = parse_stat(row[2]);
      if (!numbers.empty()) {
        auto& rows = state->table_rows[lower(row[0])];
        if (row[1].empty() || row[1] == row[0]) {
          rows = numbers[0];
        } else {
          state->index_stats[lower(row[1])] = numbers;
          state->table_rows.emplace(lower(row[0]), numbers[0]);
          rows = std::max(rows, numbers[0]);
        }
      }
      state->stat1.push_back(std::move(row));
    }
  }
  // Tables without statistics: count them (read-only) so the cost model has a size.
  for (const auto& [name, sql] : state->tables) {
    if (state->table_rows.count(lower(name)) || sql.rfind("CREATE TABLE", 0) != 0) continue;
    if (auto stmt = state->target.prepare(fmt::format("SELECT count(*) FROM \"{}\"", name)); stmt) {
      if (auto rc = state->target.step(stmt->get()); rc && *rc == SQLITE_ROW) {
        state->table_rows[lower(name)] = static_cast<double>(sqlite3_column_int64(stmt->get(), 0));
      }
    }
  }
  return std::unique_ptr<SqliteWhatIf>(new SqliteWhatIf(std::move(state)));
}

double SqliteWhatIf::table_rows(const std::string& table) const {
  auto it = state_->table_rows.find(lower(table));
  return it == state_->table_rows.end() ? 1000.0 : std::max(1.0, it->second);
}

std::string sqlite_index_ddl(const model::IndexCandidate& candidate) {
  std::string keys;
  for (size_t i = 0; i < candidate.columns.size(); ++i) {
    if (i) keys += ", ";
    keys += candidate.columns[i];
    if (i < candidate.descending.size() && candidate.descending[i]) keys += " DESC";
  }
  std::string ddl = fmt::format("CREATE {}INDEX {} ON {} ({})", candidate.unique ? "UNIQUE " : "", candidate.name(),
                                candidate.table, keys);
  if (!candidate.where.empty()) ddl += " WHERE " + candidate.where;
  return ddl;
}

// The sqlite_stat1 row the candidate would get: its row count, then rows per distinct prefix,
// measured read-only on the target.
core::Expected<std::string> SqliteWhatIf::candidate_stat(const model::IndexCandidate& candidate) {
  std::string ddl = sqlite_index_ddl(candidate);
  if (auto it = state_->candidate_stats.find(ddl); it != state_->candidate_stats.end()) return it->second;
  std::string where = candidate.where.empty() ? "" : " WHERE " + candidate.where;
  auto count = [&](const std::string& sql) -> core::Expected<double> {
    auto stmt = state_->target.prepare(sql);
    if (!stmt) return stmt.error();
    auto rc = state_->target.step(stmt->get());
    if (!rc) return rc.error();
    return *rc == SQLITE_ROW ? static_cast<double>(sqlite3_column_int64(stmt->get(), 0)) : 0.0;
  };
  auto rows = count(fmt::format("SELECT count(*) FROM {}{}", candidate.table, where));
  if (!rows) return rows.error();
  std::string stat = fmt::format("{}", std::max(1.0, *rows));
  std::string keys;
  for (const auto& column : candidate.columns) {
    if (!keys.empty()) keys += ", ";
    keys += column;
    auto distinct =
        count(fmt::format("SELECT count(*) FROM (SELECT DISTINCT {} FROM {}{})", keys, candidate.table, where));
    if (!distinct) return distinct.error();
    stat += fmt::format(" {}", static_cast<int64_t>(std::ceil(std::max(1.0, *rows) / std::max(1.0, *distinct))));
  }
  state_->candidate_stats[ddl] = stat;
  state_->index_stats[lower(candidate.name())] = parse_stat(stat);
  state_->index_table[lower(candidate.name())] = candidate.table;
  return stat;
}

double SqliteWhatIf::estimate_cost(const model::Plan& plan) const {
  double cost = 0, loops = 1;
  model::visit(plan.root, [&](const model::PlanNode& node, int) {
    if (node.temp_btree) {
      double n = std::max(2.0, loops);
      cost += n * std::log2(n);
      return;
    }
    if (node.operation != "SCAN" && node.operation != "SEARCH") return;
    double rows_in_table = table_rows(node.relation);
    auto stats = state_->index_stats.find(lower(node.index));
    if (node.automatic_index) cost += rows_in_table;  // built on every execution
    if (node.operation == "SCAN") {
      double rows = rows_in_table;
      if (stats != state_->index_stats.end() && !stats->second.empty()) rows = stats->second[0];  // partial index
      cost += loops * rows;
      loops *= std::max(1.0, rows * 0.1);
      return;
    }
    double per_search = 1;
    if (node.index != "INTEGER PRIMARY KEY" && node.index != "PRIMARY KEY") {
      auto [equalities, range] = condition_terms(node.index_condition);
      if (stats != state_->index_stats.end() && stats->second.size() > equalities && equalities > 0) {
        per_search = stats->second[equalities];
      } else if (stats != state_->index_stats.end() && !stats->second.empty()) {
        per_search = stats->second[0];
      } else {
        per_search = equalities > 0 ? 10 : rows_in_table / 4;
      }
      if (range) per_search = std::max(1.0, per_search / 4);
    } else if (node.access != model::AccessType::lookup) {
      per_search = rows_in_table / 4;
    }
    cost += loops * (std::log2(std::max(2.0, rows_in_table)) + per_search);
    loops *= std::max(1.0, per_search);
  });
  return std::max(1.0, cost);
}

core::Expected<model::WhatIfResult> SqliteWhatIf::plan_with(const std::string& sql,
                                                            const std::vector<model::IndexCandidate>& add,
                                                            const std::vector<std::string>& hide) {
  auto copy = SqliteDb::open(":memory:", OpenMode::read_write_create, "what-if copy of " + state_->target_name,
                             std::chrono::milliseconds(1000));
  if (!copy) return copy.error();
  std::string script = "BEGIN;\n";
  for (const auto& [name, ddl] : state_->tables) script += ddl + ";\n";
  for (const auto& [name, ddl] : state_->indexes) {
    bool hidden = std::any_of(hide.begin(), hide.end(), [&](const std::string& h) { return lower(h) == lower(name); });
    if (!hidden) script += ddl + ";\n";
  }
  std::vector<std::string> stat_rows;
  for (const auto& candidate : add) {
    script += sqlite_index_ddl(candidate) + ";\n";
    auto stat = candidate_stat(candidate);
    if (!stat) return stat.error();
    stat_rows.push_back(fmt::format("INSERT INTO sqlite_stat1 VALUES ({}, {}, {});", quote_literal(candidate.table),
                                    quote_literal(candidate.name()), quote_literal(*stat)));
  }
  script += "COMMIT;\nANALYZE;\nDELETE FROM sqlite_stat1;\n";
  for (const auto& row : state_->stat1) {
    script += fmt::format("INSERT INTO sqlite_stat1 VALUES ({}, {}, {});\n", quote_literal(row[0]),
                          row[1].empty() ? "NULL" : quote_literal(row[1]), quote_literal(row[2]));
  }
  for (const auto& row : stat_rows) script += row + "\n";
  script += "ANALYZE sqlite_schema;\n";
  if (auto status = copy->exec(script); !status) {
    return core::make_error(core::ErrorKind::query, "what-if copy: " + status.error().message);
  }
  auto stmt = copy->prepare("EXPLAIN QUERY PLAN " + sql);
  if (!stmt) return stmt.error();
  std::vector<EqpRow> rows;
  for (;;) {
    auto rc = copy->step(stmt->get());
    if (!rc) return rc.error();
    if (*rc != SQLITE_ROW) break;
    rows.push_back(
        {sqlite3_column_int(stmt->get(), 0), sqlite3_column_int(stmt->get(), 1), column_text(stmt->get(), 3)});
  }
  auto plan = parse_sqlite_query_plan(rows);
  if (!plan) return plan.error();
  model::WhatIfResult result;
  result.plan = std::move(*plan);
  result.cost = estimate_cost(result.plan);
  model::visit(result.plan.root, [&](const model::PlanNode& node, int) {
    for (const auto& candidate : add) {
      if (lower(node.index) == lower(candidate.name())) result.used_candidates.push_back(candidate.name());
    }
  });
  return result;
}

}  // namespace dbvet::engines::sqlite
