#include "analyzer/pipeline/live/server_log_capture.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include "analyzer/capture/line_source.hpp"
#include "analyzer/pipeline/live/server_capture.hpp"
#include "analyzer/util/ascii.hpp"
#include "fmt/format.h"

namespace dbvet::pipeline::live {
namespace {

constexpr uint64_t kHeadBytes = 64 * 1024;

std::string absolute_in(const std::string& path, const std::string& directory) {
  if (path.empty() || path.front() == '/' || directory.empty()) return path;
  return (std::filesystem::path(directory) / path).lexically_normal().string();
}

core::Expected<engines::ResultSummary> ask(engines::Connection& connection, const std::string& sql, const char* needs) {
  auto result = connection.execute(fmt::format("{} {}", kCaptureMarker, sql));
  if (!result) {
    return core::make_error(result.error().kind, fmt::format("{} (reading where the server writes its log needs {})",
                                                             result.error().message, needs));
  }
  if (result->rows.empty()) {
    return core::make_error(core::ErrorKind::query,
                            fmt::format("{}: the server did not say where it writes its log", connection.describe()));
  }
  return result;
}

core::Expected<ServerLogLocation> locate_mysql(engines::Connection& connection, const std::string& log_file) {
  auto result = ask(connection,
                    "SELECT @@slow_query_log, @@slow_query_log_file, @@datadir, @@log_output, DATABASE(), "
                    "@@long_query_time",
                    "the privilege to read global variables");
  if (!result) return result.error();
  const auto& row = result->rows[0];
  ServerLogLocation location;
  location.database = row[4].value_or("");
  location.setting = "slow_query_log_file";
  if (!log_file.empty()) {
    location.path = log_file;
    location.setting = "--log-file";
    return location;
  }
  if (row[0].value_or("0") != "1") {
    return core::make_error(core::ErrorKind::unsupported,
                            fmt::format("{}: the slow query log is off (SET GLOBAL slow_query_log = ON, and "
                                        "long_query_time = 0 to log every statement)",
                                        connection.describe()));
  }
  if (util::to_lower(row[3].value_or("FILE")).find("file") == std::string::npos) {
    return core::make_error(core::ErrorKind::unsupported,
                            fmt::format("{}: log_output = {}: the slow log goes to the mysql.slow_log table, not to a "
                                        "file (SET GLOBAL log_output = 'FILE')",
                                        connection.describe(), row[3].value_or("")));
  }
  location.path = absolute_in(row[1].value_or(""), row[2].value_or(""));
  if (location.path.empty()) {
    return core::make_error(core::ErrorKind::unsupported,
                            fmt::format("{}: slow_query_log_file is empty", connection.describe()));
  }
  return location;
}

core::Expected<ServerLogLocation> locate_postgres(engines::Connection& connection, const std::string& log_file) {
  auto result = ask(connection,
                    "SELECT pg_current_logfile(), current_setting('data_directory'), "
                    "current_setting('log_line_prefix'), current_setting('logging_collector'), current_database()",
                    "superuser, or the pg_monitor and pg_read_all_settings roles");
  if (!result) return result.error();
  const auto& row = result->rows[0];
  ServerLogLocation location;
  location.log_line_prefix = row[2].value_or("");
  location.database = row[4].value_or("");
  if (!log_file.empty()) {
    location.path = log_file;
    location.setting = "--log-file";
    return location;
  }
  location.setting = "pg_current_logfile()";
  if (!row[0] || row[0]->empty()) {
    return core::make_error(
        core::ErrorKind::unsupported,
        fmt::format("{}: pg_current_logfile() is null (logging_collector = {}): the server's log goes to the "
                    "standard error it was started with, which it cannot name; give that file with --log-file",
                    connection.describe(), row[3].value_or("?")));
  }
  location.path = absolute_in(*row[0], row[1].value_or(""));
  return location;
}

uint64_t file_size(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return 0;
  return static_cast<uint64_t>(st.st_size);
}

bool keep(const model::QueryEvent& event, const ServerLogOptions& options, const std::string& database) {
  // dbvet's own statements (they reach the log when every statement is logged).
  std::string_view sql = event.sql;
  while (!sql.empty() && (sql.front() == ' ' || sql.front() == '\n' || sql.front() == '\t')) sql.remove_prefix(1);
  if (sql.substr(0, std::strlen(kCaptureMarker)) == kCaptureMarker) return false;
  if (options.all_databases || database.empty() || event.database.empty()) return true;
  return event.database == database;
}

}  // namespace

core::Expected<ServerLogLocation> locate_server_log(engines::Connection& connection, const std::string& log_file) {
  switch (connection.engine()) {
    case core::Engine::mysql:
      return locate_mysql(connection, log_file);
    case core::Engine::postgres:
      return locate_postgres(connection, log_file);
    default:
      break;
  }
  return core::make_error(
      core::ErrorKind::usage,
      fmt::format("{}: --source slowlog needs a MariaDB/MySQL or PostgreSQL target", connection.describe()));
}

core::Status check_log_readable(const std::string& path, const std::string& setting) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    const int err = errno;
    std::string why = err == ENOENT   ? "it does not exist on this machine (is the server remote? copy the file and "
                                        "run dbvet digest on it)"
                      : err == EACCES ? "permission denied (run dbvet as a user who may read it, e.g. in the "
                                        "server's group, or copy the file and run dbvet digest on it)"
                                      : std::strerror(err);
    return core::make_error(core::ErrorKind::input,
                            fmt::format("{} ({}): cannot read the server's log: {}", path, setting, why));
  }
  struct stat st {};
  const bool regular = ::fstat(fd, &st) == 0 && S_ISREG(st.st_mode);
  ::close(fd);
  if (!regular) {
    return core::make_error(core::ErrorKind::input,
                            fmt::format("{} ({}): not a regular file, expected the server's log", path, setting));
  }
  return core::ok();
}

core::Expected<LiveCapture> capture_server_log(engines::Connection& connection, const ServerLogOptions& options) {
  auto location = locate_server_log(connection, options.log_file);
  if (!location) return location.error();
  if (auto readable = check_log_readable(location->path, location->setting); !readable) return readable.error();

  uint64_t begin = 0;
  if (options.duration.count() > 0) {
    begin = file_size(location->path);
    options.wait(options.duration);
  }
  uint64_t end = file_size(location->path);
  if (end < begin) begin = 0;  // rotated or truncated in between: the new file from its start

  const core::Engine engine = connection.engine();
  const capture::Engine family = engine == core::Engine::mysql ? capture::Engine::mysql : capture::Engine::postgres;
  std::string head;
  {
    auto source = capture::open_line_source_range(location->path, begin, std::min(end, begin + kHeadBytes));
    if (!source) return source.error();
    std::string_view line;
    uint64_t offset = 0;
    while ((*source)->next(line, offset)) {
      head.append(line);
      head += '\n';
    }
  }

  LiveCapture capture;
  capture.result.digest = digest::Digest(options.mode);
  capture.result.files = {location->path};
  auto format = capture::detect_log_format(head, family);
  if (!format) {
    if (head.empty()) {  // nothing logged (in the interval): an empty digest
      capture.result.format = family == capture::Engine::mysql ? "mysql-slowlog" : "postgres-stderr";
      return capture;
    }
    return core::make_error(core::ErrorKind::input,
                            fmt::format("{} ({}): not a log format dbvet reads", location->path, location->setting));
  }
  capture.result.format = std::string(capture::log_format_name(*format));

  uint64_t kept = 0;
  const std::string& database = location->database;
  auto reader = capture::make_log_reader(
      *format,
      [&](model::QueryEvent&& event) {
        if (!keep(event, options, database)) return;
        capture.result.digest.add(event, 0);
        ++kept;
      },
      location->log_line_prefix);
  if (!reader) return reader.error();
  auto source = capture::open_line_source_range(location->path, begin, end);
  if (!source) return source.error();
  std::string_view line;
  uint64_t offset = 0;
  while ((*source)->next(line, offset)) (*reader)->feed_line(line, offset);
  (*reader)->finish();
  if ((*source)->error()) return *(*source)->error();
  const auto& stats = (*reader)->stats();
  capture.result.events = kept;
  capture.result.skipped = stats.skipped;
  capture.result.bytes = stats.bytes;
  for (const auto& record : stats.skipped_records) capture.result.skipped_records.push_back({location->path, record});
  return capture;
}

}  // namespace dbvet::pipeline::live
