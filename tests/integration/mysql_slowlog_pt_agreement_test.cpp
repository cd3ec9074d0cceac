// A real slow log from the test MariaDB (long_query_time=0 for one session), digested by
// pt-query-digest 3.2.1 and by dbvet in pt mode: every class must agree (fingerprint, checksum,
// count, Query_time sum), so the conformance holds on a machine without ../shared too.

#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>

#include "nlohmann/json.hpp"
#include "tests/support/test_env.hpp"

namespace dbvet {
namespace {

// A value from $DBVET_TESTENV_DIR/env ("export NAME='value'").
std::string testenv_value(const std::string& name) {
  if (const char* direct = std::getenv(name.c_str())) return direct;
  const char* dir = std::getenv("DBVET_TESTENV_DIR");
  if (!dir) return {};
  std::ifstream in(std::filesystem::path(dir) / "env");
  std::string line, prefix = "export " + name + "='";
  while (std::getline(in, line)) {
    if (line.rfind(prefix, 0) == 0 && line.size() > prefix.size()) {
      return line.substr(prefix.size(), line.size() - prefix.size() - 1);
    }
  }
  return {};
}

// The bytes a string of code points below 256 stands for (UTF-8 read as Latin-1 and encoded again
// gives such a string); any other string is returned as it is.
std::string bytes_of_latin1(const std::string& text) {
  std::string bytes;
  for (size_t i = 0; i < text.size(); ++i) {
    auto c = static_cast<unsigned char>(text[i]);
    if (c < 0x80) {
      bytes += static_cast<char>(c);
    } else if ((c == 0xC2 || c == 0xC3) && i + 1 < text.size()) {
      bytes += static_cast<char>(((c & 0x03) << 6) | (static_cast<unsigned char>(text[++i]) & 0x3F));
    } else {
      return text;
    }
  }
  return bytes;
}

TEST(MysqlSlowlogPtAgreement, RealMariaDbSlowLogDigestsLikePtQueryDigest) {
  if (!std::filesystem::exists("/usr/bin/pt-query-digest")) {
    GTEST_SKIP() << "percona-toolkit is not installed (scripts/bootstrap test installs it)";
  }
  std::string socket = testenv_value("DBVET_TEST_MYSQL_SOCKET");
  std::string slow_log = testenv_value("DBVET_TEST_MYSQL_SLOW_LOG");
  ASSERT_FALSE(socket.empty()) << "the test MariaDB is not up (DBVET_TEST_MYSQL_SOCKET)";
  ASSERT_FALSE(slow_log.empty());

  const std::string db = "digest_it_slowlog";
  std::string script =
      "SET SESSION long_query_time = 0;\n"
      "DROP DATABASE IF EXISTS " +
      db + ";\nCREATE DATABASE " + db + ";\nUSE " + db +
      ";\n"
      "CREATE TABLE pets (id INT PRIMARY KEY, owner_id INT, name VARCHAR(40), hunger INT);\n";
  for (int i = 0; i < 20; ++i) {
    script += "INSERT INTO pets VALUES (" + std::to_string(i * 2) + ", " + std::to_string(i % 5) + ", 'pet" +
              std::to_string(i) + "', 3), (" + std::to_string(i * 2 + 1) + ", 1, 'it''s', 4);\n";
  }
  for (int i = 0; i < 30; ++i) {
    script += "SELECT name FROM pets WHERE owner_id = " + std::to_string(i % 5) + " ORDER BY name ASC LIMIT 5;\n";
    script +=
        "SELECT *\n  FROM pets\n WHERE id IN (" + std::to_string(i) + ", " + std::to_string(i + 1) + ") /* list */;\n";
    script += "UPDATE pets SET hunger = hunger + 1 WHERE id = " + std::to_string(i) + ";\n";
  }
  script += "SELECT COUNT(*) FROM pets WHERE name LIKE '%et1%' -- a comment\n;\n";
  script += "DROP DATABASE " + db + ";\n";
  auto dir = testing::scratch_dir("mysql_slowlog_pt_agreement");
  { std::ofstream(dir / "workload.sql") << script; }
  auto client = testing::run_program(
      {"/bin/sh", "-c",
       "mariadb --no-defaults --socket='" + socket + "' -uroot < '" + (dir / "workload.sql").string() + "'"});
  ASSERT_EQ(client.exit_code, 0) << client.err;

  // Both tools read the same snapshot (other tests keep writing to the live log).
  auto snapshot = dir / "slow.log";
  std::filesystem::copy_file(slow_log, snapshot);
  ASSERT_NE(testing::read_file(snapshot).find("digest_it_slowlog"), std::string::npos);

  auto pt = testing::run_program(
      {"/usr/bin/pt-query-digest", "--no-version-check", "--output", "json", "--limit", "100000", snapshot.string()});
  ASSERT_EQ(pt.exit_code, 0) << pt.err;
  auto ours = testing::run_dbvet(
      {"digest", "--fingerprint", "pt", "--format", "json", "--top", "0", "--no-progress", snapshot.string()});
  ASSERT_EQ(ours.exit_code, 0) << ours.err;

  auto expected = nlohmann::json::parse(pt.out.substr(pt.out.find('{')));
  auto actual = nlohmann::json::parse(ours.out);
  std::map<std::string, nlohmann::json> by_id;
  for (const auto& c : actual["classes"]) by_id[c["id"].get<std::string>()] = c;
  ASSERT_GT(expected["classes"].size(), 5u);
  EXPECT_EQ(actual["classes"].size(), expected["classes"].size());
  bool saw_ours = false;
  for (const auto& e : expected["classes"]) {
    std::string id = e["checksum"].get<std::string>();
    SCOPED_TRACE(e["fingerprint"].get<std::string>());
    auto it = by_id.find(id);
    ASSERT_NE(it, by_id.end()) << "pt-query-digest class missing from dbvet's digest: " << id;
    // pt-query-digest's JSON encodes each byte of a UTF-8 name as its own character (ids agree:
    // they are taken over the bytes); other tests' Unicode table names reach the shared slow log.
    EXPECT_EQ(it->second["fingerprint"].get<std::string>(), bytes_of_latin1(e["fingerprint"].get<std::string>()));
    EXPECT_EQ(it->second["count"].get<uint64_t>(), e["query_count"].get<uint64_t>());
    double pt_sum = std::stod(e["metrics"]["Query_time"]["sum"].get<std::string>());
    EXPECT_NEAR(it->second["query_time"]["sum"].get<double>(), pt_sum, 1e-6);
    saw_ours = saw_ours || e["fingerprint"].get<std::string>().rfind("select * from pets where id in(?+)", 0) == 0;
  }
  EXPECT_TRUE(saw_ours);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace dbvet
