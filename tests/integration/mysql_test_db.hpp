#pragma once
// A private database per test on the MariaDB test server, dropped afterwards.

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "analyzer/core/target_url.hpp"
#include "analyzer/engines/connection.hpp"
#include "tests/support/test_env.hpp"

namespace dbvet::testing {

class MysqlTestDb {
 public:
  explicit MysqlTestDb(const std::string& name) : name_("dbvet_it_" + name) {
    base_url_ = server_url("MYSQL");
    url_ = base_url_.substr(0, base_url_.rfind('/') + 1) + name_;
    admin_ = open(base_url_, true);
    auto status = admin_->execute_script("DROP DATABASE IF EXISTS " + name_ + "; CREATE DATABASE " + name_);
    EXPECT_TRUE(status.has_value()) << (status ? "" : status.error().message);
    writer_ = open(url_, true);
  }
  ~MysqlTestDb() {
    writer_.reset();
    if (admin_) (void)admin_->execute_script("DROP DATABASE IF EXISTS " + name_);
  }

  const std::string& name() const { return name_; }
  const std::string& url() const { return url_; }
  // A session that may write into the test database (allow_writes).
  engines::Connection& writer() { return *writer_; }

  void script(const std::string& sql) {
    auto status = writer_->execute_script(sql);
    ASSERT_TRUE(status.has_value()) << status.error().message;
  }

  static std::unique_ptr<engines::Connection> open(const std::string& url, bool allow_writes) {
    auto parsed = core::parse_target_url(url);
    EXPECT_TRUE(parsed.has_value());
    engines::ConnectOptions options;
    options.allow_writes = allow_writes;
    auto connection = engines::connect(*parsed, options);
    EXPECT_TRUE(connection.has_value()) << (connection ? "" : connection.error().message);
    return connection ? std::move(*connection) : nullptr;
  }

 private:
  std::string name_;
  std::string base_url_;
  std::string url_;
  std::unique_ptr<engines::Connection> admin_;
  std::unique_ptr<engines::Connection> writer_;
};

}  // namespace dbvet::testing
