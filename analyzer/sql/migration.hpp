#pragma once
// A migration file read for `dbvet lint`: each statement reduced to the DDL facts the migration
// rules judge (rules/migration/), without a database. PostgreSQL statements are read from
// libpg_query's parse tree; MySQL/MariaDB statements from the token stream, for the DDL shapes the
// rules need (anything else is `other`).

#include <string>
#include <string_view>
#include <vector>

#include "analyzer/sql/lexer.hpp"

namespace dbvet::sql {

enum class MigrationOp {
  create_table,
  create_index,
  drop_index,
  drop_table,
  add_column,
  drop_column,
  set_not_null,
  alter_column_type,
  rename_column,
  rename_table,
  add_foreign_key,
  add_check,
  add_unique,  // UNIQUE or PRIMARY KEY constraint
};

struct MigrationAction {
  MigrationOp op = MigrationOp::create_index;
  std::string table;
  std::string name;  // the index, column or constraint
  std::vector<std::string> columns;
  std::string type;  // the column's (new) type, lower case
  // PostgreSQL: CONCURRENTLY. MySQL/MariaDB: LOCK=NONE (the server refuses rather than blocks).
  bool online = false;
  bool not_null = false;
  bool has_default = false;
  bool volatile_default = false;  // a default that differs per row (random(), nextval(), serial)
  bool not_valid = false;         // NOT VALID: existing rows are not checked under the lock
  bool using_index = false;       // UNIQUE/PRIMARY KEY USING INDEX
  bool new_table = false;         // the table is created earlier in the same file (empty, unused)
};

struct MigrationStatement {
  std::string text;
  int line = 1;
  bool parsed = true;
  std::string parse_error;  // when !parsed: the parser's message
  bool dml = false;         // SELECT, INSERT, UPDATE, DELETE: the query rules judge it
  bool ddl = false;         // takes a lock on a table (ALTER, CREATE/DROP INDEX/TABLE, RENAME)
  std::vector<MigrationAction> actions;
  // What the statement does to the session, for the statements after it.
  enum class Session { none, begin, end, lock_timeout_on, lock_timeout_off } session = Session::none;
  bool session_local = false;  // SET LOCAL: inside a transaction, the setting lasts until it ends
  // From the statements before it in the file:
  bool in_transaction = false;  // inside BEGIN ... COMMIT
  // The transaction is the one the migration tool opens (read_migration's `in_transaction`), not a
  // BEGIN of the file's own: what to tell the user differs.
  bool tool_transaction = false;
  bool lock_timeout_set = false;  // SET lock_timeout (PostgreSQL) / lock_wait_timeout (MySQL) to non-zero
};

// Reads one statement (without its semicolon). File-level facts stay at their defaults.
MigrationStatement read_migration_statement(std::string_view text, Dialect dialect);

// Splits `script` and reads each statement, then fills in what depends on the statements before:
// transaction blocks, lock timeouts, tables created in the file. Line numbers are the script's.
// `in_transaction`: the file runs inside a transaction its migration tool opens (Squawk's
// assume_in_transaction), until a COMMIT or ROLLBACK of its own ends it.
std::vector<MigrationStatement> read_migration(std::string_view script, Dialect dialect, bool in_transaction = false);

}  // namespace dbvet::sql
