// Issue 14, "only what the user wrote runs, and read-only means read-only": on every engine a
// workload or an explain --analyze that would reach outside the target's rows (a file, a program,
// another database file) is refused before anything is sent, naming the file, line and construct;
// text that is not SQL is an error naming file and line, not a silently skipped statement; and
// explain --analyze of an INSERT leaves sequences and AUTO_INCREMENT where they were unless
// --allow-side-effects is given.

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "analyzer/core/target_url.hpp"
#include "analyzer/engines/connection.hpp"
#include "tests/integration/mysql_test_db.hpp"
#include "tests/integration/postgres_test_database.hpp"
#include "tests/support/test_env.hpp"

namespace dbvet::testing {
namespace {

namespace fs = std::filesystem;

fs::path write_workload(const fs::path& dir, const std::string& text) {
  auto path = dir / "w.sql";
  std::ofstream(path) << text;
  return path;
}

CommandResult audit(const std::string& url, const fs::path& workload) {
  return run_dbvet(
      {"--no-progress", "audit", url, "--workload", workload.string(), "--transactions", "3", "--format", "json"});
}

// A SQLite file with one table, made through a writing session of the test's own.
std::string sqlite_target(const fs::path& dir) {
  const std::string url = "sqlite:" + (dir / "t.db").string();
  auto parsed = core::parse_target_url(url);
  engines::ConnectOptions options;
  options.allow_writes = true;
  auto db = engines::connect(*parsed, options);
  EXPECT_TRUE(db) << db.error().message;
  auto status = (*db)->execute_script(
      "CREATE TABLE pets (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT); INSERT INTO pets (name) VALUES ('rex');");
  EXPECT_TRUE(status) << status.error().message;
  return url;
}

TEST(ReadOnlySideEffects, SqliteAuditRefusesAttachAndVacuumIntoNamingFileAndLine) {
  const auto dir = scratch_dir("ro-sqlite-attach");
  const auto url = sqlite_target(dir);
  const auto attached = dir / "attached.db";
  auto result = audit(url, write_workload(dir,
                                          "SELECT name FROM pets WHERE id = 1;\n-- the next one is hostile\n"
                                          "ATTACH DATABASE '" +
                                              attached.string() + "' AS x;\n"));
  EXPECT_EQ(result.exit_code, 2) << result.err;
  EXPECT_NE(result.err.find("w.sql:3: ATTACH opens another database file"), std::string::npos) << result.err;
  EXPECT_FALSE(fs::exists(attached));

  const auto copy = dir / "copy.db";
  result = audit(url, write_workload(dir, "VACUUM INTO '" + copy.string() + "';\n"));
  EXPECT_EQ(result.exit_code, 2) << result.err;
  EXPECT_NE(result.err.find("w.sql:1: VACUUM INTO"), std::string::npos) << result.err;
  EXPECT_FALSE(fs::exists(copy));

  result = run_dbvet({"explain", "--analyze", url, "VACUUM INTO '" + copy.string() + "'"});
  EXPECT_EQ(result.exit_code, 2) << result.err;
  EXPECT_NE(result.err.find("VACUUM INTO"), std::string::npos) << result.err;
  EXPECT_FALSE(fs::exists(copy));
  fs::remove_all(dir);
}

TEST(ReadOnlySideEffects, SqliteStatementThatDoesNotParseIsAnErrorWithFileAndLine) {
  const auto dir = scratch_dir("ro-sqlite-selec");
  const auto url = sqlite_target(dir);
  auto result = audit(url, write_workload(dir, "SELECT 1;\nSELEC 1;\n"));
  EXPECT_EQ(result.exit_code, 3) << result.err;
  EXPECT_NE(result.err.find("w.sql:2: the statement does not parse"), std::string::npos) << result.err;
  EXPECT_NE(result.err.find("SELEC"), std::string::npos) << result.err;
  fs::remove_all(dir);
}

TEST(ReadOnlySideEffects, MariadbAuditAndCaptureRefuseIntoOutfile) {
  MysqlTestDb db("ro_outfile");
  db.script(
      "CREATE TABLE pets (id INT AUTO_INCREMENT PRIMARY KEY, name VARCHAR(20)); INSERT INTO pets (name) "
      "VALUES ('rex')");
  const auto dir = scratch_dir("ro-mariadb-outfile");
  const auto out = dir / "out.txt";
  // The server runs as this user on this host: without the refusal the file would appear here.
  const auto workload = write_workload(dir,
                                       "\\set id random(1, 1)\nSELECT name FROM pets WHERE id = :id\n  "
                                       "INTO OUTFILE '" +
                                           out.string() + "';\n");
  auto result = audit(db.url(), workload);
  EXPECT_EQ(result.exit_code, 2) << result.err;
  EXPECT_NE(result.err.find("w.sql:2: INTO OUTFILE writes a file on the database host"), std::string::npos)
      << result.err;
  EXPECT_FALSE(fs::exists(out));

  result = run_dbvet({"--no-progress", "capture", db.url(), "--workload", workload.string(), "--transactions", "2"});
  EXPECT_EQ(result.exit_code, 2) << result.err;
  EXPECT_NE(result.err.find("w.sql:2: INTO OUTFILE"), std::string::npos) << result.err;
  EXPECT_FALSE(fs::exists(out));

  // Hidden in an executable comment, which the server runs.
  result = run_dbvet(
      {"explain", "--analyze", db.url(), "SELECT name FROM pets /*!50100 INTO DUMPFILE '" + out.string() + "' */"});
  EXPECT_EQ(result.exit_code, 2) << result.err;
  EXPECT_NE(result.err.find("INTO DUMPFILE"), std::string::npos) << result.err;
  EXPECT_FALSE(fs::exists(out));

  result = audit(db.url(), write_workload(dir, "SELECT 1;\n\nSELEC 1;\n"));
  EXPECT_EQ(result.exit_code, 3) << result.err;
  EXPECT_NE(result.err.find("w.sql:3: the statement does not parse"), std::string::npos) << result.err;
  fs::remove_all(dir);
}

std::string auto_increment(MysqlTestDb& db) {
  auto rows = db.writer().execute("SELECT AUTO_INCREMENT FROM information_schema.TABLES WHERE TABLE_SCHEMA = '" +
                                  db.name() + "' AND TABLE_NAME = 'pets'");
  EXPECT_TRUE(rows) << rows.error().message;
  return rows ? rows->rows.at(0).at(0).value_or("") : "";
}

TEST(ReadOnlySideEffects, MariadbExplainAnalyzeOfInsertLeavesAutoIncrement) {
  MysqlTestDb db("ro_autoinc");
  db.script(
      "CREATE TABLE pets (id INT AUTO_INCREMENT PRIMARY KEY, name VARCHAR(20)) ENGINE=InnoDB; INSERT INTO "
      "pets (name) VALUES ('rex')");
  const std::string before = auto_increment(db);
  auto result = run_dbvet({"explain", "--analyze", db.url(), "INSERT INTO pets (name) VALUES ('fido')"});
  EXPECT_EQ(result.exit_code, 2) << result.err;
  EXPECT_NE(result.err.find("would advance the AUTO_INCREMENT of pets.id"), std::string::npos) << result.err;
  EXPECT_NE(result.err.find("--allow-side-effects"), std::string::npos) << result.err;
  EXPECT_EQ(auto_increment(db), before);

  // The flag runs it: the row is rolled back, the counter is not (why the refusal exists).
  result =
      run_dbvet({"explain", "--analyze", "--allow-side-effects", db.url(), "INSERT INTO pets (name) VALUES ('x')"});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_NE(auto_increment(db), before);
  auto rows = db.writer().execute("SELECT count(*) FROM pets");
  ASSERT_TRUE(rows);
  EXPECT_EQ(rows->rows.at(0).at(0).value_or(""), "1");
}

TEST(ReadOnlySideEffects, PostgresAuditRefusesCopyProgramAndServerFiles) {
  PostgresTestDatabase db;
  db.run("CREATE TABLE pets (id serial PRIMARY KEY, name text); INSERT INTO pets (name) VALUES ('rex')");
  const auto dir = scratch_dir("ro-postgres-copy");
  const auto touched = dir / "touched";
  auto result = audit(db.url(), write_workload(dir,
                                               "SELECT name FROM pets WHERE id = 1;\nCOPY pets TO PROGRAM "
                                               "'touch " +
                                                   touched.string() + "';\n"));
  EXPECT_EQ(result.exit_code, 2) << result.err;
  EXPECT_NE(result.err.find("w.sql:2: COPY ... TO PROGRAM runs a program on the database host"), std::string::npos)
      << result.err;
  EXPECT_FALSE(fs::exists(touched));

  result = audit(db.url(), write_workload(dir,
                                          "SELECT 'pg_read_file' AS harmless;\nSELECT length(pg_read_file("
                                          "'/etc/hostname'));\n"));
  EXPECT_EQ(result.exit_code, 2) << result.err;
  EXPECT_NE(result.err.find("w.sql:2: pg_read_file() reads a file on the database host"), std::string::npos)
      << result.err;

  result = audit(db.url(), write_workload(dir, "SELECT 1;\nSELEC 1;\n"));
  EXPECT_EQ(result.exit_code, 3) << result.err;
  EXPECT_NE(result.err.find("w.sql:2: the statement does not parse: syntax error at or near \"SELEC\""),
            std::string::npos)
      << result.err;
  fs::remove_all(dir);
}

TEST(ReadOnlySideEffects, PostgresExplainAnalyzeOfInsertLeavesTheSequence) {
  PostgresTestDatabase db;
  db.run("CREATE TABLE pets (id serial PRIMARY KEY, name text); INSERT INTO pets (name) VALUES ('rex')");
  const std::string before = db.scalar("SELECT last_value || '/' || is_called FROM pets_id_seq");
  auto result = run_dbvet({"explain", "--analyze", db.url(), "INSERT INTO pets (name) VALUES ('fido')"});
  EXPECT_EQ(result.exit_code, 2) << result.err;
  EXPECT_NE(result.err.find("would advance sequence pets_id_seq"), std::string::npos) << result.err;
  EXPECT_NE(result.err.find("--allow-side-effects"), std::string::npos) << result.err;
  EXPECT_EQ(db.scalar("SELECT last_value || '/' || is_called FROM pets_id_seq"), before);

  // A statement that inserts nowhere with a counter still runs, rolled back.
  result = run_dbvet({"explain", "--analyze", db.url(), "UPDATE pets SET name = 'max' WHERE id = 1"});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(db.scalar("SELECT name FROM pets WHERE id = 1"), "rex");

  result =
      run_dbvet({"explain", "--analyze", "--allow-side-effects", db.url(), "INSERT INTO pets (name) VALUES ('x')"});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_NE(db.scalar("SELECT last_value || '/' || is_called FROM pets_id_seq"), before);
  EXPECT_EQ(db.scalar("SELECT count(*) FROM pets"), "1");
}

}  // namespace
}  // namespace dbvet::testing
