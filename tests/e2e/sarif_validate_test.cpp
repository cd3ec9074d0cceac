// SARIF from audit, advise and health passes the SARIF Multitool's `validate` (the SARIF SDK's
// schema and best-practice rules that code scanning follows). The Multitool comes from npm
// (@microsoft/sarif-multitool, installed by scripts/bootstrap test); a machine without it fails
// this test rather than skipping it, since `make test` installs it.
//
// `validate` exits 0 even when it reports errors: the test reads the SARIF log it writes (-o), and
// first checks on a broken file that errors do show up there.

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>

#include "nlohmann/json.hpp"
#include "tests/support/test_env.hpp"

namespace dbvet::testing {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;

std::string multitool() {
  const char* configured = std::getenv("DBVET_SARIF_MULTITOOL");
  return configured != nullptr && *configured != '\0' ? configured : "sarif-multitool";
}

// What `validate` says about `files`: one "RULE: location: message" line per error or warning.
std::vector<std::string> validate(const fs::path& dir, const std::vector<fs::path>& files) {
  fs::path report = dir / "validation.sarif";
  fs::remove(report);
  std::vector<std::string> argv{multitool(), "validate", "-o", report.string()};
  for (const auto& file : files) argv.push_back(file.string());
  auto run = run_program(argv);
  EXPECT_EQ(run.exit_code, 0) << run.out << run.err;
  if (!fs::exists(report)) {
    ADD_FAILURE() << multitool() << " wrote no " << report << " (exit " << run.exit_code << "): " << run.out << run.err
                  << "\nInstall it with scripts/bootstrap test (npm install -g @microsoft/sarif-multitool)";
    return {"no validation report"};
  }
  auto log = json::parse(read_file(report));
  std::vector<std::string> problems;
  for (const auto& result : log["runs"][0].value("results", json::array())) {
    std::string level = result.value("level", std::string("warning"));
    if (level != "error" && level != "warning") continue;
    std::string where = result.contains("locations") ? result["locations"].dump() : "";
    problems.push_back(result.value("ruleId", std::string()) + " " + level + ": " + where + ": " +
                       result["message"].dump());
  }
  return problems;
}

// The leading-wildcard query is on line 3.
void write_workload(const fs::path& path) {
  std::ofstream(path) << "-- pets by name\n\\set n random(1, 100)\n"
                      << "SELECT pet_id, name, color FROM pets WHERE name LIKE '%max%';\n"
                      << "SELECT user_id, pet_id, score FROM leaderboard_scores WHERE season = 4 ORDER BY score DESC "
                         "LIMIT 100;\n";
}

TEST(SarifValidate, MultitoolReportsABrokenFile) {
  auto dir = scratch_dir("sarif-broken");
  auto broken = dir / "broken.sarif";
  std::ofstream(broken) << R"({"version": "2.1.0", "runs": [{"tool": {"driver": {}},
                               "results": [{"level": "bogus"}]}]})";
  auto problems = validate(dir, {broken});
  EXPECT_GE(problems.size(), 2u) << "the Multitool should report the missing name and message";
}

TEST(SarifValidate, AuditAdviseAndHealthPass) {
  auto dir = scratch_dir("sarif-validate");
  std::string db = "sqlite:" + (dir / "vp.db").string();
  auto gen = run_dbvet({"gen", "--sample", "virtualpet", "--scale", "0.02", "--seed", "42", "--replace", db});
  ASSERT_EQ(gen.exit_code, 0) << gen.err;
  {
    std::ofstream log(dir / "slow.log");
    log << "# Time: 2026-01-01T00:00:00.000000Z\n# User@Host: app[app] @ localhost []  Id:     1\n"
        << "# Query_time: 0.05  Lock_time: 0.000010 Rows_sent: 1  Rows_examined: 600\nSET timestamp=1767225600;\n"
        << "SELECT user_id, pet_id, score FROM leaderboard_scores WHERE season = 4 ORDER BY score DESC LIMIT 100;\n"
        << "# Time: 2026-01-01T00:00:01.000000Z\n# User@Host: app[app] @ localhost []  Id:     1\n"
        << "# Query_time: 0.02  Lock_time: 0.000010 Rows_sent: 1  Rows_examined: 600\nSET timestamp=1767225601;\n"
        << "SELECT pet_id, name, color FROM pets WHERE name LIKE '%max%';\n";
  }
  write_workload(dir / "game.sql");
  std::vector<fs::path> files;
  for (const std::string command : {"audit", "advise", "health"}) {
    std::vector<std::string> args{command, db};
    // audit runs a workload, so that its query findings have a file and line (a physical location)
    if (command == "audit") args.insert(args.end(), {"--workload", (dir / "game.sql").string(), "--transactions", "3"});
    if (command == "advise") args.insert(args.end(), {"--log", (dir / "slow.log").string()});
    auto file = dir / (command + ".sarif");
    args.insert(args.end(), {"--format", "sarif", "-o", file.string()});
    auto run = run_dbvet(args);
    ASSERT_EQ(run.exit_code, 0) << command << ": " << run.err;
    auto doc = json::parse(read_file(file));
    EXPECT_FALSE(doc["runs"][0]["results"].empty()) << command << " found nothing to validate";
    files.push_back(file);
  }
  auto problems = validate(dir, files);
  for (const auto& problem : problems) ADD_FAILURE() << problem;
}

// A query finding of a workload audit points at the script line its statement is on, in SARIF,
// GitHub annotations and JSON alike.
// lint's SARIF: a finding per rule with its migration file and line (no server needed).
TEST(SarifValidate, LintPasses) {
  auto dir = scratch_dir("sarif-lint");
  auto sarif = dir / "lint.sarif";
  auto run = run_dbvet({"lint", "--format", "sarif", "-o", sarif.string(),
                        (source_dir() / "tests" / "data" / "migrations" / "0042_pet_status.sql").string()});
  ASSERT_EQ(run.exit_code, 1) << run.err;  // the migration has findings
  // Standard input and a path with spaces and reserved characters are percent-encoded URI
  // references, checked in the same Multitool run.
  auto odd = dir / "my migrations #1" / "0001 add [pets] & 50%.sql";
  fs::create_directories(odd.parent_path());
  std::ofstream(odd) << "DROP TABLE legacy_pets;\n";
  auto from_file = dir / "odd.sarif";
  ASSERT_EQ(run_dbvet({"lint", "--format", "sarif", "-o", from_file.string(), odd.string()}).exit_code, 1);
  auto from_stdin = dir / "stdin.sarif";
  auto piped = run_shell("printf 'DROP TABLE legacy_pets;\\n' | \"$DBVET\" lint --format sarif -o '" +
                         from_stdin.string() + "' -");
  ASSERT_EQ(piped.exit_code, 1) << piped.err;
  auto uri = [](const fs::path& file) {
    return json::parse(
               read_file(file))["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        .get<std::string>();
  };
  EXPECT_EQ(uri(from_stdin), "%3Cstdin%3E");
  EXPECT_EQ(uri(from_file).rfind("file:///", 0), 0u) << uri(from_file);
  EXPECT_NE(uri(from_file).find("my%20migrations%20%231/0001%20add%20%5Bpets%5D%20%26%2050%25.sql"), std::string::npos)
      << uri(from_file);
  auto problems = validate(dir, {sarif, from_file, from_stdin});
  EXPECT_TRUE(problems.empty()) << [&] {
    std::string all;
    for (const auto& p : problems) all += p + "\n";
    return all;
  }();
}

TEST(CiLocations, WorkloadFindingsPointAtTheirScriptLine) {
  auto dir = scratch_dir("ci-locations");
  std::string db = "sqlite:" + (dir / "vp.db").string();
  auto gen = run_dbvet({"gen", "--sample", "virtualpet", "--scale", "0.02", "--seed", "42", "--replace", db});
  ASSERT_EQ(gen.exit_code, 0) << gen.err;
  write_workload(dir / "game.sql");
  std::vector<std::string> audit{"audit",          db,  "--workload", (dir / "game.sql").string(),
                                 "--transactions", "3", "--format"};
  auto json_run = run_dbvet([&] {
    auto a = audit;
    a.push_back("json");
    return a;
  }());
  ASSERT_EQ(json_run.exit_code, 0) << json_run.err;
  auto doc = json::parse(json_run.out);
  bool found = false;
  for (const auto& finding : doc["findings"]) {
    if (finding["rule"] != "query-leading-wildcard-like") continue;
    found = true;
    EXPECT_EQ(finding["file"], (dir / "game.sql").string());
    EXPECT_EQ(finding["line"], 3);
  }
  EXPECT_TRUE(found) << json_run.out;

  auto sarif_run = run_dbvet([&] {
    auto a = audit;
    a.push_back("sarif");
    return a;
  }());
  ASSERT_EQ(sarif_run.exit_code, 0) << sarif_run.err;
  auto sarif = json::parse(sarif_run.out);
  found = false;
  for (const auto& result : sarif["runs"][0]["results"]) {
    if (result["ruleId"] != "query-leading-wildcard-like") continue;
    found = true;
    const auto& physical = result["locations"][0]["physicalLocation"];
    EXPECT_EQ(physical["artifactLocation"]["uri"], "file://" + (dir / "game.sql").string());
    EXPECT_EQ(physical["region"]["startLine"], 3);
  }
  EXPECT_TRUE(found) << sarif_run.out;

  auto github_run = run_dbvet([&] {
    auto a = audit;
    a.push_back("github");
    return a;
  }());
  ASSERT_EQ(github_run.exit_code, 0) << github_run.err;
  EXPECT_NE(github_run.out.find("::warning file=" + (dir / "game.sql").string() +
                                ",line=3,title=query-leading-wildcard-like::"),
            std::string::npos)
      << github_run.out;
}

}  // namespace
}  // namespace dbvet::testing
