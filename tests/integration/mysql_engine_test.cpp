// The MySQL/MariaDB engine against the real test server: introspection, read-only sessions,
// result hashing, secrets and error messages.

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>

#include "tests/integration/mysql_test_db.hpp"

namespace dbvet::testing {
namespace {

std::string with_password(const std::string& url, const std::string& password) {
  auto scheme_end = url.find("://") + 3;
  auto at = url.find('@', scheme_end);
  auto colon = url.find(':', scheme_end);
  std::string user = url.substr(scheme_end, std::min(colon, at) - scheme_end);
  return url.substr(0, scheme_end) + user + (password.empty() ? "" : ":" + password) + url.substr(at);
}

std::string password_of(const std::string& url) {
  auto scheme_end = url.find("://") + 3;
  auto at = url.find('@', scheme_end);
  auto colon = url.find(':', scheme_end);
  return url.substr(colon + 1, at - colon - 1);
}

TEST(MysqlEngine, IntrospectsTablesIndexesForeignKeysAndCardinality) {
  MysqlTestDb db("introspect");
  db.script(
      "CREATE TABLE owners (id INT PRIMARY KEY, email VARCHAR(80) NOT NULL, UNIQUE KEY uq_email (email));"
      "CREATE TABLE pets (id INT PRIMARY KEY, owner_id INT NOT NULL, species VARCHAR(20) NULL, born DATE,"
      "  notes TEXT, KEY idx_species_born (species, born DESC), KEY idx_notes (notes(10)),"
      "  CONSTRAINT fk_pets_owner FOREIGN KEY (owner_id) REFERENCES owners (id));"
      "INSERT INTO owners SELECT seq, CONCAT('o', seq, '@x.io') FROM seq_1_to_200;"
      "INSERT INTO pets SELECT seq, 1 + seq % 200, ELT(1 + seq % 4, 'cat', 'dog', 'owl', 'fox'), "
      "  '2020-01-01' + INTERVAL seq DAY, 'n' FROM seq_1_to_1000;"
      "ANALYZE TABLE owners, pets;"
      "SELECT COUNT(*) FROM pets WHERE species = 'cat'");
  auto reader = MysqlTestDb::open(db.url(), false);
  ASSERT_TRUE(reader);
  (void)reader->execute("SELECT * FROM pets WHERE id = 5");
  auto schema = reader->introspect();
  ASSERT_TRUE(schema.has_value()) << schema.error().message;
  EXPECT_EQ(schema->engine, "mariadb");
  EXPECT_EQ(schema->database, db.name());
  // Index counters start with the server (Uptime): minutes on a test server.
  ASSERT_TRUE(schema->statistics_age_seconds.has_value());
  EXPECT_LT(*schema->statistics_age_seconds, 86400);
  ASSERT_EQ(schema->tables.size(), 2u);

  const auto* pets = schema->find_table("pets");
  ASSERT_NE(pets, nullptr);
  EXPECT_TRUE(pets->has_primary_key());
  EXPECT_GT(pets->estimated_rows.value_or(0), 500);
  EXPECT_GT(pets->size_bytes.value_or(0), 0);
  ASSERT_EQ(pets->columns.size(), 5u);
  EXPECT_EQ(pets->columns[1].name, "owner_id");
  EXPECT_FALSE(pets->columns[1].nullable);
  EXPECT_TRUE(pets->find_column("species")->nullable);
  // Cardinality (an InnoDB sample estimate) of idx_species_born's leading column: a handful of species,
  // and of PRIMARY's: about one per row.
  auto species = pets->find_column("species")->distinct_values.value_or(0);
  EXPECT_GE(species, 2);
  EXPECT_LE(species, 40);
  EXPECT_GT(pets->find_column("id")->distinct_values.value_or(0), 500);

  const model::Index* composite = nullptr;
  const model::Index* prefix = nullptr;
  const model::Index* fk_index = nullptr;
  for (const auto& index : pets->indexes) {
    if (index.name == "idx_species_born") composite = &index;
    if (index.name == "idx_notes") prefix = &index;
    if (index.name == "fk_pets_owner") fk_index = &index;
  }
  ASSERT_NE(composite, nullptr);
  EXPECT_EQ(composite->columns, (std::vector<std::string>{"species", "born"}));
  EXPECT_EQ(composite->method, "btree");
  EXPECT_FALSE(composite->unique);
  ASSERT_NE(prefix, nullptr);
  EXPECT_EQ(prefix->columns, std::vector<std::string>{"notes(10)"});
  ASSERT_NE(fk_index, nullptr) << "InnoDB adds an index for the foreign key";
  EXPECT_TRUE(composite->size_bytes.has_value()) << "from mysql.innodb_index_stats";

  ASSERT_EQ(pets->foreign_keys.size(), 1u);
  EXPECT_EQ(pets->foreign_keys[0].name, "fk_pets_owner");
  EXPECT_EQ(pets->foreign_keys[0].columns, std::vector<std::string>{"owner_id"});
  EXPECT_EQ(pets->foreign_keys[0].referenced_table, "owners");
  EXPECT_EQ(pets->foreign_keys[0].referenced_columns, std::vector<std::string>{"id"});

  const auto* owners = schema->find_table("owners");
  ASSERT_NE(owners, nullptr);
  bool unique_email = false;
  for (const auto& index : owners->indexes) unique_email |= index.name == "uq_email" && index.unique;
  EXPECT_TRUE(unique_email);
  // performance_schema is on in the test server: the PRIMARY lookup above was counted.
  const model::Index* pets_pk = nullptr;
  for (const auto& index : pets->indexes) {
    if (index.primary) pets_pk = &index;
  }
  ASSERT_NE(pets_pk, nullptr);
  EXPECT_GE(pets_pk->scans.value_or(-1), 1);
  EXPECT_TRUE(pets->inserts.has_value());
}

TEST(MysqlEngine, SessionIsReadOnlyAndAnalyzeOfDeleteIsRolledBack) {
  MysqlTestDb db("read_only");
  db.script(
      "CREATE TABLE t (id INT PRIMARY KEY, v VARCHAR(20)) ENGINE=InnoDB;"
      "INSERT INTO t SELECT seq, CONCAT('v', seq) FROM seq_1_to_300");
  auto reader = MysqlTestDb::open(db.url(), false);
  ASSERT_TRUE(reader);
  auto before = reader->execute("SELECT id, v FROM t ORDER BY id");
  ASSERT_TRUE(before.has_value()) << before.error().message;
  EXPECT_EQ(before->row_count, 300);
  auto checksum_before = reader->execute("CHECKSUM TABLE t");
  ASSERT_TRUE(checksum_before.has_value()) << checksum_before.error().message;

  auto insert = reader->execute("INSERT INTO t VALUES (1000, 'x')");
  ASSERT_FALSE(insert.has_value());
  EXPECT_EQ(insert.error().kind, core::ErrorKind::query);
  EXPECT_NE(insert.error().message.find("READ ONLY"), std::string::npos) << insert.error().message;

  auto script = reader->execute_script("DELETE FROM t");
  ASSERT_FALSE(script.has_value());
  EXPECT_NE(script.error().message.find("read-only"), std::string::npos);

  auto analyze = run_dbvet({"explain", "--analyze", db.url(), "DELETE FROM t"});
  EXPECT_EQ(analyze.exit_code, 0) << analyze.err;
  EXPECT_NE(analyze.out.find("rows=300 loops=1"), std::string::npos) << analyze.out;  // it really ran

  auto after = reader->execute("SELECT id, v FROM t ORDER BY id");
  ASSERT_TRUE(after.has_value());
  EXPECT_EQ(after->row_count, 300);
  EXPECT_EQ(after->result_hash, before->result_hash);
  auto checksum = reader->execute("CHECKSUM TABLE t");
  ASSERT_TRUE(checksum.has_value());
  EXPECT_EQ(checksum->rows.at(0).at(1), checksum_before->rows.at(0).at(1));
}

TEST(MysqlEngine, ResultHashTellsDifferentAnswersApart) {
  MysqlTestDb db("result_hash");
  db.script("CREATE TABLE t (a INT, b VARCHAR(5)); INSERT INTO t VALUES (1, NULL), (2, ''), (3, 'x')");
  auto reader = MysqlTestDb::open(db.url(), false);
  engines::ExecuteOptions keep_two;
  keep_two.keep_rows = 2;
  auto all = reader->execute("SELECT a, b FROM t ORDER BY a", keep_two);
  ASSERT_TRUE(all.has_value());
  EXPECT_EQ(all->row_count, 3);
  EXPECT_EQ(all->rows.size(), 2u);
  EXPECT_FALSE(all->rows[0][1].has_value());
  EXPECT_EQ(all->rows[1][1].value_or("?"), "");
  auto again = reader->execute("SELECT a, b FROM t ORDER BY a");
  EXPECT_EQ(all->result_hash, again->result_hash);
  auto other = reader->execute("SELECT a, COALESCE(b, '') FROM t ORDER BY a");  // NULL became ''
  EXPECT_NE(all->result_hash, other->result_hash);
}

TEST(MysqlEngine, StatementTimeout) {
  auto parsed = core::parse_target_url(server_url("MYSQL"));
  ASSERT_TRUE(parsed.has_value());
  engines::ConnectOptions options;
  options.statement_timeout = std::chrono::milliseconds(1000);
  auto connection = engines::connect(*parsed, options);
  ASSERT_TRUE(connection.has_value()) << connection.error().message;
  auto slow = (*connection)->execute("SELECT SLEEP(5) FROM seq_1_to_2");
  ASSERT_FALSE(slow.has_value());
  EXPECT_NE(slow.error().message.find("timed out after 1 s"), std::string::npos) << slow.error().message;
  EXPECT_EQ(slow.error().message.find(password_of(server_url("MYSQL"))), std::string::npos);
}

void expect_clean_failure(const CommandResult& result, const std::string& secret, const std::string& expected) {
  EXPECT_EQ(result.exit_code, 3) << result.out << result.err;
  EXPECT_EQ(result.out.find(secret), std::string::npos) << result.out;
  EXPECT_EQ(result.err.find(secret), std::string::npos) << result.err;
  EXPECT_NE(result.err.find(expected), std::string::npos) << result.err;
  // One line, no trace.
  EXPECT_EQ(std::count(result.err.begin(), result.err.end(), '\n'), 1) << result.err;
}

TEST(MysqlEngine, WrongPasswordNeverShows) {
  const std::string secret = "Wr0ngSecret-4c1d";
  std::string url = server_url("MYSQL");
  expect_clean_failure(run_dbvet({"explain", with_password(url, secret), "SELECT 1"}), secret, "Access denied");
  // The same through MYSQL_PWD, with no password in the URL.
  auto via_env = run_dbvet({"explain", with_password(url, ""), "SELECT 1"}, {"MYSQL_PWD=" + secret});
  expect_clean_failure(via_env, secret, "Access denied");
  // And the real password through MYSQL_PWD works and is not printed either.
  std::string real = password_of(url);
  auto ok = run_dbvet({"explain", with_password(url, ""), "SELECT 1"}, {"MYSQL_PWD=" + real});
  EXPECT_EQ(ok.exit_code, 0) << ok.err;
  EXPECT_EQ(ok.out.find(real), std::string::npos);
  EXPECT_EQ(ok.err.find(real), std::string::npos);
}

TEST(MysqlEngine, PasswordFromOptionFile) {
  // The [client] group of the option files (~/.my.cnf and the others libmariadb reads); the test
  // cannot move HOME, so it uses $MARIADB_HOME/my.cnf, read by the same code path.
  std::string url = server_url("MYSQL");
  auto home = scratch_dir("mysql_option_file");
  {
    std::ofstream cnf(home / "my.cnf");
    cnf << "[client]\npassword=" << password_of(url) << "\n";
  }
  auto with_cnf = run_dbvet({"explain", with_password(url, ""), "SELECT 1"}, {"MARIADB_HOME=" + home.string()});
  EXPECT_EQ(with_cnf.exit_code, 0) << with_cnf.err;
  EXPECT_NE(with_cnf.out.find("No tables used"), std::string::npos) << with_cnf.out;
  EXPECT_EQ(with_cnf.out.find(password_of(url)), std::string::npos);
  std::filesystem::remove_all(home);
}

TEST(MysqlEngine, UnknownDatabaseNothingListeningAndBadSql) {
  std::string url = server_url("MYSQL");
  std::string secret = password_of(url);
  std::string unknown = url.substr(0, url.rfind('/') + 1) + "dbvet_no_such_db";
  expect_clean_failure(run_dbvet({"explain", unknown, "SELECT 1"}), secret, "Unknown database");

  // Port 1 on loopback: nothing listens there, the connection is refused at once.
  std::string dead = "mysql://dbvet:" + secret + "@127.0.0.1:1/dbvet";
  auto refused = run_dbvet({"explain", dead, "SELECT 1"});
  expect_clean_failure(refused, secret, "cannot connect to mysql://dbvet:***@127.0.0.1:1/dbvet");

  auto bad_sql = run_dbvet({"explain", url, "SELEC nothing FROM"});
  expect_clean_failure(bad_sql, secret, "SQL syntax");
}

}  // namespace
}  // namespace dbvet::testing
