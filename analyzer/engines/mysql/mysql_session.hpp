#pragma once
// A thin owner of one libmariadb connection (the libmysqlclient API), shared by the connection,
// the introspection and the loader. Every error it returns names the redacted target, never a password.

#include <mysql.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "analyzer/core/expected.hpp"
#include "analyzer/core/target_url.hpp"

namespace dbvet::engines::mysql {

using Row = std::vector<std::optional<std::string>>;

struct Rows {
  std::vector<std::string> columns;
  std::vector<Row> rows;
};

class Session {
 public:
  Session(MYSQL* handle, std::string target, std::string version, int statement_timeout_s)
      : handle_(handle),
        target_(std::move(target)),
        version_(std::move(version)),
        statement_timeout_s_(statement_timeout_s) {}
  ~Session() {
    if (handle_) mysql_close(handle_);
  }
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  MYSQL* handle() { return handle_; }
  const std::string& target() const { return target_; }
  const std::string& version() const { return version_; }
  bool is_mariadb() const { return version_.find("MariaDB") != std::string::npos; }

  // Runs a statement and reads its whole result (small results: catalog queries, EXPLAIN).
  core::Expected<Rows> query(const std::string& sql);
  // Runs a statement that returns no rows (SET, START TRANSACTION, ...), discarding any result.
  core::Status exec(const std::string& sql);

  // The error of the last call as one line: "<what> on <target>: <server message> (<errno>)".
  core::Error last_error(const std::string& what);

  // 'text' as an SQL string literal, escaped for the connection's character set.
  std::string quote(const std::string& text);

 private:
  MYSQL* handle_;
  std::string target_;
  std::string version_;
  int statement_timeout_s_;
};

}  // namespace dbvet::engines::mysql
