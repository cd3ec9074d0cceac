// A `cache:redis://:PW@host` bench variant put PW into bench JSON, HTML, the history database and
// the report. redact_url() is what every URL that enters a result goes through.

#include <gtest/gtest.h>

#include "analyzer/core/redact.hpp"
#include "benchmarks/bench_config.hpp"

namespace dbvet::core {
namespace {

TEST(RedactUrl, PasswordsBecomeStars) {
  EXPECT_EQ(redact_url("redis://:s3cret@127.0.0.1:6379/0?ttl=60"), "redis://:***@127.0.0.1:6379/0?ttl=60");
  EXPECT_EQ(redact_url("postgresql://app:pw@db:5432/pets"), "postgresql://app:***@db:5432/pets");
  EXPECT_EQ(redact_url("mysql://root:p@ss@host/db"), "mysql://root:***@host/db");  // unescaped '@' too
  EXPECT_EQ(redact_url("postgresql://app@db/pets?password=pw&sslmode=off"),
            "postgresql://app@db/pets?password=***&sslmode=off");
  EXPECT_EQ(redact_url("a redis://u:x@h and mysql://v:y@k/d"), "a redis://u:***@h and mysql://v:***@k/d");
}

TEST(RedactUrl, TextWithoutPasswordsIsUnchanged) {
  for (const char* text : {"CREATE INDEX i ON t (a)", "redis://127.0.0.1:6379/0", "postgresql://app@db/pets",
                           "rewrite.sql", "sqlite:pets.db", "user@example.com"}) {
    EXPECT_EQ(redact_url(text), text);
  }
}

TEST(RedactUrl, BenchVariantErrorsDoNotEchoThePassword) {
  auto bad_ttl = bench::parse_variant("c=cache:redis://:s3cret@127.0.0.1:6379/0?ttl=soon");
  ASSERT_FALSE(bad_ttl);
  EXPECT_EQ(bad_ttl.error().message.find("s3cret"), std::string::npos) << bad_ttl.error().message;
}

}  // namespace
}  // namespace dbvet::core
