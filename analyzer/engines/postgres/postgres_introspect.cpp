#include "analyzer/engines/postgres/postgres_introspect.hpp"

#include <map>
#include <pqxx/pqxx>

namespace dbvet::engines::postgres {
namespace {

// The relations dbvet reports on; every query below joins on it.
constexpr const char* kUserTables = R"(
  SELECT c.oid, n.nspname, c.relname, c.reltuples
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
  WHERE c.relkind IN ('r', 'p', 'm')
    AND n.nspname NOT IN ('pg_catalog', 'information_schema')
    AND n.nspname NOT LIKE 'pg\_toast%' AND n.nspname NOT LIKE 'pg\_temp\_%'
    AND NOT EXISTS (SELECT 1 FROM pg_depend d
                    WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e'))";

std::string with_tables(const std::string& query) { return std::string("WITH t AS (") + kUserTables + ")\n" + query; }

template <class T>
std::optional<T> opt(const pqxx::field& field) {
  if (field.is_null()) return std::nullopt;
  return field.as<T>();
}

std::string text(const pqxx::field& field) { return field.is_null() ? std::string() : field.c_str(); }

bool flag(const pqxx::field& field) { return !field.is_null() && field.as<bool>(); }

void read_tables(pqxx::transaction_base& tx, model::Schema& schema, std::map<long, size_t>& by_oid) {
  auto rows = tx.exec(with_tables(R"(
    SELECT t.oid, t.nspname, t.relname, t.reltuples, pg_relation_size(t.oid),
           s.seq_scan, s.idx_scan, s.n_tup_ins, s.n_tup_upd, s.n_tup_del
    FROM t LEFT JOIN pg_stat_user_tables s ON s.relid = t.oid
    ORDER BY t.nspname, t.relname)"));
  for (const auto& row : rows) {
    model::Table table;
    table.schema = text(row[1]);
    table.name = text(row[2]);
    // reltuples is -1 on a table never vacuumed or analyzed (PostgreSQL 14+): unknown, not empty.
    auto reltuples = opt<double>(row[3]);
    if (reltuples && *reltuples >= 0) table.estimated_rows = *reltuples;
    table.size_bytes = opt<int64_t>(row[4]);
    table.seq_scans = opt<int64_t>(row[5]);
    table.index_scans = opt<int64_t>(row[6]);
    table.inserts = opt<int64_t>(row[7]);
    table.updates = opt<int64_t>(row[8]);
    table.deletes = opt<int64_t>(row[9]);
    by_oid[row[0].as<long>()] = schema.tables.size();
    schema.tables.push_back(std::move(table));
  }
}

void read_columns(pqxx::transaction_base& tx, model::Schema& schema, const std::map<long, size_t>& by_oid) {
  auto rows = tx.exec(with_tables(R"(
    SELECT a.attrelid, a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull,
           pg_get_expr(d.adbin, d.adrelid), st.n_distinct, st.null_frac
    FROM t JOIN pg_attribute a ON a.attrelid = t.oid
    LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
    LEFT JOIN pg_stats st ON st.schemaname = t.nspname AND st.tablename = t.relname AND st.attname = a.attname
                         AND st.inherited = (SELECT c.relkind = 'p' FROM pg_class c WHERE c.oid = t.oid)
    WHERE a.attnum > 0 AND NOT a.attisdropped
    ORDER BY a.attrelid, a.attnum)"));
  for (const auto& row : rows) {
    auto& table = schema.tables[by_oid.at(row[0].as<long>())];
    model::Column column;
    column.name = text(row[1]);
    column.type = text(row[2]);
    column.nullable = !flag(row[3]);
    if (!row[4].is_null()) column.default_value = text(row[4]);
    // n_distinct < 0 is a fraction of the rows (-1: all distinct); make it a count.
    if (auto n_distinct = opt<double>(row[5])) {
      if (*n_distinct >= 0) {
        column.distinct_values = *n_distinct;
      } else if (table.estimated_rows) {
        column.distinct_values = -*n_distinct * *table.estimated_rows;
      }
    }
    column.null_fraction = opt<double>(row[6]);
    table.columns.push_back(std::move(column));
  }
}

void read_indexes(pqxx::transaction_base& tx, model::Schema& schema, const std::map<long, size_t>& by_oid) {
  auto rows = tx.exec(with_tables(R"(
    SELECT i.indrelid, i.indexrelid, ic.relname, am.amname, i.indisunique, i.indisprimary, i.indisvalid,
           pg_get_expr(i.indpred, i.indrelid), pg_get_indexdef(i.indexrelid), pg_relation_size(i.indexrelid),
           s.idx_scan, k.n, pg_get_indexdef(i.indexrelid, k.n, true),
           coalesce((i.indoption[k.n - 1] & 1) = 1, false), k.n > i.indnkeyatts
    FROM t JOIN pg_index i ON i.indrelid = t.oid
    JOIN pg_class ic ON ic.oid = i.indexrelid
    JOIN pg_am am ON am.oid = ic.relam
    LEFT JOIN pg_stat_user_indexes s ON s.indexrelid = i.indexrelid
    CROSS JOIN LATERAL generate_series(1, i.indnatts) AS k(n)
    ORDER BY i.indrelid, ic.relname, k.n)"));
  long current = -1;
  model::Index* index = nullptr;
  for (const auto& row : rows) {
    auto& table = schema.tables[by_oid.at(row[0].as<long>())];
    long index_oid = row[1].as<long>();
    if (index_oid != current) {
      current = index_oid;
      model::Index fresh;
      fresh.name = text(row[2]);
      fresh.table = table.name;
      fresh.method = text(row[3]);
      fresh.unique = flag(row[4]);
      fresh.primary = flag(row[5]);
      fresh.valid = flag(row[6]);
      fresh.predicate = text(row[7]);
      fresh.definition = text(row[8]);
      fresh.size_bytes = opt<int64_t>(row[9]);
      fresh.scans = opt<int64_t>(row[10]);
      table.indexes.push_back(std::move(fresh));
      index = &table.indexes.back();
    }
    if (flag(row[14])) {
      index->include.push_back(text(row[12]));
    } else {
      index->columns.push_back(text(row[12]));
      index->descending.push_back(flag(row[13]));
    }
  }
}

void read_foreign_keys(pqxx::transaction_base& tx, model::Schema& schema, const std::map<long, size_t>& by_oid) {
  auto rows = tx.exec(with_tables(R"(
    SELECT con.conrelid, con.oid, con.conname, fn.nspname, fc.relname, a.attname, fa.attname
    FROM t JOIN pg_constraint con ON con.conrelid = t.oid AND con.contype = 'f'
    JOIN pg_class fc ON fc.oid = con.confrelid
    JOIN pg_namespace fn ON fn.oid = fc.relnamespace
    CROSS JOIN LATERAL unnest(con.conkey, con.confkey) WITH ORDINALITY AS k(col, fcol, ord)
    JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.col
    JOIN pg_attribute fa ON fa.attrelid = con.confrelid AND fa.attnum = k.fcol
    ORDER BY con.conrelid, con.conname, k.ord)"));
  long current = -1;
  model::ForeignKey* key = nullptr;
  for (const auto& row : rows) {
    auto& table = schema.tables[by_oid.at(row[0].as<long>())];
    long constraint_oid = row[1].as<long>();
    if (constraint_oid != current) {
      current = constraint_oid;
      model::ForeignKey fresh;
      fresh.name = text(row[2]);
      fresh.table = table.name;
      // Same schema: the bare name, as the rest of dbvet names tables; else schema-qualified.
      fresh.referenced_table = text(row[3]) == table.schema ? text(row[4]) : text(row[3]) + "." + text(row[4]);
      table.foreign_keys.push_back(std::move(fresh));
      key = &table.foreign_keys.back();
    }
    key->columns.push_back(text(row[5]));
    key->referenced_columns.push_back(text(row[6]));
  }
}

}  // namespace

model::Schema introspect_schema(pqxx::transaction_base& tx) {
  model::Schema schema;
  schema.engine = "postgres";
  schema.database = tx.exec1("SELECT current_database()")[0].c_str();
  std::map<long, size_t> by_oid;
  read_tables(tx, schema, by_oid);
  read_columns(tx, schema, by_oid);
  read_indexes(tx, schema, by_oid);
  // pg_stat_reset() resets the database's counters (and stamps stats_reset); a restart resets them all.
  auto age = tx.exec(R"(
    SELECT extract(epoch FROM now() - greatest(pg_postmaster_start_time(),
                                               (SELECT stats_reset FROM pg_stat_database
                                                WHERE datname = current_database())))::float8)");
  if (!age.empty()) schema.statistics_age_seconds = opt<double>(age[0][0]);
  read_foreign_keys(tx, schema, by_oid);
  return schema;
}

}  // namespace dbvet::engines::postgres
