// `dbvet lint` on a migration file (tests/data/migrations), no server: findings at file:line, inline
// suppression, the baseline, exit codes, standard input, a statement that does not parse.

#include <gtest/gtest.h>

#include <fstream>

#include "nlohmann/json.hpp"
#include "tests/support/test_env.hpp"

namespace dbvet::testing {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;

fs::path migration() { return source_dir() / "tests" / "data" / "migrations" / "0042_pet_status.sql"; }

// rule -> line of each finding
std::multimap<std::string, int> located(const json& doc) {
  std::multimap<std::string, int> out;
  for (const auto& f : doc["findings"]) out.emplace(f["rule"].get<std::string>(), f["line"].get<int>());
  return out;
}

TEST(LintE2e, FindingsAtTheirLinesWithSuppressionAndParseError) {
  auto run = run_dbvet({"lint", "--format", "json", migration().string()});
  ASSERT_EQ(run.exit_code, 1) << run.err;  // warnings and errors fail the default --fail-on warning
  auto doc = json::parse(run.out);
  EXPECT_EQ(doc["kind"], "lint");
  auto found = located(doc);
  auto at = [&](const std::string& rule) {
    auto it = found.find(rule);
    return it == found.end() ? -1 : it->second;
  };
  EXPECT_EQ(at("migration-index-without-concurrently"), 2);
  EXPECT_EQ(at("migration-lock-without-timeout"), 2);
  EXPECT_EQ(found.count("migration-lock-without-timeout"), 1u);  // SET lock_timeout on line 3 covers the rest
  EXPECT_EQ(at("migration-add-column-not-null-without-default"), 4);
  EXPECT_EQ(at("migration-foreign-key-without-not-valid"), 7);
  EXPECT_EQ(at("migration-foreign-key-without-index"), -1);  // the index of line 2 serves it
  EXPECT_EQ(at("migration-statement-unparsed"), 8);
  EXPECT_EQ(at("migration-drop-breaks-code"), 9);  // after the parse error, still linted
  EXPECT_EQ(at("query-select-star"), 10);
  EXPECT_EQ(at("migration-rename-breaks-code"), -1);  // -- dbvet:ignore on line 5
  EXPECT_EQ(doc["summary"]["suppressed_inline"], 1);
  EXPECT_EQ(doc["findings"][0]["severity"], "error");

  auto text = run_dbvet({"lint", migration().string()});
  EXPECT_NE(text.out.find(migration().string() + ":4: error: "), std::string::npos) << text.out;
}

TEST(LintE2e, ExitCodesFollowFailOnAndUsage) {
  EXPECT_EQ(run_dbvet({"lint", "--fail-on", "error", "--rules", "migration-drop-breaks-code", migration().string()})
                .exit_code,
            0);
  EXPECT_EQ(run_dbvet({"lint", "--fail-on", "error", migration().string()}).exit_code, 1);
  EXPECT_EQ(run_dbvet({"lint", "--engine", "oracle", migration().string()}).exit_code, 2);
  EXPECT_EQ(run_dbvet({"lint", "--rules", "no-such-rule", migration().string()}).exit_code, 2);
  auto missing = run_dbvet({"lint", "/nonexistent/0001.sql"});
  EXPECT_EQ(missing.exit_code, 3);
  EXPECT_NE(missing.err.find("/nonexistent/0001.sql"), std::string::npos) << missing.err;
  auto dir = scratch_dir("lint-clean");
  std::ofstream(dir / "ok.sql") << "SET lock_timeout = '2s';\nCREATE INDEX CONCURRENTLY i ON pets (owner_id);\n";
  EXPECT_EQ(run_dbvet({"lint", (dir / "ok.sql").string()}).exit_code, 0);
}

TEST(LintE2e, StandardInput) {
  auto run = run_shell("printf 'DROP INDEX pets_owner_id;\\n' | \"$DBVET\" lint --format json -");
  ASSERT_EQ(run.exit_code, 1) << run.err;
  auto doc = json::parse(run.out);
  ASSERT_FALSE(doc["findings"].empty());
  EXPECT_EQ(doc["findings"][0]["file"], "<stdin>");
  EXPECT_EQ(doc["findings"][0]["line"], 1);
}

TEST(LintE2e, BaselineHidesKnownFindingsWhateverTheirLines) {
  auto dir = scratch_dir("lint-baseline");
  fs::copy_file(migration(), dir / "m.sql", fs::copy_options::overwrite_existing);
  std::string baseline = (dir / "baseline.json").string();
  std::string file = (dir / "m.sql").string();
  fs::remove(baseline);
  auto update = run_dbvet({"lint", "--baseline", baseline, "--update-baseline", "--format", "json", file});
  ASSERT_EQ(update.exit_code, 0) << update.err;
  ASSERT_TRUE(fs::exists(baseline));
  EXPECT_EQ(json::parse(update.out)["findings"].size(), 0u);

  // Lines moved by a new comment: still known. A new risky statement: new.
  std::string text = read_file(dir / "m.sql");
  std::ofstream(dir / "m.sql") << "-- reviewed\n\n" << text << "DROP TABLE legacy_pets;\n";
  auto run = run_dbvet({"lint", "--baseline", baseline, "--format", "json", file});
  EXPECT_EQ(run.exit_code, 1) << run.err;
  auto doc = json::parse(run.out);
  ASSERT_EQ(doc["findings"].size(), 1u) << doc.dump(2);
  EXPECT_EQ(doc["findings"][0]["rule"], "migration-drop-breaks-code");
  EXPECT_EQ(doc["findings"][0]["line"], 13);
  EXPECT_GT(doc["summary"]["hidden_by_baseline"].get<int>(), 5);
}

TEST(LintE2e, SarifAndGithubLocateFindings) {
  auto sarif = run_dbvet({"lint", "--format", "sarif", migration().string()});
  ASSERT_EQ(sarif.exit_code, 1) << sarif.err;
  auto log = json::parse(sarif.out);
  bool found = false;
  for (const auto& result : log["runs"][0]["results"]) {
    if (result["ruleId"] != "migration-add-column-not-null-without-default") continue;
    const auto& region = result["locations"][0]["physicalLocation"]["region"];
    EXPECT_EQ(region["startLine"], 4);
    found = true;
  }
  EXPECT_TRUE(found) << sarif.out;
  auto github = run_dbvet({"lint", "--format", "github", migration().string()});
  EXPECT_NE(github.out.find("line=4"), std::string::npos) << github.out;
  auto junit = run_dbvet({"lint", "--format", "junit", migration().string()});
  EXPECT_NE(junit.out.find("migration-add-column-not-null-without-default"), std::string::npos) << junit.out;
}

// --assume-in-transaction: the migration tool wraps the file in a transaction, so CONCURRENTLY
// fails there, and a SET LOCAL lock_timeout lasts only until a COMMIT of the file's own.
TEST(LintE2e, AssumeInTransactionFlagsConcurrentlyAndScopesSetLocal) {
  auto dir = scratch_dir("lint-assume-tx");
  auto file = (dir / "m.sql").string();
  std::ofstream(file) << "SET LOCAL lock_timeout = '2s';\n"
                      << "CREATE INDEX CONCURRENTLY pets_owner ON pets (owner_id);\n";
  auto plain = run_dbvet({"lint", "--format", "json", file});
  ASSERT_EQ(plain.exit_code, 0) << plain.out << plain.err;
  auto plain_doc = json::parse(plain.out);
  EXPECT_TRUE(plain_doc["findings"].empty()) << plain.out;
  EXPECT_FALSE(plain_doc.contains("assume_in_transaction"));

  auto assumed = run_dbvet({"lint", "--assume-in-transaction", "--format", "json", file});
  ASSERT_EQ(assumed.exit_code, 1) << assumed.err;
  auto doc = json::parse(assumed.out);
  EXPECT_EQ(doc["assume_in_transaction"], true);
  auto found = located(doc);
  ASSERT_EQ(found.count("migration-concurrently-in-transaction"), 1u) << assumed.out;
  EXPECT_EQ(found.find("migration-concurrently-in-transaction")->second, 2);
  EXPECT_EQ(found.count("migration-lock-without-timeout"), 0u) << assumed.out;

  // A COMMIT of the file's own ends the tool's transaction, and its SET LOCAL with it: the ALTER
  // after it waits without a timeout, and the index build after it is outside a transaction.
  std::ofstream(file) << "SET LOCAL lock_timeout = '2s';\nALTER TABLE pets ADD COLUMN a text;\nCOMMIT;\n"
                      << "ALTER TABLE pets ADD COLUMN b text;\n"
                      << "CREATE INDEX CONCURRENTLY pets_owner ON pets (owner_id);\n";
  found = located(json::parse(run_dbvet({"lint", "--assume-in-transaction", "--format", "json", file}).out));
  EXPECT_EQ(found.count("migration-concurrently-in-transaction"), 0u);
  ASSERT_EQ(found.count("migration-lock-without-timeout"), 2u);
  EXPECT_EQ(found.find("migration-lock-without-timeout")->second, 4);
  // Without the flag the SET LOCAL is taken as meant for the tool's transaction, as before.
  found = located(json::parse(run_dbvet({"lint", "--format", "json", file}).out));
  EXPECT_EQ(found.count("migration-lock-without-timeout"), 0u);
}

TEST(LintE2e, JunitClassNamesSayLintAndTheCategory) {
  auto junit = run_dbvet({"lint", "--format", "junit", migration().string()});
  ASSERT_EQ(junit.exit_code, 1) << junit.err;
  EXPECT_NE(junit.out.find("classname=\"lint.migration\" name=\"migration-add-column-not-null-without-default\""),
            std::string::npos)
      << junit.out;
  EXPECT_NE(junit.out.find("classname=\"lint.query\" name=\"query-select-star\""), std::string::npos) << junit.out;
  EXPECT_EQ(junit.out.find("classname=\"audit"), std::string::npos) << junit.out;
}

// The second copy of a statement is a finding of its own: a baseline written when the file had one
// copy does not hide a copy added later, and a baseline from before copies were counted (the
// first copy's fingerprint) still hides the first.
TEST(LintE2e, IdenticalStatementsHaveDistinctBaselineFingerprints) {
  auto dir = scratch_dir("lint-copies");
  auto file = (dir / "m.sql").string();
  std::string baseline = (dir / "baseline.json").string();
  // One rule, so that each copy is one finding.
  std::ofstream(file) << "DROP TABLE legacy_pets;\n";
  fs::remove(baseline);
  ASSERT_EQ(
      run_dbvet({"lint", "--rules", "migration-drop-breaks-code", "--baseline", baseline, "--update-baseline", file})
          .exit_code,
      0);

  std::ofstream(file) << "DROP TABLE legacy_pets;\nSELECT 1;\nDROP TABLE legacy_pets;\n";
  auto run =
      run_dbvet({"lint", "--rules", "migration-drop-breaks-code", "--baseline", baseline, "--format", "json", file});
  EXPECT_EQ(run.exit_code, 1) << run.err;
  auto doc = json::parse(run.out);
  ASSERT_EQ(doc["findings"].size(), 1u) << doc.dump(2);
  EXPECT_EQ(doc["findings"][0]["line"], 3);
  ASSERT_EQ(doc["baselined"].size(), 1u) << doc.dump(2);
  EXPECT_EQ(doc["baselined"][0]["line"], 1);
  EXPECT_NE(doc["findings"][0]["fingerprint"], doc["baselined"][0]["fingerprint"]);

  // Both known once the baseline is rewritten.
  ASSERT_EQ(
      run_dbvet({"lint", "--rules", "migration-drop-breaks-code", "--baseline", baseline, "--update-baseline", file})
          .exit_code,
      0);
  EXPECT_EQ(json::parse(read_file(baseline))["findings"].size(), 2u);
  EXPECT_EQ(run_dbvet({"lint", "--rules", "migration-drop-breaks-code", "--baseline", baseline, file}).exit_code, 0);
}

}  // namespace
}  // namespace dbvet::testing
