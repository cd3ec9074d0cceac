#include "analyzer/engines/sqlite/what_if_sqlite.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <sstream>

#include "analyzer/engines/sqlite/sqlite_handle.hpp"
#include "analyzer/engines/sqlite/sqlite_plan_parser.hpp"
#include "analyzer/sql/plan_aliases.hpp"
#include "analyzer/sql/query_shape.hpp"
#include "analyzer/sql/render.hpp"
#include "fmt/format.h"

namespace dbvet::engines::sqlite {
namespace {

std::string lower(std::string text) {
  for (auto& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

// Runs exactly one statement: text after the first statement is refused, never run.
core::Status run_one(const SqliteDb& db, const std::string& sql) {
  sqlite3_stmt* raw = nullptr;
  const char* tail = nullptr;
  int rc = sqlite3_prepare_v2(db.get(), sql.data(), static_cast<int>(sql.size()), &raw, &tail);
  Statement stmt(raw);
  if (rc != SQLITE_OK) return db.last_error(core::ErrorKind::query, rc);
  if (!stmt || (tail && std::string_view(tail).find_first_not_of(" \t\r\n;") != std::string_view::npos)) {
    return core::make_error(core::ErrorKind::internal, "what-if copy: refused a statement that is not exactly one");
  }
  auto stepped = db.step(stmt.get());
  if (!stepped) return stepped.error();
  return core::ok();
}

// One sqlite_stat1 row, its values bound: names are data here.
core::Status insert_stat(const SqliteDb& db, const std::string& table, const std::string& index,
                         const std::string& stat) {
  auto stmt = db.prepare("INSERT INTO sqlite_stat1 VALUES (?, ?, ?)");
  if (!stmt) return stmt.error();
  sqlite3_bind_text(stmt->get(), 1, table.data(), static_cast<int>(table.size()), SQLITE_TRANSIENT);
  if (index.empty()) {
    sqlite3_bind_null(stmt->get(), 2);
  } else {
    sqlite3_bind_text(stmt->get(), 2, index.data(), static_cast<int>(index.size()), SQLITE_TRANSIENT);
  }
  sqlite3_bind_text(stmt->get(), 3, stat.data(), static_cast<int>(stat.size()), SQLITE_TRANSIENT);
  auto stepped = db.step(stmt->get());
  if (!stepped) return stepped.error();
  return core::ok();
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

// The leading columns an index condition skips: "(ANY(a) AND ANY(b) AND c=?)" -> 2.
size_t skip_scan_columns(const std::string& condition) {
  size_t skipped = 0;
  for (size_t at = 0; (at = condition.find("ANY(", at)) != std::string::npos; at += 4) ++skipped;
  return skipped;
}

// Equalities at the front of an index condition, and its range bounds: "(a=? AND b>? AND b<?)" ->
// 1 equality, 2 bounds.
std::pair<size_t, int> condition_terms(const std::string& condition) {
  size_t equalities = 0;
  int bounds = 0;
  size_t pos = 0;
  while (pos <= condition.size()) {
    size_t next = condition.find(" AND ", pos);
    std::string term = condition.substr(pos, next == std::string::npos ? std::string::npos : next - pos);
    if (term.find(">") != std::string::npos || term.find("<") != std::string::npos) {
      ++bounds;
    } else if (term.find('=') != std::string::npos) {
      ++equalities;
    }
    if (next == std::string::npos) break;
    pos = next + 5;
  }
  return {equalities, bounds};
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
  // A count's SQL -> its value: a covering twin (a, b, c) shares the counts of its prefixes with
  // (a, b), each a scan of the table.
  std::map<std::string, double> counts;
  std::map<std::string, double> column_distinct;              // "table\ncolumn" (lower) -> distinct values
  std::map<std::string, std::optional<double>> literal_rows;  // table and terms -> rows they keep
  Counting counting;
  double rows_read_counting = 0;
};

SqliteWhatIf::SqliteWhatIf(std::unique_ptr<State> state) : state_(std::move(state)) {}
SqliteWhatIf::~SqliteWhatIf() = default;

core::Expected<std::unique_ptr<SqliteWhatIf>> SqliteWhatIf::open(const std::string& path, const std::string& target,
                                                                 Counting counting) {
  auto db = SqliteDb::open(path, OpenMode::read_only, target, std::chrono::milliseconds(5000));
  if (!db) return db.error();
  auto state =
      std::make_unique<State>(State{std::move(*db), target, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, counting, 0});
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
    auto quoted = sql::quote_identifier(sql::Dialect::sqlite, name);
    if (!quoted) continue;
    if (auto stmt = state->target.prepare(fmt::format("SELECT count(*) FROM {}", *quoted)); stmt) {
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

// The sqlite_stat1 row the candidate would get: its row count, then rows per distinct prefix,
// measured read-only on the target.
core::Expected<std::string> SqliteWhatIf::candidate_stat(const model::IndexCandidate& candidate) {
  auto ddl = sql::create_index(sql::Dialect::sqlite, candidate, candidate.name(), false);
  if (!ddl) return ddl.error();
  if (auto it = state_->candidate_stats.find(*ddl); it != state_->candidate_stats.end()) return it->second;
  auto table = sql::quote_identifier(sql::Dialect::sqlite, candidate.table);
  if (!table) return table.error();
  auto predicate = sql::index_predicate(sql::Dialect::sqlite, candidate);
  if (!predicate) return predicate.error();
  std::string where = predicate->empty() ? "" : " WHERE " + *predicate;
  auto count = [&](const std::string& sql) -> core::Expected<double> {
    if (auto known = state_->counts.find(sql); known != state_->counts.end()) return known->second;
    auto stmt = state_->target.prepare(sql);
    if (!stmt) return stmt.error();
    auto rc = state_->target.step(stmt->get());
    if (!rc) return rc.error();
    double value = *rc == SQLITE_ROW ? static_cast<double>(sqlite3_column_int64(stmt->get(), 0)) : 0.0;
    state_->counts.emplace(sql, value);
    return value;
  };
  auto rows = count(fmt::format("SELECT count(*) FROM {}{}", *table, where));
  if (!rows) return rows.error();
  std::string stat = fmt::format("{}", std::max(1.0, *rows));
  std::string keys;
  for (size_t i = 0; i < candidate.columns.size(); ++i) {
    if (!keys.empty()) keys += ", ";
    if (candidate.is_expression(i)) {
      if (auto ok = sql::check_expression(sql::Dialect::sqlite, candidate.columns[i]); !ok) return ok.error();
      keys += "(" + candidate.columns[i] + ")";
    } else {
      auto column = sql::quote_identifier(sql::Dialect::sqlite, candidate.columns[i]);
      if (!column) return column.error();
      keys += *column;
    }
    auto distinct = count(fmt::format("SELECT count(*) FROM (SELECT DISTINCT {} FROM {}{})", keys, *table, where));
    if (!distinct) return distinct.error();
    stat += fmt::format(" {}", static_cast<int64_t>(std::ceil(std::max(1.0, *rows) / std::max(1.0, *distinct))));
  }
  state_->candidate_stats[*ddl] = stat;
  state_->index_stats[lower(candidate.name())] = parse_stat(stat);
  state_->index_table[lower(candidate.name())] = candidate.table;
  return stat;
}

namespace {

// Column names of an index condition "(a=? AND b>?)": the predicates the search already applies.
std::vector<std::string> condition_columns(const std::string& condition) {
  std::vector<std::string> out;
  size_t pos = 0;
  while (pos < condition.size()) {
    size_t next = condition.find(" AND ", pos);
    std::string term = condition.substr(pos, next == std::string::npos ? std::string::npos : next - pos);
    auto end = term.find_first_of("=<>");
    if (end != std::string::npos) out.push_back(lower(term.substr(0, end)));
    if (next == std::string::npos) break;
    pos = next + 5;
  }
  return out;
}

// Binds the terms' literals (IS NULL has none) from slot + 1 on; returns the last slot bound. The
// literal is bound as text, never spliced into the SQL.
int bind_literals(sqlite3_stmt* stmt, const std::vector<const SqliteWhatIf::LiteralTerm*>& terms, int slot) {
  for (const auto* term : terms) {
    if (term->op == "IS NULL") continue;
    sqlite3_bind_text(stmt, ++slot, term->value.data(), static_cast<int>(term->value.size()), SQLITE_TRANSIENT);
  }
  return slot;
}

}  // namespace

// The share of `table`'s rows its predicates keep, leaving out the columns a search applied.
double SqliteWhatIf::kept_share(const std::string& table, const Filter& filter,
                                const std::vector<std::string>& applied) const {
  auto is_applied = [&](const std::string& column) {
    return std::find(applied.begin(), applied.end(), lower(column)) != applied.end();
  };
  double share = 1;
  const double rows = table_rows(table);
  // The share a column's literal terms keep, counted; none where the statement gives no literal.
  auto literal_share = [&](const std::string& column) -> std::optional<double> {
    auto kept = literal_rows(table, filter, {lower(column)});
    if (!kept) return std::nullopt;
    return std::min(1.0, *kept / rows);
  };
  for (const auto& column : filter.equalities) {
    if (is_applied(column)) continue;
    if (auto counted = literal_share(column)) {
      share *= *counted;
      continue;
    }
    auto key = lower(table) + "\n" + lower(column);
    auto it = state_->column_distinct.find(key);
    if (it == state_->column_distinct.end()) {
      double distinct = 10;  // SQLite's own guess for an equality without statistics
      auto quoted_table = sql::quote_identifier(sql::Dialect::sqlite, table);
      auto quoted_column = sql::quote_identifier(sql::Dialect::sqlite, column);
      if (quoted_table && quoted_column) {
        auto stmt =
            state_->target.prepare(fmt::format("SELECT count(DISTINCT {}) FROM {}", *quoted_column, *quoted_table));
        if (stmt) {
          if (auto rc = state_->target.step(stmt->get()); rc && *rc == SQLITE_ROW) {
            distinct = std::max(1.0, static_cast<double>(sqlite3_column_int64(stmt->get(), 0)));
          }
        }
      }
      it = state_->column_distinct.emplace(key, distinct).first;
    }
    share /= it->second;
  }
  std::vector<std::string> counted_ranges;
  for (const auto& column : filter.ranges) {
    if (is_applied(column) ||
        std::find(counted_ranges.begin(), counted_ranges.end(), lower(column)) != counted_ranges.end()) {
      continue;
    }
    if (auto counted = literal_share(column)) {
      counted_ranges.push_back(lower(column));
      share *= *counted;
      continue;
    }
    share /= 4;  // SQLite's guess for a range, too
  }
  return share;
}

std::optional<double> SqliteWhatIf::literal_rows(const std::string& table, const Filter& filter,
                                                 const std::vector<std::string>& columns) const {
  if (columns.empty()) return std::nullopt;
  std::vector<const LiteralTerm*> terms;
  for (const auto& column : columns) {
    size_t before = terms.size();
    for (const auto& term : filter.literals) {
      if (lower(term.column) == column) terms.push_back(&term);
    }
    if (terms.size() == before) return std::nullopt;
  }
  std::string key = lower(table);
  for (const auto* term : terms) key += "\n" + lower(term->column) + "\n" + term->op + "\n" + term->value;
  if (auto it = state_->literal_rows.find(key); it != state_->literal_rows.end()) return it->second;
  auto& remembered = state_->literal_rows[key];
  auto quoted_table = sql::quote_identifier(sql::Dialect::sqlite, table);
  if (!quoted_table) return remembered;
  std::string where;
  for (const auto* term : terms) {
    auto column = sql::quote_identifier(sql::Dialect::sqlite, term->column);
    if (!column) return remembered;
    if (!where.empty()) where += " AND ";
    // Operators come from the parser's fixed set; the literal is bound, never spliced.
    where += term->op == "IS NULL" ? *column + " IS NULL" : *column + " " + term->op + " ?";
  }
  const double rows_in_table = table_rows(table);
  if (rows_in_table > state_->counting.rows_counted_whole) {
    if (auto share = sampled_share(*quoted_table, where, terms); share && *share > 0) {
      remembered = *share * rows_in_table;
      return remembered;
    }
    // No rowid (WITHOUT ROWID) or no match in the slices: a rare literal, or one laid out unevenly.
    // Counting it whole would read the whole table; the statistics decide.
    return remembered;
  }
  auto stmt = state_->target.prepare(fmt::format("SELECT count(*) FROM {} WHERE {}", *quoted_table, where));
  if (!stmt) return remembered;
  bind_literals(stmt->get(), terms, 0);
  if (auto rc = state_->target.step(stmt->get()); rc && *rc == SQLITE_ROW) {
    state_->rows_read_counting += rows_in_table;
    auto counted = static_cast<double>(sqlite3_column_int64(stmt->get(), 0));
    if (counted > 0) remembered = counted;
  }
  return remembered;
}

std::optional<double> SqliteWhatIf::sampled_share(const std::string& quoted_table, const std::string& where,
                                                  const std::vector<const LiteralTerm*>& terms) const {
  auto bounds = state_->target.prepare(fmt::format("SELECT min(rowid), max(rowid) FROM {}", quoted_table));
  if (!bounds) return std::nullopt;  // WITHOUT ROWID
  auto rc = state_->target.step(bounds->get());
  if (!rc || *rc != SQLITE_ROW || sqlite3_column_type(bounds->get(), 0) == SQLITE_NULL) return std::nullopt;
  const int64_t first = sqlite3_column_int64(bounds->get(), 0), last = sqlite3_column_int64(bounds->get(), 1);
  auto slice = state_->target.prepare(
      fmt::format("SELECT count(*), coalesce(sum({}), 0) FROM {} WHERE rowid >= ? AND rowid < ?", where, quoted_table));
  if (!slice) return std::nullopt;
  const auto& counting = state_->counting;
  const double span = static_cast<double>(last - first) + 1;
  const double stride = span / std::max(1, counting.sample_slices);
  double seen = 0, kept = 0;
  for (int i = 0; i < counting.sample_slices; ++i) {
    sqlite3_reset(slice->get());
    const int slot = bind_literals(slice->get(), terms, 0);
    const auto from = first + static_cast<int64_t>(stride * i);
    sqlite3_bind_int64(slice->get(), slot + 1, from);
    sqlite3_bind_int64(slice->get(), slot + 2, from + counting.rows_per_slice);
    auto step = state_->target.step(slice->get());
    if (!step || *step != SQLITE_ROW) return std::nullopt;
    seen += static_cast<double>(sqlite3_column_int64(slice->get(), 0));
    kept += static_cast<double>(sqlite3_column_int64(slice->get(), 1));
  }
  state_->rows_read_counting += seen;
  if (seen == 0) return std::nullopt;
  return kept / seen;
}

double SqliteWhatIf::rows_read_counting() const { return state_->rows_read_counting; }

double SqliteWhatIf::estimate_cost(const model::Plan& plan, const Filters& filters) const {
  double cost = 0, loops = 1;
  model::visit(plan.root, [&](const model::PlanNode& node, int) {
    if (node.temp_btree) {
      // Each row goes down the temporary B-tree: a descent, priced as the table's below (a quarter
      // of a row of a scan per level). At one row per level, a GROUP BY of 480,000 rows out of 8M
      // outweighed the scan it sorts, and the covering index that makes it 4x faster (1.05 s ->
      // 0.26 s) planned only 13% cheaper than the index that makes it slower.
      double n = std::max(2.0, loops);
      cost += n * std::log2(n) / 4;
      return;
    }
    if (node.operation != "SCAN" && node.operation != "SEARCH") return;
    double rows_in_table = table_rows(node.relation);
    auto stats = state_->index_stats.find(lower(node.index));
    auto filter = filters.find(lower(node.relation));
    if (node.automatic_index) cost += rows_in_table;  // built on every execution
    if (node.operation == "SCAN") {
      double rows = rows_in_table;
      if (stats != state_->index_stats.end() && !stats->second.empty()) rows = stats->second[0];  // partial index
      cost += loops * rows;
      if (node.access == model::AccessType::index_full_scan) {  // in index order, each row from the table
        cost += loops * rows * std::log2(std::max(2.0, rows_in_table)) / 4;
      }
      double kept = filter == filters.end() ? 0.1 : kept_share(node.relation, filter->second, {});
      loops *= std::max(1.0, rows * kept);
      return;
    }
    double per_search = 1;
    double skips = 1;
    if (node.index != "INTEGER PRIMARY KEY" && node.index != "PRIMARY KEY") {
      auto [equalities, bounds] = condition_terms(node.index_condition);
      const size_t skipped = skip_scan_columns(node.index_condition);
      // A skip-scan, "(ANY(project_id) AND assignee_id=?)", searches once per distinct value of the
      // columns it skips: 8,000 searches of saas's tasks (project_id, assignee_id) for one
      // assignee, not one (it planned at 60 against 68 for (assignee_id, due_date), and ran 4.7 ms
      // against 0.01 ms).
      if (skipped > 0 && stats != state_->index_stats.end() && stats->second.size() > skipped) {
        skips = std::max(1.0, stats->second[0] / std::max(1.0, stats->second[skipped]));
      }
      const size_t leading = skipped + equalities;  // the columns each search fixes
      if (stats != state_->index_stats.end() && stats->second.size() > leading && equalities > 0) {
        per_search = stats->second[leading];
      } else if (stats != state_->index_stats.end() && !stats->second.empty()) {
        per_search = stats->second[0];
      } else {
        per_search = equalities > 0 ? 10 : rows_in_table / 4;
      }
      // SQLite's own guess without sqlite_stat4: each bound keeps a quarter (a BETWEEN, a sixteenth).
      if (bounds > 0) per_search = std::max(1.0, per_search / (bounds > 1 ? 16 : 4));
      // What SQLite guesses decides its plan; what the literals really keep decides its cost.
      if (filter != filters.end() && equalities + bounds > 0) {
        if (auto kept = literal_rows(node.relation, filter->second, condition_columns(node.index_condition))) {
          per_search = std::max(1.0, *kept);
        }
      }
    } else if (node.access != model::AccessType::lookup) {
      per_search = rows_in_table / 4;
    }
    // A search descends the B-tree: a few page reads, measured at about four rows of a scan each
    // (SQLite 3.40, tables of 10^4 to 10^6 rows), not one per level.
    const double descent = std::log2(std::max(2.0, rows_in_table)) / 4;
    cost += loops * (skips * descent + per_search);
    // An index that does not cover the statement sends each row it finds to the table: one more
    // descent per row.
    if (node.access == model::AccessType::index_scan) cost += loops * per_search * descent;
    double kept = filter == filters.end()
                      ? 1
                      : kept_share(node.relation, filter->second, condition_columns(node.index_condition));
    loops *= std::max(1.0, per_search * kept);
  });
  return std::max(1.0, cost);
}

core::Expected<model::WhatIfResult> SqliteWhatIf::plan_with(const std::string& sql,
                                                            const std::vector<model::IndexCandidate>& add,
                                                            const std::vector<std::string>& hide) {
  auto copy = SqliteDb::open(":memory:", OpenMode::read_write_create, "what-if copy of " + state_->target_name,
                             std::chrono::milliseconds(1000));
  if (!copy) return copy.error();
  // The target's own schema (SQLite stored each as one statement) goes in as a script; everything
  // built from names runs one statement per call, with names quoted or bound.
  std::string script = "BEGIN;\n";
  for (const auto& [name, ddl] : state_->tables) script += ddl + ";\n";
  for (const auto& [name, ddl] : state_->indexes) {
    bool hidden = std::any_of(hide.begin(), hide.end(), [&](const std::string& h) { return lower(h) == lower(name); });
    if (!hidden) script += ddl + ";\n";
  }
  auto failed = [](const core::Error& error) {
    return core::make_error(core::ErrorKind::query, "what-if copy: " + error.message);
  };
  if (auto status = copy->exec(script); !status) return failed(status.error());
  std::vector<std::string> stats;
  for (const auto& candidate : add) {
    auto ddl = sql::create_index(sql::Dialect::sqlite, candidate, candidate.name(), false);
    if (!ddl) return ddl.error();
    if (auto status = run_one(*copy, *ddl); !status) return failed(status.error());
    auto stat = candidate_stat(candidate);
    if (!stat) return stat.error();
    stats.push_back(*stat);
  }
  if (auto status = copy->exec("COMMIT;\nANALYZE;\nDELETE FROM sqlite_stat1;"); !status) return failed(status.error());
  for (const auto& row : state_->stat1) {
    if (auto status = insert_stat(*copy, row[0], row[1], row[2]); !status) return failed(status.error());
  }
  for (size_t i = 0; i < add.size(); ++i) {
    if (auto status = insert_stat(*copy, add[i].table, add[i].name(), stats[i]); !status) {
      return failed(status.error());
    }
  }
  if (auto status = copy->exec("ANALYZE sqlite_schema;"); !status) return failed(status.error());
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
  sql::resolve_plan_aliases(*plan, sql);
  Filters filters;
  if (auto shape = sql::analyze_query(sql)) {
    for (const auto& usage : shape->tables) {
      auto& filter = filters[lower(usage.name)];
      for (const auto& column : usage.equality_columns) filter.equalities.push_back(column);
      for (const auto& column : usage.range_columns) filter.ranges.push_back(column);
      for (const auto& constant : usage.constants) filter.literals.push_back({constant.column, "=", constant.value});
      for (const auto& column : usage.null_columns) filter.literals.push_back({column, "IS NULL", ""});
      for (const auto& range : usage.range_constants) filter.literals.push_back({range.column, range.op, range.value});
      for (const auto& like : usage.likes) {
        if (!like.negated && !like.leading_wildcard) filter.ranges.push_back(like.column);
      }
    }
  }
  model::WhatIfResult result;
  result.plan = std::move(*plan);
  result.cost = estimate_cost(result.plan, filters);
  model::visit(result.plan.root, [&](const model::PlanNode& node, int) {
    for (const auto& candidate : add) {
      if (lower(node.index) == lower(candidate.name())) result.used_candidates.push_back(candidate.name());
    }
  });
  return result;
}

}  // namespace dbvet::engines::sqlite
