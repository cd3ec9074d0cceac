#include "analyzer/engines/postgres/postgres_session.hpp"

#include "gtest/gtest.h"

namespace dbvet {
namespace {

using engines::postgres::build_conninfo;
using engines::postgres::one_line;

core::TargetUrl url_of(const std::string& text) {
  auto url = core::parse_target_url(text);
  EXPECT_TRUE(url.has_value()) << text;
  return url ? *url : core::TargetUrl{};
}

TEST(PostgresSession, ConninfoCarriesTargetTimeoutsAndReadOnlySession) {
  engines::ConnectOptions options;
  options.statement_timeout = std::chrono::milliseconds(5000);
  options.connect_timeout = std::chrono::milliseconds(2500);
  auto conninfo = build_conninfo(url_of("postgresql://app@db.example:6432/pets?sslmode=require"), options);
  EXPECT_EQ(conninfo,
            "host='db.example' port='6432' dbname='pets' user='app' connect_timeout='3' application_name='dbvet' "
            "sslmode='require' options='-c default_transaction_read_only=on -c statement_timeout=5000'");
}

TEST(PostgresSession, PasswordOnlyWhenTheUrlHasOneAndQuoted) {
  engines::ConnectOptions options;
  auto without = build_conninfo(url_of("postgresql://app@localhost/pets"), options);
  EXPECT_EQ(without.find("password"), std::string::npos) << "libpq reads PGPASSWORD/.pgpass itself";
  auto with = build_conninfo(url_of("postgresql://app:it%27s%5Csecret@localhost/pets"), options);
  EXPECT_NE(with.find(R"(password='it\'s\\secret')"), std::string::npos) << with;
}

TEST(PostgresSession, WritableSessionsAreNotReadOnlyAndUserOptionsAreKept) {
  engines::ConnectOptions options;
  options.allow_writes = true;
  auto conninfo =
      build_conninfo(url_of("postgres://localhost/pets?options=-c%20search_path%3Dgame&application_name=ops"), options);
  EXPECT_EQ(conninfo.find("default_transaction_read_only"), std::string::npos);
  EXPECT_NE(conninfo.find("options='-c search_path=game -c statement_timeout=30000'"), std::string::npos) << conninfo;
  EXPECT_NE(conninfo.find("application_name='ops'"), std::string::npos);
  EXPECT_EQ(conninfo.find("dbvet"), std::string::npos);
}

TEST(PostgresSession, OneLineJoinsTrimsAndHidesThePassword) {
  auto url = url_of("postgresql://u:hunter2@h/db");
  EXPECT_EQ(one_line("connection to server at \"h\", port 5432 failed: FATAL:  password authentication failed\n"
                     "\tIs the server running?\n",
                     url),
            "connection to server at \"h\", port 5432 failed: FATAL: password authentication failed; Is the server "
            "running?");
  EXPECT_EQ(one_line("bad hunter2 here hunter2", url), "bad *** here ***");
}

}  // namespace
}  // namespace dbvet
