#pragma once
// PostgreSQL server logs: stderr with any log_line_prefix (detected, or given with the server's own
// escapes), csvlog, jsonlog (and JSON wrappers such as CloudNativePG's or Cloud Logging's), syslog
// (and Heroku's logplex). Emits one QueryEvent per timed statement:
//   duration: X ms  statement: ...            (log_min_duration_statement)
//   duration: X ms  execute NAME: ... + DETAIL: parameters: $1 = '...'  (substituted into sql)
//   statement: ... then duration: X ms         (log_statement + log_duration)
//   duration: X ms  plan: ...                  (auto_explain, attached to its statement)
// parse/bind durations are ignored, like pgBadger does.

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "analyzer/capture/log_reader.hpp"
#include "analyzer/core/expected.hpp"

namespace dbvet::capture {

enum class PgLogFormat { auto_detect, stderr_log, csv, json, syslog };

struct PostgresLogOptions {
  PgLogFormat format = PgLogFormat::auto_detect;
  std::string log_line_prefix;  // empty: detected from the common ones
  // Checkpoints, temporary files, locks, autovacuum, connections, sessions and errors
  // (postgres_server_events.hpp); empty: not read, statements only.
  ServerEventSink server_sink;
};

// "auto", "stderr", "csv"/"csvlog", "json"/"jsonlog", "syslog".
core::Expected<PgLogFormat> parse_pg_log_format(std::string_view name);
const char* pg_log_format_name(PgLogFormat format);

class PostgresLogReader : public LogReader {
 public:
  // The format and prefix decided so far (after detection, once enough lines were fed).
  virtual PgLogFormat format() const = 0;
  virtual std::string log_line_prefix() const = 0;
};

// Fails (usage) only for a log_line_prefix that does not compile.
core::Expected<std::unique_ptr<PostgresLogReader>> make_postgres_log_reader(const PostgresLogOptions& options,
                                                                            EventSink sink);

// The PostgreSQL format of an input from its first lines; nullopt when none looks like a
// PostgreSQL log (no line with a JSON object, a syslog header or a "SEVERITY:  " marker).
std::optional<PgLogFormat> detect_pg_log_format(std::string_view head);

// Whether -j N may start a part at `line`: a record that completes an event on its own (a
// "duration: ... statement/execute" LOG) right after another complete record, so that statements
// waiting for their duration, parameters or plans are not cut from them.
bool is_pg_split_point(PgLogFormat format, std::string_view previous_line, std::string_view line);

// Substitutes "parameters: $1 = '...', $2 = NULL" into sql ($n outside quotes); false when the
// parameter list does not parse.
bool substitute_parameters(std::string_view sql, std::string_view parameters, std::string& out);

}  // namespace dbvet::capture
