#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "analyzer/workload/runner.hpp"
#include "analyzer/workload/script.hpp"
#include "tests/support/test_env.hpp"

namespace dbvet::workload {
namespace {

// Records the statements a script sends; answers \gset queries from a fixed row.
class RecordingExecutor : public Executor {
 public:
  std::vector<std::string> statements;
  std::chrono::microseconds slept{0};
  ResultRow row{{"one", "two"}, {std::string("1"), std::string("22")}};

  core::Expected<std::vector<ResultRow>> run(const std::string& sql, bool want_rows) override {
    statements.push_back(sql);
    if (want_rows) return std::vector<ResultRow>{row};
    return std::vector<ResultRow>{};
  }
  void sleep(std::chrono::microseconds duration) override { slept += duration; }
};

std::string parse_error(const std::string& text) {
  auto script = parse_script(text, "pets_feed.sql");
  return script ? std::string("no error") : script.error().message;
}

TEST(WorkloadScript, SqlCommandsSpanLinesAndEndAtSemicolons) {
  auto script = parse_script(
      "-- a comment\n"
      "SELECT a,\n"
      "       b FROM t WHERE s = 'x;y' AND d = $$;$$; /* ; */\n"
      "UPDATE t SET a = 1\n"
      "  WHERE id = :id;\n"
      "SELECT 1 \\; SELECT 2;\n"
      "SELECT 'last'",
      "s.sql");
  ASSERT_TRUE(script) << script.error().message;
  ASSERT_EQ(script->commands.size(), 4u);
  EXPECT_EQ(script->commands[0].sql, "SELECT a,\n       b FROM t WHERE s = 'x;y' AND d = $$;$$");
  EXPECT_EQ(script->commands[0].line, 2);
  EXPECT_EQ(script->commands[1].sql, "UPDATE t SET a = 1\n  WHERE id = :id");
  EXPECT_EQ(script->commands[1].line, 4);
  EXPECT_EQ(script->commands[2].sql, "SELECT 1 ; SELECT 2");
  EXPECT_EQ(script->commands[3].sql, "SELECT 'last'");
  EXPECT_EQ(script->sql_count(), 4u);
}

TEST(WorkloadScript, SetSleepAndSubstitution) {
  auto script = parse_script(
      "\\set n 10 * :scale\n"
      "\\set id random(1, :n)\n"
      "\\set ms 5\n"
      "\\sleep :ms ms\n"
      "\\sleep 2\n"
      "\\sleep 7 us\n"
      "SELECT * FROM pets WHERE pet_id = :id AND x::text = ':n' AND y = :unknown;\n",
      "s.sql");
  ASSERT_TRUE(script) << script.error().message;
  Session session(1, 0, Value::of_int(3));
  RecordingExecutor executor;
  ASSERT_TRUE(session.run(*script, executor));
  ASSERT_EQ(executor.statements.size(), 1u);
  const int64_t id = session.get("id")->integer;
  EXPECT_GE(id, 1);
  EXPECT_LE(id, 30);
  EXPECT_EQ(executor.statements[0],
            "SELECT * FROM pets WHERE pet_id = " + std::to_string(id) + " AND x::text = '30' AND y = :unknown");
  EXPECT_EQ(executor.slept.count(), 5000 + 2000000 + 7);
}

// Statements are substituted into one reused buffer: a short statement after a long one comes out
// whole, with nothing of the longer one left behind.
TEST(WorkloadScript, EachStatementOfARunIsSubstitutedOnItsOwn) {
  auto script = parse_script(
      "\\set d -7\n"
      "\\set r 2.5 * 1\n"
      "SELECT :d, :r, 'a long literal that makes this statement the longest of the script';\n"
      "SELECT :d;\n"
      "SELECT :r::text;\n",
      "s.sql");
  ASSERT_TRUE(script) << script.error().message;
  Session session(1, 0, Value::of_int(1));
  RecordingExecutor executor;
  ASSERT_TRUE(session.run(*script, executor));
  ASSERT_TRUE(session.run(*script, executor));
  ASSERT_EQ(executor.statements.size(), 6u);
  for (size_t run = 0; run < 2; ++run) {
    EXPECT_EQ(executor.statements[3 * run],
              "SELECT -7, 2.5, 'a long literal that makes this statement the longest of the script'");
    EXPECT_EQ(executor.statements[3 * run + 1], "SELECT -7");
    EXPECT_EQ(executor.statements[3 * run + 2], "SELECT 2.5::text");
  }
  EXPECT_EQ(session.substitute("SELECT :d"), "SELECT -7");
}

TEST(WorkloadScript, GsetStoresColumnsWithPrefix) {
  auto script = parse_script(
      "SELECT 1 AS one, 22 AS two \\gset p_\n"
      "SELECT 3 AS one\n"
      "\\gset\n"
      "\\set sum :p_one + :p_two\n"
      "SELECT :sum, ':one';\n",
      "g.sql");
  ASSERT_TRUE(script) << script.error().message;
  ASSERT_EQ(script->commands.size(), 4u);
  EXPECT_EQ(*script->commands[0].gset_prefix, "p_");
  EXPECT_EQ(*script->commands[1].gset_prefix, "");
  Session session(1, 0, Value::of_int(1));
  RecordingExecutor executor;
  ASSERT_TRUE(session.run(*script, executor));
  EXPECT_EQ(executor.statements.back(), "SELECT 23, '1'");
}

TEST(WorkloadScript, IfElifElseTakeOneBranch) {
  const char* text =
      "\\if :x = 1\n"
      "SELECT 'one';\n"
      "\\elif :x = 2\n"
      "SELECT 'two';\n"
      "\\if :x > 1\n"
      "SELECT 'nested';\n"
      "\\endif\n"
      "\\else\n"
      "SELECT 'other';\n"
      "\\endif\n"
      "SELECT 'after';\n";
  auto script = parse_script(text, "if.sql");
  ASSERT_TRUE(script) << script.error().message;
  auto run = [&](int x) {
    Session session(1, 0, Value::of_int(1));
    session.set("x", Value::of_int(x));
    RecordingExecutor executor;
    EXPECT_TRUE(session.run(*script, executor));
    std::string joined;
    for (const auto& statement : executor.statements) joined += statement + ";";
    return joined;
  };
  EXPECT_EQ(run(1), "SELECT 'one';SELECT 'after';");
  EXPECT_EQ(run(2), "SELECT 'two';SELECT 'nested';SELECT 'after';");
  EXPECT_EQ(run(3), "SELECT 'other';SELECT 'after';");
}

TEST(WorkloadScript, ErrorsNameFileAndLine) {
  EXPECT_EQ(parse_error("SELECT 1;\n\n\n\n\n\n\\foo bar\n"), "pets_feed.sql:7: unknown meta-command \\foo");
  EXPECT_EQ(parse_error("\\set x random(1,\n"),
            "pets_feed.sql:1: \\set x: expected a number, a :variable, a function or '(' at offset 9, found the end");
  EXPECT_EQ(parse_error("SELECT 1;\n\\shell ls\n"),
            "pets_feed.sql:2: \\shell is not supported: dbvet never runs shell commands from a workload");
  EXPECT_EQ(parse_error("\\setshell x echo 1\n"),
            "pets_feed.sql:1: \\setshell is not supported: dbvet never runs shell commands from a workload");
  EXPECT_EQ(parse_error("SELECT 1;\n\\if 1\nSELECT 2;\n"), "pets_feed.sql:2: \\if without a matching \\endif");
  EXPECT_EQ(parse_error("\\endif\n"), "pets_feed.sql:1: \\endif without \\if");
  EXPECT_EQ(parse_error("\\else\n"), "pets_feed.sql:1: \\else without \\if");
  EXPECT_EQ(parse_error("\\set x 1\n\\gset\n"), "pets_feed.sql:2: \\gset must follow an SQL command");
  EXPECT_EQ(parse_error("\\sleep 3 minutes\n"), "pets_feed.sql:1: \\sleep: unknown time unit 'minutes' (us, ms or s)");
  EXPECT_EQ(parse_error("SELECT 1;\nSELECT 'open\n;\n"), "pets_feed.sql:2: unterminated quoted string");
  EXPECT_EQ(parse_error("/* open\n"), "pets_feed.sql:1: unterminated /* comment");
  EXPECT_EQ(parse_error("\\set 1x\n"), "pets_feed.sql:1: \\set 1x: missing expression");
  EXPECT_EQ(parse_error("-- nothing\n"), "pets_feed.sql:2: the script has no command");
}

TEST(WorkloadScript, RuntimeErrorsNameFileAndLine) {
  auto script = parse_script("SELECT 1;\n\\set x :missing + 1\n", "r.sql");
  ASSERT_TRUE(script);
  Session session(1, 0, Value::of_int(1));
  RecordingExecutor executor;
  auto status = session.run(*script, executor);
  ASSERT_FALSE(status);
  EXPECT_EQ(status.error().message, "r.sql:2: \\set x: undefined variable 'missing'");
}

TEST(WorkloadScript, MetaCommandsContinueWithBackslash) {
  auto script = parse_script("\\set x 1 + \\\n   2\nSELECT :x;\n", "c.sql");
  ASSERT_TRUE(script) << script.error().message;
  Session session(1, 0, Value::of_int(1));
  RecordingExecutor executor;
  ASSERT_TRUE(session.run(*script, executor));
  EXPECT_EQ(executor.statements[0], "SELECT 3");
}

TEST(WorkloadScript, PgbenchBuiltinsParseUnchanged) {
  for (const char* name : {"tpcb-like", "simple-update", "select-only"}) {
    auto script = builtin_script(name);
    ASSERT_TRUE(script) << name << ": " << script.error().message;
    Session session(3, 1, Value::of_int(1));
    RecordingExecutor executor;
    ASSERT_TRUE(session.run(*script, executor)) << name;
    for (const auto& statement : executor.statements) EXPECT_EQ(statement.find(':'), std::string::npos) << statement;
  }
  auto tpcb = builtin_script("tpcb-like");
  EXPECT_EQ(tpcb->sql_count(), 7u);
  EXPECT_EQ(builtin_script("select-only")->sql_count(), 1u);
  EXPECT_FALSE(builtin_script("nope"));
}

TEST(WorkloadScript, SameSeedSameStatements) {
  auto script = builtin_script("tpcb-like");
  ASSERT_TRUE(script);
  auto statements = [&](uint64_t seed) {
    Session session(seed, 2, Value::of_int(10));
    RecordingExecutor executor;
    for (int i = 0; i < 20; ++i) EXPECT_TRUE(session.run(*script, executor));
    return executor.statements;
  };
  EXPECT_EQ(statements(7), statements(7));
  EXPECT_NE(statements(7), statements(8));
}

TEST(WorkloadScript, WeightsFromFileSpec) {
  const auto dir = testing::scratch_dir("workload_weights");
  const auto path = dir / "w.sql";
  {
    std::ofstream out(path);
    out << "SELECT 1;\n";
  }
  auto weighted = load_script(path.string() + "@7");
  ASSERT_TRUE(weighted) << weighted.error().message;
  EXPECT_EQ(weighted->weight, 7);
  EXPECT_EQ(weighted->name, "w.sql");
  EXPECT_FALSE(load_script((dir / "missing.sql").string()));

  std::vector<Script> scripts(2);
  scripts[0].weight = 9;
  scripts[1].weight = 1;
  core::Random random(1);
  int first = 0;
  for (int i = 0; i < 10000; ++i) first += choose_script(scripts, random) == 0 ? 1 : 0;
  EXPECT_NEAR(first, 9000, 300);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace dbvet::workload
