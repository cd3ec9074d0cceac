// Index advice on schemas dbvet was never tuned on (samples/advisor-bench: a shop and a SaaS
// family; primary keys only, no declared foreign keys) against SQLite's own advisor,
// `.expert`: dbvet's set must leave no query reading a table whole where `.expert`'s set lets SQLite
// search it, with no more indexes. Plans, not timings: the timings are `make bench-advisor`'s.

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "nlohmann/json.hpp"
#include "tests/support/test_env.hpp"

namespace dbvet::testing {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

std::vector<std::string> statements(const fs::path& path) {
  std::vector<std::string> out;
  std::istringstream lines(read_file(path));
  std::string line;
  while (std::getline(lines, line)) {
    if (line.empty() || line.rfind("--", 0) == 0) continue;
    while (!line.empty() && (line.back() == ';' || line.back() == ' ')) line.pop_back();
    out.push_back(line);
  }
  return out;
}

CommandResult sqlite_script(const fs::path& db, const fs::path& script) {
  return run_program({"sh", "-c", "sqlite3 -bail '" + db.string() + "' < '" + script.string() + "'"});
}

// Base tables the plan reads whole: "SCAN t" rows that name no index.
int full_scans(const fs::path& db, const std::string& sql) {
  auto result = run_program({"sqlite3", db.string(), "EXPLAIN QUERY PLAN " + sql});
  EXPECT_EQ(result.exit_code, 0) << sql << "\n" << result.err;
  int scans = 0;
  std::istringstream lines(result.out);
  std::string line;
  while (std::getline(lines, line)) {
    if (line.find("SCAN ") != std::string::npos && line.find(" USING ") == std::string::npos &&
        line.find("SUBQUERY") == std::string::npos && line.find("CONSTANT") == std::string::npos) {
      ++scans;
    }
  }
  return scans;
}

class AdviseHeldoutSqlite : public ::testing::TestWithParam<std::string> {};

TEST_P(AdviseHeldoutSqlite, NoQueryScansWhereExpertsIndexesLetItSearchWithNoMoreIndexes) {
  const auto family = source_dir() / "samples/advisor-bench" / GetParam();
  auto dir = scratch_dir("advise_heldout_sqlite_" + GetParam());
  auto db = dir / "heldout.db";
  auto loaded = sqlite_script(db, family / "data.sql");
  ASSERT_EQ(loaded.exit_code, 0) << loaded.err;
  const auto kWorkload = statements(family / "workload.sql");
  ASSERT_GE(kWorkload.size(), 10u);

  auto advised = run_dbvet({"advise", "sqlite:" + db.string(), "-w", (family / "workload.sql").string(),
                            "--transactions", "20", "--format", "json"});
  ASSERT_EQ(advised.exit_code, 0) << advised.err;
  auto report = json::parse(advised.out);
  std::vector<std::string> dbvet_ddl;
  for (const auto& r : report["recommendations"]) {
    if (r["type"] == "index") dbvet_ddl.push_back(r["ddl"].get<std::string>() + ";");
  }

  std::vector<std::string> expert_ddl;
  std::set<std::string> seen;
  for (const auto& q : kWorkload) {
    auto result = run_program({"sqlite3", db.string(), ".expert", q + ";"});
    ASSERT_EQ(result.exit_code, 0) << q << "\n" << result.err;
    std::istringstream lines(result.out);
    std::string line;
    while (std::getline(lines, line)) {
      if (line.rfind("CREATE INDEX ", 0) == 0 && seen.insert(line).second) expert_ddl.push_back(line);
    }
  }
  std::string sets = "dbvet:\n";
  for (const auto& d : dbvet_ddl) sets += "  " + d + "\n";
  sets += ".expert:\n";
  for (const auto& d : expert_ddl) sets += "  " + d + "\n";
  ASSERT_FALSE(expert_ddl.empty());
  EXPECT_LE(dbvet_ddl.size(), expert_ddl.size()) << sets;

  auto apply = [&](const std::string& name, const std::vector<std::string>& ddl) {
    auto copy = dir / (name + ".db");
    fs::copy_file(db, copy, fs::copy_options::overwrite_existing);
    std::ofstream script(dir / (name + ".sql"));
    for (const auto& d : ddl) script << d << "\n";
    script << "ANALYZE;\n";
    script.close();
    auto applied = sqlite_script(copy, dir / (name + ".sql"));
    EXPECT_EQ(applied.exit_code, 0) << name << ": " << applied.err << "\n" << sets;
    return copy;
  };
  auto with_dbvet = apply("with_dbvet", dbvet_ddl);
  auto with_expert = apply("with_expert", expert_ddl);
  for (const auto& q : kWorkload) {
    EXPECT_LE(full_scans(with_dbvet, q), full_scans(with_expert, q)) << q << "\n" << sets;
  }
  fs::remove_all(dir);
}

INSTANTIATE_TEST_SUITE_P(Families, AdviseHeldoutSqlite, ::testing::Values("shop", "saas"));

}  // namespace
}  // namespace dbvet::testing
