// Every DROP INDEX that `dbvet advise` recommends succeeds when followed, all of them together: on
// MariaDB the sample's indexes on foreign-key columns are the ones InnoDB needs (error 1553 before),
// and they are withdrawn with a note naming the foreign key.

#include <gtest/gtest.h>
#include <unistd.h>

#include "nlohmann/json.hpp"
#include "tests/integration/mysql_test_db.hpp"
#include "tests/support/audit_expectations.hpp"
#include "tests/support/test_env.hpp"

namespace dbvet::testing {
namespace {

using nlohmann::json;

TEST(AuditDrops, MariadbDropsAllSucceedWhenFollowedTogether) {
  MysqlTestDb database("e2e_audit_drops_" + std::to_string(static_cast<long>(getpid())));
  auto gen = run_dbvet({"gen", "--sample", "virtualpet", "--service", "payment-service", "--scale", "0.05", "--seed",
                        "42", "--no-progress", database.url()});
  ASSERT_EQ(gen.exit_code, 0) << gen.err;
  std::vector<std::string> args{"advise", database.url(), "--sandbox", "--format", "json", "--transactions", "60"};
  for (auto& a : sample_config_args()) args.push_back(a);
  for (auto& a : sample_workload_args({"payment-service"})) args.push_back(a);
  auto advised = run_dbvet(args);
  ASSERT_EQ(advised.exit_code, 0) << advised.err << advised.out;
  auto report = json::parse(advised.out);
  int drops = 0;
  for (const auto& r : report["recommendations"]) {
    if (r["type"] != "drop_index") continue;
    ++drops;
    auto ddl = r["ddl"].get<std::string>();
    auto done = database.writer().execute(ddl);
    EXPECT_TRUE(done) << ddl << ": " << (done ? "" : done.error().message);
  }
  EXPECT_GE(drops, 1) << report["recommendations"].dump();
  // The sample's foreign keys keep their only index, and the report says why.
  bool withdrawn_for_foreign_key = false;
  for (const auto& note : report["notes"]) {
    if (note.get<std::string>().find("only index serving foreign key") != std::string::npos) {
      withdrawn_for_foreign_key = true;
    }
  }
  EXPECT_TRUE(withdrawn_for_foreign_key) << report["notes"].dump();
}

}  // namespace
}  // namespace dbvet::testing
