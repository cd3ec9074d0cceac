// The engine table (issue 15, move 2): every engine is described once, in its own folder, and the
// code above the engines asks the table instead of naming engines.

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>

#include "analyzer/core/target_url.hpp"
#include "analyzer/engines/connection.hpp"
#include "analyzer/engines/description.hpp"
#include "analyzer/engines/registry.hpp"
#include "analyzer/health/health.hpp"
#include "analyzer/model/dialect.hpp"
#include "gtest/gtest.h"
#include "tests/support/test_env.hpp"

namespace dbvet::engines {
namespace {

TEST(EngineTable, EveryEngineIsDescribedOnceAndItsSchemesParseToIt) {
  std::set<core::Engine> seen;
  for (const auto* d : descriptions()) {
    EXPECT_TRUE(seen.insert(d->engine).second) << d->name;
    EXPECT_EQ(core::engine_name(d->engine), d->name);
    ASSERT_FALSE(d->schemes.empty()) << d->name;
    for (auto scheme : d->schemes) {
      std::string text = std::string(scheme) + (d->url.file_path ? ":x.db" : "://h/1");
      auto url = core::parse_target_url(text);
      ASSERT_TRUE(url) << text << ": " << url.error().message;
      EXPECT_EQ(url->engine, d->engine) << text;
      const Driver* driver = find_driver(scheme);
      if (driver) {
        EXPECT_EQ(driver->description, d);
      }
    }
  }
  for (auto engine : {core::Engine::postgres, core::Engine::mysql, core::Engine::sqlite, core::Engine::redis}) {
    EXPECT_TRUE(seen.count(engine)) << core::engine_name(engine);
  }
}

TEST(EngineTable, CompiledEnginesAreTheDriverRowsSortedByName) {
  std::vector<std::string> names;
  for (const auto* driver : drivers()) {
    ASSERT_NE(driver->description, nullptr);
    EXPECT_NE(driver->connect, nullptr) << driver->description->name;
    EXPECT_EQ(find_driver(driver->description->engine), driver);
    names.emplace_back(driver->description->name);
  }
  EXPECT_TRUE(std::is_sorted(names.begin(), names.end()));
  EXPECT_EQ(compiled_engines(), names);
  ASSERT_NE(find_driver(core::Engine::sqlite), nullptr);  // SQLite is always built in
  EXPECT_NE(find_driver(core::Engine::sqlite)->sample, nullptr);
}

TEST(EngineTable, MessagesListTheSchemesFromTheTable) {
  EXPECT_EQ(core::expected_schemes_text(), "postgresql, mysql, mariadb, sqlite or redis");
  EXPECT_EQ(core::expected_targets_text(),
            "postgresql://, mysql://, mariadb://, redis://, sqlite:PATH or a file ending in .db, .sqlite or .sqlite3");
  EXPECT_EQ(core::engine_of_bare_path(":memory:"), core::Engine::sqlite);
  EXPECT_EQ(core::engine_of_bare_path("pets.sqlite3"), core::Engine::sqlite);
  EXPECT_FALSE(core::engine_of_bare_path("pets.txt"));
}

TEST(EngineTable, DialectsAreLookedUpByTheNamesPlansCarry) {
  EXPECT_EQ(model::dialect_named("postgres").prefix_like_opclass, "text_pattern_ops");
  EXPECT_TRUE(model::dialect_named("mariadb").clusters_on_hidden_row_id);
  EXPECT_TRUE(model::dialect_named("mysql").estimates_count_rows_read);
  EXPECT_NE(model::dialect_named("mariadb").statistics_advice, model::dialect_named("mysql").statistics_advice);
  EXPECT_EQ(model::dialect_named("sqlite").row_estimate_source, "sqlite_stat1");
  EXPECT_EQ(&model::dialect_named("oracle"), &model::generic_dialect());
  EXPECT_EQ(&model::dialect_named("redis"), &model::generic_dialect());  // no SQL, no dialect
  EXPECT_EQ(&model::dialect_named(""), &model::generic_dialect());
}

TEST(EngineTable, EveryEngineHasHealthChecks) {
  for (const auto* d : descriptions()) EXPECT_FALSE(health::check_ids(d->engine).empty()) << d->name;
}

// Rules read the dialect; an engine name in a rule is a switch a new engine would have to edit.
TEST(EngineTable, RulesNameNoEngine) {
  const std::regex engine_literal(R"re("(postgres|postgresql|mysql|mariadb|sqlite|sqlite3|redis)")re");
  int files = 0;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(testing::source_dir() / "rules")) {
    if (entry.path().extension() != ".cpp" && entry.path().extension() != ".hpp") continue;
    ++files;
    std::ifstream in(entry.path());
    std::stringstream text;
    text << in.rdbuf();
    EXPECT_FALSE(std::regex_search(text.str(), engine_literal)) << entry.path();
  }
  EXPECT_GT(files, 30);
}

}  // namespace
}  // namespace dbvet::engines
