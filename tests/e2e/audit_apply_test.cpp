// `dbvet advise --apply` creates the recommended indexes on the target, and only then: on a copy of
// the SQLite sample, on a PostgreSQL database of this test's own (CREATE INDEX CONCURRENTLY, valid
// afterwards) and on MariaDB (online ALTER). The JSON lists each statement as applied; a second
// audit, with the indexes there, recommends none of them again.

#include <gtest/gtest.h>
#include <unistd.h>

#include <set>

#include "nlohmann/json.hpp"
#include "tests/integration/mysql_test_db.hpp"
#include "tests/integration/postgres_test_database.hpp"
#include "tests/support/audit_expectations.hpp"
#include "tests/support/test_env.hpp"

namespace dbvet::testing {
namespace {

using nlohmann::json;

// The index names of the report's index recommendations (CREATE [UNIQUE] INDEX [CONCURRENTLY] NAME ON).
std::set<std::string> recommended_index_names(const json& report) {
  std::set<std::string> out;
  for (const auto& r : report["recommendations"]) {
    if (r["type"] != "index") continue;
    auto ddl = r["ddl"].get<std::string>();
    auto on = ddl.find(" ON ");
    auto start = ddl.rfind(' ', on - 1);
    out.insert(ddl.substr(start + 1, on - start - 1));
  }
  return out;
}

void expect_all_applied(const json& report) {
  ASSERT_TRUE(report.contains("applied")) << report.dump();
  size_t indexes = 0;
  for (const auto& r : report["recommendations"]) indexes += r["type"] == "index" ? 1 : 0;
  EXPECT_EQ(report["applied"].size(), indexes);
  for (const auto& a : report["applied"]) {
    EXPECT_EQ(a["status"], "applied") << a.dump();
    EXPECT_TRUE(a["error"].is_null());
  }
}

TEST(AuditApply, SqliteCopyGetsTheIndexesAndTheNextAuditNeedsNone) {
  auto dir = scratch_dir("audit_apply_sqlite");
  auto db = (dir / "virtualpet.db").string();
  auto gen =
      run_dbvet({"gen", "--sample", "virtualpet", "--scale", "0.02", "--seed", "42", "--replace", "sqlite:" + db});
  ASSERT_EQ(gen.exit_code, 0) << gen.err;
  std::vector<std::string> args{"advise", "sqlite:" + db, "--scale", "0.02", "--format", "json"};
  for (auto& a : sample_config_args()) args.push_back(a);
  for (auto& a : sample_workload_args({"sqlite"})) args.push_back(a);

  auto plain = run_dbvet(args);
  ASSERT_EQ(plain.exit_code, 0) << plain.err;
  EXPECT_FALSE(json::parse(plain.out).contains("applied"));

  args.push_back("--apply");
  auto applied = run_dbvet(args);
  ASSERT_EQ(applied.exit_code, 0) << applied.err << applied.out;
  auto report = json::parse(applied.out);
  expect_all_applied(report);
  auto names = recommended_index_names(report);
  ASSERT_FALSE(names.empty());
  auto listed = run_program({"sqlite3", db, "SELECT name FROM sqlite_master WHERE type = 'index'"});
  for (const auto& name : names) EXPECT_NE(listed.out.find(name + "\n"), std::string::npos) << name;

  args.pop_back();
  auto again = run_dbvet(args);
  ASSERT_EQ(again.exit_code, 0) << again.err;
  for (const auto& name : recommended_index_names(json::parse(again.out))) {
    EXPECT_EQ(names.count(name), 0u) << name << " recommended again after it was applied";
  }

  // Text output says what was applied.
  args[5] = "text";  // --format
  args.push_back("--apply");
  auto text = run_dbvet(args);
  EXPECT_EQ(text.exit_code, 0) << text.err;
  EXPECT_NE(text.out.find("Applied ("), std::string::npos) << text.out;
}

// The pet service of the sample in `database` (with HypoPG), and the advise arguments for it.
void pet_service_on_postgres(const PostgresTestDatabase& database, std::vector<std::string>& args) {
  database.run("CREATE EXTENSION hypopg");
  auto gen = run_dbvet({"gen", "--sample", "virtualpet", "--service", "pet-service", "--scale", "0.02", "--seed", "42",
                        "--no-progress", database.url()});
  ASSERT_EQ(gen.exit_code, 0) << gen.err;
  args = {"advise", database.url(), "--scale", "0.02", "--format", "json", "--transactions", "60"};
  for (auto& a : sample_config_args()) args.push_back(a);
  for (auto& a : sample_workload_args({"pet-service"})) args.push_back(a);
}

TEST(AuditApply, PostgresCreatesValidIndexesConcurrently) {
  PostgresTestDatabase database("dbvet_e2e_audit_apply_" + std::to_string(static_cast<long>(getpid())));
  std::vector<std::string> args;
  ASSERT_NO_FATAL_FAILURE(pet_service_on_postgres(database, args));
  auto before = database.scalar("SELECT count(*) FROM pg_indexes WHERE indexname LIKE 'dbvet\\_%'");
  EXPECT_EQ(before, "0");

  args.push_back("--apply");
  auto applied = run_dbvet(args);
  ASSERT_EQ(applied.exit_code, 0) << applied.err << applied.out;
  auto report = json::parse(applied.out);
  expect_all_applied(report);
  for (const auto& a : report["applied"]) {
    EXPECT_NE(a["ddl"].get<std::string>().find("CREATE INDEX CONCURRENTLY "), std::string::npos) << a.dump();
  }
  auto names = recommended_index_names(report);
  ASSERT_FALSE(names.empty());
  for (const auto& name : names) {
    EXPECT_EQ(database.scalar("SELECT count(*) FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
                              "WHERE c.relname = '" +
                              name + "' AND i.indisvalid"),
              "1")
        << name;
  }
  // Idempotent: the same audit on the database with the indexes recommends no new index (among
  // them the partial one, which PostgreSQL's catalog prints as "(published_at IS NULL)").
  args.pop_back();
  auto again = run_dbvet(args);
  ASSERT_EQ(again.exit_code, 0) << again.err;
  auto again_names = recommended_index_names(json::parse(again.out));
  for (const auto& name : again_names)
    ADD_FAILURE() << name << " recommended after the audit's own indexes were applied";
}

// A statement that fails (its index name is taken by a table) is reported failed with the
// server's error, the others are still applied, the exit code is 3, and the table is untouched.
TEST(AuditApply, PostgresReportsAFailedStatementAndAppliesTheRest) {
  PostgresTestDatabase database("dbvet_e2e_audit_apply_fail_" + std::to_string(static_cast<long>(getpid())));
  std::vector<std::string> args;
  ASSERT_NO_FATAL_FAILURE(pet_service_on_postgres(database, args));
  auto plain = run_dbvet(args);
  ASSERT_EQ(plain.exit_code, 0) << plain.err;
  const auto advice = json::parse(plain.out);
  auto names = recommended_index_names(advice);
  ASSERT_GE(names.size(), 2u) << plain.out;
  // The name of the recommendation that gains most: a weaker one near the advisor's 20% cut-off may
  // not come back in the second run, whose slowest examples (picked by wall time) can differ.
  std::string taken;
  double best = -1;
  for (const auto& r : advice["recommendations"]) {
    if (r["type"] != "index" || !r["improvement"].is_number() || r["improvement"].get<double>() <= best) continue;
    best = r["improvement"].get<double>();
    json one;
    one["recommendations"].push_back(r);
    taken = *recommended_index_names(one).begin();
  }
  ASSERT_FALSE(taken.empty()) << plain.out;
  database.run("CREATE TABLE " + taken + " (x int); INSERT INTO " + taken + " VALUES (7)");

  args.push_back("--apply");
  auto applied = run_dbvet(args);
  EXPECT_EQ(applied.exit_code, 3) << applied.err;
  auto report = json::parse(applied.out);
  // Every index recommendation of this run was tried, the taken name among them.
  ASSERT_EQ(report["applied"].size(), recommended_index_names(report).size()) << report["applied"].dump();
  ASSERT_EQ(recommended_index_names(report).count(taken), 1u) << report["recommendations"].dump();
  for (const auto& a : report["applied"]) {
    bool is_taken = a["ddl"].get<std::string>().find(" " + taken + " ON ") != std::string::npos;
    EXPECT_EQ(a["status"], is_taken ? "failed" : "applied") << a.dump();
    if (is_taken) {
      EXPECT_NE(a["error"].get<std::string>().find("already exists"), std::string::npos) << a.dump();
    }
  }
  EXPECT_EQ(database.scalar("SELECT x FROM " + taken), "7");
  EXPECT_EQ(database.scalar("SELECT count(*) FROM pg_index WHERE NOT indisvalid"), "0");
}

TEST(AuditApply, MariadbAddsTheIndexesOnline) {
  MysqlTestDb database("e2e_audit_apply_" + std::to_string(static_cast<long>(getpid())));
  auto gen = run_dbvet({"gen", "--sample", "virtualpet", "--service", "payment-service", "--scale", "0.02", "--seed",
                        "42", "--no-progress", database.url()});
  ASSERT_EQ(gen.exit_code, 0) << gen.err;
  std::vector<std::string> args{"advise", database.url(), "--scale",        "0.02", "--format",
                                "json",   "--apply",      "--transactions", "60"};
  for (auto& a : sample_config_args()) args.push_back(a);
  for (auto& a : sample_workload_args({"payment-service"})) args.push_back(a);
  auto applied = run_dbvet(args);
  ASSERT_EQ(applied.exit_code, 0) << applied.err << applied.out;
  auto report = json::parse(applied.out);
  expect_all_applied(report);
  ASSERT_FALSE(report["applied"].empty());
  for (const auto& a : report["applied"]) {
    auto ddl = a["ddl"].get<std::string>();
    EXPECT_NE(ddl.find("ALGORITHM=INPLACE, LOCK=NONE"), std::string::npos) << ddl;
    auto name_start = ddl.find("ADD INDEX ") + 10;
    auto name = ddl.substr(name_start, ddl.find(' ', name_start) - name_start);
    auto found = database.writer().execute("SELECT count(*) FROM information_schema.statistics WHERE table_schema = '" +
                                           database.name() + "' AND index_name = '" + name + "'");
    ASSERT_TRUE(found) << found.error().message;
    EXPECT_NE(found->rows.at(0).at(0).value_or("0"), "0") << name;
  }
}

}  // namespace
}  // namespace dbvet::testing
