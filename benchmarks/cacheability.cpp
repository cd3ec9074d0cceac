#include "benchmarks/cacheability.hpp"

#include <algorithm>
#include <cctype>
#include <string>

#include "benchmarks/cache_aside.hpp"

namespace dbvet::bench {
namespace {

// Functions whose value depends on the session, the clock or chance (when called: a table or a
// column may have the same name), lower case. MySQL/MariaDB, PostgreSQL and SQLite spellings
// together: a word that is none of these in the engine at hand only costs a cache miss.
constexpr std::string_view kVolatileFunctions[] = {
    // last-insert ids, sequences, counters of the previous statement
    "last_insert_id", "last_insert_rowid", "lastval", "currval", "nextval", "setval", "found_rows", "row_count",
    "changes", "total_changes",
    // the session itself
    "connection_id", "pg_backend_pid", "txid_current", "pg_current_xact_id",
    // the clock
    "now", "curdate", "curtime", "sysdate", "utc_timestamp", "utc_date", "utc_time", "unix_timestamp",
    "clock_timestamp", "statement_timestamp", "transaction_timestamp", "timeofday", "current_timestamp", "current_date",
    "current_time", "localtime", "localtimestamp",
    // chance
    "random", "rand", "randomblob", "uuid", "uuid_short", "gen_random_uuid", "uuid_generate_v4",
    // waits and locks
    "sleep", "pg_sleep", "get_lock"};

// The same without parentheses: SQL's clock keywords, and MySQL's found-rows switch.
constexpr std::string_view kVolatileKeywords[] = {"current_timestamp", "current_date",   "current_time",
                                                  "localtime",         "localtimestamp", "sql_calc_found_rows"};

// String literals that PostgreSQL ('now'::timestamp) and SQLite (date('now')) read as the clock.
constexpr std::string_view kVolatileLiterals[] = {"now", "today", "tomorrow", "yesterday"};

char lower(char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); }

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() &&
         std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) { return lower(x) == lower(y); });
}

bool is_word_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '$'; }

// Calls f(kind, text) for each word ('w'), string literal ('s', without its quotes), '@' variable
// ('@') and other character ('p'), skipping comments, whitespace and quoted identifiers. f returns
// false to stop.
template <class F>
void scan(std::string_view sql, F&& f) {
  size_t i = 0;
  while (i < sql.size()) {
    char c = sql[i];
    if (c == '-' && i + 1 < sql.size() && sql[i + 1] == '-') {
      while (i < sql.size() && sql[i] != '\n') ++i;
    } else if (c == '#') {  // MySQL comment
      while (i < sql.size() && sql[i] != '\n') ++i;
    } else if (c == '/' && i + 1 < sql.size() && sql[i + 1] == '*') {
      size_t end = sql.find("*/", i + 2);
      i = end == std::string_view::npos ? sql.size() : end + 2;
    } else if (c == '\'' || c == '"' || c == '`') {
      size_t start = ++i;
      while (i < sql.size()) {
        if (sql[i] == '\\' && c == '\'') {
          i += 2;
          continue;
        }
        if (sql[i] == c) {
          if (i + 1 < sql.size() && sql[i + 1] == c) {
            i += 2;
            continue;
          }
          break;
        }
        ++i;
      }
      std::string_view inside = sql.substr(start, std::min(i, sql.size()) - start);
      ++i;
      if (c == '\'' && !f('s', inside)) return;  // quoted identifiers are names, never functions
    } else if (c == '@') {
      if (!f('@', sql.substr(i, 1))) return;
      ++i;
    } else if (is_word_char(c)) {
      size_t start = i;
      while (i < sql.size() && is_word_char(sql[i])) ++i;
      if (!f('w', sql.substr(start, i - start))) return;
    } else {
      if (!std::isspace(static_cast<unsigned char>(c)) && !f('p', sql.substr(i, 1))) return;
      ++i;
    }
  }
}

std::string_view first_word(std::string_view sql) {
  std::string_view word;
  scan(sql, [&](char kind, std::string_view text) {
    if (kind == 'w') word = text;
    return false;
  });
  return word;
}

}  // namespace

std::string_view volatile_part(std::string_view sql) {
  std::string_view found;
  std::string_view previous;  // the word before, while no other token came in between
  scan(sql, [&](char kind, std::string_view text) {
    if (kind == '@') {
      found = "@";  // @@session.x, @@x, @user_variable
      return false;
    }
    if (kind == 'p' && text == "(") {
      for (auto function : kVolatileFunctions) {
        if (iequals(previous, function)) found = function;
      }
    } else if (kind == 's') {
      for (auto literal : kVolatileLiterals) {
        if (iequals(text, literal)) found = literal;
      }
    } else if (kind == 'w') {
      for (auto keyword : kVolatileKeywords) {
        if (iequals(text, keyword)) found = keyword;
      }
      // FOR UPDATE / FOR SHARE / LOCK IN SHARE MODE: a locking read is about the session's locks.
      if ((iequals(previous, "for") && (iequals(text, "update") || iequals(text, "share"))) ||
          (iequals(previous, "share") && iequals(text, "mode"))) {
        found = "for update";
      }
    }
    previous = kind == 'w' ? text : std::string_view();
    return found.empty();
  });
  return found;
}

bool cacheable(std::string_view sql, const SessionState& session) {
  if (session.wrote_in_transaction) return false;
  if (!volatile_part(sql).empty()) return false;
  return is_cacheable_read(std::string(sql));
}

void track(std::string_view sql, SessionState& session) {
  std::string_view word = first_word(sql);
  if (iequals(word, "begin") || iequals(word, "start")) {
    session = {.in_transaction = true};
  } else if (iequals(word, "commit") || iequals(word, "rollback") || iequals(word, "end")) {
    session = {};
  } else if (session.in_transaction &&
             !(iequals(word, "select") || iequals(word, "with") || iequals(word, "set") || iequals(word, "show") ||
               iequals(word, "explain") || iequals(word, "savepoint") || iequals(word, "release") ||
               iequals(word, "values"))) {
    session.wrote_in_transaction = true;  // INSERT, UPDATE, DELETE, REPLACE, MERGE, CALL, DDL
  } else if (session.in_transaction && !is_cacheable_read(std::string(sql)) &&
             (iequals(word, "with") || iequals(word, "select"))) {
    session.wrote_in_transaction = true;  // a writable CTE, SELECT ... FOR UPDATE, nextval()
  }
}

}  // namespace dbvet::bench
