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

// `dbvet COMMAND --verify` on 20000 items in `dir` with a workload of lookups by k.
CommandResult verify_lookups(const std::string& command, const std::filesystem::path& dir) {
  auto db = dir / "items.db";
  make_sqlite_items(db, 20000);
  auto workload = dir / "lookup.sql";
  std::ofstream(workload) << "\\set k random(1, 2000)\nSELECT v FROM t WHERE k = :k;\n";
  return run_dbvet({command, "sqlite:" + db.string(), "--workload", workload.string(), "--transactions", "20",
                    "--verify", "--format", "json"});
}

TEST(AdviseVerify, SqliteFollowsTheAdviceOnACopyOnly) {
  auto dir = scratch_dir("advise_verify");
  auto db = dir / "items.db";
  auto run = verify_lookups("advise", dir);
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

// The report says, per recommendation, what applying it did, and audits the copy again: with the
// advice followed, the same classes need no new index and no drop.
TEST(AdviseVerify, SqliteReportsEachRecommendationAndACleanReaudit) {
  auto run = verify_lookups("audit", scratch_dir("audit_verify_reaudit"));
  ASSERT_EQ(run.exit_code, 0) << run.err;
  auto report = nlohmann::json::parse(run.out);
  ASSERT_TRUE(report.contains("verify")) << report.dump();
  const auto& verify = report["verify"];
  EXPECT_EQ(verify["attempts"], 1);
  EXPECT_EQ(verify["slower"].size(), 0u) << verify.dump();
  ASSERT_EQ(verify["recommendations"].size(), 1u) << verify.dump();
  const auto& applied = verify["recommendations"][0];
  EXPECT_EQ(applied["type"], "index");
  EXPECT_EQ(applied["table"], "t");
  EXPECT_TRUE(applied["ddl_succeeded"].get<bool>());
  EXPECT_TRUE(applied["used"].get<bool>());
  EXPECT_TRUE(applied["kept"].get<bool>());
  EXPECT_EQ(applied["queries"], 1);
  EXPECT_LT(applied["after_ms"].get<double>(), applied["before_ms"].get<double>());
  ASSERT_TRUE(verify["reaudit"].is_object()) << verify.dump();
  EXPECT_TRUE(verify["reaudit"]["clean"].get<bool>()) << verify["reaudit"].dump();
  EXPECT_EQ(verify["reaudit"]["recommendations"].size(), 0u);
}

// An existing index that a new one makes redundant (its key a prefix of the new key) is dropped with
// the advice, after the new index exists: else the re-audit of the copy recommends the drop.
TEST(AdviseVerify, SqliteDropsTheIndexANewOneMakesRedundant) {
  auto dir = scratch_dir("audit_verify_redundant");
  auto db = dir / "items.db";
  make_sqlite_items(db, 20000, true);  // t_k on t(k)
  auto workload = dir / "range.sql";
  std::ofstream(workload) << "\\set k random(1, 2000)\n"
                             "SELECT id FROM t WHERE k = :k AND v > 'value-5' ORDER BY v LIMIT 5;\n";
  auto run = run_dbvet({"audit", "sqlite:" + db.string(), "--workload", workload.string(), "--transactions", "20",
                        "--verify", "--format", "json"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  auto report = nlohmann::json::parse(run.out);
  std::string created, dropped, after;
  for (const auto& r : report["recommendations"]) {
    if (r["type"] == "index") created = r["details"].value("index", "");
    if (r["type"] == "drop_index") {
      dropped = r["details"].value("index", "");
      after = r["details"].value("apply_after", "");
    }
  }
  EXPECT_EQ(created, "dbvet_t_k_v") << report["recommendations"].dump();
  EXPECT_EQ(dropped, "t_k") << report["recommendations"].dump();
  EXPECT_FALSE(after.empty());  // the new index first (verify_drops says "recommended indexes")
  ASSERT_TRUE(report["verify"]["reaudit"].is_object()) << report["verify"].dump();
  EXPECT_TRUE(report["verify"]["reaudit"]["clean"].get<bool>()) << report["verify"]["reaudit"].dump();
}

}  // namespace
}  // namespace dbvet::testing
