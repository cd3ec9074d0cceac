#include "analyzer/pipeline/live/server_capture.hpp"

#include "fmt/format.h"

namespace dbvet::pipeline::live {
namespace {

using Reader = core::Expected<std::vector<ServerStatement>> (*)(engines::Connection&, bool);

core::Expected<LiveCapture> capture_with(engines::Connection& connection, const ServerCaptureOptions& options,
                                         Reader read, const char* format) {
  auto first = read(connection, options.all_databases);
  if (!first) return first.error();
  std::vector<ServerStatement> rows = std::move(*first);
  if (options.duration.count() > 0) {
    options.wait(options.duration);
    auto second = read(connection, options.all_databases);
    if (!second) return second.error();
    rows = subtract(*second, rows);
  }
  return digest_server_statements(rows, options.mode, format, connection.describe());
}

}  // namespace

core::Expected<LiveCapture> capture_pg_stat_statements(engines::Connection& connection,
                                                       const ServerCaptureOptions& options) {
  if (connection.engine() != core::Engine::postgres) {
    return core::make_error(core::ErrorKind::usage,
                            fmt::format("{}: pg_stat_statements needs a PostgreSQL target", connection.describe()));
  }
  return capture_with(connection, options, read_pg_stat_statements, "pg_stat_statements");
}

core::Expected<LiveCapture> capture_performance_schema(engines::Connection& connection,
                                                       const ServerCaptureOptions& options) {
  if (connection.engine() != core::Engine::mysql) {
    return core::make_error(core::ErrorKind::usage,
                            fmt::format("{}: performance_schema needs a MariaDB/MySQL target", connection.describe()));
  }
  return capture_with(connection, options, read_performance_schema, "performance_schema");
}

}  // namespace dbvet::pipeline::live
