// The SQLite handles of a read-only session reach no other file whatever statement arrives: the
// library-level defence behind the statement checks (sqlite3_limit ATTACHED 0, extension loading off).

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>

#include "analyzer/engines/sqlite/sqlite_handle.hpp"
#include "tests/support/test_env.hpp"

namespace dbvet::engines::sqlite {
namespace {

namespace fs = std::filesystem;

TEST(SqliteReadOnlyHandle, NoAttachNoVacuumIntoNoExtensions) {
  const auto dir = testing::scratch_dir("sqlite-ro-handle");
  const auto path = (dir / "t.db").string();
  {
    auto db = SqliteDb::open(path, OpenMode::read_write_create, "t.db", std::chrono::milliseconds(1000));
    ASSERT_TRUE(db) << db.error().message;
    ASSERT_TRUE(db->exec("CREATE TABLE t (x INTEGER)"));
    // A session that allows writes keeps ATTACH (gen and sandboxes may need it).
    const auto other = (dir / "allowed.db").string();
    EXPECT_TRUE(db->exec("ATTACH DATABASE '" + other + "' AS other"));
  }
  for (auto mode : {OpenMode::read_only, OpenMode::read_write}) {
    auto db = SqliteDb::open(path, mode, "t.db", std::chrono::milliseconds(1000));
    ASSERT_TRUE(db) << db.error().message;
    const auto attached = dir / "attached.db";
    EXPECT_FALSE(db->exec("ATTACH DATABASE '" + attached.string() + "' AS x"));
    EXPECT_FALSE(fs::exists(attached));
    const auto copy = dir / "copy.db";
    EXPECT_FALSE(db->exec("VACUUM INTO '" + copy.string() + "'"));
    EXPECT_FALSE(fs::exists(copy));
    auto loaded = db->exec("SELECT load_extension('" + (dir / "nothing.so").string() + "')");
    ASSERT_FALSE(loaded);
    EXPECT_NE(loaded.error().message.find("not authorized"), std::string::npos) << loaded.error().message;
  }
  fs::remove_all(dir);
}

}  // namespace
}  // namespace dbvet::engines::sqlite
