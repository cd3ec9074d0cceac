// Pure evaluations of the SQLite checks.
#include <map>

#include "analyzer/health/index_logic.hpp"
#include "analyzer/health/rows.hpp"
#include "analyzer/health/sqlite/checks.hpp"
#include "fmt/format.h"

namespace dbvet::health::sqlite {
namespace {

using model::Severity;

}  // namespace

CheckResult evaluate_quick_check(const ResultSummary& result, const Thresholds&) {
  CheckResult out;
  bool ok = result.rows.size() == 1 && !result.rows[0].empty() && result.rows[0][0] == std::optional<std::string>("ok");
  out.metrics.push_back(gauge("dbvet_integrity_ok", "1 when the integrity check passed", ok));
  if (!ok) {
    std::string problems;
    for (size_t i = 0; i < result.rows.size() && i < 5; ++i) {
      if (!result.rows[i].empty() && result.rows[i][0]) problems += (problems.empty() ? "" : "; ") + *result.rows[i][0];
    }
    out.findings.push_back({"sqlite-quick-check", Severity::error, "database",
                            fmt::format("PRAGMA quick_check reports corruption: {}; restore from a backup or "
                                        "recover with .recover",
                                        problems.empty() ? "no answer" : problems),
                            static_cast<double>(result.rows.size()), std::nullopt});
  }
  return out;
}

CheckResult evaluate_free_pages(const ResultSummary& result, const Thresholds& thresholds) {
  CheckResult out;
  Rows rows(result);
  if (rows.size() == 0) return out;
  double free_pages = rows.num(0, "free_pages");
  double pages = rows.num(0, "pages");
  double page_size = rows.num(0, "page_size", 4096);
  double ratio = pages > 0 ? free_pages / pages : 0;
  double free_bytes = free_pages * page_size;
  out.metrics.push_back(gauge("dbvet_free_space_ratio", "Share of the file in free pages", ratio));
  out.metrics.push_back(gauge("dbvet_database_size_bytes", "Size of the database file", pages * page_size));
  double limit = thresholds.get("sqlite.free_ratio");
  if (ratio >= limit && free_bytes >= thresholds.get("sqlite.free_min_bytes")) {
    out.findings.push_back({"sqlite-free-pages", Severity::info, "database",
                            fmt::format("{} of the file ({}) is free pages: VACUUM would give it back (or set "
                                        "auto_vacuum = INCREMENTAL)",
                                        format_ratio(ratio), format_bytes(free_bytes)),
                            ratio, limit});
  }
  return out;
}

CheckResult evaluate_analyze(const ResultSummary& result, const Thresholds&) {
  CheckResult out;
  Rows rows(result);
  if (rows.size() == 0) return out;
  bool has_stats = rows.num(0, "has_stat1") > 0;
  double indexes = rows.num(0, "indexes");
  if (!has_stats && indexes > 0) {
    out.findings.push_back({"sqlite-missing-analyze", Severity::warning, "sqlite_stat1",
                            fmt::format("the database has {:.0f} indexes but no statistics (no sqlite_stat1): run "
                                        "ANALYZE, or PRAGMA optimize when connections close, so the planner can "
                                        "choose between them",
                                        indexes),
                            std::nullopt, std::nullopt});
  }
  return out;
}

CheckResult evaluate_journal_mode(const ResultSummary& result, const Thresholds&) {
  CheckResult out;
  std::string mode = result.rows.empty() || result.rows[0].empty() ? "" : result.rows[0][0].value_or("");
  out.metrics.push_back(gauge("dbvet_sqlite_wal", "1 when the journal mode is WAL", mode == "wal"));
  if (!mode.empty() && mode != "wal") {
    out.findings.push_back({"sqlite-journal-mode", Severity::info, "journal_mode",
                            fmt::format("journal_mode is {}: WAL lets readers run while one connection writes "
                                        "(PRAGMA journal_mode = WAL)",
                                        mode),
                            std::nullopt, std::nullopt});
  }
  return out;
}

CheckResult evaluate_foreign_keys_enforced(const ResultSummary& result, const Thresholds&) {
  CheckResult out;
  Rows rows(result);
  if (rows.size() == 0) return out;
  if (rows.num(0, "foreign_keys") > 0 && rows.num(0, "enforced") == 0) {
    out.findings.push_back({"sqlite-foreign-keys-off", Severity::info, "foreign_keys",
                            fmt::format("{:.0f} foreign keys are declared but SQLite enforces them only on connections "
                                        "that run PRAGMA foreign_keys = ON: make sure the application does",
                                        rows.num(0, "foreign_keys")),
                            std::nullopt, std::nullopt});
  }
  return out;
}

CheckResult evaluate_unindexed_foreign_keys(const ResultSummary& foreign_keys, const ResultSummary& indexes,
                                            const Thresholds&) {
  CheckResult out;
  std::map<std::string, std::vector<IndexDef>> by_table;
  Rows index_rows(indexes);
  for (size_t i = 0; i < index_rows.size(); ++i) {
    IndexDef def;
    def.table = index_rows.str(i, "table");
    def.name = index_rows.str(i, "index");
    def.columns = split_list(index_rows.str(i, "columns"));
    def.predicate = index_rows.num(i, "partial") > 0 ? "partial" : "";
    by_table[def.table].push_back(std::move(def));
  }
  Rows rows(foreign_keys);
  for (size_t i = 0; i < rows.size(); ++i) {
    std::string table = rows.str(i, "table");
    auto columns = split_list(rows.str(i, "columns"));
    if (fk_has_index(columns, by_table[table])) continue;
    std::string list;
    for (const auto& column : columns) list += (list.empty() ? "" : ", ") + column;
    out.findings.push_back({"sqlite-unindexed-foreign-key", Severity::warning, table + "(" + list + ")",
                            fmt::format("foreign key {}({}) referencing {} has no index: deletes of the referenced "
                                        "rows and joins on it scan {}",
                                        table, list, rows.str(i, "referenced"), table),
                            std::nullopt, std::nullopt});
  }
  out.metrics.push_back(gauge("dbvet_unindexed_foreign_keys", "Foreign keys without a supporting index",
                              static_cast<double>(out.findings.size())));
  return out;
}

}  // namespace dbvet::health::sqlite
