// Client libraries opened on first use: a library that is missing is an error naming it, never a
// crash at start-up; one that is there hands out its functions.
#include <gtest/gtest.h>

#include "analyzer/client_libraries/lazy_library.hpp"

namespace dbvet::client_libraries {
namespace {

TEST(LazyLibrary, MissingLibraryIsAnErrorNamingIt) {
  LazyLibrary library("libdbvet-no-such-library.so.7", "a library that is not installed");
  auto loaded = library.load();
  ASSERT_FALSE(loaded);
  EXPECT_NE(loaded.error().message.find("a library that is not installed (libdbvet-no-such-library.so.7)"),
            std::string::npos)
      << loaded.error().message;
  EXPECT_FALSE(library.load());  // the same answer again, without a second attempt
  EXPECT_EQ(library.find("anything"), nullptr);
}

TEST(LazyLibrary, OpensTheLibraryOnFirstUse) {
  auto loaded = libcurl().load();
  ASSERT_TRUE(loaded) << loaded.error().message;
  EXPECT_NE(libcurl().find("curl_easy_init"), nullptr);
  EXPECT_EQ(libcurl().find("no_such_function_in_libcurl"), nullptr);
}

}  // namespace
}  // namespace dbvet::client_libraries
