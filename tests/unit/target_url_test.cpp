#include "analyzer/core/target_url.hpp"

#include "gtest/gtest.h"

namespace dbvet::core {
namespace {

TEST(TargetUrl, ParsesPostgresWithEverything) {
  auto url = parse_target_url("postgresql://alice:s%40cret@db.example:6543/pets?sslmode=disable");
  ASSERT_TRUE(url) << url.error().message;
  EXPECT_EQ(url->engine, Engine::postgres);
  EXPECT_EQ(url->user, "alice");
  EXPECT_EQ(url->password.value_or(""), "s@cret");
  EXPECT_EQ(url->host, "db.example");
  EXPECT_EQ(url->port.value_or(0), 6543);
  EXPECT_EQ(url->database, "pets");
  EXPECT_EQ(url->params.at("sslmode"), "disable");
  EXPECT_EQ(url->redacted(), "postgresql://alice:***@db.example:6543/pets?sslmode=disable");
}

TEST(TargetUrl, MariadbSchemeIsMysqlEngine) {
  auto url = parse_target_url("mariadb://root@127.0.0.1/payments");
  ASSERT_TRUE(url);
  EXPECT_EQ(url->engine, Engine::mysql);
  EXPECT_FALSE(url->password);
  EXPECT_FALSE(url->port);
}

TEST(TargetUrl, SqliteForms) {
  for (const char* text : {"sqlite:pets.db", "sqlite://pets.db", "pets.db"}) {
    auto url = parse_target_url(text);
    ASSERT_TRUE(url) << text;
    EXPECT_EQ(url->engine, Engine::sqlite);
    EXPECT_EQ(url->path, "pets.db") << text;
  }
  auto absolute = parse_target_url("sqlite:///var/lib/pets.sqlite3");
  ASSERT_TRUE(absolute);
  EXPECT_EQ(absolute->path, "/var/lib/pets.sqlite3");
}

TEST(TargetUrl, RedisWithDatabaseNumberAndIpv6) {
  auto url = parse_target_url("redis://:pw@[::1]:6380/2");
  ASSERT_TRUE(url) << url.error().message;
  EXPECT_EQ(url->engine, Engine::redis);
  EXPECT_EQ(url->host, "::1");
  EXPECT_EQ(url->port.value_or(0), 6380);
  EXPECT_EQ(url->database, "2");
  EXPECT_EQ(url->redacted(), "redis://:***@[::1]:6380/2");
}

TEST(TargetUrl, PasswordInQueryStringIsKeptSecret) {
  auto url = parse_target_url("postgresql://bob@host/db?password=hunter2&application_name=x");
  ASSERT_TRUE(url);
  EXPECT_EQ(url->password.value_or(""), "hunter2");
  EXPECT_EQ(url->redacted().find("hunter2"), std::string::npos);
}

TEST(TargetUrl, SecretParametersAreRedacted) {
  auto url = parse_target_url("postgresql://bob@host/db?sslpassword=keyphrase9&sslmode=require");
  ASSERT_TRUE(url);
  std::string shown = url->redacted();
  EXPECT_EQ(shown.find("keyphrase9"), std::string::npos) << shown;
  EXPECT_NE(shown.find("sslpassword=***"), std::string::npos) << shown;
  EXPECT_NE(shown.find("sslmode=require"), std::string::npos) << shown;
}

TEST(TargetUrl, ErrorsAreUsageErrorsAndNeverShowThePassword) {
  struct Case {
    const char* text;
    const char* expected_words;
  };
  for (const Case& c :
       {Case{"oracle://u:topsecret@h/db", "unsupported URL scheme 'oracle'"},
        Case{"postgresql://u:topsecret@h:99999/db", "port '99999'"},
        Case{"postgresql://u:topsecret@h:abc/db", "port 'abc'"}, Case{"mysql:u:topsecret@h/db", "expected '//'"},
        Case{"redis://:topsecret@h/x", "not a number"},
        Case{"postgresql://u:top%zzsecret@h/db", "malformed %-escape in the password"},
        Case{"pets.txt", "unrecognised target"}, Case{"", "empty target"}, Case{"sqlite:", "expected a file path"}}) {
    auto url = parse_target_url(c.text);
    ASSERT_FALSE(url) << c.text;
    EXPECT_EQ(url.error().kind, ErrorKind::usage);
    EXPECT_EQ(url.error().exit_code(), 2);
    EXPECT_NE(url.error().message.find(c.expected_words), std::string::npos) << url.error().message;
    EXPECT_EQ(url.error().message.find("topsecret"), std::string::npos) << url.error().message;
  }
}

TEST(PercentDecode, RejectsTruncatedEscapes) {
  EXPECT_FALSE(percent_decode("abc%4"));
  EXPECT_FALSE(percent_decode("%"));
  EXPECT_EQ(percent_decode("a%20b").value_or(""), "a b");
}

}  // namespace
}  // namespace dbvet::core
