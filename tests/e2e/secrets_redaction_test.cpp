// A `cache:redis://USER:PW@...` bench variant put PW into bench JSON, HTML, the history database and
// the report (issue 14). Now every format, the history and the messages show `***`.

#include <gtest/gtest.h>

#include <filesystem>

#include "tests/integration/bench_test_helpers.hpp"
#include "tests/support/sqlite_items.hpp"
#include "tests/support/test_env.hpp"

namespace dbvet::testing {
namespace {

namespace fs = std::filesystem;

TEST(Secrets, ARedisPasswordReachesNoOutputAndNoHistory) {
  std::string redis = server_url("REDIS");  // redis://127.0.0.1:PORT/0
  auto hostport = redis.substr(8, redis.rfind('/') - 8);
  auto colon = hostport.rfind(':');
  const std::string password = "s3cretPW4711";
  auto acl = run_program({"/usr/bin/redis-cli", "-h", hostport.substr(0, colon), "-p", hostport.substr(colon + 1),
                          "ACL", "SETUSER", "dbvet_e2e", "on", ">" + password, "~*", "+@all"});
  ASSERT_EQ(acl.exit_code, 0) << acl.err;
  ASSERT_EQ(acl.out.find("ERR"), std::string::npos) << acl.out;

  auto dir = scratch_dir("secret-redis");
  make_sqlite_items(dir / "pets.db", 5000);
  auto workload = write_file(dir / "lookup.sql", kLookup);
  std::string variant = "c=cache:redis://dbvet_e2e:" + password + "@" + hostport + "/0?ttl=60";
  auto history = dir / "history.db";
  std::string everything;
  for (const char* format : {"json", "html", "md", "text", "csv", "junit"}) {
    SCOPED_TRACE(format);
    std::vector<std::string> args{"sqlite:" + (dir / "pets.db").string(),
                                  "-w",
                                  workload.string(),
                                  "--variant",
                                  "baseline",
                                  "--variant",
                                  variant,
                                  "-t",
                                  "20",
                                  "--format",
                                  format};
    if (std::string(format) == "json") args.insert(args.end(), {"--history", history.string()});
    auto run = bench(args);
    ASSERT_EQ(run.exit_code, 0) << run.err;
    if (std::string(format) == "json") {
      EXPECT_NE(run.out.find("redis://dbvet_e2e:***@"), std::string::npos) << run.out;  // there, redacted
    }
    everything += run.out + run.err;
  }
  auto report = run_dbvet({"report", "--history", history.string(), "-o", (dir / "report.html").string()});
  ASSERT_EQ(report.exit_code, 0) << report.err;
  everything += read_file(dir / "report.html") + report.err;
  everything += read_file(history);
  auto bad = bench({"sqlite:" + (dir / "pets.db").string(), "-w", workload.string(), "--variant",
                    "c=cache:redis://dbvet_e2e:" + password + "@" + hostport + "/0?ttl=soon"});
  EXPECT_EQ(bad.exit_code, 2);
  everything += bad.out + bad.err;
  EXPECT_EQ(everything.find(password), std::string::npos);
  fs::remove_all(dir);
}

}  // namespace
}  // namespace dbvet::testing
