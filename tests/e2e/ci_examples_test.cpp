// The worked CI examples in docs/ci/ stay runnable: every `dbvet ...` command of the GitHub
// Actions workflow and of the GitLab CI job runs, in the file's order, against a PostgreSQL
// database of the test server (the examples' service container), and must succeed or stop at its
// gate; the outputs the CI systems read are there. The workflow also passes action-validator (npm
// @action-validator/cli, installed by scripts/bootstrap test), GitHub's workflow schema: a machine
// without it fails this test rather than skipping it, as for the SARIF Multitool.

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "nlohmann/json.hpp"
#include "tests/integration/postgres_test_database.hpp"
#include "tests/support/test_env.hpp"

namespace dbvet::testing {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

size_t indent_of(const std::string& line) {
  size_t n = line.find_first_not_of(' ');
  return n == std::string::npos ? line.size() : n;
}

bool starts_with(const std::string& text, const std::string& prefix) { return text.rfind(prefix, 0) == 0; }

// Every shell command of a workflow file that starts with `dbvet `, up to a `||` fallback: the
// `run:` values and list items, with folded (`>-`) blocks joined into one line and literal (`|`)
// blocks taken line by line.
std::vector<std::string> dbvet_commands(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  std::vector<std::string> pieces;
  for (size_t i = 0; i < lines.size(); ++i) {
    std::string body = lines[i].substr(indent_of(lines[i]));
    if (starts_with(body, "- ")) body = body.substr(2);
    if (starts_with(body, "run: ")) body = body.substr(5);
    if (body == ">-" || body == ">" || body == "|") {
      const size_t header = indent_of(lines[i]);
      const size_t block = i + 1 < lines.size() ? indent_of(lines[i + 1]) : 0;
      std::string joined;
      while (i + 1 < lines.size() && block > header && indent_of(lines[i + 1]) >= block) {
        std::string part = lines[++i].substr(block);
        if (body == "|") {
          pieces.push_back(part);
        } else {
          joined += (joined.empty() ? "" : " ") + part;
        }
      }
      if (!joined.empty()) pieces.push_back(joined);
    } else {
      pieces.push_back(body);
    }
  }
  std::vector<std::string> commands;
  for (auto& piece : pieces) {
    if (!starts_with(piece, "dbvet ")) continue;
    if (auto fallback = piece.find(" || "); fallback != std::string::npos) piece.resize(fallback);
    commands.push_back(piece);
  }
  return commands;
}

std::string subcommand(const std::string& command) {
  std::istringstream words(command);
  std::string dbvet, name;
  words >> dbvet >> name;
  return name;
}

TEST(CiExampleCommands, FoldedLiteralAndListItemsAreFound) {
  auto commands = dbvet_commands(
      "steps:\n  - run: dbvet check \"$DATABASE_URL\" --format github\n  - run: >-\n      dbvet audit x\n"
      "      --fail-on error\n  - run: |\n      git worktree add ../base\n      dbvet bench x -o a.json\n"
      "script:\n  - dbvet compare a.json b.json -o c.md || regression=1\n  - echo dbvet\n");
  EXPECT_EQ(commands,
            (std::vector<std::string>{"dbvet check \"$DATABASE_URL\" --format github", "dbvet audit x --fail-on error",
                                      "dbvet bench x -o a.json", "dbvet compare a.json b.json -o c.md"}));
}

class CiExamples : public ::testing::Test {
 protected:
  // Runs the commands of docs/ci/FILE in a scratch directory laid out as the CI job sees it: the
  // checkout's samples in the working directory, the base branch's in ../base.
  static fs::path run_example(const std::string& file, const std::string& url) {
    fs::path scratch = scratch_dir("ci_examples_" + fs::path(file).stem().string());
    fs::path work = scratch / "work";
    fs::create_directories(work);
    fs::create_directories(scratch / "base");
    fs::create_directory_symlink(source_dir() / "samples", work / "samples");
    fs::create_directory_symlink(source_dir() / "samples", scratch / "base/samples");
    auto commands = dbvet_commands(read_file(source_dir() / "docs/ci" / file));
    std::set<std::string> seen;
    for (const auto& command : commands) {
      const std::string name = subcommand(command);
      seen.insert(name);
      auto run = run_shell("cd " + shell_quoted(work.string()) + " && export DATABASE_URL=" + shell_quoted(url) +
                           " && dbvet() { \"$DBVET\" \"$@\"; } && " + command);
      // audit and compare are the gates (exit 1); everything else must succeed.
      bool gate = name == "audit" || name == "compare";
      EXPECT_TRUE(run.exit_code == 0 || (gate && run.exit_code == 1))
          << file << ": " << command << "\nexit " << run.exit_code << "\n"
          << run.out << run.err;
    }
    EXPECT_EQ(seen, (std::set<std::string>{"gen", "audit", "check", "bench", "compare"})) << file;
    return work;
  }
};

TEST_F(CiExamples, GithubActionsWorkflowCommandsRun) {
  PostgresTestDatabase database("dbvet_e2e_ci_github_" + std::to_string(getpid()));
  fs::path work = run_example("github-actions.yml", database.url());
  auto sarif = json::parse(read_file(work / "dbvet-audit.sarif"));
  EXPECT_EQ(sarif["version"], "2.1.0");
  EXPECT_NE(read_file(work / "comment.md").find("|"), std::string::npos);  // a Markdown table
}

TEST_F(CiExamples, GitlabJobCommandsRun) {
  PostgresTestDatabase database("dbvet_e2e_ci_gitlab_" + std::to_string(getpid()));
  fs::path work = run_example("gitlab-ci.yml", database.url());
  auto quality = json::parse(read_file(work / "gl-code-quality-report.json"));
  ASSERT_TRUE(quality.is_array());
  EXPECT_FALSE(quality.empty());  // the sample's planted problems
  const std::set<std::string> severities{"info", "minor", "major", "critical", "blocker"};
  for (const auto& issue : quality) {
    EXPECT_TRUE(severities.count(issue["severity"].get<std::string>())) << issue.dump();
    EXPECT_FALSE(issue["fingerprint"].get<std::string>().empty());
    EXPECT_GE(issue["location"]["lines"]["begin"].get<int>(), 1);
  }
  EXPECT_NE(read_file(work / "contracts.xml").find("<testsuite"), std::string::npos);
}

TEST(CiExampleSchemas, GithubWorkflowPassesActionValidator) {
  const char* configured = std::getenv("DBVET_ACTION_VALIDATOR");
  std::string validator = configured != nullptr && *configured != '\0' ? configured : "action-validator";
  auto good = run_program({validator, (source_dir() / "docs/ci/github-actions.yml").string()});
  EXPECT_EQ(good.exit_code, 0) << good.out << good.err
                               << "\nInstall it with scripts/bootstrap test (npm install -g @action-validator/cli)";
  // It does reject a broken workflow (a misspelt key), so a pass means something.
  fs::path bad = scratch_dir("ci_examples_schema") / "bad.yml";
  {
    std::ofstream(bad) << "name: x\non: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    stepz:\n      - run: echo\n";
  }
  auto broken = run_program({validator, bad.string()});
  EXPECT_NE(broken.exit_code, 0) << broken.out << broken.err;
}

// GitLab has no runner that installs from Debian or npm without Docker; gitlab-ci-local (npm,
// installed by scripts/bootstrap test) validates a pipeline against GitLab's CI schema and lists the
// jobs it would run.
TEST(CiExampleSchemas, GitlabJobPassesGitlabCiLocalSchemaValidation) {
  const char* configured = std::getenv("DBVET_GITLAB_CI_LOCAL");
  std::string validator = configured != nullptr && *configured != '\0' ? configured : "gitlab-ci-local";
  auto validate = [&](const fs::path& dir) {
    return run_shell("cd " + shell_quoted(dir.string()) + " && " + shell_quoted(validator) +
                     " --list --json-schema-validation --variable CI_PIPELINE_SOURCE=merge_request_event 2>&1");
  };
  fs::path scratch = scratch_dir("ci_examples_gitlab_schema");
  fs::path good = scratch / "good";
  fs::create_directories(good);
  fs::copy_file(source_dir() / "docs/ci/gitlab-ci.yml", good / ".gitlab-ci.yml");
  auto passed = validate(good);
  EXPECT_EQ(passed.exit_code, 0) << passed.out
                                 << "\nInstall it with scripts/bootstrap test (npm install -g gitlab-ci-local@4.55.0)";
  // The job is there, on the merge request pipelines its rules name.
  EXPECT_NE(passed.out.find("dbvet "), std::string::npos) << passed.out;
  // It does reject a broken job (a report that is not a file name, an unknown `when`).
  fs::path bad = scratch / "bad";
  fs::create_directories(bad);
  {
    std::ofstream(bad / ".gitlab-ci.yml") << "job:\n  script: [echo]\n  when: sometimes\n  artifacts:\n    reports:\n"
                                             "      junit: 5\n";
  }
  auto broken = validate(bad);
  EXPECT_NE(broken.exit_code, 0) << broken.out;
  EXPECT_NE(broken.out.find("job.when"), std::string::npos) << broken.out;
  fs::remove_all(scratch);
}

}  // namespace
}  // namespace dbvet::testing
