#include <gtest/gtest.h>

#include <string>

#include "analyzer/util/ascii.hpp"

namespace dbvet::util {
namespace {

TEST(UtilAscii, FoldsOnlyAsciiLetters) {
  EXPECT_EQ(to_lower("SELECT Name_1 FROM T$"), "select name_1 from t$");
  EXPECT_EQ(to_upper("select name_1 from t$"), "SELECT NAME_1 FROM T$");
  // '@' and '[' sit just outside A-Z, '`' and '{' just outside a-z.
  EXPECT_EQ(to_lower("@AZ[`az{"), "@az[`az{");
  EXPECT_EQ(to_upper("@AZ[`az{"), "@AZ[`AZ{");
  // UTF-8 bytes are left alone whatever the locale: "Ä" is C3 84.
  EXPECT_EQ(to_lower("\xC3\x84X"), "\xC3\x84x");
  EXPECT_EQ(to_upper("\xC3\xA4x"), "\xC3\xA4X");
}

TEST(UtilAscii, EmptyAndOverloads) {
  EXPECT_EQ(to_lower(""), "");
  EXPECT_EQ(to_upper(std::string()), "");
  EXPECT_EQ(to_lower(std::string_view("AbC").substr(1)), "bc");
  EXPECT_EQ(to_lower('Q'), 'q');
  EXPECT_EQ(to_upper('q'), 'Q');
  EXPECT_EQ(to_lower('5'), '5');
  static_assert(to_lower('A') == 'a' && to_upper('z') == 'Z' && to_lower('\x80') == '\x80');
}

TEST(UtilAscii, CaseInsensitiveComparison) {
  EXPECT_TRUE(iequals("select", "SeLeCt"));
  EXPECT_TRUE(iequals("", ""));
  EXPECT_FALSE(iequals("select", "selec"));
  EXPECT_FALSE(iequals("@", "`"));  // differ by 0x20 but are not letters
  EXPECT_FALSE(iequals("[", "{"));
  EXPECT_FALSE(iequals("\xC3\x84", "\xC3\xA4"));
  EXPECT_TRUE(istarts_with("Administrator command: Ping", "ADMINISTRATOR"));
  EXPECT_FALSE(istarts_with("adm", "admin"));
  EXPECT_TRUE(istarts_with("anything", ""));
}

}  // namespace
}  // namespace dbvet::util
