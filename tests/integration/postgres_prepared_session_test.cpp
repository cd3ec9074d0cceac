// The bench's PostgreSQL session: work handed to execute() runs while the server answers, not
// before the statement leaves or after the answer is read.
#include <chrono>
#include <thread>

#include "analyzer/engines/postgres/postgres_prepared.hpp"
#include "tests/integration/postgres_test_database.hpp"

namespace dbvet::engines::postgres {
namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) { return std::chrono::duration<double>(Clock::now() - start).count(); }

std::unique_ptr<PreparedSession> open_session(const testing::PostgresTestDatabase& db) {
  auto url = core::parse_target_url(db.url());
  EXPECT_TRUE(url.has_value());
  ConnectOptions options;
  options.statement_timeout = std::chrono::seconds(10);
  auto session = PreparedSession::connect(*url, options);
  EXPECT_TRUE(session.has_value()) << session.error().message;
  return session ? std::move(*session) : nullptr;
}

// The statement sleeps 0.4 s on the server and the work 0.3 s on the client: run one after the
// other they would take 0.7 s, overlapped about 0.4 s. The work starts before the answer is in.
TEST(PostgresPreparedSession, WorkWhileWaitingOverlapsTheServersAnswer) {
  testing::PostgresTestDatabase db;
  auto session = open_session(db);
  ASSERT_TRUE(session);
  for (const char* sql : {"SELECT pg_sleep(0.4), 1 AS one",                         // prepared: it has literals
                          "SELECT pg_sleep(0.4::float8 + 0), interval '1 day'"}) {  // the simple protocol
    int calls = 0;
    double started_after = -1;
    const auto start = Clock::now();
    auto result = session->execute(sql, 0, [&] {
      ++calls;
      started_after = seconds_since(start);
      std::this_thread::sleep_for(std::chrono::milliseconds(300));
    });
    const double took = seconds_since(start);
    ASSERT_TRUE(result) << result.error().message;
    EXPECT_EQ(result->row_count, 1);
    EXPECT_EQ(calls, 1) << sql;
    EXPECT_LT(started_after, 0.2) << sql;
    EXPECT_GE(took, 0.4) << sql;
    EXPECT_LT(took, 0.65) << sql << ": the work ran after the answer instead of while the server worked";
  }
}

// Column names are copied only when rows are kept (a bench statement keeps none).
TEST(PostgresPreparedSession, ColumnNamesComeWithKeptRowsOnly) {
  testing::PostgresTestDatabase db;
  auto session = open_session(db);
  ASSERT_TRUE(session);
  auto without = session->execute("SELECT 1 AS one, 'x' AS two", 0);
  ASSERT_TRUE(without) << without.error().message;
  EXPECT_TRUE(without->columns.empty());
  EXPECT_TRUE(without->rows.empty());
  EXPECT_EQ(without->row_count, 1);
  auto with = session->execute("SELECT 1 AS one, 'x' AS two", 5);
  ASSERT_TRUE(with) << with.error().message;
  EXPECT_EQ(with->columns, (std::vector<std::string>{"one", "two"}));
  ASSERT_EQ(with->rows.size(), 1u);
  EXPECT_EQ(with->result_hash, without->result_hash);
}

// A statement the server rejects still reports its error, and the session goes on.
TEST(PostgresPreparedSession, AnErrorIsReportedAndTheSessionGoesOn) {
  testing::PostgresTestDatabase db;
  auto session = open_session(db);
  ASSERT_TRUE(session);
  int calls = 0;
  auto failed = session->execute("SELECT 1 / 0", 0, [&] { ++calls; });
  ASSERT_FALSE(failed);
  EXPECT_EQ(failed.error().kind, core::ErrorKind::query);
  EXPECT_NE(failed.error().message.find("division by zero"), std::string::npos) << failed.error().message;
  auto next = session->execute("SELECT 2", 0);
  ASSERT_TRUE(next) << next.error().message;
  EXPECT_EQ(next->row_count, 1);
}

}  // namespace
}  // namespace dbvet::engines::postgres
