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

std::optional<LogFormat> detect_log_format(std::string_view head, Engine engine) {
  if (engine != Engine::postgres && MysqlSlowLogReader::looks_like(head)) return LogFormat::mysql_slow;
  if (engine == Engine::mysql) return std::nullopt;
  if (auto pg = detect_pg_log_format(head)) return to_log_format(*pg);
  return std::nullopt;
}

core::Expected<std::unique_ptr<LogReader>> make_log_reader(LogFormat format, EventSink sink,
                                                           std::string_view log_line_prefix) {
  switch (format) {
    case LogFormat::mysql_slow:
      return std::unique_ptr<LogReader>(std::make_unique<MysqlSlowLogReader>(std::move(sink)));
    default:
      break;
  }
  if (auto pg = to_pg_format(format)) {
    PostgresLogOptions options;
    options.format = *pg;
    if (*pg == PgLogFormat::stderr_log || *pg == PgLogFormat::syslog) options.log_line_prefix = log_line_prefix;
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
