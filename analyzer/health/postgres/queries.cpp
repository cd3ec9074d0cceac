// The read-only statements behind the PostgreSQL checks, paired with their evaluations.
#include "analyzer/health/postgres/checks.hpp"
#include "analyzer/health/sql_check.hpp"
#include "fmt/format.h"

namespace dbvet::health {
namespace {

constexpr const char* kUserSchemas =
    "n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%' "
    "AND n.nspname NOT LIKE 'pg_temp%'";

const std::string kCacheHitSql =
    "SELECT (SELECT sum(heap_blks_hit) FROM pg_statio_user_tables) AS table_hit, "
    "(SELECT sum(heap_blks_read) FROM pg_statio_user_tables) AS table_read, "
    "(SELECT sum(idx_blks_hit) FROM pg_statio_user_indexes) AS index_hit, "
    "(SELECT sum(idx_blks_read) FROM pg_statio_user_indexes) AS index_read";

const std::string kUnusedIndexesSql =
    "SELECT s.schemaname AS schema, s.relname AS table, s.indexrelname AS index, s.idx_scan, "
    "pg_relation_size(s.indexrelid) AS bytes, i.indisunique AS is_unique, i.indisprimary AS is_primary, "
    "i.indisvalid AS is_valid, EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = s.indexrelid) AS "
    "backs_constraint, "
    // How long the counters have been counting: since the last reset, or the server's start.
    "extract(epoch FROM now() - coalesce((SELECT stats_reset FROM pg_stat_database WHERE datname = "
    "current_database()), pg_postmaster_start_time())) AS stats_age_seconds "
    "FROM pg_stat_user_indexes s JOIN pg_index i ON i.indexrelid = s.indexrelid "
    "ORDER BY pg_relation_size(s.indexrelid) DESC";

const std::string kIndexesSql = fmt::format(
    "SELECT n.nspname AS schema, t.relname AS table, c.relname AS index, am.amname AS method, "
    "i.indisunique AS is_unique, i.indisprimary AS is_primary, i.indisvalid AS is_valid, "
    "coalesce(pg_get_expr(i.indpred, i.indrelid, true), '') AS predicate, "
    "(SELECT string_agg(pg_get_indexdef(i.indexrelid, k, true), chr(31) ORDER BY k) "
    " FROM generate_series(1, i.indnkeyatts) k) AS columns, pg_relation_size(i.indexrelid) AS bytes, "
    "coalesce(s.idx_scan, 0) AS idx_scan "
    "FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_class t ON t.oid = i.indrelid "
    "JOIN pg_namespace n ON n.oid = t.relnamespace JOIN pg_am am ON am.oid = c.relam "
    "LEFT JOIN pg_stat_user_indexes s ON s.indexrelid = i.indexrelid WHERE {} "
    "ORDER BY 1, 2, 3",
    kUserSchemas);

const std::string kForeignKeysSql = fmt::format(
    "SELECT n.nspname AS schema, t.relname AS table, c.conname AS constraint, "
    "(SELECT string_agg(quote_ident(a.attname), chr(31) ORDER BY a.attnum) FROM unnest(c.conkey) k "
    " JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k) AS columns, "
    "f.relname AS referenced FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid "
    "JOIN pg_namespace n ON n.oid = t.relnamespace JOIN pg_class f ON f.oid = c.confrelid "
    "WHERE c.contype = 'f' AND {} ORDER BY 1, 2, 3",
    kUserSchemas);

const std::string kBloatSql = fmt::format(
    "SELECT 'table' AS kind, n.nspname AS schema, c.relname AS name, "
    "c.relpages::bigint * current_setting('block_size')::bigint AS bytes, c.reltuples AS rows, "
    "current_setting('block_size')::bigint AS block_size, "
    "(SELECT sum((1 - coalesce(s.null_frac, 0)) * s.avg_width) FROM pg_stats s "
    " WHERE s.schemaname = n.nspname AND s.tablename = c.relname) AS row_width "
    "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
    "WHERE c.relkind IN ('r', 'm') AND c.relpages > 0 AND {0} "
    "UNION ALL "
    "SELECT 'index', n.nspname, c.relname, c.relpages::bigint * current_setting('block_size')::bigint, c.reltuples, "
    "current_setting('block_size')::bigint, "
    "(SELECT sum(s.avg_width) FROM pg_attribute a JOIN pg_stats s ON s.schemaname = n.nspname "
    " AND s.tablename = t.relname AND s.attname = a.attname WHERE a.attrelid = t.oid AND a.attnum = ANY (i.indkey)) "
    "FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_class t ON t.oid = i.indrelid "
    "JOIN pg_namespace n ON n.oid = t.relnamespace JOIN pg_am am ON am.oid = c.relam "
    "WHERE am.amname = 'btree' AND c.relpages > 0 AND i.indexprs IS NULL AND {0}",
    kUserSchemas);

const std::string kSequencesSql =
    "SELECT s.schemaname AS schema, s.sequencename AS sequence, s.last_value, s.max_value, s.min_value, "
    "s.increment_by, o.column_type, o.owned_by FROM pg_sequences s "
    "LEFT JOIN LATERAL (SELECT format_type(a.atttypid, a.atttypmod) AS column_type, "
    " d.refobjid::regclass::text || '.' || quote_ident(a.attname) AS owned_by FROM pg_depend d "
    " JOIN pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid "
    " WHERE d.classid = 'pg_class'::regclass AND d.refclassid = 'pg_class'::regclass "
    " AND d.objid = format('%I.%I', s.schemaname, s.sequencename)::regclass AND d.deptype IN ('a', 'i') LIMIT 1) o "
    "ON true";

const std::string kXidSql = "SELECT datname AS database, age(datfrozenxid) AS age FROM pg_database WHERE datallowconn";

const std::string kLongRunningSql =
    "SELECT pid, usename, extract(epoch FROM clock_timestamp() - query_start) AS seconds, left(query, 200) AS query "
    "FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() "
    "AND backend_type = 'client backend' AND state = 'active' AND query_start IS NOT NULL";

const std::string kIdleInTransactionSql =
    "SELECT pid, usename, extract(epoch FROM clock_timestamp() - state_change) AS seconds, left(query, 200) AS query "
    "FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() "
    "AND state IN ('idle in transaction', 'idle in transaction (aborted)')";

const std::string kConnectionsSql =
    "SELECT (SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'client backend') AS connections, "
    "current_setting('max_connections')::int AS max_connections, "
    "current_setting('superuser_reserved_connections')::int AS reserved";

const std::string kReplicationSql =
    "SELECT 'replica' AS kind, application_name AS name, extract(epoch FROM replay_lag)::float8 AS lag_seconds, "
    "NULL::text AS active, pg_wal_lsn_diff(pg_current_wal_lsn(), replay_lsn)::float8 AS lag_bytes "
    "FROM pg_stat_replication "
    "UNION ALL SELECT 'slot', slot_name::text, NULL, active::text, CASE WHEN pg_is_in_recovery() THEN NULL "
    "ELSE pg_wal_lsn_diff(pg_current_wal_lsn(), restart_lsn)::float8 END FROM pg_replication_slots "
    "UNION ALL SELECT 'standby', 'this server', extract(epoch FROM clock_timestamp() - "
    "pg_last_xact_replay_timestamp())::float8, NULL, NULL WHERE pg_is_in_recovery()";

const std::string kMaintenanceSql =
    "SELECT schemaname AS schema, relname AS table, n_live_tup, n_dead_tup, n_mod_since_analyze, "
    "(last_vacuum IS NOT NULL OR last_autovacuum IS NOT NULL) AS vacuumed, "
    "(last_analyze IS NOT NULL OR last_autoanalyze IS NOT NULL) AS analyzed FROM pg_stat_user_tables";

const std::string kSeqScansSql =
    "SELECT schemaname AS schema, relname AS table, seq_scan, coalesce(idx_scan, 0) AS idx_scan, n_live_tup "
    "FROM pg_stat_user_tables WHERE seq_scan > 0";

const std::string kStatStatementsSql =
    "SELECT (SELECT count(*) FROM pg_extension WHERE extname = 'pg_stat_statements') AS installed, "
    "current_setting('shared_preload_libraries') AS preload";

const std::string kTableSizesSql = fmt::format(
    "SELECT n.nspname AS schema, c.relname AS table, pg_total_relation_size(c.oid) AS bytes, "
    "greatest(c.reltuples, 0) AS rows FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
    "WHERE c.relkind IN ('r', 'm', 'p') AND {} ORDER BY 3 DESC LIMIT 20",
    kUserSchemas);

SqlCheck top_queries_check() {
  SqlCheck check;
  check.id = "pg-top-queries";
  check.description = "Top queries by total time (pg_stat_statements)";
  check.run = [](SqlSource& source, const Thresholds& thresholds) -> core::Expected<CheckResult> {
    auto present = source.query(kStatStatementsSql);
    if (!present) return present.error();
    if (present->rows.empty() || !present->rows[0][0] || *present->rows[0][0] == "0") {
      return core::make_error(core::ErrorKind::unsupported, "pg_stat_statements is not installed in this database");
    }
    auto rows = source.query(fmt::format(
        "SELECT left(regexp_replace(query, '\\s+', ' ', 'g'), 1000) AS query, calls, "
        "total_exec_time / 1000 AS total_seconds, mean_exec_time / 1000 AS mean_seconds, rows "
        "FROM pg_stat_statements WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database()) "
        "AND query NOT LIKE '%dbvet health%' "
        // Not the workload's: dbvet's own sandboxes and EXPLAINs, and the foreign-key checks
        // PostgreSQL runs itself (pipeline/live/server_statements.hpp, not_workload).
        "AND query NOT LIKE '%dbvet\\_sandbox\\_%' AND query !~* '^\\s*explain\\M' "
        "AND NOT (query LIKE 'SELECT 1 FROM ONLY %' AND query ~ ' FOR (KEY )?SHARE OF ') "
        "ORDER BY total_exec_time DESC LIMIT {}",
        static_cast<long>(thresholds.get("top_queries"))));
    if (!rows) return rows.error();
    return postgres::evaluate_top_queries(*rows, thresholds);
  };
  return check;
}

}  // namespace

std::vector<SqlCheck> postgres_checks() {
  namespace pg = postgres;
  std::vector<SqlCheck> checks = {
      single_query_check("pg-cache-hit-ratio", "Table and index cache hit ratio", kCacheHitSql,
                         pg::evaluate_cache_hit_ratio),
      single_query_check("pg-unused-index", "Indexes with no scans", kUnusedIndexesSql, pg::evaluate_unused_indexes),
      single_query_check("pg-duplicate-index", "Indexes covered by another index", kIndexesSql,
                         pg::evaluate_duplicate_indexes),
      single_query_check("pg-invalid-index", "Invalid indexes", kIndexesSql, pg::evaluate_invalid_indexes),
  };
  checks.push_back(two_query_check("pg-unindexed-foreign-key", "Foreign keys without an index", kForeignKeysSql,
                                   kIndexesSql, pg::evaluate_unindexed_foreign_keys));
  checks.push_back(single_query_check("pg-bloat", "Estimated table and index bloat", kBloatSql, pg::evaluate_bloat));
  checks.push_back(single_query_check("pg-sequence-overflow", "Sequences near the end of their range", kSequencesSql,
                                      pg::evaluate_sequences));
  checks.push_back(
      single_query_check("pg-xid-wraparound", "Transaction ID wraparound", kXidSql, pg::evaluate_xid_wraparound));
  checks.push_back(single_query_check("pg-long-running-query", "Long-running queries", kLongRunningSql,
                                      pg::evaluate_long_running_queries));
  checks.push_back(single_query_check("pg-idle-in-transaction", "Sessions idle in a transaction", kIdleInTransactionSql,
                                      pg::evaluate_idle_in_transaction));
  checks.push_back(single_query_check("pg-connections", "Connections against max_connections", kConnectionsSql,
                                      pg::evaluate_connections));
  checks.push_back(single_query_check("pg-replication", "Replication lag and inactive slots", kReplicationSql,
                                      pg::evaluate_replication));
  checks.push_back(single_query_check("pg-maintenance", "Tables with many changes never vacuumed or analyzed",
                                      kMaintenanceSql, pg::evaluate_maintenance));
  checks.push_back(single_query_check("pg-seq-scans", "Tables read mostly by sequential scans", kSeqScansSql,
                                      pg::evaluate_seq_scans));
  checks.push_back(single_query_check("pg-stat-statements", "pg_stat_statements installed", kStatStatementsSql,
                                      pg::evaluate_stat_statements));
  checks.push_back(top_queries_check());
  checks.push_back(
      single_query_check("pg-table-sizes", "Largest tables (for trends)", kTableSizesSql, evaluate_table_sizes));
  return checks;
}

}  // namespace dbvet::health
