// dbvet health and dbvet report through the binary: a config with a target that is down, the
// gates, Prometheus output checked by promtool, a push to a real Pushgateway read back over HTTP,
// and the HTML dashboard of two runs loaded in headless Chromium.
#include <curl/curl.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sqlite3.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <regex>
#include <thread>

#include "nlohmann/json.hpp"
#include "tests/integration/health_test_helpers.hpp"
#include "tests/support/browser.hpp"
#include "tests/support/test_env.hpp"

extern char** environ;

namespace dbvet {
namespace {

using testing::exec_sqlite;
using testing::free_port;

namespace fs = std::filesystem;

std::string make_sqlite(const fs::path& dir, int pets) {
  auto path = (dir / "pets.db").string();
  exec_sqlite(path,
              "CREATE TABLE IF NOT EXISTS owners (id INTEGER PRIMARY KEY, email TEXT);"
              "CREATE TABLE IF NOT EXISTS pets (id INTEGER PRIMARY KEY, owner_id INTEGER REFERENCES owners(id),"
              " name TEXT);"
              "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < " +
                  std::to_string(pets) + ") INSERT INTO pets (owner_id, name) SELECT i % 10, 'pet ' || i FROM n;");
  return path;
}

size_t collect(char* data, size_t size, size_t count, void* user) {
  static_cast<std::string*>(user)->append(data, size * count);
  return size * count;
}

// GET url; returns the HTTP status (0 when nothing answered) and fills body.
long http_get(const std::string& url, std::string& body) {
  CURL* curl = curl_easy_init();
  body.clear();
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, collect);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &body);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, 2000L);
  long status = 0;
  if (curl_easy_perform(curl) == CURLE_OK) curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
  curl_easy_cleanup(curl);
  return status;
}

TEST(HealthCli, DownTargetGatesAndPrometheus) {
  auto dir = testing::scratch_dir("health_cli_down");
  auto db = make_sqlite(dir, 100);
  auto config = dir / "dbvet.toml";
  std::ofstream(config) << "# the product's databases\n[targets]\n"
                           "pets = \"sqlite:"
                        << db
                        << "\"\n"
                           "payments = \"mysql://app:s3cretpw@127.0.0.1:1/payments\"\n"
                           "[thresholds]\n\"sqlite.free_ratio\" = 0.5\n";

  auto json_run =
      testing::run_dbvet({"health", "--config", config.string(), "--format", "json", "--connect-timeout", "2"});
  EXPECT_EQ(json_run.exit_code, 3) << json_run.err;  // a target down, no gate
  EXPECT_EQ(json_run.out.find("s3cretpw"), std::string::npos);
  EXPECT_EQ(json_run.err.find("s3cretpw"), std::string::npos);
  auto doc = nlohmann::json::parse(json_run.out);
  EXPECT_EQ(doc["kind"], "health");
  ASSERT_EQ(doc["targets"].size(), 2u);
  EXPECT_EQ(doc["targets"][0]["name"], "pets");  // in the file's order
  EXPECT_TRUE(doc["targets"][0]["up"].get<bool>());
  EXPECT_EQ(doc["targets"][1]["name"], "payments");
  EXPECT_FALSE(doc["targets"][1]["up"].get<bool>());
  EXPECT_EQ(doc["targets"][1]["findings"][0]["check"], "target-down");
  EXPECT_EQ(doc["summary"]["down"], 1);

  auto gate =
      testing::run_dbvet({"health", "--config", config.string(), "--fail-on", "error", "--connect-timeout", "2"});
  EXPECT_EQ(gate.exit_code, 1) << gate.err;
  EXPECT_NE(gate.out.find("DOWN"), std::string::npos) << gate.out;
  auto clean_gate = testing::run_dbvet({"health", "sqlite:" + db, "--fail-on", "error"});
  EXPECT_EQ(clean_gate.exit_code, 0) << clean_gate.out << clean_gate.err;
  auto warning_gate = testing::run_dbvet({"health", "sqlite:" + db, "--fail-on", "warning"});
  EXPECT_EQ(warning_gate.exit_code, 1) << warning_gate.out;  // the unindexed foreign key

  auto prom = testing::run_dbvet({"health", "--config", config.string(), "--format", "prom", "--connect-timeout", "2"});
  EXPECT_NE(prom.out.find("dbvet_target_up{target=\"payments\",engine=\"mysql\"} 0"), std::string::npos) << prom.out;
  EXPECT_NE(prom.out.find("dbvet_target_up{target=\"pets\",engine=\"sqlite\"} 1"), std::string::npos) << prom.out;
  if (access("/usr/bin/promtool", X_OK) == 0) {
    auto file = dir / "dbvet.prom";
    std::ofstream(file) << prom.out;
    auto check = testing::run_program({"/bin/sh", "-c", "promtool check metrics < '" + file.string() + "'"});
    EXPECT_EQ(check.exit_code, 0) << check.out << check.err;
  }

  auto usage = testing::run_dbvet({"health", "sqlite:" + db, "--threshold", "pg.nonsense=1"});
  EXPECT_EQ(usage.exit_code, 2);
  std::ofstream(dir / "bad.toml") << "[targets]\npets = 12\n";
  auto bad = testing::run_dbvet({"health", "--config", (dir / "bad.toml").string()});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.err.find("bad.toml:2"), std::string::npos) << bad.err;
}

TEST(HealthCli, PushesToARealPushgateway) {
  if (access("/usr/bin/prometheus-pushgateway", X_OK) != 0) GTEST_SKIP() << "prometheus-pushgateway missing";
  auto dir = testing::scratch_dir("health_cli_push");
  auto db = make_sqlite(dir, 100);
  int port = free_port();
  std::string listen = "--web.listen-address=127.0.0.1:" + std::to_string(port);
  std::vector<std::string> args = {"prometheus-pushgateway", listen};
  std::vector<char*> argv;
  for (auto& arg : args) argv.push_back(arg.data());
  argv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 2, (dir / "pushgateway.log").c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  pid_t pid = 0;
  ASSERT_EQ(posix_spawnp(&pid, argv[0], &actions, nullptr, argv.data(), environ), 0);
  posix_spawn_file_actions_destroy(&actions);
  std::string base = "http://127.0.0.1:" + std::to_string(port);
  std::string body;
  for (int i = 0; i < 100 && http_get(base + "/-/ready", body) != 200; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }

  auto run = testing::run_dbvet({"health", "--config", "/dev/null", "--format", "prom"});  // usage: empty config
  EXPECT_EQ(run.exit_code, 2);
  auto config = dir / "dbvet.toml";
  std::ofstream(config) << "[targets]\npet-service = \"sqlite:" << db << "\"\n[health]\npush = \"" << base << "\"\n";
  auto pushed = testing::run_dbvet({"health", "--config", config.string(), "--format", "json", "-o", "/dev/null"});
  EXPECT_EQ(pushed.exit_code, 0) << pushed.err;
  EXPECT_EQ(http_get(base + "/metrics", body), 200);
  EXPECT_NE(
      body.find("dbvet_target_up{engine=\"sqlite\",instance=\"pet-service\",job=\"dbvet\",target=\"pet-service\"} 1"),
      std::string::npos)
      << body.substr(0, 3000);
  EXPECT_NE(body.find("dbvet_check_findings{check=\"sqlite-unindexed-foreign-key\""), std::string::npos);

  auto refused = testing::run_dbvet({"health", "sqlite:" + db, "--push", "http://127.0.0.1:1", "-o", "/dev/null"});
  EXPECT_EQ(refused.exit_code, 3);
  EXPECT_NE(refused.err.find("Pushgateway"), std::string::npos) << refused.err;

  kill(pid, SIGTERM);
  waitpid(pid, nullptr, 0);
}

TEST(ReportCli, DashboardOfTwoRunsRendersInChromium) {
  auto dir = testing::scratch_dir("report_dashboard");
  auto db = make_sqlite(dir, 1000);
  auto history = (dir / "history.db").string();
  std::vector<std::string> targets = {"sqlite:" + db, testing::server_url("PG")};
  std::vector<std::string> first = {"health", "--history", history, "-o", "/dev/null"};
  first.insert(first.end(), targets.begin(), targets.end());
  auto run1 = testing::run_dbvet(first);
  ASSERT_NE(run1.exit_code, 3) << run1.err;
  make_sqlite(dir, 20000);                                       // the table grows between the runs
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));  // distinct started_at
  auto run2 = testing::run_dbvet(first);
  ASSERT_NE(run2.exit_code, 3) << run2.err;

  auto html = (dir / "dashboard.html").string();
  auto report = testing::run_dbvet({"report", "--history", history, "-o", html, "--title", "Virtual Pet health"});
  ASSERT_EQ(report.exit_code, 0) << report.err;
  auto page = testing::read_file(html);
  EXPECT_NE(page.find("Virtual Pet health"), std::string::npos);

  if (!testing::have_chromium()) GTEST_SKIP() << "chromium is not installed (scripts/bootstrap)";
  auto browser = testing::load_in_chromium(html, dir / "chromium-profile");
  testing::expect_clean_render(browser, 3);  // findings, cache hit ratio, table growth, top queries
  ASSERT_NO_FATAL_FAILURE(testing::screenshot(html, dir / "chromium-profile-shot", dir / "dashboard.png"));
  // docs/dashboard.png comes from the Virtual Pet sample instead: ReportHtml in report_html_test.cpp.
}

}  // namespace
}  // namespace dbvet
