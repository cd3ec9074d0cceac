#pragma once
// One interface for every engine. Engines answer questions (schema, plans, execution); they never
// decide what is good or bad. Sessions are read-only unless ConnectOptions says otherwise.

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "analyzer/core/expected.hpp"
#include "analyzer/core/target_url.hpp"
#include "analyzer/model/plan.hpp"
#include "analyzer/model/schema.hpp"

namespace dbvet::engines {

using core::Expected;
using core::Status;

// The process's client timeouts, set once from the global --connect-timeout and
// --statement-timeout flags before any connection opens: every ConnectOptions starts from them, so
// that every command honours the same flags (a command's own flag still overrides them).
struct ClientTimeouts {
  std::chrono::milliseconds connect{10000};
  std::chrono::milliseconds statement{30000};
};
void set_client_timeouts(const ClientTimeouts& timeouts);
ClientTimeouts client_timeouts();

struct ConnectOptions {
  std::chrono::milliseconds statement_timeout = client_timeouts().statement;
  std::chrono::milliseconds connect_timeout = client_timeouts().connect;
  // Only commands given an explicit flag (--apply, --allow-ddl, gen into a target) set this.
  bool allow_writes = false;
};

struct ExplainOptions {
  bool analyze = false;  // writing statements are analyzed inside a transaction that is rolled back
  bool buffers = true;   // PostgreSQL BUFFERS with ANALYZE
  // ANALYZE of an INSERT advances sequences and AUTO_INCREMENT counters, which the rollback does not
  // restore: refused (naming the counter) unless the user allowed it (--allow-side-effects).
  bool allow_side_effects = false;
};

struct ResultSummary {
  std::vector<std::string> columns;
  std::vector<std::vector<std::optional<std::string>>> rows;  // kept only up to a limit
  int64_t row_count = 0;                                      // all rows, even those not kept
  int64_t affected_rows = 0;
  uint64_t result_hash = 0;  // over every value of every row, to tell variants that change answers
};

struct ExecuteOptions {
  size_t keep_rows = 1000;
};

// Rows for a bulk load, produced in batches so that a generator never holds a whole table.
// Values are text in the engine's input syntax; nullopt is SQL NULL.
class RowSource {
 public:
  virtual ~RowSource() = default;
  // Fills `batch` (cleared by the caller) with up to `max_rows` rows; returns false when exhausted.
  virtual bool next_batch(std::vector<std::vector<std::optional<std::string>>>& batch, size_t max_rows) = 0;
};

class Connection {
 public:
  virtual ~Connection() = default;

  virtual core::Engine engine() const = 0;
  virtual std::string server_version() = 0;
  // The redacted target, for messages.
  virtual std::string describe() const = 0;

  virtual Expected<model::Schema> introspect() = 0;
  virtual Expected<model::Plan> explain(const std::string& sql, const ExplainOptions& options) = 0;
  virtual Expected<ResultSummary> execute(const std::string& sql, const ExecuteOptions& options = {}) = 0;

  // Runs a script of several statements (DDL, data). Refused unless the session allows writes.
  virtual Status execute_script(const std::string& sql) = 0;
  // Bulk load by the engine's fastest path (COPY, multi-row INSERT, prepared statements in one
  // transaction). Refused unless the session allows writes.
  virtual Expected<int64_t> load_rows(const std::string& table, const std::vector<std::string>& columns,
                                      RowSource& rows) = 0;
};

// Opens a session to the engine the URL names. Passwords come from the URL or the engine's usual
// environment variables and files; error messages never contain them.
Expected<std::unique_ptr<Connection>> connect(const core::TargetUrl& url, const ConnectOptions& options);

// Engines compiled in, for --version.
std::vector<std::string> compiled_engines();

// True for statements that change data or schema (INSERT/UPDATE/DELETE/MERGE/REPLACE/CREATE/...),
// judged on the first keyword after comments and WITH clauses.
bool is_writing_statement(const std::string& sql);

// Defence in depth behind the workload checks: in a session opened without a write flag, a
// statement with a side effect the engine's read-only mode does not stop (INTO OUTFILE, COPY ...
// PROGRAM, pg_read_file, ATTACH, load_extension, ...) is refused before it is sent, whoever built
// it (a \gset value substituted into a later statement, a log's example). ErrorKind::usage.
Status refuse_side_effects(const std::string& sql, core::Engine engine, const std::string& target);

// The refusal of an analyzed write that would advance `counters` (sequence or AUTO_INCREMENT names).
core::Error counter_refusal(const std::string& target, const std::vector<std::string>& counters);

}  // namespace dbvet::engines
