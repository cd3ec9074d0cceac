#pragma once
// The one place that renders the SQL dbvet itself sends or recommends: identifier and literal
// quoting per engine and the DDL built from catalog names (indexes, sandboxes). Names are data:
// whatever bytes a table, column or database name holds, the rendered statement is one statement
// that names exactly that object, or the renderer refuses with an error.
//
// Identifier policy (all dialects alike, so that advice reads the same on every engine): a name is
// written bare only when it is plain, i.e. [a-z_][a-z0-9_]* with at most 63 bytes and not a word
// any of PostgreSQL, MariaDB or SQLite reserves; every other name is quoted (PostgreSQL and SQLite
// "x" with " doubled, MariaDB `x` with ` doubled). A plain name means the same object quoted or
// not on all three engines (PostgreSQL folds unquoted names to lower case, so only lower-case
// names may go bare). NUL cannot be part of a name on any of the three engines (PostgreSQL and
// MariaDB reject it, SQLite's C API ends names at it) and an empty name is refused too.
//
// Connections are assumed to use UTF-8 (dbvet sets utf8mb4 on MariaDB, PostgreSQL clusters use
// UTF8 or a server encoding that is ASCII-safe): quoting works byte by byte.

#include <string>
#include <string_view>

#include "analyzer/core/expected.hpp"
#include "analyzer/model/what_if.hpp"
#include "analyzer/sql/lexer.hpp"

namespace dbvet::sql {

// Dialect of an engine name as the advisor spells it: "postgres", "mysql"/"mariadb", "sqlite".
Dialect dialect_of(std::string_view engine);

// True when `name` may be written without quotes (see the policy above).
bool is_plain_identifier(std::string_view name);

// `name` as an identifier of `dialect`, quoted unless plain. Errors for NUL and empty names.
core::Expected<std::string> quote_identifier(Dialect dialect, std::string_view name);

// schema.name, each part quoted on its own; an empty schema gives just the name.
core::Expected<std::string> quote_qualified(Dialect dialect, std::string_view schema, std::string_view name);

// `text` as a string literal of `dialect`:
//  - PostgreSQL: '...' with ' doubled; text holding a backslash becomes E'...' with \ doubled too,
//    which reads the same whatever standard_conforming_strings says (as PQescapeLiteral does).
//  - MariaDB: ' doubled and \ doubled, which ends the literal in the same place with and without
//    NO_BACKSLASH_ESCAPES (and reads back exactly in the default mode).
//  - SQLite: ' doubled.
// NUL is refused everywhere (no engine keeps it in a text value given as SQL text).
core::Expected<std::string> quote_literal(Dialect dialect, std::string_view text);

// An expression index key (`lower(email)`) taken from a statement the user wrote: refused unless
// it lexes as one balanced expression with no `;`, no comment, no unterminated quote.
core::Status check_expression(Dialect dialect, std::string_view expression);

// `function(column)`: an expression key rendered from its parts; `function` must be a plain
// word (letters, digits, _), the column is quoted as any identifier.
core::Expected<std::string> function_key(Dialect dialect, std::string_view function, std::string_view column);

// True when `sql` is one statement (an optional trailing `;` aside) for `dialect`'s lexer: no
// other top-level `;`, no comment. Used to refuse running any built text that is not.
bool is_single_statement(Dialect dialect, std::string_view sql);

// The partial-index predicate of a candidate as SQL (`"col" IS NULL`), empty when none.
core::Expected<std::string> index_predicate(Dialect dialect, const model::IndexCandidate& candidate);

// CREATE INDEX for PostgreSQL (expression keys in parentheses, opclass on the first key, USING for
// a method other than btree, DESC, INCLUDE, WHERE) or SQLite (DESC, WHERE). `name` empty gives an
// unnamed index (PostgreSQL only, as HypoPG takes it).
core::Expected<std::string> create_index(Dialect dialect, const model::IndexCandidate& candidate, std::string_view name,
                                         bool concurrently);

// ALTER TABLE ... ADD [UNIQUE] INDEX for MariaDB/MySQL, named after the candidate; expression keys
// in their own parentheses. `online` appends ", ALGORITHM=INPLACE, LOCK=NONE".
core::Expected<std::string> mysql_add_index(const model::IndexCandidate& candidate, bool online);

// The DDL dbvet recommends for a candidate on `dialect`: PostgreSQL CREATE INDEX CONCURRENTLY,
// MariaDB the online ALTER TABLE, SQLite CREATE INDEX; always named after the candidate.
core::Expected<std::string> recommended_index_ddl(Dialect dialect, const model::IndexCandidate& candidate);

// DROP INDEX: PostgreSQL `DROP INDEX [CONCURRENTLY] [IF EXISTS] schema.index`, MariaDB
// `ALTER TABLE table DROP INDEX index[, ALGORITHM=INPLACE, LOCK=NONE]`, SQLite `DROP INDEX index`.
struct DropIndex {
  std::string schema;  // PostgreSQL: the index's schema, empty for the search path
  std::string table;   // MariaDB: the table the index belongs to (required there)
  std::string index;
  bool concurrently = false;  // PostgreSQL
  bool if_exists = false;     // PostgreSQL, SQLite
  bool online = false;        // MariaDB
};
core::Expected<std::string> drop_index(Dialect dialect, const DropIndex& drop);

// MariaDB 10.6+: ALTER TABLE t ALTER INDEX i [NOT] IGNORED (the sandbox hides an index with it).
core::Expected<std::string> mysql_ignore_index(std::string_view table, std::string_view index, bool ignored);

// Sandboxes: CREATE DATABASE name [TEMPLATE template] (PostgreSQL) / CREATE DATABASE name (MariaDB),
// DROP DATABASE IF EXISTS name [WITH (FORCE)].
core::Expected<std::string> create_database(Dialect dialect, std::string_view name,
                                            std::string_view template_name = {});
core::Expected<std::string> drop_database(Dialect dialect, std::string_view name);

}  // namespace dbvet::sql
