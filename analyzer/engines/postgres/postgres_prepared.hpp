#pragma once
// A lean PostgreSQL session for the bench's hot path, as an application with a driver that
// prepares statements would run them (pgbench -M prepared): the literals of a statement become
// $1..$n, the resulting text is prepared once per session and executed with the literals as text
// parameters. A statement that cannot be prepared that way (a typed literal such as
// interval '1 day', a statement with no literal) runs through the simple protocol instead. One
// round trip per statement; read-only and the statement timeout are session settings (see
// build_conninfo). Answers are hashed exactly as PostgresConnection::execute hashes them.

#include <functional>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "analyzer/engines/connection.hpp"
#include "analyzer/engines/socket_deadline.hpp"

struct pg_conn;

namespace dbvet::engines::postgres {

// The statement with its numeric and string literals replaced by $1..$n, and those literals.
struct Parameterized {
  std::string text;
  std::vector<std::string> values;
};
Parameterized parameterize(const std::string& sql);
// The same into `out`, reusing its buffers: no allocation per call on the bench's hot path.
void parameterize_into(const std::string& sql, Parameterized& out);

class PreparedSession {
 public:
  static Expected<std::unique_ptr<PreparedSession>> connect(const core::TargetUrl& url, const ConnectOptions& options);
  // A statement that gets no answer within the statement timeout plus kClientTimeoutGrace shuts
  // the socket down and fails as a lost connection: the server stopped answering.
  ~PreparedSession();
  PreparedSession(const PreparedSession&) = delete;
  PreparedSession& operator=(const PreparedSession&) = delete;

  // Column names come only with kept rows (keep_rows > 0). `while_waiting`, when set, runs once the
  // statement has gone to the server and before its answer is read: a caller's own work done there
  // overlaps the server's instead of adding to it.
  Expected<ResultSummary> execute(const std::string& sql, size_t keep_rows,
                                  const std::function<void()>& while_waiting = {});

 private:
  PreparedSession() = default;
  core::TargetUrl url_;
  std::chrono::milliseconds client_timeout_{0};
  pg_conn* connection_ = nullptr;
  std::unique_ptr<RepeatedSocketDeadline> deadline_;  // armed per statement, destroyed before the socket closes
  struct Statement {
    std::string name;     // dbvet_N, formatted once when prepared
    bool usable = false;  // false: the server could not prepare it, it runs through the simple protocol
  };
  std::unordered_map<std::string, Statement> prepared_;                          // by template
  std::unordered_map<std::string, Statement>::iterator last_ = prepared_.end();  // the template of the last call
  Parameterized parameterized_;                                                  // reused per call
  std::vector<const char*> value_pointers_;                                      // reused per call
};

}  // namespace dbvet::engines::postgres
