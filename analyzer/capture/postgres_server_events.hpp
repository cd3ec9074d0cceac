#pragma once
// PostgreSQL log messages that are not statements, read into model::ServerEvents: the message
// formats of log_checkpoints, log_temp_files, log_lock_waits, log_autovacuum_min_duration,
// log_connections and log_disconnections, deadlocks, and WARNING/ERROR/FATAL/PANIC entries.
// Called only for records that are not statements, off the statement lines' path.

#include <string_view>

#include "analyzer/capture/postgres_log_prefix.hpp"
#include "analyzer/model/server_event.hpp"

namespace dbvet::capture::pglog {

// Reads `message` (the text after "SEVERITY:  ", continuation lines joined with '\n') into `out`'s
// kind and the fields the message carries; false when it is no event of those above. A
// connection's database, user and host, a session's too, are read from the message when it has
// them (the caller falls back on the prefix's).
bool parse_server_message(Severity severity, std::string_view message, model::ServerEvent& out);

// "connection received: host=H port=P": H, else empty.
std::string_view connection_received_host(std::string_view message);

}  // namespace dbvet::capture::pglog
