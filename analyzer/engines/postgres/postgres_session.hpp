#pragma once
// Pieces of the PostgreSQL session that need no server: the libpq connection string built from a
// target URL, and libpq/server messages turned into one safe line. Kept apart to be unit-tested.

#include <string>

#include "analyzer/core/target_url.hpp"
#include "analyzer/engines/connection.hpp"

namespace dbvet::engines::postgres {

// A libpq keyword/value string: host, port, dbname, user, the password only when the URL has one
// (otherwise libpq reads PGPASSWORD and ~/.pgpass itself), connect_timeout, application_name=dbvet,
// every other URL parameter (sslmode, ...) passed through, and `options` carrying
// default_transaction_read_only (unless writes are allowed) and statement_timeout.
std::string build_conninfo(const core::TargetUrl& url, const ConnectOptions& options);

// One line from a (possibly multi-line) libpq or server message: lines trimmed and joined with
// "; ", runs of spaces collapsed, and the password, should it ever appear, replaced by "***".
std::string one_line(const std::string& message, const core::TargetUrl& url);

}  // namespace dbvet::engines::postgres
