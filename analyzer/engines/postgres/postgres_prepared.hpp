#pragma once
// A lean PostgreSQL session for the bench's hot path, as an application with a driver that
// prepares statements would run them (pgbench -M prepared): the literals of a statement become
// $1..$n, the resulting text is prepared once per session and executed with the literals as text
// parameters. A statement that cannot be prepared that way (a typed literal such as
// interval '1 day', a statement with no literal) runs through the simple protocol instead. One
// round trip per statement; read-only and the statement timeout are session settings (see
// build_conninfo). Answers are hashed exactly as PostgresConnection::execute hashes them.

#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "analyzer/engines/connection.hpp"

struct pg_conn;

namespace dbvet::engines::postgres {

// The statement with its numeric and string literals replaced by $1..$n, and those literals.
struct Parameterized {
  std::string text;
  std::vector<std::string> values;
};
Parameterized parameterize(const std::string& sql);

class PreparedSession {
 public:
  static Expected<std::unique_ptr<PreparedSession>> connect(const core::TargetUrl& url, const ConnectOptions& options);
  // A statement that gets no answer within the statement timeout plus kClientTimeoutGrace shuts
  // the socket down and fails as a lost connection: the server stopped answering.
  ~PreparedSession();
  PreparedSession(const PreparedSession&) = delete;
  PreparedSession& operator=(const PreparedSession&) = delete;

  Expected<ResultSummary> execute(const std::string& sql, size_t keep_rows);

 private:
  PreparedSession() = default;
  core::TargetUrl url_;
  std::chrono::milliseconds client_timeout_{0};
  pg_conn* connection_ = nullptr;
  std::unordered_map<std::string, int> prepared_;  // template -> statement number, -1 when it cannot be prepared
};

}  // namespace dbvet::engines::postgres
