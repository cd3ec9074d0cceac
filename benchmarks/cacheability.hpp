#pragma once
// Which statements the cache-aside variant may answer from Redis. A cached answer is only right if
// the statement, run again, would give the same rows to any session at any time until the tables
// it reads change (which invalidation covers). Not so: answers that depend on the session
// (last-insert ids, sequences, @@session and @user variables, FOUND_ROWS(), ROW_COUNT(), changes()),
// on the clock (now(), CURRENT_TIMESTAMP, curdate(), sysdate(), date('now')), on chance (random(),
// rand(), uuid()), locking reads (FOR UPDATE/SHARE), and any read after a write in the same open
// transaction (it sees that transaction's uncommitted rows, which no other session sees).

#include <string_view>

namespace dbvet::bench {

// What cacheable() needs to know about the session a statement runs in, kept up to date by
// track() after every statement.
struct SessionState {
  bool in_transaction = false;  // BEGIN / START TRANSACTION seen, no COMMIT/ROLLBACK/END yet
  bool wrote_in_transaction = false;
};

// True when the statement is a plain read whose answer may be served from the cache.
bool cacheable(std::string_view sql, const SessionState& session);

// Updates `session` after `sql` ran.
void track(std::string_view sql, SessionState& session);

// The name of what makes `sql` depend on the session, the clock or chance ("last_insert_id", "@@",
// "'now'"); empty when nothing does. For messages and tests.
std::string_view volatile_part(std::string_view sql);

}  // namespace dbvet::bench
