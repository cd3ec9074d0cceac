#include "analyzer/core/toml_text.hpp"

#include <gtest/gtest.h>

#include "rules/rule_config.hpp"

namespace dbvet::core {
namespace {

TEST(TomlText, CharactersToml33CannotClassifyAreRefusedOutsideStrings) {
  // The config fuzz target's find: a Cyrillic letter in a table header reached
  // __builtin_unreachable() inside toml++ 3.3.
  auto checked = check_toml_text(
      "[rules]\nmin_rows = 1\n[rules.\xd1\x8c"
      "chema]\n",
      "dbvet.toml");
  ASSERT_FALSE(checked);
  EXPECT_EQ(checked.error().kind, ErrorKind::usage);
  EXPECT_NE(checked.error().message.find("dbvet.toml:3"), std::string::npos) << checked.error().message;
  EXPECT_NE(checked.error().message.find("U+044C"), std::string::npos) << checked.error().message;
}

TEST(TomlText, NonAsciiInStringsAndCommentsIsKept) {
  EXPECT_TRUE(check_toml_text(
      "# \xd1\x8c comment\nname = \"\xd1\x8c\"\nother = '\xd1\x8c'\nlong = '''\n\xd1\x8c\n'''\n", "a.toml"));
  EXPECT_TRUE(check_toml_text("name = \"quote \\\" then \xd1\x8c\"\n", "a.toml"));
}

TEST(TomlText, MultiLineBasicStringsAreChecked) {
  // A line-ending backslash makes toml++ ask whether the next characters are whitespace.
  EXPECT_FALSE(check_toml_text("long = \"\"\"a \\\n\xd1\x8c\"\"\"\n", "a.toml"));
}

TEST(TomlText, TheSetOfUndefinedCodePointsMatchesToml33) {
  EXPECT_FALSE(toml_whitespace_check_is_undefined(U'a'));
  EXPECT_FALSE(toml_whitespace_check_is_undefined(0xA0));    // no-break space: whitespace
  EXPECT_TRUE(toml_whitespace_check_is_undefined(0xE9));     // e acute
  EXPECT_TRUE(toml_whitespace_check_is_undefined(0x44C));    // Cyrillic soft sign
  EXPECT_FALSE(toml_whitespace_check_is_undefined(0x4E2D));  // a CJK ideograph: answered "no"
  EXPECT_FALSE(toml_whitespace_check_is_undefined(0x1F600));
}

TEST(TomlText, RuleConfigRefusesInsteadOfParsing) {
  auto config = rules::parse_rule_config("[rules.\xc3\xa9]\nmin_rows = 5\n", "dbvet.toml");
  ASSERT_FALSE(config);
  EXPECT_NE(config.error().message.find("dbvet.toml:1"), std::string::npos) << config.error().message;
}

}  // namespace
}  // namespace dbvet::core
