#pragma once
// Helpers shared by the health tests (unit, integration, e2e): finding lookups with a readable
// failure message, a free loopback port for private servers, SQL on a scratch SQLite file.

#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sqlite3.h>
#include <sys/socket.h>
#include <unistd.h>

#include <string>

#include "analyzer/health/check.hpp"

namespace dbvet::testing {

inline bool reported(const health::TargetHealth& result, const std::string& check,
                     const std::string& object_part = "") {
  for (const auto& finding : result.findings) {
    if (finding.check == check && finding.object.find(object_part) != std::string::npos) return true;
  }
  return false;
}

inline std::string describe(const health::TargetHealth& result) {
  std::string text = result.up ? "" : "DOWN: " + result.error + "\n";
  for (const auto& finding : result.findings)
    text += finding.check + " [" + finding.object + "] " + finding.message + "\n";
  for (const auto& check : result.checks) {
    if (!check.note.empty())
      text += check.id + ": " + health::check_status_name(check.status) + " " + check.note + "\n";
  }
  return text;
}

inline int free_port() {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address);
  socklen_t length = sizeof address;
  getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
  close(fd);
  return ntohs(address.sin_port);
}

inline void exec_sqlite(const std::string& path, const std::string& sql) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  char* error = nullptr;
  int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &error);
  std::string message = error ? error : "";
  sqlite3_free(error);
  sqlite3_close(db);
  ASSERT_EQ(rc, SQLITE_OK) << message;
}

}  // namespace dbvet::testing
