#pragma once
// What a statement does besides reading rows of the target: the constructs a read-only run must
// refuse before anything is sent, because a read-only transaction does not stop them (MariaDB's
// INTO OUTFILE, PostgreSQL's pg_read_file or COPY ... PROGRAM, SQLite's ATTACH). PostgreSQL text is
// judged on libpg_query's parse tree; MariaDB and SQLite text on the lexer's tokens, so that a
// keyword inside a string literal or a comment never counts (MariaDB's executable comments
// `/*! ... */` do count: the server runs them).

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "analyzer/core/target_url.hpp"
#include "analyzer/sql/lexer.hpp"

namespace dbvet::sql {

enum class EffectKind {
  file,      // reads, lists or writes a file on the database host (INTO OUTFILE, pg_read_file, lo_export)
  program,   // runs a program on the database host (COPY ... PROGRAM)
  remote,    // connects to another server (dblink)
  code,      // loads code into the server (load_extension, LOAD, INSTALL PLUGIN)
  database,  // opens or writes another database file (ATTACH, DETACH, VACUUM INTO)
  settings,  // changes the database or the server (PRAGMA name = value, pg_reload_conf)
  copy,      // COPY ... TO STDOUT / FROM STDIN: a bulk transfer, not a query
};

struct SideEffect {
  EffectKind kind = EffectKind::file;
  std::string construct;  // as a user would search for it: "INTO OUTFILE", "pg_read_file()", "ATTACH"
  std::string what;       // what it would do: "writes a file on the database host"
};

struct StatementCheck {
  std::vector<SideEffect> effects;          // every construct found, in order
  std::optional<std::string> syntax_error;  // the statement is not SQL the dialect reads
};

// Classifies one statement (or a few joined by ';'); pure, no connection. `:name` workload
// variables and `?` placeholders are accepted where a value may stand.
StatementCheck check_statement(std::string_view sql, Dialect dialect);

// What a writing statement does to counters a rollback does not restore: the tables it inserts
// into (their serial, identity or AUTO_INCREMENT columns advance even when the insert is rolled
// back) and the sequence functions it calls itself.
struct TableName {
  std::string schema;  // empty: the session's search path / current database
  std::string name;
};
struct SequenceUse {
  std::vector<TableName> inserted;     // INSERT, REPLACE, MERGE targets, in order
  std::vector<std::string> functions;  // "nextval()", "setval()", "NEXT VALUE FOR"
};
SequenceUse sequence_use(std::string_view sql, Dialect dialect);

// The dialect of an engine's SQL (generic for engines without SQL).
Dialect dialect_of(core::Engine engine);

// "INTO OUTFILE writes a file on the database host"
std::string describe(const SideEffect& effect);

}  // namespace dbvet::sql
