// `dbvet audit --verify` on PostgreSQL: the advice is followed on a TEMPLATE copy, each
// recommendation reported (DDL, use, medians), and the copy audited again: clean.

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "nlohmann/json.hpp"
#include "tests/integration/postgres_test_database.hpp"
#include "tests/support/test_env.hpp"

namespace dbvet::testing {
namespace {

TEST(AuditVerifyPostgres, ReportsEachRecommendationAndACleanReaudit) {
  PostgresTestDatabase database("dbvet_e2e_verify_" + std::to_string(static_cast<long>(getpid())));
  database.run("CREATE EXTENSION hypopg");
  database.run(
      "CREATE TABLE t (id int PRIMARY KEY, k int NOT NULL, v text NOT NULL);"
      "INSERT INTO t SELECT i, i % 2000, 'value-' || i FROM generate_series(1, 20000) i;"
      "ANALYZE t;");
  auto workload = scratch_dir("audit_verify_pg") / "lookup.sql";
  std::ofstream(workload) << "\\set k random(1, 2000)\nSELECT v FROM t WHERE k = :k;\n";
  auto run = run_dbvet({"audit", database.url(), "--workload", workload.string(), "--transactions", "20", "--verify",
                        "--format", "json"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  auto report = nlohmann::json::parse(run.out);
  ASSERT_TRUE(report.contains("verify")) << report.dump();
  const auto& verify = report["verify"];
  ASSERT_EQ(verify["recommendations"].size(), 1u) << verify.dump();
  const auto& applied = verify["recommendations"][0];
  EXPECT_EQ(applied["type"], "index");
  EXPECT_TRUE(applied["ddl_succeeded"].get<bool>());
  EXPECT_TRUE(applied["used"].get<bool>());
  EXPECT_TRUE(applied["kept"].get<bool>()) << applied.dump();
  ASSERT_TRUE(verify["reaudit"].is_object()) << verify.dump();
  EXPECT_TRUE(verify["reaudit"]["clean"].get<bool>()) << verify["reaudit"].dump();
}

}  // namespace
}  // namespace dbvet::testing
