// Golden outputs: every command kind in every format it accepts, over the SQLite sample and fixed
// input files, compared byte for byte with tests/golden/<command>.<format>. They pin what a user
// reads, so that moving the renderers around cannot change it unnoticed (DuckDB's golden files).
// What varies from run to run (timings, the scratch directory, clock times) is masked first.
//
// DBVET_UPDATE_GOLDENS=1 rewrites the golden files from the current binary instead of comparing;
// review the diff with git before committing it.
//
// Only SQLite and files: these tests need no server, so the binary can run them alone
// (`DBVET_BIN=build/dbvet DBVET_SOURCE_DIR=. build/tests/dbvet_e2e_tests --gtest_filter='Golden*'`).

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <regex>
#include <set>

#include "nlohmann/json.hpp"
#include "tests/support/test_env.hpp"

namespace dbvet::testing {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;

// Fields whose value is a clock reading or a duration of this run.
const std::set<std::string>& masked_keys() {
  static const std::set<std::string> keys{"started_at", "seconds", "timing_s", "duration_s"};
  return keys;
}

void mask_json(json& value) {
  if (value.is_object()) {
    // A metric sample measured in seconds ({"name": "dbvet_health_duration_seconds", "value": ...}).
    if (value.contains("name") && value["name"].is_string() && value.contains("value")) {
      const std::string name = value["name"];
      if (name.size() > 8 && name.compare(name.size() - 8, 8, "_seconds") == 0) value["value"] = "<masked>";
    }
    for (auto& [key, item] : value.items()) {
      if (masked_keys().count(key)) {
        item = "<masked>";
      } else {
        mask_json(item);
      }
    }
  } else if (value.is_array()) {
    for (auto& item : value) mask_json(item);
  }
}

std::string replace_all(std::string text, const std::string& from, const std::string& to) {
  if (from.empty()) return text;
  size_t pos = 0;
  while ((pos = text.find(from, pos)) != std::string::npos) {
    text.replace(pos, from.size(), to);
    pos += to.size();
  }
  return text;
}

// Timings and clock times in text, Markdown and Prometheus outputs.
std::string mask_text(std::string text) {
  static const std::vector<std::pair<std::regex, std::string>> patterns{
      {std::regex(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ)"), "<time>"},
      {std::regex(R"( in [0-9.]+ s\b)"), " in <s> s"},
      {std::regex(R"((_seconds\{[^}]*\}) \S+)"), "$1 <s>"},
      // audit's "timing: introspect 0.012 s, ..." line
      {std::regex(R"(\b[0-9]+\.[0-9]{3} s\b)"), "<s> s"},
  };
  for (const auto& [pattern, replacement] : patterns) text = std::regex_replace(text, pattern, replacement);
  return text;
}

// An HTML page embeds Chart.js and the report script (hundreds of kilobytes that are not dbvet's
// output): the golden keeps the head and the embedded result documents, pretty-printed.
std::string html_golden(const std::string& page) {
  const std::string open = "<script type=\"application/json\" id=\"dbvet-data\">";
  size_t start = page.find(open);
  if (start == std::string::npos) return "no dbvet-data element\n" + page.substr(0, 2000);
  size_t data_start = start + open.size();
  size_t end = page.find("</script>", data_start);
  if (end == std::string::npos) return "unterminated dbvet-data element\n";
  auto data = json::parse(page.substr(data_start, end - data_start));
  mask_json(data);
  bool ends_well = page.size() >= 16 && page.compare(page.size() - 16, 16, "</body>\n</html>\n") == 0;
  // The style sheet is the page's, not the result's.
  std::string head = page.substr(0, start);
  size_t style = head.find("<style>\n");
  size_t style_end = head.find("</style>");
  if (style != std::string::npos && style_end != std::string::npos && style_end > style)
    head.replace(style + 8, style_end - style - 8, "...\n");
  return head + open + "\n" + data.dump(1) + "\n</script>\n" +
         (ends_well ? "...</body>\n</html>\n" : "...(the page does not end with </html>)\n");
}

std::string canonical(const std::string& format, const std::string& output) {
  if (format == "json") {
    auto doc = json::parse(output, nullptr, false);
    if (doc.is_discarded()) return "not JSON:\n" + output;
    mask_json(doc);
    return doc.dump(2) + "\n";
  }
  if (format == "html") return html_golden(output);
  return mask_text(output);
}

bool updating() {
  const char* update = std::getenv("DBVET_UPDATE_GOLDENS");
  return update != nullptr && std::string(update) == "1";
}

// One SQLite sample database, a slow log over it, and two benchmark runs, shared by every case.
class Golden : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new fs::path(scratch_dir("golden"));
    auto gen = run_dbvet({"gen", "--sample", "virtualpet", "--scale", "0.02", "--seed", "42", "--replace",
                          "sqlite:" + (*dir_ / "vp.db").string()});
    ASSERT_EQ(gen.exit_code, 0) << gen.err;
    std::ofstream log(*dir_ / "slow.log");
    const std::vector<std::pair<double, std::string>> statements{
        {0.12,
         "SELECT event_id, item_id, amount, fed_at FROM feeding_events WHERE pet_id = 121 ORDER BY fed_at DESC "
         "LIMIT 20;"},
        {0.05, "SELECT user_id, pet_id, score FROM leaderboard_scores WHERE season = 4 ORDER BY score DESC LIMIT 100;"},
        {0.03,
         "SELECT user_id, username, status FROM users WHERE lower(email) = lower('harper.flores15@example.org');"},
        {0.01, "SELECT pet_id, name, color FROM pets WHERE name LIKE '%rex%';"},
        {0.02, "SELECT pet_id, name, color FROM pets WHERE name LIKE '%max%';"},
    };
    int second = 0;
    for (const auto& [seconds, sql] : statements) {
      log << "# Time: 2026-01-01T00:00:0" << second << ".000000Z\n"
          << "# User@Host: app[app] @ localhost []  Id:     1\n"
          << "# Query_time: " << seconds << "  Lock_time: 0.000010 Rows_sent: 1  Rows_examined: 600\n"
          << "SET timestamp=" << 1767225600 + second << ";\n"
          << sql << "\n";
      ++second;
    }
    log.close();
    // Two Google Benchmark runs: one benchmark clearly slower in head, one unchanged, and one whose
    // repetitions spread +-30% so that 8 of them can neither show nor rule out a 5% change.
    for (const auto& [name, factor] :
         std::vector<std::pair<std::string, double>>{{"base.json", 1.0}, {"head.json", 1.3}}) {
      json doc = {{"context", {{"date", "2026-01-01"}}}, {"benchmarks", json::array()}};
      for (const std::string benchmark : {"BM_Lookup", "BM_Scan", "BM_Noisy"}) {
        for (int i = 0; i < 8; ++i) {
          double time = benchmark == "BM_Noisy" ? 200 * (0.7 + 0.6 * ((i * 3) % 8) / 7.0)
                                                : (benchmark == "BM_Lookup" ? 100 * factor : 500) + i % 4;
          doc["benchmarks"].push_back({{"name", benchmark},
                                       {"run_name", benchmark},
                                       {"run_type", "iteration"},
                                       {"repetitions", 8},
                                       {"repetition_index", i},
                                       {"iterations", 1000},
                                       {"real_time", time},
                                       {"cpu_time", time},
                                       {"time_unit", "ns"}});
        }
      }
      std::ofstream(*dir_ / name) << doc.dump(2);
    }
  }

  static std::string db() { return "sqlite:" + (*dir_ / "vp.db").string(); }
  static std::string path(const std::string& name) { return (*dir_ / name).string(); }

  // Runs dbvet with `args` plus --format FORMAT and compares (or rewrites) tests/golden/NAME.FORMAT.
  static void check(const std::string& name, const std::string& format, std::vector<std::string> args,
                    int expected_exit = 0) {
    args.push_back("--format");
    args.push_back(format);
    auto result = run_dbvet(args);
    ASSERT_EQ(result.exit_code, expected_exit) << name << "." << format << ": " << result.err;
    std::string actual = canonical(format, replace_all(result.out, dir_->string(), "<dir>"));
    auto golden = source_dir() / "tests/golden" / (name + "." + format);
    if (updating()) {
      fs::create_directories(golden.parent_path());
      std::ofstream(golden, std::ios::binary) << actual;
      return;
    }
    ASSERT_TRUE(fs::exists(golden)) << golden << " is missing: run with DBVET_UPDATE_GOLDENS=1";
    EXPECT_EQ(read_file(golden), actual) << golden << " differs; DBVET_UPDATE_GOLDENS=1 rewrites it";
  }

  static fs::path* dir_;
};
fs::path* Golden::dir_ = nullptr;

TEST_F(Golden, Audit) {
  for (const std::string format : {"text", "json", "md", "html", "sarif", "junit", "github", "gitlab", "checklist"})
    check("audit", format, {"audit", db(), "--log", path("slow.log")});
}

TEST_F(Golden, Advise) {
  for (const std::string format : {"text", "json", "md", "html", "sarif", "github", "gitlab"})
    check("advise", format, {"advise", db(), "--log", path("slow.log")});
}

TEST_F(Golden, Digest) {
  for (const std::string format : {"text", "json", "md", "html"}) check("digest", format, {"digest", path("slow.log")});
}

TEST_F(Golden, Health) {
  for (const std::string format : {"text", "json", "md", "prom", "html", "sarif", "junit", "github", "gitlab"})
    check("health", format, {"health", db()});
}

TEST_F(Golden, Explain) {
  for (const std::string format : {"text", "json", "md"})
    check("explain", format, {"explain", db(), "SELECT pet_id, name FROM pets WHERE owner_id = 3 ORDER BY name"});
}

TEST_F(Golden, Compare) {
  for (const std::string format : {"text", "json", "md", "html"})
    check("compare", format, {"compare", path("base.json"), path("head.json")}, 1);
}

// Plan contracts: one that holds, one that breaks (a run-time sort), one not for SQLite.
TEST_F(Golden, Check) {
  std::ofstream(path("contracts.toml"))
      << "[[contract]]\nname = \"owner-pets\"\n"
      << "sql = \"SELECT pet_id, name FROM pets WHERE owner_id = 3 ORDER BY created_at\"\n"
      << "uses_index = \"idx_pets_owner_created\"\nno_sort_without_index = true\n"
      << "max_cost = 10\n\n"
      << "[[contract]]\nname = \"leaderboard\"\n"
      << "sql = \"SELECT user_id, score FROM leaderboard_scores WHERE season = 4 "
         "ORDER BY score DESC LIMIT 100\"\n"
      << "no_sort_without_index = true\nno_full_scan_above_rows = 100\n\n"
      << "[[contract]]\nname = \"wallet\"\nengines = [\"mariadb\"]\n"
      << "sql = \"SELECT 1\"\nmax_cost = 1\n";
  for (const std::string format : {"text", "json", "md", "junit", "sarif", "github", "gitlab"})
    check("check", format, {"check", db(), "--contracts", path("contracts.toml")}, 1);
}

TEST_F(Golden, RulesList) {
  for (const std::string format : {"text", "json", "md"}) check("rules-list", format, {"rules", "list"});
}

TEST_F(Golden, RulesShow) {
  for (const std::string format : {"text", "json", "md"})
    check("rules-show", format, {"rules", "show", "query-select-star"});
}

TEST_F(Golden, Sandbox) {
  for (const std::string format : {"text", "json"}) check("sandbox", format, {"sandbox", "list", db()});
}

TEST_F(Golden, Report) {
  auto audit = run_dbvet({"audit", db(), "--log", path("slow.log"), "--format", "json", "-o", path("audit.json")});
  ASSERT_EQ(audit.exit_code, 0) << audit.err;
  check("report", "html", {"report", path("audit.json"), "--title", "golden"});
}

// The choices come from the renderer table, in --help as in the error.
TEST_F(Golden, HelpListsTheFormats) {
  auto digest = run_dbvet({"digest", "--help"});
  EXPECT_EQ(digest.exit_code, 0);
  EXPECT_NE(digest.out.find("Formats (--format): text, json, md, html"), std::string::npos) << digest.out;
  auto health = run_dbvet({"health", "--help"});
  EXPECT_NE(health.out.find("Formats (--format): text, json, md, prom, html, sarif, junit, github, gitlab"),
            std::string::npos)
      << health.out;
  auto check = run_dbvet({"check", "--help"});
  EXPECT_NE(check.out.find("Formats (--format): text, json, md, junit, sarif, github, gitlab"), std::string::npos)
      << check.out;
  auto audit = run_dbvet({"audit", "--help"});
  EXPECT_NE(audit.out.find("Formats (--format): text, json, md, html, sarif, junit, github, gitlab, checklist"),
            std::string::npos)
      << audit.out;
}

TEST_F(Golden, UnknownFormatListsTheChoices) {
  auto result = run_dbvet({"digest", path("slow.log"), "--format", "xml"});
  EXPECT_EQ(result.exit_code, 2);
  auto golden = source_dir() / "tests/golden/digest.unknown-format.stderr";
  if (updating()) {
    std::ofstream(golden, std::ios::binary) << result.err;
    return;
  }
  EXPECT_EQ(read_file(golden), result.err);
}

}  // namespace
}  // namespace dbvet::testing
