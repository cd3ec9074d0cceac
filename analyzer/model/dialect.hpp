#pragma once
// What rules and the advisor need to know about an engine's SQL and tooling, so that they ask the
// dialect instead of testing engine names. Each engine defines its rows in its own folder
// (analyzer/engines/<engine>/description.cpp); MariaDB and MySQL share an engine but are two rows,
// because their statistics commands differ. Plain data: the model depends on nothing but core.

#include <string_view>

namespace dbvet::model {

struct Dialect {
  std::string_view name{};  // postgres, mysql, mariadb, sqlite; empty for the generic fallback

  // Capabilities.
  bool clusters_on_hidden_row_id = false;    // InnoDB: a table without a primary key gets a hidden one
  bool estimates_count_rows_read = false;    // the plan's row estimate counts rows examined, not returned
  bool online_ddl_by_algorithm = false;      // InnoDB: ALTER ... ALGORITHM=INPLACE|INSTANT, LOCK=NONE (migration rules)
  bool qualifies_index_schema = false;       // DROP INDEX needs the schema when it is not the default one
  std::string_view default_schema{};         // the schema names resolve to without qualification
  std::string_view prefix_like_opclass{};    // operator class an index needs to serve LIKE 'abc%'
  std::string_view prefix_like_collation{};  // collation an index needs to serve LIKE 'abc%' (SQLite: NOCASE)
  // A secondary index holds the primary key after its own keys (InnoDB's clustered key, SQLite's
  // rowid): appending a one-column primary key to an index key adds nothing.
  bool secondary_index_holds_primary_key = false;
  // The index method of the only primary key that secondary indexes hold; empty: any one-column
  // primary key. SQLite: "rowid" (an INTEGER PRIMARY KEY); a TEXT key of a rowid table is an index
  // of its own.
  std::string_view held_primary_key_method{};
  bool partial_indexes = false;  // CREATE INDEX ... WHERE (PostgreSQL, SQLite; not MariaDB/MySQL)
  // Index keys that are expressions, lower(email) (PostgreSQL, SQLite, MySQL 8.0.13+; MariaDB has
  // none and refuses the DDL with error 1064).
  bool expression_indexes = false;
  // Non-key columns stored in the index (CREATE INDEX ... INCLUDE, PostgreSQL 11+): a covering
  // index without widening its key. Elsewhere covering columns are appended to the key.
  bool index_include_columns = false;

  // Names and advice in the engine's own terms. Format strings take named arguments where noted.
  std::string_view random_function = "random";  // ORDER BY <this>()
  std::string_view random_sample_hint{};        // appended to the ORDER BY random() advice
  std::string_view substring_search_fix = "a FULLTEXT index serves word searches";
  std::string_view row_estimate_source = "information_schema.TABLES.TABLE_ROWS";
  // {table}: how to refresh the statistics behind a row estimate.
  std::string_view statistics_advice = "refresh the table statistics (ANALYZE)";
  // {mb}: how to keep a sort or hash in memory; engines without a per-query setting ignore it.
  std::string_view spill_fix =
      "raise sort_buffer_size / tmp_table_size for this session, or avoid the sort with an index";
  bool spill_fix_sizes_memory = false;  // spill_fix names a size computed from the spill
  // {expression}, {column}: how to serve lower(col) = ... / upper(col) = ...
  std::string_view case_insensitive_fix =
      "use a case-insensitive collation on {column} (the default in MariaDB) or index a generated column";
};

// The generic dialect, for plans and schemas of no known engine.
const Dialect& generic_dialect();

// The dialect of an engine name as plans and schemas spell it (postgres, mysql, mariadb, sqlite);
// the generic dialect for any other. Defined by analyzer/engines/catalog.cpp, which holds every
// engine's rows (the model declares it so that rules/ never include an engine).
const Dialect& dialect_named(std::string_view name);

}  // namespace dbvet::model
