// Sandboxes left by a dbvet that was killed are found again by their names; only names that parse
// are ever dropped by `dbvet sandbox clean`.

#include "analyzer/engines/sandbox_names.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "analyzer/core/target_url.hpp"
#include "tests/support/test_env.hpp"

namespace dbvet::engines {
namespace {

TEST(SandboxNames, RoundTrip) {
  std::string name = make_sandbox_name(4194303, 1796540000, "0a1b2c", "whatif0", "payment_service");
  EXPECT_EQ(name.rfind("dbvet_sandbox_4194303_", 0), 0u) << name;
  auto parsed = parse_sandbox_name(name);
  ASSERT_TRUE(parsed) << name;
  EXPECT_EQ(parsed->pid, 4194303);
  EXPECT_EQ(parsed->created, 1796540000);
  EXPECT_EQ(parsed->host, "0a1b2c");
  EXPECT_EQ(parsed->tag, "whatif0");
  EXPECT_EQ(parsed->database, "payment_service");
  auto file_suffix = make_sandbox_name(12, 5, "abcdef", "3", "");
  auto parsed_file = parse_sandbox_name(file_suffix);
  ASSERT_TRUE(parsed_file) << file_suffix;
  EXPECT_EQ(parsed_file->tag, "3");
}

TEST(SandboxNames, FitPostgresLimitAndHoldOnlySafeCharacters) {
  std::string hostile = "db\"; DROP DATABASE prod; -- " + std::string(80, 'x');
  std::string name = make_sandbox_name(4194303, 1796540000, sandbox_host_id(), "whatif12", hostile);
  EXPECT_LE(name.size(), 63u);
  for (char c : name) EXPECT_TRUE(std::isalnum(static_cast<unsigned char>(c)) || c == '_') << name;
  auto parsed = parse_sandbox_name(name);
  ASSERT_TRUE(parsed) << name;
  EXPECT_EQ(parsed->tag, "whatif12");
  // The end of the name is kept: where databases made from one another differ.
  EXPECT_EQ(hostile.substr(hostile.size() - parsed->database.size()), parsed->database);
}

TEST(SandboxNames, OtherNamesDoNotParse) {
  for (const char* name :
       {"payment_service", "dbvet_sandbox_", "dbvet_sandbox_12_", "dbvet_sandbox_x_1_abcdef_0",
        "dbvet_sandbox_12_1_abcdeg_0", "dbvet_sandbox_12_1_abcdef_", "dbvet_sandbox_12_1_abcdef_0-wal",
        "dbvet_sandbox_12_1_abcdef_0; DROP TABLE t", "old_dbvet_sandbox_12_1_abcdef_0"}) {
    EXPECT_FALSE(parse_sandbox_name(name)) << name;
  }
}

TEST(SandboxNames, SqliteCopiesOfDeadOwnersAreOrphanedLiveOnesAreNot) {
  auto dir = testing::scratch_dir("sandbox_names");
  auto db = dir / "app.db";
  std::ofstream(db) << "";
  long dead_pid = 4194304 + 7;  // above pid_max: never a live process
  auto dead = dir / ("app.db." + make_sandbox_name(dead_pid, 100, sandbox_host_id(), "0", ""));
  auto live = dir / ("app.db." + make_sandbox_name(static_cast<long>(getpid()), 100, sandbox_host_id(), "1", ""));
  std::string elsewhere = sandbox_host_id() == "000000" ? "000001" : "000000";
  auto other_host = dir / ("app.db." + make_sandbox_name(dead_pid, 100, elsewhere, "2", ""));
  auto unrelated = dir / "app.db.backup";
  for (const auto& path : {dead, live, other_host, unrelated}) std::ofstream(path) << "x";
  std::ofstream(dead.string() + "-journal") << "x";
  auto url = core::parse_target_url("sqlite:" + db.string());
  ASSERT_TRUE(url);
  auto entries = list_sandboxes(*url);
  ASSERT_TRUE(entries) << entries.error().message;
  ASSERT_EQ(entries->size(), 3u);
  const SandboxEntry* dead_entry = nullptr;
  const SandboxEntry* live_entry = nullptr;
  const SandboxEntry* other_entry = nullptr;
  for (const auto& e : *entries) {
    (e.parsed.host == elsewhere ? other_entry : e.parsed.pid == dead_pid ? dead_entry : live_entry) = &e;
  }
  ASSERT_TRUE(dead_entry && live_entry && other_entry);
  // Made on another host: its pid says nothing here, so it is never dropped.
  EXPECT_FALSE(other_entry->this_host);
  EXPECT_FALSE(other_entry->orphaned());
  EXPECT_TRUE(dead_entry->orphaned());
  EXPECT_FALSE(live_entry->orphaned());
  EXPECT_FALSE(drop_sandbox(*url, *live_entry));
  EXPECT_TRUE(std::filesystem::exists(live));
  ASSERT_TRUE(drop_sandbox(*url, *dead_entry));
  EXPECT_FALSE(std::filesystem::exists(dead));
  EXPECT_FALSE(std::filesystem::exists(dead.string() + "-journal"));
  EXPECT_TRUE(std::filesystem::exists(unrelated));
  EXPECT_TRUE(std::filesystem::exists(db));
  EXPECT_TRUE(std::filesystem::exists(other_host));
}

}  // namespace
}  // namespace dbvet::engines
