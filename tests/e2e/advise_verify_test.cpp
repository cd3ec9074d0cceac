// `dbvet advise --verify` follows its advice on a copy: the target keeps its indexes, the copy is
// gone afterwards, and the report says what was measured.

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "nlohmann/json.hpp"
#include "tests/support/sqlite_items.hpp"
#include "tests/support/test_env.hpp"

namespace dbvet::testing {
namespace {

TEST(AdviseVerify, SqliteFollowsTheAdviceOnACopyOnly) {
  auto dir = scratch_dir("advise_verify");
  auto db = dir / "items.db";
  make_sqlite_items(db, 20000);
  auto workload = dir / "lookup.sql";
  std::ofstream(workload) << "\\set k random(1, 2000)\nSELECT v FROM t WHERE k = :k;\n";
  auto run = run_dbvet({"advise", "sqlite:" + db.string(), "--workload", workload.string(), "--transactions", "20",
                        "--verify", "--format", "json"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  auto report = nlohmann::json::parse(run.out);
  bool index_kept = false;
  for (const auto& r : report["recommendations"]) {
    if (r["type"] != "index") continue;
    index_kept = true;
    EXPECT_TRUE(r["details"].contains("verified_by_applying")) << r.dump();
  }
  EXPECT_TRUE(index_kept) << report.dump();
  bool summary = false;
  for (const auto& note : report["notes"]) {
    if (note.get<std::string>().starts_with("verified by applying to a copy")) summary = true;
  }
  EXPECT_TRUE(summary) << report["notes"].dump();
  // Only the target and the workload are left in the directory; the target has no new index.
  int files = 0;
  for ([[maybe_unused]] const auto& entry : std::filesystem::directory_iterator(dir)) ++files;
  EXPECT_EQ(files, 2);
  auto indexes = run_program({"sqlite3", db.string(), "SELECT count(*) FROM sqlite_master WHERE type = 'index'"});
  EXPECT_EQ(indexes.out, "0\n");
}

}  // namespace
}  // namespace dbvet::testing
