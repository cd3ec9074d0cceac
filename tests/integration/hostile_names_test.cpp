// Identifiers are data, never SQL (issue 14): on SQLite, PostgreSQL (HypoPG) and MariaDB
// (--sandbox), tables and columns with hostile names (quotes of every kind, `;`, comments,
// backslashes, reserved words, mixed case, Unicode, long names) still get index advice, its DDL
// runs as one statement on a copy of the database and creates the index, and a canary table is
// never touched, neither in the target nor in the copy. Every query also reads a hostile column, which a
// covering index carries (appended to SQLite's key; PostgreSQL's INCLUDE rendered and run on the copy).

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <string>
#include <vector>

#include "analyzer/sql/render.hpp"
#include "nlohmann/json.hpp"
#include "tests/integration/mysql_test_db.hpp"
#include "tests/integration/postgres_test_database.hpp"
#include "tests/support/test_env.hpp"

namespace dbvet::testing {
namespace {

using nlohmann::json;

struct Hostile {
  std::string table;
  std::string column;
};

// The column every query reads besides its key: covering indexes carry it.
const std::string kHostileOutput = "out'); DROP TABLE canary; --";

std::string long_unicode_name() {
  std::string name = "pet_notes_";
  for (int i = 0; i < 26; ++i) name += "é";  // 62 bytes in all, 36 characters
  return name;
}

// Hostile names every engine accepts. No '.': dbvet reads "a.b" as schema a, table b.
std::vector<Hostile> hostile_names(char quote) {
  std::vector<Hostile> names = {
      {"PetNotes", "v); DROP TABLE canary; # -- /* x */"},
      {"order", "select"},
      // MariaDB 10.11 writes " and \ in names unescaped into EXPLAIN FORMAT=JSON: dbvet re-escapes them.
      {"i\"dx'; DROP TABLE canary; --", "group"},
      {long_unicode_name(), "Ünïcødé col\\"},
  };
  // A name holding the engine's own quote character.
  names.push_back({std::string("q") + quote + "; DROP TABLE canary; " + quote, std::string("c") + quote + "x"});
  return names;
}

// Always quoted, the quote doubled: written here by hand, independently of analyzer/sql.
std::string q(char quote, const std::string& name) {
  std::string out(1, quote);
  for (char c : name) {
    if (c == quote) out += quote;
    out += c;
  }
  return out + quote;
}

std::string setup_sql(char quote, bool mysql) {
  std::string sql =
      "CREATE TABLE canary (id INTEGER PRIMARY KEY, note VARCHAR(20));\n"
      "INSERT INTO canary VALUES (1, 'a'), (2, 'b'), (3, 'c');\n";
  for (const auto& h : hostile_names(quote)) {
    sql += "CREATE TABLE " + q(quote, h.table) + " (id INTEGER PRIMARY KEY, " + q(quote, h.column) +
           " INTEGER, plain INTEGER, " + q(quote, kHostileOutput) + " INTEGER);\n";
    // 4000 rows, 200 distinct values in the hostile column: an index on it pays, and 20 rows per value
    // make a covering twin worth offering (INCLUDE on PostgreSQL, appended keys elsewhere).
    std::string values;
    for (int i = 1; i <= 4000; ++i) {
      values += (i > 1 ? ", (" : "(") + std::to_string(i) + ", " + std::to_string(i % 200) + ", " +
                std::to_string(i % 7) + ", " + std::to_string(i % 13) + ")";
    }
    sql += "INSERT INTO " + q(quote, h.table) + " VALUES " + values + ";\n";
    sql += std::string(mysql ? "ANALYZE TABLE " : "ANALYZE ") + q(quote, h.table) + ";\n";
  }
  return sql;
}

std::filesystem::path write_workload(const std::string& name, char quote) {
  auto dir = scratch_dir(name);
  auto path = dir / "hostile.sql";
  std::ofstream out(path);
  for (const auto& h : hostile_names(quote)) {
    out << "SELECT id, " << q(quote, kHostileOutput) << " FROM " << q(quote, h.table) << " WHERE " << q(quote, h.column)
        << " = 7;\n";
  }
  return path;
}

// Every hostile table got an index recommendation on its hostile column; returns their DDL.
std::vector<std::string> index_ddl_for_each(const json& report, char quote) {
  std::vector<std::string> ddl;
  for (const auto& h : hostile_names(quote)) {
    bool found = false;
    for (const auto& r : report["recommendations"]) {
      if (r["type"] != "index" || r["table"] != h.table) continue;
      if (r["columns"].empty() || r["columns"][0] != h.column) continue;
      found = true;
      ddl.push_back(r["ddl"].get<std::string>());
      break;
    }
    EXPECT_TRUE(found) << "no index advice for table " << h.table << " column " << h.column << "\n"
                       << report["recommendations"].dump(1) << "\nnotes: " << report["notes"].dump(1);
  }
  return ddl;
}

// Some advice covers the query: it carries the hostile output column (INCLUDE on PostgreSQL, an
// appended key elsewhere), quoted as the engine quotes it.
void expect_a_covering_index(const std::vector<std::string>& ddl, char quote) {
  const std::string column = q(quote, kHostileOutput);
  bool found = false;
  for (const auto& statement : ddl) found = found || statement.find(column) != std::string::npos;
  EXPECT_TRUE(found) << "no advice carries " << column << " in:\n" << ::testing::PrintToString(ddl);
}

std::unique_ptr<engines::Connection> writer(const std::string& url) {
  auto parsed = core::parse_target_url(url);
  EXPECT_TRUE(parsed.has_value());
  engines::ConnectOptions options;
  options.allow_writes = true;
  auto connection = engines::connect(*parsed, options);
  EXPECT_TRUE(connection.has_value()) << (connection ? "" : connection.error().message);
  return connection ? std::move(*connection) : nullptr;
}

std::string scalar(engines::Connection& connection, const std::string& sql) {
  auto result = connection.execute(sql, {});
  EXPECT_TRUE(result.has_value()) << sql << ": " << (result ? "" : result.error().message);
  if (!result || result->rows.empty() || result->rows[0].empty()) return "";
  return result->rows[0][0].value_or("NULL");
}

void expect_canary(engines::Connection& connection, const std::string& where) {
  EXPECT_EQ(scalar(connection, "SELECT count(*) FROM canary WHERE note IN ('a', 'b', 'c')"), "3") << where;
}

// Runs each DDL on `copy`, one call each, and checks the index exists afterwards.
void apply_on_copy(engines::Connection& copy, const std::vector<std::string>& ddl, const std::string& index_count_sql) {
  auto before = std::stoi(scalar(copy, index_count_sql));
  for (const auto& statement : ddl) {
    auto status = copy.execute_script(statement);
    EXPECT_TRUE(status.has_value()) << statement << ": " << (status ? "" : status.error().message);
  }
  EXPECT_EQ(std::stoi(scalar(copy, index_count_sql)), before + static_cast<int>(ddl.size()));
  expect_canary(copy, "the copy");
}

json advise(const std::vector<std::string>& args) {
  auto result = run_dbvet(args);
  EXPECT_EQ(result.exit_code, 0) << result.err << result.out;
  if (result.exit_code != 0) return json();
  return json::parse(result.out);
}

TEST(HostileNames, Sqlite) {
  auto dir = scratch_dir("hostile_sqlite");
  auto db = dir / "hostile.db";
  std::filesystem::remove(db);
  {
    auto w = writer("sqlite:" + db.string());
    ASSERT_TRUE(w);
    ASSERT_TRUE(w->execute_script(setup_sql('"', false)).has_value());
    // Two indexes on the same key: the second (by name) is advised dropped, and its name is hostile.
    ASSERT_TRUE(w->execute_script("CREATE INDEX a_plain ON \"order\" (plain); CREATE INDEX \"j\"\"dx'; DROP TABLE "
                                  "canary; --\" ON \"order\" (plain)")
                    .has_value());
  }
  auto workload = write_workload("hostile_sqlite_w", '"');
  auto report = advise({"advise", "sqlite:" + db.string(), "-w", workload.string(), "--format", "json",
                        "--transactions", "20", "--no-progress"});
  ASSERT_FALSE(report.is_null());
  auto ddl = index_ddl_for_each(report, '"');
  auto target = writer("sqlite:" + db.string());
  ASSERT_TRUE(target);
  expect_canary(*target, "the target");
  EXPECT_EQ(scalar(*target, "SELECT count(*) FROM sqlite_schema WHERE type = 'index' AND name LIKE 'dbvet%'"), "0");
  target.reset();

  auto copy_path = dir / "copy.db";
  std::filesystem::copy_file(db, copy_path, std::filesystem::copy_options::overwrite_existing);
  auto copy = writer("sqlite:" + copy_path.string());
  ASSERT_TRUE(copy);
  apply_on_copy(*copy, ddl, "SELECT count(*) FROM sqlite_schema WHERE type = 'index'");
  std::string drop;
  for (const auto& r : report["recommendations"]) {
    if (r["type"] == "drop_index" && r["details"]["index"] == "j\"dx'; DROP TABLE canary; --") drop = r["ddl"];
  }
  ASSERT_FALSE(drop.empty()) << report["recommendations"].dump(1);
  auto dropped = copy->execute_script(drop);
  EXPECT_TRUE(dropped.has_value()) << drop << ": " << (dropped ? "" : dropped.error().message);
  EXPECT_EQ(scalar(*copy, "SELECT count(*) FROM sqlite_schema WHERE name = 'j\"dx''; DROP TABLE canary; --'"), "0");
  EXPECT_EQ(scalar(*copy, "SELECT count(*) FROM sqlite_schema WHERE name = 'a_plain'"), "1");
  expect_canary(*copy, "the copy after the drop");
  copy.reset();

  // --apply on another copy runs the same statements through dbvet itself.
  auto apply_path = dir / "apply.db";
  std::filesystem::copy_file(db, apply_path, std::filesystem::copy_options::overwrite_existing);
  auto applied = advise({"advise", "sqlite:" + apply_path.string(), "-w", workload.string(), "--format", "json",
                         "--transactions", "20", "--no-progress", "--apply"});
  ASSERT_FALSE(applied.is_null());
  ASSERT_TRUE(applied.contains("applied")) << applied.dump(1);
  size_t indexes = 0;
  for (const auto& r : applied["recommendations"]) indexes += r["type"] == "index" ? 1 : 0;
  EXPECT_EQ(applied["applied"].size(), indexes);
  EXPECT_GE(indexes, ddl.size());
  for (const auto& a : applied["applied"]) EXPECT_EQ(a["status"], "applied") << a.dump();
  auto after = writer("sqlite:" + apply_path.string());
  ASSERT_TRUE(after);
  expect_canary(*after, "the --apply copy");
}

TEST(HostileNames, Postgres) {
  const std::string base = "dbvet_it_hostile_" + std::to_string(static_cast<long>(getpid()));
  PostgresTestDatabase database(base);
  database.run("CREATE EXTENSION hypopg");
  database.run(setup_sql('"', false));
  auto workload = write_workload("hostile_pg_w", '"');
  auto report = advise(
      {"advise", database.url(), "-w", workload.string(), "--format", "json", "--transactions", "20", "--no-progress"});
  ASSERT_FALSE(report.is_null());
  EXPECT_EQ(report["verification"], "hypopg") << report["notes"].dump();
  auto ddl = index_ddl_for_each(report, '"');
  EXPECT_EQ(database.scalar("SELECT count(*) FROM canary WHERE note IN ('a', 'b', 'c')"), "3");
  EXPECT_EQ(database.scalar("SELECT count(*) FROM pg_indexes WHERE indexname LIKE 'dbvet%'"), "0");

  PostgresTestDatabase copy(base + "_copy");
  copy.run(setup_sql('"', false));
  auto connection = writer(copy.url());
  ASSERT_TRUE(connection);
  apply_on_copy(*connection, ddl, "SELECT count(*) FROM pg_indexes WHERE schemaname = 'public'");
  EXPECT_EQ(database.scalar("SELECT count(*) FROM canary"), "3");

  // A covering twin's INCLUDE columns, hostile too, as the advice renders them. (Whether the advice
  // keeps a twin here depends on the visibility map, which a test cannot pin: HypoPG and the planner
  // price no index-only scan on pages VACUUM has not marked all-visible.)
  std::vector<std::string> covering;
  for (const auto& h : hostile_names('"')) {
    model::IndexCandidate twin;
    twin.table = h.table;
    twin.columns = {h.column};
    twin.include = {kHostileOutput, "plain"};
    auto rendered = sql::recommended_index_ddl(sql::Dialect::postgres, twin);
    ASSERT_TRUE(rendered) << rendered.error().message;
    covering.push_back(*rendered);
  }
  expect_a_covering_index(covering, '"');
  apply_on_copy(*connection, covering, "SELECT count(*) FROM pg_indexes WHERE schemaname = 'public'");
}

TEST(HostileNames, MariadbSandbox) {
  const std::string base = "hostile_" + std::to_string(static_cast<long>(getpid()));
  MysqlTestDb database(base);
  database.script(setup_sql('`', true));
  auto workload = write_workload("hostile_my_w", '`');
  auto report = advise({"advise", database.url(), "-w", workload.string(), "--format", "json", "--transactions", "20",
                        "--no-progress", "--sandbox"});
  ASSERT_FALSE(report.is_null());
  auto ddl = index_ddl_for_each(report, '`');
  expect_canary(database.writer(), "the target");
  const std::string count_indexes =
      "SELECT count(DISTINCT table_name, index_name) FROM information_schema.statistics WHERE table_schema = "
      "DATABASE()";
  auto indexes_before = scalar(database.writer(), count_indexes);
  EXPECT_EQ(scalar(database.writer(),
                   "SELECT count(*) FROM information_schema.statistics WHERE table_schema = "
                   "DATABASE() AND index_name LIKE 'dbvet%'"),
            "0");

  MysqlTestDb copy(base + "_copy");
  copy.script(setup_sql('`', true));
  apply_on_copy(copy.writer(), ddl, count_indexes);
  expect_canary(database.writer(), "the target after the copy");
  EXPECT_EQ(scalar(database.writer(), count_indexes), indexes_before);
}

// The issue's own path: a slow log of queries on the hostile columns, advised with --sandbox.
TEST(HostileNames, MariadbSlowLogSandbox) {
  const std::string base = "hostile_log_" + std::to_string(static_cast<long>(getpid()));
  MysqlTestDb database(base);
  database.script(setup_sql('`', true));
  auto log = scratch_dir("hostile_my_log") / "slow.log";
  {
    std::ofstream out(log);
    out << "/usr/sbin/mariadbd, Version: 10.11.19-MariaDB-log. started with:\n"
           "Tcp port: 3306  Unix socket: /run/mysqld/mysqld.sock\nTime                 Id Command    Argument\n";
    int n = 0;
    for (int round = 0; round < 5; ++round) {
      for (const auto& h : hostile_names('`')) {
        out << "# Time: 251206  7:00:" << (10 + n % 50) << "\n# User@Host: dbvet[dbvet] @ localhost [127.0.0.1]\n"
            << "# Thread_id: 5  Schema: " << database.name() << "  QC_hit: No\n"
            << "# Query_time: 0.020000  Lock_time: 0.000010  Rows_sent: 4  Rows_examined: 4000\n"
            << "SET timestamp=" << 1765000000 + n << ";\nSELECT id, " << q('`', kHostileOutput) << " FROM "
            << q('`', h.table) << " WHERE " << q('`', h.column) << " = " << round << ";\n";
        ++n;
      }
    }
  }
  auto report =
      advise({"advise", database.url(), "--log", log.string(), "--format", "json", "--no-progress", "--sandbox"});
  ASSERT_FALSE(report.is_null());
  auto ddl = index_ddl_for_each(report, '`');
  expect_canary(database.writer(), "the target");
  MysqlTestDb copy(base + "_copy");
  copy.script(setup_sql('`', true));
  apply_on_copy(copy.writer(), ddl,
                "SELECT count(DISTINCT table_name, index_name) FROM information_schema.statistics WHERE table_schema = "
                "DATABASE()");
}

}  // namespace
}  // namespace dbvet::testing
