// `dbvet digest` end to end: the binary on a slow log, in every output format.

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include "nlohmann/json.hpp"
#include "tests/support/browser.hpp"
#include "tests/support/test_env.hpp"

namespace dbvet {
namespace {

std::filesystem::path write_log(const std::filesystem::path& dir) {
  auto path = dir / "slow.log";
  std::ofstream out(path);
  out << "/usr/sbin/mariadbd, Version: 10.11.6-MariaDB-log (Debian 12). started with:\n"
         "Tcp port: 3306  Unix socket: /run/mysqld/mysqld.sock\n"
         "Time\t\t    Id Command\tArgument\n";
  for (int i = 0; i < 3000; ++i) {
    out << "# Time: 241124 10:00:" << (10 + i % 50) << "\n# User@Host: app[app] @ localhost [127.0.0.1]\n"
        << "# Thread_id: 7  Schema: pets  QC_hit: No\n"
        << "# Query_time: 0." << (i % 3 == 0 ? "2" : "00") << (100 + i % 800)
        << "  Lock_time: 0.000010  Rows_sent: 1  Rows_examined: " << i << "\n"
        << "SET timestamp=" << 1732442400 + i << ";\n";
    if (i % 3 == 0) {
      out << "SELECT * FROM pets WHERE owner_id = " << i << ";\n";
    } else {
      out << "UPDATE pet_stats SET hunger = " << i << " WHERE pet_id IN (" << i << ", " << i + 1 << ");\n";
    }
  }
  out << "# Time: 241124 10:00:59\n# Query_time: not-a-number  Lock_time: 0\nSELECT broken;\n";
  return path;
}

// A slow log and a PostgreSQL log of `records` executions of the same few statements, with other
// literal values, users and times each time.
std::filesystem::path write_big_log(const std::filesystem::path& dir, bool postgres, int records) {
  auto path = dir / (std::string(postgres ? "pg-" : "slow-") + std::to_string(records) + ".log");
  std::ofstream out(path);
  for (int i = 0; i < records; ++i) {
    const int shape = i % 4;
    std::string sql = shape == 0   ? "SELECT * FROM pets WHERE owner_id = " + std::to_string(i)
                      : shape == 1 ? "UPDATE pet_stats SET hunger = " + std::to_string(i % 100) + " WHERE pet_id IN (" +
                                         std::to_string(i) + ", " + std::to_string(i + 7) + ")"
                      : shape == 2 ? "INSERT INTO feeding_events (pet_id, note) VALUES (" + std::to_string(i) +
                                         ", 'snack " + std::to_string(i * 31) + "')"
                                   : "SELECT name FROM users WHERE email = 'u" + std::to_string(i) + "@example.com'";
    if (postgres) {
      out << "2024-11-24 10:" << (10 + i / 60000 % 50) << ":" << (10 + i / 1000 % 50) << " UTC [" << 4000 + i % 8
          << "]: [" << i + 1 << "-1] user=app" << i % 3 << ",db=pets,app=game,client=127.0.0.1 LOG:  duration: 0."
          << 100 + i % 900 << " ms  statement: " << sql << "\n";
    } else {
      out << "# User@Host: app" << i % 3 << "[app] @ localhost [127.0.0.1]\n"
          << "# Thread_id: " << i % 8 << "  Schema: pets  QC_hit: No\n"
          << "# Query_time: 0.000" << 100 + i % 900 << "  Lock_time: 0.000010  Rows_sent: 1  Rows_examined: " << i % 50
          << "\n"
          << "SET timestamp=" << 1732442400 + i / 100 << ";\n"
          << sql << ";\n";
    }
  }
  return path;
}

// Peak resident memory (KiB) of a digest of one file, read by /usr/bin/time.
long peak_kib(const std::filesystem::path& dir, const std::filesystem::path& log) {
  const auto report = dir / "time.txt";
  const char* bin = std::getenv("DBVET_BIN");
  auto run = testing::run_program({"/usr/bin/time", "-f", "%M", "-o", report.string(), bin ? bin : "dbvet", "digest",
                                   "-j", "1", "--format", "json", "--no-progress", log.string()});
  EXPECT_EQ(run.exit_code, 0) << run.err;
  return std::stol(testing::read_file(report));
}

// Streaming: a log ten times longer, of the same classes, takes no more memory to digest.
TEST(DigestE2e, PeakMemoryDoesNotGrowWithTheLogOnlyWithTheClasses) {
  if (!std::filesystem::exists("/usr/bin/time")) GTEST_SKIP() << "/usr/bin/time (Debian package time) is absent";
  auto dir = testing::scratch_dir("digest_e2e_memory");
  for (bool postgres : {false, true}) {
    SCOPED_TRACE(postgres ? "postgres log" : "slow log");
    const auto small = write_big_log(dir, postgres, 20000);
    const auto large = write_big_log(dir, postgres, 200000);
    ASSERT_GT(std::filesystem::file_size(large), 9 * std::filesystem::file_size(small));
    const long small_kib = peak_kib(dir, small), large_kib = peak_kib(dir, large);
    // The same four classes either way: at most a few MiB of allocator noise between the runs.
    std::cerr << "peak RSS: small " << small_kib << " KiB, large " << large_kib << " KiB\n";
    EXPECT_LT(large_kib, small_kib + 4096) << "small " << small_kib << " KiB, large " << large_kib << " KiB";
    EXPECT_LT(large_kib * 1024, static_cast<long>(std::filesystem::file_size(large)))
        << "the large log must not be held in memory";
  }
  std::filesystem::remove_all(dir);
}

// Standard input is read once: the blocks read to recognise its format are read again by the
// digest, not lost (they were, before: the first 256 KiB to 1 MiB of a pipe went missing).
TEST(DigestE2e, StandardInputGivesTheSameDigestAsTheFile) {
  auto dir = testing::scratch_dir("digest_e2e_stdin");
  const char* bin = std::getenv("DBVET_BIN");
  const std::string dbvet = bin ? bin : "dbvet";
  for (bool postgres : {false, true}) {
    SCOPED_TRACE(postgres ? "postgres log" : "slow log");
    const auto log = write_big_log(dir, postgres, 20000);
    ASSERT_GT(std::filesystem::file_size(log), 2u << 20);  // more than the line source's first reads
    auto from_file = testing::run_dbvet({"digest", "--format", "json", "--no-progress", log.string()});
    ASSERT_EQ(from_file.exit_code, 0) << from_file.err;
    const auto expected = nlohmann::json::parse(from_file.out);
    for (const std::string feed : {"cat ", "gzip -c "}) {
      SCOPED_TRACE(feed);
      auto piped = testing::run_program(
          {"bash", "-c", feed + "'" + log.string() + "' | '" + dbvet + "' digest --format json --no-progress -"});
      ASSERT_EQ(piped.exit_code, 0) << piped.err;
      const auto got = nlohmann::json::parse(piped.out);
      EXPECT_EQ(got["input"]["events"], expected["input"]["events"]);
      EXPECT_EQ(got["input"]["events"], 20000);
      EXPECT_EQ(got["input"]["bytes"], expected["input"]["bytes"]);
      auto without_file = [](nlohmann::json classes) {  // the example's file is "-" or the path
        for (auto& c : classes) c["example"].erase("file");
        return classes.dump();
      };
      EXPECT_EQ(without_file(got["classes"]), without_file(expected["classes"]));
    }
  }
  std::filesystem::remove_all(dir);
}

// A compressed log cut short: the digest of everything before the cut, the error (file and byte
// offset) on standard error and in the JSON, and exit code 3.
TEST(DigestE2e, TruncatedCompressedLogDigestsWhatCameBeforeAndFails) {
  auto dir = testing::scratch_dir("digest_e2e_truncated");
  const auto log = write_big_log(dir, false, 20000);
  const auto gz = dir / "slow.log.gz";
  auto zipped =
      testing::run_program({"bash", "-c", "gzip -c '" + log.string() + "' | head -c 30000 > '" + gz.string() + "'"});
  ASSERT_EQ(zipped.exit_code, 0) << zipped.err;
  auto run = testing::run_dbvet({"digest", "--format", "json", "--no-progress", gz.string()});
  EXPECT_EQ(run.exit_code, 3);
  EXPECT_NE(run.err.find(gz.string() + ": truncated gzip stream at byte offset"), std::string::npos) << run.err;
  auto doc = nlohmann::json::parse(run.out);
  EXPECT_GT(doc["input"]["events"].get<int>(), 100);
  EXPECT_LT(doc["input"]["events"].get<int>(), 20000);
  ASSERT_EQ(doc["input"]["errors"].size(), 1u);
  EXPECT_NE(doc["input"]["errors"][0].get<std::string>().find("truncated gzip"), std::string::npos);
  std::filesystem::remove_all(dir);
}

// A statement with bytes that are not UTF-8 (a log holds whatever the client sent): the JSON
// still comes out, valid, with U+FFFD in their place (it used to be an internal error, exit 3).
TEST(DigestE2e, StatementsThatAreNotUtf8GiveValidJson) {
  auto dir = testing::scratch_dir("digest_e2e_not_utf8");
  const auto log = dir / "slow.log";
  {
    std::ofstream out(log, std::ios::binary);
    out << "# Time: 071015 21:43:52\n# User@Host: a[a] @ h [1]\n"
           "# Query_time: 1  Lock_time: 0  Rows_sent: 0  Rows_examined: 0\n"
           "select \xff\xfe from t where name = 'caf\xe9';\n";
  }
  for (const char* mode : {"pt", "canonical"}) {
    SCOPED_TRACE(mode);
    auto run = testing::run_dbvet({"digest", "--format", "json", "--fingerprint", mode, "--no-progress", log.string()});
    EXPECT_EQ(run.exit_code, 0) << run.err;
    auto doc = nlohmann::json::parse(run.out);
    ASSERT_EQ(doc["classes"].size(), 1u);
    const auto example = doc["classes"][0]["example"].dump();
    EXPECT_NE(example.find("\xef\xbf\xbd"), std::string::npos) << example;  // U+FFFD
  }
  std::filesystem::remove_all(dir);
}

TEST(DigestE2e, JsonContractAndIdenticalAcrossJobs) {
  auto dir = testing::scratch_dir("digest_e2e_json");
  auto log = write_log(dir).string();
  auto one = testing::run_dbvet({"digest", "--format", "json", "--no-progress", log});
  ASSERT_EQ(one.exit_code, 0) << one.err;
  auto doc = nlohmann::json::parse(one.out);
  EXPECT_EQ(doc["kind"], "digest");
  EXPECT_TRUE(doc.contains("dbvet_version"));
  EXPECT_EQ(doc["input"]["format"], "mysql-slowlog");
  EXPECT_EQ(doc["input"]["events"], 3000);
  EXPECT_EQ(doc["input"]["skipped"], 1);
  EXPECT_EQ(doc["input"]["errors"], nlohmann::json::array());
  ASSERT_EQ(doc["classes"].size(), 2u);
  const auto& top = doc["classes"][0];
  EXPECT_EQ(top["fingerprint"], "select * from pets where owner_id = ?");
  EXPECT_EQ(top["count"], 1000);
  for (const char* key : {"sum", "min", "max", "avg", "p50", "p95", "p99", "stddev"}) {
    EXPECT_TRUE(top["query_time"][key].is_number()) << key;
  }
  EXPECT_EQ(top["databases"], nlohmann::json::array({"pets"}));
  EXPECT_EQ(top["users"], nlohmann::json::array({"app"}));
  EXPECT_EQ(top["first_seen"], "2024-11-24T10:00:00Z");
  EXPECT_EQ(doc["classes"][1]["fingerprint"], "update pet_stats set hunger = ? where pet_id in (?+)");

  auto two = testing::run_dbvet({"digest", "--format", "json", "-j", "2", "--no-progress", log});
  ASSERT_EQ(two.exit_code, 0) << two.err;
  EXPECT_EQ(one.out, two.out);
  std::filesystem::remove_all(dir);
}

// The HTML digest of a log spanning 50 minutes: the log's calls and time over its span, the time
// of its costliest classes, and one chart per class, drawn in a real browser; -j 2 gives the same
// page. JSON carries the windows only with --class-trends.
TEST(DigestE2e, HtmlDrawsEveryClassOverTheLogsTime) {
  auto dir = testing::scratch_dir("digest_e2e_html");
  auto log = write_log(dir).string();
  auto json = testing::run_dbvet({"digest", "--format", "json", "--no-progress", "--class-trends", log});
  ASSERT_EQ(json.exit_code, 0) << json.err;
  auto doc = nlohmann::json::parse(json.out);
  const auto& trend = doc["classes"][0]["time_buckets"];
  EXPECT_EQ(trend["width"], 60);  // 1000 calls, one every 3 s over 50 minutes: 50 one-minute windows
  EXPECT_EQ(trend["buckets"].size(), 50u);
  EXPECT_EQ(trend["buckets"][0]["count"], 20);
  EXPECT_EQ(doc["overall"]["time_buckets"]["buckets"].size(), 50u);
  auto plain = testing::run_dbvet({"digest", "--format", "json", "--no-progress", log});
  EXPECT_EQ(plain.out.find("time_buckets"), std::string::npos);

  auto html = dir / "digest.html";
  auto page = testing::run_dbvet({"digest", "--format", "html", "--no-progress", "-j", "1", "-o", html.string(), log});
  ASSERT_EQ(page.exit_code, 0) << page.err;
  const std::string text = testing::read_file(html);
  EXPECT_NE(text.find("\"time_buckets\":{\"buckets\":[{\"count\":20,\"start\":\"2024-11-24T10:00:00Z\""),
            std::string::npos);
  auto split = testing::run_dbvet({"digest", "--format", "html", "--no-progress", "-j", "2", log});
  EXPECT_EQ(split.out, text);
  if (!testing::have_chromium()) GTEST_SKIP() << "chromium is not installed (scripts/bootstrap)";
  auto rendered = testing::load_in_chromium(html, dir / "profile");
  // The log over time, its time by class, and the two classes' own charts.
  testing::expect_clean_render(rendered, 4);
  EXPECT_EQ(rendered.charts_expected, 4);
  EXPECT_NE(rendered.dom.find("Calls and query time over the log, per minute"), std::string::npos);
  EXPECT_NE(rendered.dom.find("class=\"spark\""), std::string::npos);
  std::filesystem::remove_all(dir);
}

TEST(DigestE2e, TextMarkdownPtModeAndVerbose) {
  auto dir = testing::scratch_dir("digest_e2e_text");
  auto log = write_log(dir).string();
  auto text = testing::run_dbvet({"digest", "--fingerprint", "pt", "--verbose", "--no-progress", log});
  ASSERT_EQ(text.exit_code, 0) << text.err;
  EXPECT_NE(text.out.find("# Profile"), std::string::npos);
  EXPECT_NE(text.out.find("# Query 1:"), std::string::npos);
  EXPECT_NE(text.out.find("select * from pets where owner_id = ?"), std::string::npos);
  EXPECT_NE(text.err.find("skipped"), std::string::npos);
  EXPECT_NE(text.err.find("byte "), std::string::npos);
  auto md = testing::run_dbvet({"digest", "--format", "md", "--top", "1", log});
  ASSERT_EQ(md.exit_code, 0) << md.err;
  EXPECT_NE(md.out.find("| Rank | Query ID |"), std::string::npos);
  EXPECT_EQ(md.out.find("update pet_stats"), std::string::npos);  // --top 1
  std::filesystem::remove_all(dir);
}

// A stderr log whose log_line_prefix is none of the common ones: user and database come first, the
// timestamp after them, so only the prefix given with --log-prefix tells the fields apart.
TEST(DigestE2e, LogPrefixReachesThePostgresReader) {
  auto dir = testing::scratch_dir("digest_e2e_log_prefix");
  auto path = dir / "postgresql.log";
  {
    std::ofstream out(path);
    for (int i = 0; i < 40; ++i) {
      out << "@@alice:shop:" << 4000 + i % 3 << "@@ 2024-05-01 10:00:" << 10 + i
          << ".123 UTC LOG:  duration: " << 1 + i % 7 << ".500 ms  statement: SELECT v FROM items WHERE id = " << i
          << "\n";
      out << "@@bob:stock:" << 5000 + i % 3 << "@@ 2024-05-01 10:01:" << 10 + i
          << ".000 UTC LOG:  duration: 0.250 ms  statement: UPDATE stock SET n = n - 1\n\tWHERE sku = 'x" << i << "'\n";
    }
  }
  const std::string log = path.string();
  auto run = testing::run_dbvet(
      {"digest", "--format", "json", "--no-progress", "--top", "0", "--log-prefix", "@@%u:%d:%p@@ %m ", log});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  auto doc = nlohmann::json::parse(run.out);
  EXPECT_EQ(doc["input"]["format"], "postgres-stderr");
  EXPECT_EQ(doc["input"]["events"], 80);
  EXPECT_EQ(doc["input"]["skipped"], 0);
  ASSERT_EQ(doc["classes"].size(), 2u) << doc.dump(1);
  for (const auto& c : doc["classes"]) {
    const bool select = c["fingerprint"].get<std::string>().rfind("select", 0) == 0;
    EXPECT_EQ(c["count"], 40) << c["fingerprint"];
    EXPECT_EQ(c["users"], nlohmann::json::array({select ? "alice" : "bob"})) << c.dump();
    EXPECT_EQ(c["databases"], nlohmann::json::array({select ? "shop" : "stock"})) << c.dump();
    EXPECT_EQ(c["first_seen"], select ? "2024-05-01T10:00:10Z" : "2024-05-01T10:01:10Z");
  }

  auto bad = testing::run_dbvet({"digest", "--no-progress", "--log-prefix", "%m %Z ", log});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.err.find("--log-prefix"), std::string::npos) << bad.err;
  EXPECT_NE(bad.err.find("%Z"), std::string::npos) << bad.err;
  EXPECT_TRUE(bad.out.empty());
  std::filesystem::remove_all(dir);
}

// auto_explain's plans in a real PostgreSQL 15 log (tests/data/logs/auto_explain/): the plan rules'
// findings in JSON, text and the HTML page (under each plan and in the ranked Findings table, drawn
// in a real browser); the broken plan is a note, and the run still succeeds.
TEST(DigestE2e, AutoExplainPlansAreJudgedInEveryFormat) {
  const std::string log = (testing::source_dir() / "tests/data/logs/auto_explain/postgresql.log").string();
  const std::vector<std::string> args = {"digest", "--no-progress", "--log-prefix", "%m [%p] ", log};
  auto with = [&](std::vector<std::string> extra) {
    auto all = args;
    all.insert(all.end(), extra.begin(), extra.end());
    return testing::run_dbvet(all);
  };
  auto json = with({"--format", "json"});
  ASSERT_EQ(json.exit_code, 0) << json.err;
  auto doc = nlohmann::json::parse(json.out);
  ASSERT_EQ(doc["classes"].size(), 3u);
  EXPECT_EQ(doc["classes"][0]["plan_findings"].size(), 2u) << doc["classes"][0];
  EXPECT_EQ(doc["classes"][1]["plan_findings"][0]["rule"], "plan-full-scan-large-table");
  EXPECT_EQ(doc["notes"].size(), 1u);

  auto text = with({});
  ASSERT_EQ(text.exit_code, 0) << text.err;
  EXPECT_NE(text.out.find("#   warning plan-spilled-to-disk: "), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("# Notes\n# class " + doc["classes"][2]["id"].get<std::string>()), std::string::npos);
  auto md = with({"--format", "md"});
  ASSERT_EQ(md.exit_code, 0) << md.err;
  EXPECT_NE(md.out.find("- **warning** plan-full-scan-large-table: "), std::string::npos) << md.out;

  auto dir = testing::scratch_dir("digest_e2e_auto_explain");
  auto html = dir / "digest.html";
  auto page = with({"--format", "html", "-o", html.string()});
  ASSERT_EQ(page.exit_code, 0) << page.err;
  if (!testing::have_chromium()) GTEST_SKIP() << "chromium is not installed (scripts/bootstrap)";
  auto rendered = testing::load_in_chromium(html, dir / "profile");
  testing::expect_clean_render(rendered, 2);
  EXPECT_NE(rendered.dom.find("plan, 2 findings"), std::string::npos);
  EXPECT_NE(rendered.dom.find("digest (auto_explain plan)"), std::string::npos);
  EXPECT_NE(rendered.dom.find("not analyzed: malformed PostgreSQL EXPLAIN text at line 4"), std::string::npos);
  std::filesystem::remove_all(dir);
}

TEST(DigestE2e, ErrorsAreOneLineWithTheContractExitCodes) {
  auto missing = testing::run_dbvet({"digest", "/nonexistent/slow.log"});
  EXPECT_EQ(missing.exit_code, 3);
  EXPECT_NE(missing.err.find("/nonexistent/slow.log"), std::string::npos);
  auto bad_mode = testing::run_dbvet({"digest", "--fingerprint", "md5", "x.log"});
  EXPECT_EQ(bad_mode.exit_code, 2);
  auto bad_order = testing::run_dbvet({"digest", "--order-by", "name", "x.log"});
  EXPECT_EQ(bad_order.exit_code, 2);
}

}  // namespace
}  // namespace dbvet
