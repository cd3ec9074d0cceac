#include "analyzer/capture/log_formats.hpp"

#include "analyzer/capture/mysql_slowlog.hpp"

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

std::optional<LogFormat> detect_log_format(std::string_view head, Engine engine) {
  if (engine != Engine::postgres && MysqlSlowLogReader::looks_like(head)) return LogFormat::mysql_slow;
  // PostgreSQL formats: detection comes with their readers (pglog branch).
  return std::nullopt;
}

core::Expected<std::unique_ptr<LogReader>> make_log_reader(LogFormat format, EventSink sink) {
  switch (format) {
    case LogFormat::mysql_slow:
      return std::unique_ptr<LogReader>(std::make_unique<MysqlSlowLogReader>(std::move(sink)));
    default:
      break;
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
      return false;
  }
}

}  // namespace dbvet::capture
