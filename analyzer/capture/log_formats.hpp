#pragma once
// The log formats dbvet reads, how they are recognised from an input's first lines, and the
// factory that makes the push reader of each. New formats add a value, a detection rule and a
// case in make_log_reader: nothing else in digest or capture needs to change.

#include <memory>
#include <optional>
#include <string_view>

#include "analyzer/capture/log_reader.hpp"
#include "analyzer/core/expected.hpp"

namespace dbvet::capture {

enum class LogFormat {
  mysql_slow,       // MySQL, Percona Server and MariaDB slow query logs
  postgres_stderr,  // PostgreSQL stderr logs (any log_line_prefix)
  postgres_csv,     // csvlog
  postgres_json,    // jsonlog
  postgres_syslog,  // syslog
  pgbouncer,        // pgbouncer's own log: recognised to be refused clearly (it has no statements)
};

enum class Engine { auto_, mysql, postgres };

std::string_view log_format_name(LogFormat format);
std::optional<Engine> parse_engine(std::string_view name);

// The format of an input from its first lines (up to about 64 KiB), limited to `engine`'s
// formats; nullopt when nothing fits.
std::optional<LogFormat> detect_log_format(std::string_view head, Engine engine = Engine::auto_);

// A reader for `format` that sends its events to `sink`. For a pgbouncer log, an input error that
// says why there is nothing to digest in it. `log_line_prefix` (the server's setting,
// with its escapes) applies to the PostgreSQL stderr and syslog formats; empty: detected. Fails
// (usage) for a prefix that does not compile.
// server_sink: what a PostgreSQL log says besides its statements (other formats have none).
core::Expected<std::unique_ptr<LogReader>> make_log_reader(LogFormat format, EventSink sink,
                                                           std::string_view log_line_prefix = {},
                                                           ServerEventSink server_sink = {});

// Feeds a whole text to a reader line by line (offsets from 0) and finishes it: for tests,
// benchmarks and inputs already in memory.
void feed_text(LogReader& reader, std::string_view text);

// Whether -j N may start a part at this line (the previous line given too): the first line of a
// record, so that a part read on its own parses exactly as it does within the whole file.
bool is_split_point(LogFormat format, std::string_view previous_line, std::string_view line);

}  // namespace dbvet::capture
