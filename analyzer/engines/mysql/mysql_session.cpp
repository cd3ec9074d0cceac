#include "analyzer/engines/mysql/mysql_session.hpp"

#include <errmsg.h>
#include <mysqld_error.h>

#include "fmt/format.h"

namespace dbvet::engines::mysql {

core::Error Session::last_error(const std::string& what) {
  unsigned int code = mysql_errno(handle_);
  std::string message = mysql_error(handle_);
  // 1969: MariaDB max_statement_time; 3024: MySQL max_execution_time.
  if (code == 1969 || code == 3024) {
    return core::make_error(core::ErrorKind::query, fmt::format("{} on {}: statement timed out after {} s ({})", what,
                                                                target_, statement_timeout_s_, message));
  }
  // 1927: MariaDB's "Connection was killed" (KILL, or the server shutting down), 1053: server shutdown
  // in progress: the session is gone either way.
  bool connection = code == CR_SERVER_GONE_ERROR || code == CR_SERVER_LOST || code == CR_CONNECTION_ERROR ||
                    code == CR_CONN_HOST_ERROR || code == 1927 || code == ER_SERVER_SHUTDOWN;
  return core::make_error(connection ? core::ErrorKind::connection : core::ErrorKind::query,
                          fmt::format("{} on {}: {} ({})", what, target_, message, code));
}

core::Expected<Rows> Session::query(const std::string& sql) {
  if (mysql_real_query(handle_, sql.data(), sql.size()) != 0) return last_error("query failed");
  Rows out;
  MYSQL_RES* result = mysql_store_result(handle_);
  if (!result) {
    if (mysql_field_count(handle_) != 0) return last_error("reading the result failed");
    return out;
  }
  unsigned int fields = mysql_num_fields(result);
  MYSQL_FIELD* field_info = mysql_fetch_fields(result);
  for (unsigned int i = 0; i < fields; ++i) out.columns.emplace_back(field_info[i].name);
  while (MYSQL_ROW row = mysql_fetch_row(result)) {
    unsigned long* lengths = mysql_fetch_lengths(result);
    Row values;
    values.reserve(fields);
    for (unsigned int i = 0; i < fields; ++i) {
      if (row[i]) {
        values.emplace_back(std::string(row[i], lengths[i]));
      } else {
        values.emplace_back(std::nullopt);
      }
    }
    out.rows.push_back(std::move(values));
  }
  mysql_free_result(result);
  while (mysql_more_results(handle_) && mysql_next_result(handle_) == 0) {
    if (MYSQL_RES* extra = mysql_store_result(handle_)) mysql_free_result(extra);
  }
  return out;
}

core::Status Session::exec(const std::string& sql) {
  auto rows = query(sql);
  if (!rows) return rows.error();
  return core::ok();
}

std::string Session::quote(const std::string& text) {
  std::string buffer(text.size() * 2 + 1, '\0');
  unsigned long length = mysql_real_escape_string(handle_, buffer.data(), text.data(), text.size());
  buffer.resize(length);
  return "'" + buffer + "'";
}

}  // namespace dbvet::engines::mysql
