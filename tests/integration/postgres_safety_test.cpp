#include <filesystem>
#include <fstream>

#include "analyzer/engines/connection.hpp"
#include "nlohmann/json.hpp"
#include "tests/integration/postgres_test_database.hpp"

namespace dbvet {
namespace {

std::unique_ptr<engines::Connection> open(const std::string& url_text, engines::ConnectOptions options = {}) {
  auto url = core::parse_target_url(url_text);
  EXPECT_TRUE(url.has_value());
  auto connection = engines::connect(*url, options);
  EXPECT_TRUE(connection.has_value()) << connection.error().message;
  return connection ? std::move(*connection) : nullptr;
}

int count_lines(const std::string& text) {
  int lines = 0;
  for (char c : text) lines += c == '\n';
  return lines;
}

class PostgresSafety : public ::testing::Test {
 protected:
  void SetUp() override {
    db_.run(R"(
      CREATE TABLE accounts (id int PRIMARY KEY, owner text, balance numeric(12, 2));
      INSERT INTO accounts SELECT g, 'owner ' || g, g * 1.5 FROM generate_series(1, 500) g;)");
  }
  std::string checksum() const {
    return db_.scalar(
        "SELECT count(*) || ':' || md5(string_agg(id || '/' || owner || '/' || balance, ',' ORDER BY id)) "
        "FROM accounts");
  }
  testing::PostgresTestDatabase db_;
};

TEST_F(PostgresSafety, SessionIsReadOnly) {
  auto connection = open(db_.url());
  ASSERT_NE(connection, nullptr);
  auto before = checksum();
  auto inserted = connection->execute("INSERT INTO accounts VALUES (1000, 'intruder', 1)");
  ASSERT_FALSE(inserted.has_value());
  EXPECT_EQ(inserted.error().kind, core::ErrorKind::query);
  EXPECT_NE(inserted.error().message.find("read-only transaction"), std::string::npos) << inserted.error().message;
  EXPECT_EQ(inserted.error().message.find(db_.password()), std::string::npos);
  EXPECT_EQ(connection->execute("SET transaction_read_only = off; DELETE FROM accounts").has_value(), false);
  EXPECT_EQ(checksum(), before);

  auto script = connection->execute_script("DROP TABLE accounts");
  ASSERT_FALSE(script.has_value());
  EXPECT_NE(script.error().message.find("read-only"), std::string::npos) << script.error().message;
  EXPECT_EQ(checksum(), before);
}

TEST_F(PostgresSafety, AnalyzedDeleteIsRolledBack) {
  auto before = checksum();
  auto connection = open(db_.url());
  engines::ExplainOptions options;
  options.analyze = true;
  auto plan = connection->explain("DELETE FROM accounts WHERE id > 10", options);
  ASSERT_TRUE(plan.has_value()) << plan.error().message;
  EXPECT_EQ(plan->root.operation, "Delete");
  EXPECT_TRUE(plan->analyzed);
  EXPECT_EQ(checksum(), before);
  // The session is still usable and still read-only after the rolled-back transaction.
  EXPECT_FALSE(connection->execute("UPDATE accounts SET balance = 0").has_value());

  auto run = testing::run_dbvet({"explain", "--analyze", db_.url(), "DELETE FROM accounts", "--format", "json"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  auto root = nlohmann::json::parse(run.out)["statements"][0]["plan"]["root"];
  EXPECT_EQ(root["operation"], "Delete");
  EXPECT_DOUBLE_EQ(root["children"][0]["actual_rows"].get<double>(), 500.0);
  EXPECT_EQ(checksum(), before);

  auto failing = testing::run_dbvet({"explain", "--analyze", db_.url(), "DELETE FROM accounts WHERE id / 0 = 1"});
  EXPECT_EQ(failing.exit_code, 3);
  EXPECT_EQ(checksum(), before);
}

TEST_F(PostgresSafety, ExecuteSummarisesResults) {
  auto connection = open(db_.url());
  engines::ExecuteOptions keep_three;
  keep_three.keep_rows = 3;
  auto up = connection->execute("SELECT id, owner, NULL::text AS nothing FROM accounts ORDER BY id", keep_three);
  ASSERT_TRUE(up.has_value()) << up.error().message;
  EXPECT_EQ(up->columns, (std::vector<std::string>{"id", "owner", "nothing"}));
  EXPECT_EQ(up->row_count, 500);
  ASSERT_EQ(up->rows.size(), 3u);
  EXPECT_EQ(up->rows[0][1], std::optional<std::string>("owner 1"));
  EXPECT_FALSE(up->rows[0][2].has_value());
  auto down = connection->execute("SELECT id, owner, NULL::text AS nothing FROM accounts ORDER BY id DESC");
  ASSERT_TRUE(down.has_value());
  EXPECT_EQ(down->result_hash, up->result_hash) << "the same answer in another order";
  auto other = connection->execute("SELECT id, owner, NULL::text FROM accounts WHERE id <> 7 ORDER BY id");
  ASSERT_TRUE(other.has_value());
  EXPECT_NE(other->result_hash, up->result_hash);
  auto null_vs_empty = connection->execute("SELECT ''::text");
  auto null_only = connection->execute("SELECT NULL::text");
  EXPECT_NE(null_vs_empty->result_hash, null_only->result_hash);
}

TEST_F(PostgresSafety, StatementTimeoutIsOneLine) {
  engines::ConnectOptions options;
  options.statement_timeout = std::chrono::milliseconds(200);
  auto connection = open(db_.url(), options);
  auto slept = connection->execute("SELECT pg_sleep(3)");
  ASSERT_FALSE(slept.has_value());
  EXPECT_EQ(slept.error().kind, core::ErrorKind::query);
  EXPECT_NE(slept.error().message.find("200 ms statement timeout"), std::string::npos) << slept.error().message;
}

TEST_F(PostgresSafety, WritesOnlyWhenAllowed) {
  struct Rows : engines::RowSource {
    int next = 0;
    bool next_batch(std::vector<std::vector<std::optional<std::string>>>& batch, size_t max_rows) override {
      for (size_t i = 0; i < max_rows && next < 25000; ++i, ++next) {
        batch.push_back({std::to_string(10000 + next),
                         next % 2 ? std::optional<std::string>("tab\there\\ \"q\"\nline") : std::nullopt, "2.50"});
      }
      return next < 25000;
    }
  };
  Rows refused_rows;
  auto read_only = open(db_.url());
  auto refused = read_only->load_rows("accounts", {"id", "owner", "balance"}, refused_rows);
  ASSERT_FALSE(refused.has_value());
  EXPECT_EQ(refused_rows.next, 0) << "refused before reading any row";

  engines::ConnectOptions options;
  options.allow_writes = true;
  auto writable = open(db_.url(), options);
  ASSERT_TRUE(
      writable->execute_script("CREATE SCHEMA bank; CREATE TABLE bank.\"Ledger\" (id int, note text);").has_value());
  Rows rows;
  auto loaded = writable->load_rows("accounts", {"id", "owner", "balance"}, rows);
  ASSERT_TRUE(loaded.has_value()) << loaded.error().message;
  EXPECT_EQ(*loaded, 25000);
  EXPECT_EQ(db_.scalar("SELECT count(*) FROM accounts"), "25500");
  EXPECT_EQ(db_.scalar("SELECT count(*) FROM accounts WHERE owner IS NULL"), "12500");
  EXPECT_EQ(db_.scalar("SELECT owner FROM accounts WHERE id = 10001"), "tab\there\\ \"q\"\nline");

  struct Two : engines::RowSource {
    bool next_batch(std::vector<std::vector<std::optional<std::string>>>& batch, size_t) override {
      batch.push_back({"1", "first"});
      batch.push_back({"2", std::nullopt});
      return false;
    }
  } two;
  auto into_quoted = writable->load_rows("bank.Ledger", {"id", "note"}, two);
  ASSERT_TRUE(into_quoted.has_value()) << into_quoted.error().message;
  EXPECT_EQ(db_.scalar("SELECT count(note) || '/' || count(*) FROM bank.\"Ledger\""), "1/2");
}

TEST_F(PostgresSafety, PasswordsNeverShownAndErrorsAreOneLine) {
  auto password = db_.password();
  ASSERT_FALSE(password.empty());
  auto url = db_.url();
  auto wrong_url = url;
  wrong_url.replace(wrong_url.find(password), password.size(), "Wr0ng-S3cret-Pw");
  auto wrong = testing::run_dbvet({"explain", wrong_url, "SELECT 1"});
  EXPECT_EQ(wrong.exit_code, 3);
  EXPECT_EQ(count_lines(wrong.err), 1) << wrong.err;
  EXPECT_NE(wrong.err.find("password authentication failed"), std::string::npos) << wrong.err;
  EXPECT_NE(wrong.err.find(":***@"), std::string::npos) << "names the redacted target: " << wrong.err;
  EXPECT_EQ((wrong.out + wrong.err).find("Wr0ng-S3cret-Pw"), std::string::npos);

  auto env_wrong =
      testing::run_dbvet({"explain", db_.url_without_password(), "SELECT 1"}, {"PGPASSWORD=Env-Wr0ng-S3cret"});
  EXPECT_EQ(env_wrong.exit_code, 3);
  EXPECT_EQ((env_wrong.out + env_wrong.err).find("Env-Wr0ng-S3cret"), std::string::npos);
  EXPECT_NE(env_wrong.err.find("password authentication failed"), std::string::npos) << env_wrong.err;

  auto env_right = testing::run_dbvet({"explain", db_.url_without_password(), "SELECT 1", "--format", "json"},
                                      {"PGPASSWORD=" + password});
  EXPECT_EQ(env_right.exit_code, 0) << env_right.err;
  EXPECT_EQ((env_right.out + env_right.err).find(password), std::string::npos);

  auto unknown_db = url.substr(0, url.rfind('/') + 1) + "dbvet_no_such_database";
  auto missing = testing::run_dbvet({"explain", unknown_db, "SELECT 1"});
  EXPECT_EQ(missing.exit_code, 3);
  EXPECT_EQ(count_lines(missing.err), 1) << missing.err;
  EXPECT_NE(missing.err.find("database \"dbvet_no_such_database\" does not exist"), std::string::npos) << missing.err;
  EXPECT_EQ((missing.out + missing.err).find(password), std::string::npos);

  // Port 1 on loopback: nothing listens there.
  auto refused =
      testing::run_dbvet({"explain", "postgresql://postgres:" + password + "@127.0.0.1:1/dbvet", "SELECT 1"});
  EXPECT_EQ(refused.exit_code, 3);
  EXPECT_EQ(count_lines(refused.err), 1) << refused.err;
  EXPECT_NE(refused.err.find("Connection refused"), std::string::npos) << refused.err;
  EXPECT_EQ((refused.out + refused.err).find(password), std::string::npos);

  auto bad_sql = testing::run_dbvet({"explain", url, "SELEC * FROM accounts"});
  EXPECT_EQ(bad_sql.exit_code, 3);
  EXPECT_EQ(count_lines(bad_sql.err), 1) << bad_sql.err;
  EXPECT_NE(bad_sql.err.find("syntax error at or near \"SELEC\""), std::string::npos) << bad_sql.err;
  EXPECT_NE(bad_sql.err.find("SQLSTATE 42601"), std::string::npos) << bad_sql.err;
  EXPECT_EQ((bad_sql.out + bad_sql.err).find(password), std::string::npos);

  auto slow = testing::run_dbvet({"explain", "--analyze", "--statement-timeout", "1", url, "SELECT pg_sleep(5)"});
  EXPECT_EQ(slow.exit_code, 3);
  EXPECT_EQ(count_lines(slow.err), 1) << slow.err;
  EXPECT_NE(slow.err.find("1000 ms statement timeout"), std::string::npos) << slow.err;

  auto pgpass = testing::scratch_dir("pgpass") / "pgpass";
  {
    auto target = core::parse_target_url(url);
    std::ofstream out(pgpass);
    out << target->host << ":" << *target->port << ":*:" << target->user << ":" << password << "\n";
  }
  std::filesystem::permissions(pgpass, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
  auto from_pgpass =
      testing::run_dbvet({"explain", db_.url_without_password(), "SELECT 1"}, {"PGPASSFILE=" + pgpass.string()});
  EXPECT_EQ(from_pgpass.exit_code, 0) << from_pgpass.err;
  EXPECT_EQ((from_pgpass.out + from_pgpass.err).find(password), std::string::npos);
  std::filesystem::remove_all(pgpass.parent_path());

  auto no_table = testing::run_dbvet({"explain", url, "SELECT * FROM no_such_table"});
  EXPECT_EQ(no_table.exit_code, 3);
  EXPECT_NE(no_table.err.find("relation \"no_such_table\" does not exist"), std::string::npos) << no_table.err;
}

}  // namespace
}  // namespace dbvet
