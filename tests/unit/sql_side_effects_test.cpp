#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "analyzer/pipeline/live/workload_capture.hpp"
#include "analyzer/sql/side_effects.hpp"
#include "analyzer/workload/script.hpp"
#include "tests/support/test_env.hpp"

namespace dbvet::sql {
namespace {

std::vector<std::string> constructs(std::string_view sql, Dialect dialect) {
  std::vector<std::string> out;
  for (const auto& effect : check_statement(sql, dialect).effects) out.push_back(effect.construct);
  return out;
}

bool clean(std::string_view sql, Dialect dialect) {
  auto check = check_statement(sql, dialect);
  return check.effects.empty() && !check.syntax_error;
}

using Strings = std::vector<std::string>;

TEST(SqlSideEffects, MariadbFileConstructsAreFound) {
  EXPECT_EQ(constructs("SELECT * FROM t INTO OUTFILE '/tmp/x'", Dialect::mysql), Strings{"INTO OUTFILE"});
  EXPECT_EQ(constructs("select a into   dumpfile '/tmp/x' from t", Dialect::mysql), Strings{"INTO DUMPFILE"});
  EXPECT_EQ(constructs("SeLeCt * FrOm t InTo OuTfIlE '/tmp/x'", Dialect::mysql), Strings{"INTO OUTFILE"});
  EXPECT_EQ(constructs("SELECT * FROM t INTO /* hidden */ OUTFILE '/tmp/x'", Dialect::mysql), Strings{"INTO OUTFILE"});
  EXPECT_EQ(constructs("SELECT * FROM t INTO -- line\n OUTFILE '/tmp/x'", Dialect::mysql), Strings{"INTO OUTFILE"});
  EXPECT_EQ(constructs("LOAD DATA INFILE '/etc/passwd' INTO TABLE t", Dialect::mysql), Strings{"LOAD DATA INFILE"});
  EXPECT_EQ(constructs("load data local infile 'x.csv' into table t", Dialect::mysql),
            Strings{"LOAD DATA LOCAL INFILE"});
  EXPECT_EQ(constructs("SELECT LOAD_FILE('/etc/passwd')", Dialect::mysql), Strings{"LOAD_FILE()"});
  EXPECT_EQ(constructs("SELECT load_file ('/etc/passwd')", Dialect::mysql), Strings{"LOAD_FILE()"});
}

TEST(SqlSideEffects, MariadbExecutableCommentsAreSql) {
  // The server runs the content of /*! ... */: it is not a comment to MariaDB.
  EXPECT_EQ(constructs("SELECT * FROM t /*!50100 INTO OUTFILE '/tmp/x' */", Dialect::mysql), Strings{"INTO OUTFILE"});
  EXPECT_EQ(constructs("SELECT * FROM t /*M! INTO OUTFILE '/tmp/x' */", Dialect::mysql), Strings{"INTO OUTFILE"});
  EXPECT_TRUE(clean("SELECT * FROM t /* INTO OUTFILE '/tmp/x' */", Dialect::mysql));
  EXPECT_TRUE(clean("SELECT /*+ NO_INDEX(t) */ * FROM t", Dialect::mysql));
}

TEST(SqlSideEffects, KeywordsInLiteralsAndCommentsDoNotCount) {
  EXPECT_TRUE(clean("SELECT 'INTO OUTFILE' FROM t", Dialect::mysql));
  EXPECT_TRUE(clean("SELECT \"INTO OUTFILE '/tmp/x'\" FROM t", Dialect::mysql));
  EXPECT_TRUE(clean("SELECT 1 -- INTO OUTFILE '/tmp/x'", Dialect::mysql));
  EXPECT_TRUE(clean("SELECT 1 # INTO OUTFILE '/tmp/x'", Dialect::mysql));
  EXPECT_TRUE(clean("SELECT `load_file` FROM t", Dialect::mysql));
  EXPECT_TRUE(clean("SELECT a INTO @v FROM t WHERE id = :id", Dialect::mysql));
  EXPECT_TRUE(clean("SELECT 'ATTACH' AS x, 'load_extension(1)' FROM t", Dialect::sqlite));
  EXPECT_TRUE(clean("SELECT 'COPY t TO PROGRAM ''rm''', 'pg_read_file(''/x'')'", Dialect::postgres));
  EXPECT_TRUE(clean("SELECT $$lo_export(1, '/tmp/x')$$ /* pg_ls_dir('.') */", Dialect::postgres));
}

TEST(SqlSideEffects, PostgresReadsTheParseTree) {
  EXPECT_EQ(constructs("COPY pets TO PROGRAM 'touch /tmp/x'", Dialect::postgres), Strings{"COPY ... TO PROGRAM"});
  EXPECT_EQ(constructs("copy pets from program 'cat /etc/passwd'", Dialect::postgres),
            Strings{"COPY ... FROM PROGRAM"});
  EXPECT_EQ(constructs("COPY (SELECT 1) TO '/tmp/x'", Dialect::postgres), Strings{"COPY ... TO '/tmp/x'"});
  EXPECT_EQ(constructs("COPY pets TO STDOUT", Dialect::postgres), Strings{"COPY ... TO STDOUT"});
  EXPECT_EQ(constructs("SELECT pg_read_file('/etc/passwd')", Dialect::postgres), Strings{"pg_read_file()"});
  EXPECT_EQ(constructs("SELECT PG_CATALOG.PG_LS_DIR('.')", Dialect::postgres), Strings{"pg_ls_dir()"});
  EXPECT_EQ(constructs("SELECT * FROM t WHERE x IN (SELECT lo_export(1, '/tmp/x'))", Dialect::postgres),
            Strings{"lo_export()"});
  EXPECT_EQ(constructs("SELECT lo_import('/etc/passwd')", Dialect::postgres), Strings{"lo_import()"});
  EXPECT_EQ(constructs("SELECT pg_stat_file('x'), pg_read_binary_file('y')", Dialect::postgres),
            (Strings{"pg_stat_file()", "pg_read_binary_file()"}));
  EXPECT_EQ(constructs("SELECT * FROM dblink('host=x', 'DELETE FROM t') AS r(a int)", Dialect::postgres),
            Strings{"dblink()"});
  EXPECT_EQ(constructs("SELECT /* c */ pg_file_write('x', 'y', false)", Dialect::postgres), Strings{"pg_file_write()"});
  EXPECT_EQ(constructs("LOAD 'auto_explain'", Dialect::postgres), Strings{"LOAD"});
  // Workload variables are replaced before parsing, so the tree is still read.
  EXPECT_EQ(constructs("SELECT pg_read_file(:path) FROM t WHERE id = :id", Dialect::postgres),
            Strings{"pg_read_file()"});
  EXPECT_TRUE(clean("SELECT abalance FROM pgbench_accounts WHERE aid = :aid", Dialect::postgres));
  EXPECT_TRUE(clean("SELECT read_file FROM t", Dialect::postgres));
}

TEST(SqlSideEffects, SqliteAttachVacuumIntoExtensionsAndPragmaWrites) {
  EXPECT_EQ(constructs("ATTACH DATABASE '/tmp/x.db' AS x", Dialect::sqlite), Strings{"ATTACH"});
  EXPECT_EQ(constructs("  /* c */ attach '/tmp/x.db' as x", Dialect::sqlite), Strings{"ATTACH"});
  EXPECT_EQ(constructs("DETACH x", Dialect::sqlite), Strings{"DETACH"});
  EXPECT_EQ(constructs("VACUUM INTO '/tmp/copy.db'", Dialect::sqlite), Strings{"VACUUM INTO"});
  EXPECT_EQ(constructs("vacuum main into '/tmp/copy.db'", Dialect::sqlite), Strings{"VACUUM INTO"});
  EXPECT_EQ(constructs("SELECT load_extension('/tmp/evil.so')", Dialect::sqlite), Strings{"load_extension()"});
  EXPECT_EQ(constructs("PRAGMA journal_mode = DELETE", Dialect::sqlite), Strings{"PRAGMA journal_mode"});
  EXPECT_EQ(constructs("PRAGMA main.user_version=7", Dialect::sqlite), Strings{"PRAGMA user_version"});
  EXPECT_EQ(constructs("pragma writable_schema(1)", Dialect::sqlite), Strings{"PRAGMA writable_schema"});
  EXPECT_TRUE(clean("PRAGMA table_info(pets)", Dialect::sqlite));
  EXPECT_TRUE(clean("PRAGMA user_version", Dialect::sqlite));
  EXPECT_TRUE(clean("VACUUM", Dialect::sqlite));
}

TEST(SqlSideEffects, StatementsJoinedBySemicolonsAreEachChecked) {
  EXPECT_EQ(constructs("SELECT 1; ATTACH 'x.db' AS x", Dialect::sqlite), Strings{"ATTACH"});
  EXPECT_EQ(constructs("SELECT 1; SELECT * FROM t INTO OUTFILE '/tmp/x'", Dialect::mysql), Strings{"INTO OUTFILE"});
  EXPECT_EQ(constructs("SELECT 1; COPY t TO PROGRAM 'x'", Dialect::postgres), Strings{"COPY ... TO PROGRAM"});
}

TEST(SqlSideEffects, TextThatIsNotAStatementIsASyntaxError) {
  for (auto dialect : {Dialect::mysql, Dialect::sqlite, Dialect::postgres}) {
    auto check = check_statement("SELEC 1", dialect);
    ASSERT_TRUE(check.syntax_error) << static_cast<int>(dialect);
    EXPECT_NE(check.syntax_error->find("SELEC"), std::string::npos) << *check.syntax_error;
  }
  EXPECT_TRUE(check_statement("SELECT FROM WHERE", Dialect::postgres).syntax_error);
  EXPECT_TRUE(check_statement("'oops' 1", Dialect::mysql).syntax_error);
  // Statements that write are not syntax errors and have no side effect beyond the write.
  EXPECT_TRUE(clean("INSERT INTO pets (name) VALUES (:name)", Dialect::postgres));
  EXPECT_TRUE(clean("(SELECT 1) UNION (SELECT 2)", Dialect::mysql));
  EXPECT_TRUE(clean("REPLACE INTO t VALUES (1)", Dialect::mysql));
  EXPECT_TRUE(clean("BEGIN", Dialect::sqlite));
  EXPECT_TRUE(clean("WITH x AS (SELECT 1) SELECT * FROM x", Dialect::sqlite));
  // An unparsable PostgreSQL statement still names the side effect it would have.
  auto both = check_statement("SELEC pg_read_file('/etc/passwd')", Dialect::postgres);
  EXPECT_TRUE(both.syntax_error);
  ASSERT_EQ(both.effects.size(), 1u);
  EXPECT_EQ(describe(both.effects[0]), "pg_read_file() reads a file on the database host");
}

// The bundled workloads are what users copy: none may be refused (no false positives).
TEST(SqlSideEffects, BundledWorkloadsAreCleanForTheirEngine) {
  namespace fs = std::filesystem;
  const fs::path root = dbvet::testing::source_dir() / "samples/virtualpet/workloads";
  const std::pair<const char*, core::Engine> services[] = {{"events", core::Engine::postgres},
                                                           {"pet-service", core::Engine::postgres},
                                                           {"user-service", core::Engine::postgres},
                                                           {"payment-service", core::Engine::mysql},
                                                           {"sqlite", core::Engine::sqlite}};
  int checked = 0;
  for (const auto& [service, engine] : services) {
    for (const auto& entry : fs::directory_iterator(root / service)) {
      if (entry.path().extension() != ".sql") continue;
      auto script = workload::load_script(entry.path().string());
      ASSERT_TRUE(script) << script.error().message;
      auto status = pipeline::live::check_workload_statements({*script}, engine, true);
      EXPECT_TRUE(status) << status.error().message;
      ++checked;
    }
  }
  for (const char* name : {"outbox_claim.sql", "outbox_claim_batch.sql"}) {
    auto script = workload::load_script((root.parent_path() / "bench" / name).string());
    ASSERT_TRUE(script) << script.error().message;
    auto status = pipeline::live::check_workload_statements({*script}, core::Engine::postgres, true);
    EXPECT_TRUE(status) << status.error().message;
  }
  for (const char* builtin : {"tpcb-like", "simple-update", "select-only"}) {
    auto script = workload::builtin_script(builtin);
    ASSERT_TRUE(script);
    for (auto engine : {core::Engine::postgres, core::Engine::mysql, core::Engine::sqlite}) {
      auto status = pipeline::live::check_workload_statements({*script}, engine, true);
      EXPECT_TRUE(status) << status.error().message;
    }
  }
  EXPECT_GT(checked, 20);
}

TEST(SqlSideEffects, WorkloadCheckNamesFileLineAndExitCode) {
  auto script = workload::parse_script("SELECT 1;\n\nSELECT * FROM t\n  INTO OUTFILE '/tmp/x';\n", "w.sql");
  ASSERT_TRUE(script);
  auto refused = pipeline::live::check_workload_statements({*script}, core::Engine::mysql, true);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().message,
            "w.sql:3: INTO OUTFILE writes a file on the database host: refused, the run is read-only (nothing was "
            "sent to the target)");
  EXPECT_EQ(refused.error().exit_code(), 2);

  auto typo = workload::parse_script("\\set id random(1, 10)\nSELECT 1;\nSELEC 1;\n", "t.sql");
  ASSERT_TRUE(typo);
  for (auto engine : {core::Engine::postgres, core::Engine::mysql, core::Engine::sqlite}) {
    auto failed = pipeline::live::check_workload_statements({*typo}, engine, true);
    ASSERT_FALSE(failed);
    EXPECT_EQ(failed.error().message.rfind("t.sql:3: the statement does not parse: ", 0), 0u) << failed.error().message;
    EXPECT_EQ(failed.error().exit_code(), 3);
  }
}

}  // namespace
}  // namespace dbvet::sql
