// dbvet.toml has one reader (core::parse_toml): the rule settings and health --config both go
// through it, so its errors and the toml++ guard are the same for every part of the file.
#include "analyzer/core/toml_document.hpp"

#include <gtest/gtest.h>

namespace dbvet::core {
namespace {

TEST(TomlDocument, ReadsATable) {
  auto parsed = parse_toml("[targets]\napi = \"sqlite:api.db\"\n", "dbvet.toml");
  ASSERT_TRUE(parsed) << parsed.error().message;
  EXPECT_EQ((*parsed)["targets"]["api"].value_or(std::string()), "sqlite:api.db");
}

TEST(TomlDocument, ASyntaxErrorNamesFileLineAndColumnAsAUsageError) {
  auto parsed = parse_toml("[rules]\nx = \n", "dbvet.toml");
  ASSERT_FALSE(parsed);
  EXPECT_EQ(parsed.error().kind, ErrorKind::usage);
  EXPECT_EQ(parsed.error().message.rfind("dbvet.toml:2:", 0), 0u) << parsed.error().message;
}

TEST(TomlDocument, TheToml33GuardRunsFirst) {
  // U+00A0..U+0499 outside a string: toml++ 3.3 would reach undefined behaviour on it.
  auto parsed = parse_toml("a = 1 \xD0\x96\n", "dbvet.toml");
  ASSERT_FALSE(parsed);
  EXPECT_EQ(parsed.error().kind, ErrorKind::usage);
  EXPECT_NE(parsed.error().message.find("U+0416"), std::string::npos) << parsed.error().message;
}

}  // namespace
}  // namespace dbvet::core
