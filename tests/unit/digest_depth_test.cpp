// pt-query-digest's per-class depth in the digest (issue 18): every attribute of the attribute
// table (total, min, max, avg, 95%, stddev, median), the Boolean section, databases, hosts and
// users with counts, Tables and the EXPLAIN hint, equal to what pt-query-digest 3.2.1 printed for
// the conformance slow logs within pt's rounding (its integers are truncated, and its 95%, median
// and stddev come from buckets 5% wide, dbvet's 95% and median from 1% ones, its stddev exact).

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>

#include "analyzer/digest/digest.hpp"
#include "analyzer/pipeline/digest_report.hpp"
#include "analyzer/pipeline/digest_runner.hpp"
#include "analyzer/report/digest_render.hpp"
#include "nlohmann/json.hpp"
#include "tests/support/test_env.hpp"

namespace dbvet {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

json digest_json(const std::string& file) {
  pipeline::DigestOptions options;
  options.files = {file};
  options.mode = sql::FingerprintMode::pt;
  auto result = pipeline::run_digest(options);
  if (!result) return json::object();  // a log dbvet refuses (DigestIds and the conformance test say why)
  pipeline::ReportOptions report;
  report.top = 0;
  return pipeline::digest_to_json(*result, report);
}

double number(const json& j) { return j.is_string() ? std::stod(j.get<std::string>()) : j.get<double>(); }

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

// Compares one attribute of one class with pt's figures; `integer`: pt printed it truncated.
void expect_attribute(const std::string& name, const json& ours, const json& pt, bool integer) {
  SCOPED_TRACE(name);
  const double exact = integer ? 1.0 : 1.5e-6;  // pt's last printed digit
  EXPECT_NEAR(number(ours["total"]), number(pt["sum"]), exact);
  EXPECT_NEAR(number(ours["min"]), number(pt["min"]), exact);
  EXPECT_NEAR(number(ours["max"]), number(pt["max"]), exact);
  EXPECT_NEAR(number(ours["avg"]), number(pt["avg"]), exact);
  for (auto [key, pt_key] : {std::pair{"p95", "pct_95"}, std::pair{"median", "median"}}) {
    const double a = number(ours[key]), b = number(pt[pt_key]);
    EXPECT_NEAR(a, b, 0.06 * std::max(std::fabs(a), std::fabs(b)) + exact) << key;
  }
  const double a = number(ours["stddev"]), b = number(pt["stddev"]);
  EXPECT_NEAR(a, b, 0.25 * std::max(std::fabs(a), std::fabs(b)) + exact) << "stddev";
}

const std::map<std::string, bool> kTimes = {{"Query_time", true},
                                            {"Lock_time", true},
                                            {"InnoDB_IO_r_wait", true},
                                            {"InnoDB_rec_lock_wait", true},
                                            {"InnoDB_queue_wait", true}};

TEST(DigestDepth, AttributesBooleansAndTablesAreThoseOfPtQueryDigest) {
  auto shared = testing::shared_dir();
  if (!shared || !fs::exists(*shared / "conformance/mysql-slowlog")) {
    GTEST_SKIP() << "../shared/conformance/mysql-slowlog is absent";
  }
  int attributes = 0, flags = 0, tables = 0, extras = 0, subqueries = 0, killed = 0, errnos = 0;
  for (const auto& entry : fs::directory_iterator(*shared / "conformance/mysql-slowlog")) {
    const fs::path log = entry.path();
    fs::path expected_path = log;
    expected_path += ".expected.json";
    if (log.extension() == ".json" || !fs::exists(expected_path)) continue;
    const std::string text = testing::read_file(expected_path);
    if (text.find_first_not_of(" \n\t") == std::string::npos) continue;
    SCOPED_TRACE(log.filename().string());
    const json expected = json::parse(text);
    const json ours = digest_json(log.string());
    if (!ours.contains("classes")) continue;
    std::map<std::string, const json*> by_id;
    for (const auto& c : ours["classes"]) by_id[c["id"].get<std::string>()] = &c;
    for (const auto& pt : expected["classes"]) {
      auto found = by_id.find(pt["checksum"].get<std::string>());
      ASSERT_NE(found, by_id.end()) << pt["fingerprint"];
      const json& c = *found->second;
      SCOPED_TRACE(c["fingerprint"].get<std::string>());
      for (const auto& [name, m] : pt["metrics"].items()) {
        if (m.contains("sum")) {
          if (name == "Query_length" && number(m["sum"]) == 0) continue;  // pt empties "use db"'s text
          // pt counts no rows for "administrator command: Quit" (slow019): dbvet counts what is logged.
          if (name.starts_with("Rows") && c["fingerprint"].get<std::string>().starts_with("administrator command")) {
            continue;
          }
          ASSERT_TRUE(c["attributes"].contains(name)) << name;
          expect_attribute(name, c["attributes"][name], m, !kTimes.count(name));
          ++attributes;
          if (name.starts_with("InnoDB") || name == "Merge_passes" || name == "Rows_read") ++extras;
        } else if (m.contains("yes")) {
          // pt counts a Killed flag only when it reads "Yes"; Percona Server writes the kill's code
          // there, which pt never counts. slow044's two statements carry codes 2 and 4: killed.
          const bool killed_codes = name == "Killed" && log.filename() == "slow044.txt";
          const long long yes = killed_codes ? 2 : std::stoll(m["yes"].get<std::string>());
          if (killed_codes) {
            EXPECT_EQ(m["yes"], "0");  // pt's figure, which dbvet departs from
          }
          bool seen = false;
          for (const auto& [flag, share] : c["booleans"].items()) {
            if (lower(flag) != lower(name)) continue;
            seen = true;
            EXPECT_EQ(std::llround(share.get<double>() * c["count"].get<double>()), yes) << name;
          }
          EXPECT_TRUE(seen) << name;
          ++flags;
          if (name == "Killed") ++killed;
        } else if (name == "Last_errno") {
          // pt's string attribute: in its JSON the greatest value as text; dbvet counts each value.
          ASSERT_TRUE(c.contains("last_errno_counts")) << c;
          std::string greatest;
          uint64_t logged = 0;
          for (const auto& [value, n] : c["last_errno_counts"].items()) {
            greatest = std::max(greatest, value);
            logged += n.get<uint64_t>();
          }
          EXPECT_EQ(greatest, m["value"].get<std::string>());
          EXPECT_EQ(logged, c["count"].get<uint64_t>());
          ++errnos;
        } else if (name == "db" && !m["value"].get<std::string>().empty()) {
          EXPECT_TRUE(c["database_counts"].contains(m["value"].get<std::string>())) << c["database_counts"];
        }
      }
      // pt's Tables: SHOW CREATE TABLE `db`.`table` for each table of the example, for every
      // statement (INSERT without INTO, LOAD DATA, UPDATE with a join or a subquery, SHOW ... FROM
      // t, a SELECT from a derived table: its inner tables, slow004) but slow025, whose empty
      // "Schema:" pt reads as the next value ("1").
      const std::string fingerprint = c["fingerprint"].get<std::string>();
      if (fingerprint.find("(select") != std::string::npos) ++subqueries;
      if (pt.contains("tables") && log.filename() != "slow025.txt") {
        std::vector<std::string> names;
        for (const auto& t : pt["tables"]) {
          std::string create = t["create"].get<std::string>();
          create = create.substr(std::string("SHOW CREATE TABLE ").size());
          create = create.substr(0, create.size() - 2);  // \G
          create.erase(std::remove(create.begin(), create.end(), '`'), create.end());
          names.push_back(lower(create));
        }
        std::vector<std::string> got;
        for (const auto& t : c["tables"]) got.push_back(lower(t.get<std::string>()));
        EXPECT_EQ(got, names);
        ++tables;
      }
    }
  }
  EXPECT_GT(attributes, 100);
  EXPECT_GT(flags, 20);
  EXPECT_GT(extras, 10);
  EXPECT_GT(tables, 10);
  EXPECT_EQ(subqueries, 2);  // slow004's derived table, slow050's subquery in SET: compared above
  EXPECT_EQ(killed, 4);      // slow044, slow056 (2 classes), slow060
  EXPECT_EQ(errnos, 4);
}

// Databases, hosts and users carry their counts; a class's counts and new attributes merge.
TEST(DigestDepth, CountsAndFlagsMergeExactly) {
  digest::Digest a(sql::FingerprintMode::pt), b(sql::FingerprintMode::pt), whole(sql::FingerprintMode::pt);
  for (int i = 0; i < 5; ++i) {
    model::QueryEvent e;
    e.sql = "SELECT * FROM t WHERE id = " + std::to_string(i);
    e.query_time_s = 0.001 * (i + 1);
    e.database = i % 2 ? "one" : "two";
    e.host = "h";
    e.extra.values[static_cast<size_t>(model::ExtraNumber::tmp_tables)] = i;
    e.extra.numbers = 1u << static_cast<unsigned>(model::ExtraNumber::tmp_tables);
    e.extra.flags = 1u << static_cast<unsigned>(model::ExtraFlag::full_scan);
    e.extra.yes = i < 2 ? e.extra.flags : 0;
    (i < 3 ? a : b).add(e);
    whole.add(e);
  }
  a.merge(b);
  ASSERT_EQ(a.classes().size(), 1u);
  const digest::QueryClass& c = a.classes().begin()->second;
  EXPECT_EQ(c.databases.counts, (std::map<std::string, uint64_t, std::less<>>{{"one", 2}, {"two", 3}}));
  EXPECT_EQ(c.hosts.counts.at("h"), 5u);
  const auto tmp = static_cast<size_t>(model::ExtraNumber::tmp_tables);
  EXPECT_EQ(c.extra[tmp].metric.sum, 10);
  EXPECT_EQ(c.extra[tmp].metric.max, 4);
  const auto scan = static_cast<size_t>(model::ExtraFlag::full_scan);
  EXPECT_EQ(c.flag_seen[scan], 5u);
  EXPECT_EQ(c.flag_yes[scan], 2u);
  EXPECT_EQ(c.query_length.metric.count, 5u);
  pipeline::DigestResult merged, one;
  merged.digest = a;
  one.digest = whole;
  EXPECT_EQ(pipeline::digest_to_json(merged, {}).dump(), pipeline::digest_to_json(one, {}).dump());
}

// Percona Server's Rows_read, Killed and Last_errno: read from the general attribute lines, kept per
// class (a kill is any code but 0), carried through a state and its merge, and printed.
TEST(DigestDepth, RowsReadKilledAndLastErrnoOfPerconaServer) {
  const fs::path dir = testing::scratch_dir("digest-depth-percona");
  const fs::path log = dir / "percona-slow.log";
  std::string text;
  const std::pair<const char*, const char*> records[] = {
      {"0", "0"}, {"1146", "0"}, {"0", "1317"}, {"1146", "0"}, {"0", "0"}};
  int rows_read = 10;
  for (auto [last_errno, killed] : records) {
    text += std::string("# User@Host: app[app] @ localhost []\n# Thread_id: 7  Schema: shop  Last_errno: ") +
            last_errno + "  Killed: " + killed +
            "\n# Query_time: 0.001000  Lock_time: 0.000100  Rows_sent: 1  Rows_examined: 9  Rows_affected: 0  "
            "Rows_read: " +
            std::to_string(rows_read) + "\nSET timestamp=1700000000;\nSELECT * FROM items WHERE id = 3;\n";
    rows_read += 10;
  }
  { std::ofstream(log) << text; }
  const json ours = digest_json(log.string());
  ASSERT_EQ(ours["classes"].size(), 1u) << ours;
  const json& c = ours["classes"][0];
  EXPECT_EQ(c["attributes"]["Rows_read"]["total"], 150);  // 10 + 20 + 30 + 40 + 50
  EXPECT_EQ(c["attributes"]["Rows_read"]["min"], 10);
  EXPECT_EQ(c["attributes"]["Rows_read"]["max"], 50);
  EXPECT_DOUBLE_EQ(c["booleans"]["Killed"].get<double>(), 0.2);  // one code 1317 of five
  EXPECT_EQ(c["last_errno_counts"], (json{{"0", 3}, {"1146", 2}}));
  const std::string report = report::render_digest_text(ours);
  for (const char* expected :
       {"# Rows read", "# Killed        20% yes,  80% no", "# Last errno   0 (3/60%), 1146 (2/40%)"}) {
    EXPECT_NE(report.find(expected), std::string::npos) << expected << "\n" << report;
  }
  // A log without them has no last_errno_counts (the JSON of other servers' logs is unchanged).
  { std::ofstream(log) << "# Query_time: 0.001  Lock_time: 0  Rows_sent: 1  Rows_examined: 1\nSELECT 1;\n"; }
  const json plain = digest_json(log.string());
  ASSERT_EQ(plain["classes"].size(), 1u);
  EXPECT_FALSE(plain["classes"][0].contains("last_errno_counts"));
  EXPECT_FALSE(plain["classes"][0]["booleans"].contains("Killed"));
}

// The text report prints pt's attribute table, Boolean section, Tables and EXPLAIN hint.
TEST(DigestDepth, TextReportHasPtSections) {
  auto shared = testing::shared_dir();
  if (!shared || !fs::exists(*shared / "conformance/mysql-slowlog/slow034.txt")) {
    GTEST_SKIP() << "../shared/conformance/mysql-slowlog is absent";
  }
  const std::string text =
      report::render_digest_text(digest_json((*shared / "conformance/mysql-slowlog/slow034.txt").string()));
  for (const char* expected : {"# Attribute    pct   total", "# Rows examine", "# Query size", "# Merge passes",
                               "# Boolean:\n# Full scan    100% yes,   0% no", "# String:\n# Databases    db3",
                               "#    SHOW TABLE STATUS FROM `db3` LIKE 'foo'\\G",
                               "#    SHOW CREATE TABLE `db3`.`foo`\\G", "# EXPLAIN /*!50100 PARTITIONS*/\nSELECT"}) {
    EXPECT_NE(text.find(expected), std::string::npos) << expected << "\n" << text;
  }
}

}  // namespace
}  // namespace dbvet
