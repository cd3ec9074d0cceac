// Pure evaluations of the PostgreSQL checks: rows in, findings and metrics out.
#include <algorithm>
#include <cmath>
#include <map>

#include "analyzer/health/index_logic.hpp"
#include "analyzer/health/postgres/checks.hpp"
#include "analyzer/health/rows.hpp"
#include "fmt/format.h"

namespace dbvet::health::postgres {
namespace {

using model::Severity;

std::string qualified(const Rows& rows, size_t i, const char* column) {
  std::string schema = rows.str(i, "schema");
  std::string name = rows.str(i, column);
  return schema.empty() || schema == "public" ? name : schema + "." + name;
}

// "5 hours", "12 days": how long statistics have been counting.
std::string format_age_days(double days) {
  if (days < 1) return fmt::format("{:.0f} hour{}", days * 24, days * 24 >= 0.5 && days * 24 < 1.5 ? "" : "s");
  return fmt::format("{:.0f} day{}", days, days < 1.5 ? "" : "s");
}

std::vector<IndexDef> index_defs(const ResultSummary& result) {
  Rows rows(result);
  std::vector<IndexDef> defs;
  for (size_t i = 0; i < rows.size(); ++i) {
    IndexDef def;
    def.table = qualified(rows, i, "table");
    def.name = qualified(rows, i, "index");
    def.method = rows.str(i, "method");
    def.columns = split_list(rows.str(i, "columns"));
    def.predicate = rows.str(i, "predicate");
    def.unique = rows.truthy(i, "is_unique");
    def.primary = rows.truthy(i, "is_primary");
    def.valid = rows.truthy(i, "is_valid");
    def.bytes = rows.num(i, "bytes");
    if (rows.has_column("idx_scan")) def.scans = rows.num(i, "idx_scan");
    defs.push_back(std::move(def));
  }
  return defs;
}

}  // namespace

double integer_type_max(const std::string& type) {
  if (type == "smallint") return 32767;
  if (type == "integer") return 2147483647;
  if (type == "bigint") return 9223372036854775807.0;
  return 0;
}

CheckResult evaluate_cache_hit_ratio(const ResultSummary& result, const Thresholds& thresholds) {
  CheckResult out;
  Rows rows(result);
  if (rows.size() == 0) return out;
  for (const char* kind : {"table", "index"}) {
    double hit = rows.num(0, std::string(kind) + "_hit");
    double read = rows.num(0, std::string(kind) + "_read");
    double total = hit + read;
    double ratio = total > 0 ? hit / total : 1;
    out.metrics.push_back(
        gauge("dbvet_cache_hit_ratio", "Share of block or key lookups served from memory", ratio, {{"cache", kind}}));
    double wanted = thresholds.get("pg.cache_hit_ratio");
    if (total >= thresholds.get("pg.cache_min_blocks") && ratio < wanted) {
      out.findings.push_back({"pg-cache-hit-ratio", Severity::warning, kind,
                              fmt::format("{} cache hit ratio is {} (below {}): the working set does not fit in "
                                          "shared_buffers, or queries read more than they need",
                                          kind, format_ratio(ratio), format_ratio(wanted)),
                              ratio, wanted});
    }
  }
  return out;
}

CheckResult evaluate_unused_indexes(const ResultSummary& result, const Thresholds& thresholds) {
  CheckResult out;
  Rows rows(result);
  double max_scans = thresholds.get("pg.unused_index_max_scans");
  double min_bytes = thresholds.get("pg.unused_index_min_bytes");
  double min_age_days = thresholds.get("pg.unused_index_min_stats_age_days");
  double count = 0, bytes = 0;
  for (size_t i = 0; i < rows.size(); ++i) {
    if (rows.truthy(i, "is_unique") || rows.truthy(i, "is_primary") || rows.truthy(i, "backs_constraint") ||
        !rows.truthy(i, "is_valid")) {
      continue;
    }
    double scans = rows.num(i, "idx_scan");
    double size = rows.num(i, "bytes");
    if (scans > max_scans || size < min_bytes) continue;
    ++count;
    bytes += size;
    // Counters younger than a workload's cycle (a weekly job, a month-end report) prove nothing.
    const bool age_known = rows.has_column("stats_age_seconds");
    const double age_days = age_known ? rows.num(i, "stats_age_seconds") / 86400 : 0;
    const std::string window = age_known ? format_age_days(age_days) : "an unknown time";
    if (age_known && age_days < min_age_days) {
      out.findings.push_back(
          {"pg-unused-index", Severity::info, qualified(rows, i, "index"),
           fmt::format("index {} on {} was scanned {} times, but the statistics count only {} (since they were "
                       "reset or the server started): too short to call it unused; look again after {:.0f} days",
                       qualified(rows, i, "index"), qualified(rows, i, "table"), scans, window, min_age_days),
           scans, max_scans});
      continue;
    }
    out.findings.push_back(
        {"pg-unused-index", Severity::warning, qualified(rows, i, "index"),
         fmt::format("index {} on {} was scanned {} times in {} of statistics; it costs "
                     "{} and slows every write: drop it if no rare job needs it",
                     qualified(rows, i, "index"), qualified(rows, i, "table"), scans, window, format_bytes(size)),
         scans, max_scans});
  }
  out.metrics.push_back(gauge("dbvet_unused_indexes", "Indexes with (almost) no scans", count));
  out.metrics.push_back(gauge("dbvet_unused_index_bytes", "Bytes held by unused indexes", bytes));
  return out;
}

CheckResult evaluate_duplicate_indexes(const ResultSummary& indexes, const Thresholds& thresholds) {
  CheckResult out;
  const double max_scans = thresholds.get("pg.unused_index_max_scans");
  for (const auto& redundant : find_redundant_indexes(index_defs(indexes))) {
    const auto& covering = redundant.covering;
    // The covering index is itself unused (pg-unused-index says drop it): dropping both would leave
    // the queries that use the narrow one with neither. Keep the one in use.
    if (!redundant.identical && covering.scans >= 0 && covering.scans <= max_scans && !covering.unique &&
        !covering.primary && redundant.redundant.scans > covering.scans) {
      out.findings.push_back(
          {"pg-duplicate-index", Severity::info, redundant.redundant.name,
           fmt::format("index {} on {} is covered by {}, but {} is the one in use ({} scans against {}): keep {} "
                       "and drop {} if pg-unused-index reports it",
                       redundant.redundant.name, redundant.redundant.table, covering.name, redundant.redundant.name,
                       redundant.redundant.scans, covering.scans, redundant.redundant.name, covering.name),
           redundant.redundant.bytes, std::nullopt});
      continue;
    }
    out.findings.push_back(
        {"pg-duplicate-index", Severity::warning, redundant.redundant.name,
         fmt::format("index {} on {} is {} {}: drop it", redundant.redundant.name, redundant.redundant.table,
                     redundant.identical ? "a duplicate of" : "covered by", covering.name),
         redundant.redundant.bytes, std::nullopt});
  }
  out.metrics.push_back(gauge("dbvet_duplicate_indexes", "Indexes made redundant by another index",
                              static_cast<double>(out.findings.size())));
  return out;
}

CheckResult evaluate_invalid_indexes(const ResultSummary& indexes, const Thresholds&) {
  CheckResult out;
  for (const auto& index : index_defs(indexes)) {
    if (index.valid) continue;
    out.findings.push_back({"pg-invalid-index", Severity::warning, index.name,
                            fmt::format("index {} on {} is invalid (a failed CREATE INDEX CONCURRENTLY?): it is "
                                        "maintained on writes but never used; drop and recreate it",
                                        index.name, index.table),
                            std::nullopt, std::nullopt});
  }
  out.metrics.push_back(
      gauge("dbvet_invalid_indexes", "Indexes marked invalid", static_cast<double>(out.findings.size())));
  return out;
}

CheckResult evaluate_unindexed_foreign_keys(const ResultSummary& foreign_keys, const ResultSummary& indexes,
                                            const Thresholds&) {
  CheckResult out;
  std::map<std::string, std::vector<IndexDef>> by_table;
  for (auto& index : index_defs(indexes)) by_table[index.table].push_back(index);
  Rows rows(foreign_keys);
  for (size_t i = 0; i < rows.size(); ++i) {
    std::string table = qualified(rows, i, "table");
    auto columns = split_list(rows.str(i, "columns"));
    if (fk_has_index(columns, by_table[table])) continue;
    std::string list;
    for (const auto& column : columns) list += (list.empty() ? "" : ", ") + column;
    out.findings.push_back({"pg-unindexed-foreign-key", Severity::warning, table + "(" + list + ")",
                            fmt::format("foreign key {} on {}({}) referencing {} has no index: deletes and updates "
                                        "of the referenced rows scan {}, and joins on it cannot use an index",
                                        rows.str(i, "constraint"), table, list, rows.str(i, "referenced"), table),
                            std::nullopt, std::nullopt});
  }
  out.metrics.push_back(gauge("dbvet_unindexed_foreign_keys", "Foreign keys without a supporting index",
                              static_cast<double>(out.findings.size())));
  return out;
}

CheckResult evaluate_bloat(const ResultSummary& result, const Thresholds& thresholds) {
  // An estimate in the spirit of PgHero's: the space the live rows need (from pg_stats widths and
  // the row count) against the space the relation takes.
  CheckResult out;
  Rows rows(result);
  double total_bloat = 0;
  for (size_t i = 0; i < rows.size(); ++i) {
    auto width = rows.number(i, "row_width");
    double bytes = rows.num(i, "bytes");
    double tuples = rows.num(i, "rows");
    double block = rows.num(i, "block_size", 8192);
    if (!width || bytes <= 0 || tuples < 0) continue;
    bool index = rows.str(i, "kind") == "index";
    double tuple_bytes = index ? 8 + std::ceil(*width / 8) * 8 + 4 : 24 + std::ceil(*width / 8) * 8 + 4;
    double usable = index ? (block - 24) * 0.9 : block - 24;
    double expected = std::max(1.0, std::ceil(tuples * tuple_bytes / usable)) * block;
    double bloat = std::max(0.0, bytes - expected);
    total_bloat += bloat;
    if (bloat >= thresholds.get("pg.bloat_bytes") && bloat / bytes >= thresholds.get("pg.bloat_ratio")) {
      std::string object = qualified(rows, i, "name");
      out.findings.push_back(
          {"pg-bloat", Severity::warning, object,
           fmt::format("{} {} takes {} of which about {} ({}) is estimated bloat: {}", index ? "index" : "table",
                       object, format_bytes(bytes), format_bytes(bloat), format_ratio(bloat / bytes),
                       index ? "REINDEX CONCURRENTLY it" : "VACUUM FULL or pg_repack it"),
           bloat, thresholds.get("pg.bloat_bytes")});
    }
  }
  out.metrics.push_back(gauge("dbvet_bloat_bytes", "Estimated bloat of tables and indexes", total_bloat));
  return out;
}

CheckResult evaluate_sequences(const ResultSummary& result, const Thresholds& thresholds) {
  CheckResult out;
  Rows rows(result);
  double worst = 0;
  double limit = thresholds.get("pg.sequence_used_ratio");
  for (size_t i = 0; i < rows.size(); ++i) {
    auto last = rows.number(i, "last_value");
    if (!last) continue;  // never used
    double increment = rows.num(i, "increment_by", 1);
    double max_value = rows.num(i, "max_value");
    double min_value = rows.num(i, "min_value");
    double type_max = integer_type_max(rows.str(i, "column_type"));
    if (type_max > 0) {
      max_value = std::min(max_value, type_max);
      min_value = std::max(min_value, -type_max - 1);
    }
    double ratio = increment >= 0 ? (max_value > 0 ? *last / max_value : 0) : (min_value < 0 ? *last / min_value : 0);
    worst = std::max(worst, ratio);
    if (ratio < limit) continue;
    std::string object = qualified(rows, i, "sequence");
    std::string owner = rows.str(i, "owned_by");
    out.findings.push_back(
        {"pg-sequence-overflow", ratio >= 0.99 ? Severity::error : Severity::warning, object,
         fmt::format("sequence {}{} has used {} of its range (last value {:.0f} of {:.0f}): move {} to bigint before "
                     "inserts fail",
                     object, owner.empty() ? "" : " (" + owner + ")", format_ratio(ratio), *last,
                     increment >= 0 ? max_value : min_value, owner.empty() ? "the key" : owner),
         ratio, limit});
  }
  out.metrics.push_back(
      gauge("dbvet_key_range_used_ratio", "Largest share of its range that a sequence or AUTO_INCREMENT used", worst));
  return out;
}

CheckResult evaluate_xid_wraparound(const ResultSummary& result, const Thresholds& thresholds) {
  constexpr double kMaxAge = 2146483648.0;  // PgHero's: 2^31 minus the last million the server keeps
  CheckResult out;
  Rows rows(result);
  double worst = 0;
  for (size_t i = 0; i < rows.size(); ++i) {
    double age = rows.num(i, "age");
    worst = std::max(worst, age);
    double remaining = kMaxAge - age;
    std::string database = rows.str(i, "database");
    if (remaining < thresholds.get("pg.xid_remaining")) {
      out.findings.push_back(
          {"pg-xid-wraparound", Severity::error, database,
           fmt::format("database {} is {:.0f} transactions from wraparound: VACUUM FREEZE now", database, remaining),
           remaining, thresholds.get("pg.xid_remaining")});
    } else if (age / kMaxAge >= thresholds.get("pg.xid_age_ratio")) {
      out.findings.push_back({"pg-xid-wraparound", Severity::warning, database,
                              fmt::format("database {} has used {} of the transaction ID space since its last freeze: "
                                          "check that autovacuum keeps up",
                                          database, format_ratio(age / kMaxAge)),
                              age / kMaxAge, thresholds.get("pg.xid_age_ratio")});
    }
  }
  out.metrics.push_back(
      gauge("dbvet_xid_age_ratio", "Share of the transaction ID space used since the oldest freeze", worst / kMaxAge));
  return out;
}

CheckResult evaluate_long_running_queries(const ResultSummary& result, const Thresholds& thresholds) {
  CheckResult out;
  Rows rows(result);
  double limit = thresholds.get("pg.long_running_seconds");
  for (size_t i = 0; i < rows.size(); ++i) {
    double seconds = rows.num(i, "seconds");
    if (seconds < limit) continue;
    out.findings.push_back({"pg-long-running-query", Severity::warning, "pid " + rows.str(i, "pid"),
                            fmt::format("query of pid {} ({}) has run for {:.0f} s: {}", rows.str(i, "pid"),
                                        rows.str(i, "usename"), seconds, rows.str(i, "query")),
                            seconds, limit});
  }
  out.metrics.push_back(gauge("dbvet_long_running_queries", "Queries running longer than the threshold",
                              static_cast<double>(out.findings.size())));
  return out;
}

CheckResult evaluate_idle_in_transaction(const ResultSummary& result, const Thresholds& thresholds) {
  CheckResult out;
  Rows rows(result);
  double limit = thresholds.get("pg.idle_in_transaction_seconds");
  for (size_t i = 0; i < rows.size(); ++i) {
    double seconds = rows.num(i, "seconds");
    if (seconds < limit) continue;
    out.findings.push_back({"pg-idle-in-transaction", Severity::warning, "pid " + rows.str(i, "pid"),
                            fmt::format("session pid {} ({}) has been idle in a transaction for {:.0f} s, holding "
                                        "locks and blocking vacuum; last statement: {}",
                                        rows.str(i, "pid"), rows.str(i, "usename"), seconds, rows.str(i, "query")),
                            seconds, limit});
  }
  out.metrics.push_back(gauge("dbvet_idle_in_transaction_sessions",
                              "Sessions idle in a transaction longer than the threshold",
                              static_cast<double>(out.findings.size())));
  return out;
}

CheckResult evaluate_connections(const ResultSummary& result, const Thresholds& thresholds) {
  CheckResult out;
  Rows rows(result);
  if (rows.size() == 0) return out;
  double used = rows.num(0, "connections");
  double max = rows.num(0, "max_connections") - rows.num(0, "reserved");
  out.metrics.push_back(gauge("dbvet_connections", "Client connections open", used));
  out.metrics.push_back(gauge("dbvet_connections_max", "Client connections allowed", max));
  if (max <= 0) return out;
  double ratio = used / max;
  double limit = thresholds.get("pg.connections_ratio");
  if (ratio >= limit) {
    out.findings.push_back({"pg-connections", ratio >= 0.95 ? Severity::error : Severity::warning, "max_connections",
                            fmt::format("{:.0f} of {:.0f} connections in use ({}): use a pooler (PgBouncer) or raise "
                                        "max_connections",
                                        used, max, format_ratio(ratio)),
                            ratio, limit});
  }
  return out;
}

CheckResult evaluate_replication(const ResultSummary& result, const Thresholds& thresholds) {
  CheckResult out;
  Rows rows(result);
  double worst_lag = 0, inactive = 0;
  double limit = thresholds.get("pg.replication_lag_seconds");
  for (size_t i = 0; i < rows.size(); ++i) {
    std::string kind = rows.str(i, "kind");
    std::string name = rows.str(i, "name");
    if (kind == "slot") {
      if (rows.truthy(i, "active")) continue;
      ++inactive;
      auto retained = rows.number(i, "lag_bytes");
      out.findings.push_back({"pg-inactive-replication-slot", Severity::warning, name,
                              fmt::format("replication slot {} is inactive{}: it keeps WAL until the disk fills; "
                                          "drop it if its consumer is gone",
                                          name, retained ? ", retaining " + format_bytes(*retained) + " of WAL" : ""),
                              retained, std::nullopt});
      continue;
    }
    double lag = rows.num(i, "lag_seconds");
    worst_lag = std::max(worst_lag, lag);
    if (lag >= limit) {
      out.findings.push_back({"pg-replication-lag", Severity::warning, name,
                              fmt::format("{} {} lags {:.0f} s behind the primary", kind, name, lag), lag, limit});
    }
  }
  out.metrics.push_back(gauge("dbvet_replication_lag_seconds", "Largest replication lag", worst_lag));
  out.metrics.push_back(gauge("dbvet_replication_inactive_slots", "Inactive replication slots", inactive));
  return out;
}

CheckResult evaluate_maintenance(const ResultSummary& result, const Thresholds& thresholds) {
  CheckResult out;
  Rows rows(result);
  double limit = thresholds.get("pg.maintenance_changes");
  for (size_t i = 0; i < rows.size(); ++i) {
    std::string table = qualified(rows, i, "table");
    double modified = rows.num(i, "n_mod_since_analyze");
    double dead = rows.num(i, "n_dead_tup");
    if (!rows.truthy(i, "analyzed") && modified >= limit) {
      out.findings.push_back({"pg-never-analyzed", Severity::warning, table,
                              fmt::format("table {} has {:.0f} changed rows and was never analyzed: the planner "
                                          "guesses its statistics; run ANALYZE {}",
                                          table, modified, table),
                              modified, limit});
    }
    if (!rows.truthy(i, "vacuumed") && dead >= limit) {
      out.findings.push_back({"pg-never-vacuumed", Severity::warning, table,
                              fmt::format("table {} has {:.0f} dead rows and was never vacuumed: check autovacuum "
                                          "settings or run VACUUM {}",
                                          table, dead, table),
                              dead, limit});
    }
  }
  return out;
}

CheckResult evaluate_seq_scans(const ResultSummary& result, const Thresholds& thresholds) {
  CheckResult out;
  Rows rows(result);
  double min_rows = thresholds.get("pg.seq_scan_min_rows");
  double wanted = thresholds.get("pg.seq_scan_index_ratio");
  for (size_t i = 0; i < rows.size(); ++i) {
    double seq = rows.num(i, "seq_scan");
    double idx = rows.num(i, "idx_scan");
    double live = rows.num(i, "n_live_tup");
    if (seq <= 0 || live < min_rows) continue;
    double ratio = idx / (seq + idx);
    if (ratio >= wanted) continue;
    std::string table = qualified(rows, i, "table");
    out.findings.push_back({"pg-seq-scans", Severity::warning, table,
                            fmt::format("table {} ({:.0f} rows) is read by sequential scans {:.0f} times, an index "
                                        "only {} of the time: a query on it likely misses an index (dbvet audit)",
                                        table, live, seq, format_ratio(ratio)),
                            ratio, wanted});
  }
  return out;
}

CheckResult evaluate_stat_statements(const ResultSummary& result, const Thresholds&) {
  CheckResult out;
  Rows rows(result);
  bool installed = rows.size() > 0 && rows.num(0, "installed") > 0;
  bool preloaded = rows.size() > 0 && rows.str(0, "preload").find("pg_stat_statements") != std::string::npos;
  out.metrics.push_back(
      gauge("dbvet_pg_stat_statements_enabled", "1 when pg_stat_statements records queries", installed && preloaded));
  if (!installed || !preloaded) {
    out.findings.push_back(
        {"pg-stat-statements-missing", Severity::warning, "pg_stat_statements",
         !preloaded ? std::string("pg_stat_statements is not in shared_preload_libraries: add it, restart, then CREATE "
                                  "EXTENSION pg_stat_statements to see the top queries")
                    : std::string("the pg_stat_statements extension is not created in this database: CREATE EXTENSION "
                                  "pg_stat_statements"),
         std::nullopt, std::nullopt});
  }
  return out;
}

CheckResult evaluate_top_queries(const ResultSummary& result, const Thresholds&) {
  CheckResult out;
  Rows rows(result);
  for (size_t i = 0; i < rows.size(); ++i) {
    out.top_queries.push_back({rows.str(i, "query"), rows.num(i, "calls"), rows.num(i, "total_seconds"),
                               rows.num(i, "mean_seconds"), rows.num(i, "rows")});
  }
  return out;
}

}  // namespace dbvet::health::postgres
