// The one HTML/XML escaping: the HTML page and the bench JUnit output both go through it.
#include <gtest/gtest.h>

#include "analyzer/util/escape.hpp"

namespace dbvet::report {
namespace {

TEST(EscapeMarkup, EscapesWhatEndsAnAttributeOrStartsATag) {
  EXPECT_EQ(util::escape_markup(R"(a<b>&"c")"), "a&lt;b&gt;&amp;&quot;c&quot;");
  EXPECT_EQ(util::escape_markup("plain text, 'quoted'"), "plain text, 'quoted'");
  EXPECT_EQ(util::escape_markup(""), "");
}

TEST(EscapeMarkup, LeavesUtf8Alone) { EXPECT_EQ(util::escape_markup("café → 5%"), "café → 5%"); }

}  // namespace
}  // namespace dbvet::report
