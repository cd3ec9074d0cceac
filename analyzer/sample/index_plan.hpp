#pragma once
// What `dbvet gen` runs after a table's rows are in, sorted by when it may run. On PostgreSQL a
// table's primary key and indexes are built as soon as its own COPY ends (while other sessions are
// still loading), foreign keys once every table is built: added NOT VALID, then validated side by
// side (VALIDATE takes only a SHARE UPDATE EXCLUSIVE lock on the child and ROW SHARE on the
// parent, so the keys pointing at one parent need not queue behind each other). Pure functions.

#include <string>
#include <string_view>
#include <vector>

namespace dbvet::sample {

struct AfterLoadStatement {
  enum class Kind {
    setting,      // SET ...: every session, before anything else
    table_index,  // CREATE [UNIQUE] INDEX ... ON t, ALTER TABLE t ADD PRIMARY KEY / UNIQUE
    foreign_key,  // ALTER TABLE t ADD CONSTRAINT c FOREIGN KEY (...) REFERENCES p ...
    other,        // anything else: at the end, in file order, on one session
  };
  Kind kind = Kind::other;
  std::string sql;         // as written, without the terminating semicolon
  std::string table;       // the table it builds on (table_index, foreign_key), as written
  std::string constraint;  // foreign_key: its name
  std::string parent;      // foreign_key: the referenced table
};

AfterLoadStatement classify_after_load(std::string_view sql);

// The statements of an index file, classified, in file order.
std::vector<AfterLoadStatement> after_load_statements(std::string_view script);

// The foreign key added without checking the rows (NOT VALID), and the statement that then
// checks them.
std::string add_not_valid(const AfterLoadStatement& foreign_key);
std::string validate_constraint(const AfterLoadStatement& foreign_key);

}  // namespace dbvet::sample
