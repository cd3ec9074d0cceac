#pragma once
// A database of its own for each PostgreSQL integration test, created on the test server and
// dropped afterwards, so that tests running side by side never see each other's tables.

#include <cctype>
#include <pqxx/pqxx>
#include <string>

#include "analyzer/core/target_url.hpp"
#include "analyzer/engines/postgres/postgres_session.hpp"
#include "gtest/gtest.h"
#include "tests/support/test_env.hpp"

namespace dbvet::testing {

class PostgresTestDatabase {
 public:
  // Named after the running test, since ctest runs the tests of one suite side by side.
  PostgresTestDatabase() : PostgresTestDatabase(name_for_current_test()) {}
  explicit PostgresTestDatabase(const std::string& name) : name_(name) {
    server_url_ = server_url("PG");
    admin("DROP DATABASE IF EXISTS " + name_ + " WITH (FORCE)");
    admin("CREATE DATABASE " + name_);
  }
  ~PostgresTestDatabase() {
    try {
      admin("DROP DATABASE IF EXISTS " + name_ + " WITH (FORCE)");
    } catch (const std::exception& e) {
      ADD_FAILURE() << "could not drop " << name_ << ": " << e.what();
    }
  }
  PostgresTestDatabase(const PostgresTestDatabase&) = delete;
  PostgresTestDatabase& operator=(const PostgresTestDatabase&) = delete;

  // The test server's URL pointing at this database (with the password, as the test server has it).
  std::string url() const { return server_url_.substr(0, server_url_.rfind('/') + 1) + name_; }
  // The same URL without the password, for tests that pass it another way.
  std::string url_without_password() const {
    auto url = core::parse_target_url(this->url());
    return url->scheme + "://" + url->user + "@" + url->host + ":" + std::to_string(*url->port) + "/" + name_;
  }
  std::string password() const { return core::parse_target_url(server_url_)->password.value_or(""); }

  // Runs SQL in this database through a writable session of the test's own.
  void run(const std::string& sql) const {
    pqxx::connection connection(conninfo(url()));
    pqxx::nontransaction tx(connection);
    tx.exec(sql);
  }
  std::string scalar(const std::string& sql) const {
    pqxx::connection connection(conninfo(url()));
    pqxx::nontransaction tx(connection);
    return tx.exec1(sql)[0].c_str();
  }

 private:
  static std::string name_for_current_test() {
    const auto* test = ::testing::UnitTest::GetInstance()->current_test_info();
    std::string name = "dbvet_it_";
    for (char c : std::string(test->test_suite_name()) + "_" + test->name()) {
      name += std::isalnum(static_cast<unsigned char>(c)) ? static_cast<char>(std::tolower(c)) : '_';
    }
    return name.substr(0, 63);
  }
  static std::string conninfo(const std::string& url) {
    engines::ConnectOptions options;
    options.allow_writes = true;
    return engines::postgres::build_conninfo(*core::parse_target_url(url), options);
  }
  void admin(const std::string& sql) const {
    auto postgres_db = server_url_.substr(0, server_url_.rfind('/') + 1) + "postgres";
    pqxx::connection connection(conninfo(postgres_db));
    pqxx::quiet_errorhandler quiet(connection);
    pqxx::nontransaction tx(connection);
    tx.exec(sql);
  }

  std::string name_;
  std::string server_url_;
};

}  // namespace dbvet::testing
