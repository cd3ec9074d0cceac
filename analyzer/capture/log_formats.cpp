#include "analyzer/capture/log_formats.hpp"

#include "analyzer/capture/mysql_slowlog.hpp"
#include "analyzer/capture/postgres_log.hpp"

namespace dbvet::capture {

std::string_view log_format_name(LogFormat format) {
  switch (format) {
    case LogFormat::mysql_slow:
      return "mysql-slowlog";
    case LogFormat::postgres_stderr:
      return "postgres-stderr";
    case LogFormat::postgres_csv:
      return "postgres-csv";
    case LogFormat::postgres_json:
      return "postgres-json";
    case LogFormat::postgres_syslog:
      return "postgres-syslog";
    case LogFormat::pgbouncer:
      return "pgbouncer";
  }
  return "unknown";
}

std::optional<Engine> parse_engine(std::string_view name) {
  if (name == "auto") return Engine::auto_;
  if (name == "mysql" || name == "mariadb") return Engine::mysql;
  if (name == "postgres" || name == "postgresql") return Engine::postgres;
  return std::nullopt;
}

namespace {
LogFormat to_log_format(PgLogFormat f) {
  switch (f) {
    case PgLogFormat::csv:
      return LogFormat::postgres_csv;
    case PgLogFormat::json:
      return LogFormat::postgres_json;
    case PgLogFormat::syslog:
      return LogFormat::postgres_syslog;
    default:
      return LogFormat::postgres_stderr;
  }
}
std::optional<PgLogFormat> to_pg_format(LogFormat f) {
  switch (f) {
    case LogFormat::postgres_stderr:
      return PgLogFormat::stderr_log;
    case LogFormat::postgres_csv:
      return PgLogFormat::csv;
    case LogFormat::postgres_json:
      return PgLogFormat::json;
    case LogFormat::postgres_syslog:
      return PgLogFormat::syslog;
    default:
      return std::nullopt;
  }
}
}  // namespace

namespace {
bool is_digit(char c) { return c >= '0' && c <= '9'; }

// A line of pgbouncer's logfile, "2024-03-01 10:00:00.123 UTC [1021] LOG C-0x55d5...: db/user@host
// login attempt..." (pgbouncer 1.8+; "1021 LOG" before), or of its syslog, "... pgbouncer[1021]: ".
bool is_pgbouncer_line(std::string_view line) {
  if (line.find(" pgbouncer[") != std::string_view::npos && line.find("]: ") != std::string_view::npos) return true;
  if (line.size() < 24 || !is_digit(line[0]) || line[4] != '-' || line[10] != ' ' || line[13] != ':') return false;
  // after the timestamp and its zone: "[PID] LEVEL " or "PID LEVEL "
  for (std::string_view level : {" LOG ", " WARNING ", " ERROR ", " FATAL ", " NOISE ", " DEBUG "}) {
    size_t at = line.find(level, 19);
    if (at == std::string_view::npos || at > 64) continue;
    size_t b = at;
    if (b > 0 && line[b - 1] == ']') --b;
    size_t e = b;
    while (b > 0 && is_digit(line[b - 1])) --b;
    if (b == e || b == 0) continue;
    if (line[b - 1] == '[') --b;
    if (b > 0 && line[b - 1] == ' ') return true;
  }
  return false;
}

// Whether the first non-empty lines of head are pgbouncer's.
bool looks_like_pgbouncer(std::string_view head) {
  int seen = 0;
  while (!head.empty() && seen < 5) {
    size_t nl = head.find('\n');
    std::string_view line = head.substr(0, nl);
    head = nl == std::string_view::npos ? std::string_view() : head.substr(nl + 1);
    if (line.empty()) continue;
    if (!is_pgbouncer_line(line)) return false;
    ++seen;
  }
  return seen > 0;
}
}  // namespace

std::optional<LogFormat> detect_log_format(std::string_view head, Engine engine) {
  if (engine != Engine::postgres && MysqlSlowLogReader::looks_like(head)) return LogFormat::mysql_slow;
  if (engine == Engine::mysql) return std::nullopt;
  // Before the PostgreSQL formats: pgbouncer's syslog lines have a syslog header too.
  if (looks_like_pgbouncer(head)) return LogFormat::pgbouncer;
  if (auto pg = detect_pg_log_format(head)) return to_log_format(*pg);
  return std::nullopt;
}

core::Expected<std::unique_ptr<LogReader>> make_log_reader(LogFormat format, EventSink sink,
                                                           std::string_view log_line_prefix,
                                                           ServerEventSink server_sink) {
  switch (format) {
    case LogFormat::mysql_slow:
      return std::unique_ptr<LogReader>(std::make_unique<MysqlSlowLogReader>(std::move(sink)));
    case LogFormat::pgbouncer:
      // pgbouncer logs connections, pools and per-minute stats, never a statement's SQL: an empty
      // digest would pass for "no slow queries".
      return core::make_error(core::ErrorKind::input,
                              "a pgbouncer log: pgbouncer logs connections and stats but no SQL statements, so there "
                              "is nothing to digest; digest the PostgreSQL server's log instead (with "
                              "log_min_duration_statement set)");
    default:
      break;
  }
  if (auto pg = to_pg_format(format)) {
    PostgresLogOptions options;
    options.format = *pg;
    if (*pg == PgLogFormat::stderr_log || *pg == PgLogFormat::syslog) options.log_line_prefix = log_line_prefix;
    options.server_sink = std::move(server_sink);
    auto reader = make_postgres_log_reader(options, std::move(sink));
    if (!reader) return reader.error();
    return std::unique_ptr<LogReader>(std::move(*reader));
  }
  return core::make_error(core::ErrorKind::unsupported,
                          std::string("no reader for ") + std::string(log_format_name(format)) + " logs in this build");
}

void feed_text(LogReader& reader, std::string_view text) {
  size_t offset = 0;
  while (offset < text.size()) {
    size_t end = text.find('\n', offset);
    if (end == std::string_view::npos) end = text.size();
    reader.feed_line(text.substr(offset, end - offset), offset);
    offset = end + 1;
  }
  reader.finish();
}

bool is_split_point(LogFormat format, std::string_view previous_line, std::string_view line) {
  switch (format) {
    case LogFormat::mysql_slow:
      // pt's record separator is ";\n#": split only where it is.
      return !previous_line.empty() && previous_line.back() == ';' && MysqlSlowLogReader::is_record_start(line);
    default:
      break;
  }
  if (auto pg = to_pg_format(format)) return is_pg_split_point(*pg, previous_line, line);
  return false;
}

}  // namespace dbvet::capture
