#include "analyzer/engines/sqlite/sqlite_connection.hpp"

#include <chrono>

#include "analyzer/engines/sqlite/sqlite_plan_parser.hpp"
#include "analyzer/sql/plan_aliases.hpp"
#include "fmt/format.h"

namespace dbvet::engines::sqlite {

Expected<std::unique_ptr<Connection>> connect_sqlite(const core::TargetUrl& url, const ConnectOptions& options) {
  auto mode = options.allow_writes ? OpenMode::read_write_create : OpenMode::read_only;
  auto db = SqliteDb::open(url.path, mode, url.redacted(), options.statement_timeout);
  if (!db) return db.error();
  return std::unique_ptr<Connection>(std::make_unique<SqliteConnection>(url, options, std::move(*db)));
}

std::string SqliteConnection::server_version() { return sqlite3_libversion(); }

Status SqliteConnection::refuse_writes(const char* what) const {
  if (options_.allow_writes) return core::ok();
  return core::make_error(
      core::ErrorKind::usage,
      fmt::format("{}: refusing {} in a read-only session (writing needs an explicit flag)", describe(), what));
}

Expected<model::Plan> SqliteConnection::explain(const std::string& sql, const ExplainOptions& options) {
  if (options.analyze && !options_.allow_writes) {
    if (auto refused = refuse_side_effects(sql, engine(), describe()); !refused) return refused.error();
  }
  std::vector<EqpRow> rows;
  {
    DeadlineScope deadline(db_, options_.statement_timeout);
    auto stmt = db_.prepare("EXPLAIN QUERY PLAN " + sql);
    if (!stmt) return stmt.error();
    for (;;) {
      auto rc = db_.step(stmt->get());
      if (!rc) return rc.error();
      if (*rc == SQLITE_DONE) break;
      rows.push_back(
          {sqlite3_column_int(stmt->get(), 0), sqlite3_column_int(stmt->get(), 1), column_string(stmt->get(), 3)});
    }
  }
  model::Plan plan;
  if (rows.empty()) {  // DDL and the like read no table
    plan.engine = "sqlite";
    plan.format = "sqlite-eqp";
    plan.root.operation = "QUERY PLAN";
    plan.root.extra["note"] = "no plan rows: the statement reads no table";
  } else {
    auto parsed = parse_sqlite_query_plan(rows);
    if (!parsed) return core::make_error(core::ErrorKind::internal, describe() + ": " + parsed.error().message);
    plan = std::move(*parsed);
    sql::resolve_plan_aliases(plan, sql);
  }
  plan.engine_version = sqlite3_libversion();
  if (options.analyze) {
    if (auto status = run_analyzed(sql, plan); !status) return status.error();
  }
  return plan;
}

// Runs the statement to its end and records sqlite3_stmt_status counters. A writing statement runs
// on a read-write handle of its own, inside a savepoint that is rolled back whatever happens.
Status SqliteConnection::run_analyzed(const std::string& sql, model::Plan& plan) {
  auto probe = db_.prepare(sql);
  if (!probe) return probe.error();
  bool writes = sqlite3_stmt_readonly(probe->get()) == 0;
  SqliteDb* db = &db_;
  std::optional<SqliteDb> writer;
  if (writes && !options_.allow_writes && url_.path != ":memory:") {
    probe->reset();
    auto opened = SqliteDb::open(url_.path, OpenMode::read_write, describe(), options_.statement_timeout);
    if (!opened) return opened.error();
    writer.emplace(std::move(*opened));
    db = &*writer;
  }
  DeadlineScope deadline(*db, options_.statement_timeout);
  if (writes) {
    if (auto status = db->exec("SAVEPOINT dbvet_analyze"); !status) return status;
  }
  auto run = [&]() -> Status {
    Expected<Statement> stmt = db == &db_ ? std::move(probe) : db->prepare(sql);
    if (!stmt) return stmt.error();
    int64_t rows = 0;
    auto start = std::chrono::steady_clock::now();
    for (;;) {
      auto rc = db->step(stmt->get());
      if (!rc) return rc.error();
      if (*rc == SQLITE_DONE) break;
      ++rows;
    }
    double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    auto counter = [&](int op) { return static_cast<double>(sqlite3_stmt_status(stmt->get(), op, 0)); };
    plan.counters["FULLSCAN_STEP"] = counter(SQLITE_STMTSTATUS_FULLSCAN_STEP);
    plan.counters["SORT"] = counter(SQLITE_STMTSTATUS_SORT);
    plan.counters["AUTOINDEX"] = counter(SQLITE_STMTSTATUS_AUTOINDEX);
    plan.counters["VM_STEP"] = counter(SQLITE_STMTSTATUS_VM_STEP);
    plan.counters["run_ms"] = ms;
    plan.counters["rows"] = static_cast<double>(rows);
    if (writes) plan.counters["changes"] = static_cast<double>(sqlite3_changes(db->get()));
    plan.analyzed = true;
    plan.execution_ms = ms;
    plan.root.actual_rows = static_cast<double>(rows);
    plan.root.actual_loops = 1;
    plan.root.actual_total_ms = ms;
    return core::ok();
  };
  Status result = run();
  if (writes) {
    db->set_deadline(std::nullopt);  // the rollback must not be interrupted
    auto rolled_back = db->exec("ROLLBACK TO dbvet_analyze");
    auto ended = db->exec("ROLLBACK");
    if (result && !rolled_back) return rolled_back;
    if (result && !ended) return ended;
    if (result) plan.root.extra["note"] = "writing statement run inside a savepoint and rolled back";
  }
  return result;
}

Expected<ResultSummary> SqliteConnection::execute(const std::string& sql, const ExecuteOptions& options) {
  if (!options_.allow_writes) {
    if (auto refused = refuse_side_effects(sql, engine(), describe()); !refused) return refused.error();
  }
  DeadlineScope deadline(db_, options_.statement_timeout);
  auto stmt = db_.prepare(sql);
  if (!stmt) return stmt.error();
  bool writes = sqlite3_stmt_readonly(stmt->get()) == 0;
  if (writes) {
    if (auto refused = refuse_writes("a writing statement"); !refused) return refused.error();
  }
  ResultSummary summary;
  int columns = sqlite3_column_count(stmt->get());
  for (int i = 0; i < columns; ++i) summary.columns.emplace_back(sqlite3_column_name(stmt->get(), i));
  Fnv1a64 hash;
  for (;;) {
    auto rc = db_.step(stmt->get());
    if (!rc) return rc.error();
    if (*rc == SQLITE_DONE) break;
    bool keep = summary.rows.size() < options.keep_rows;
    std::vector<std::optional<std::string>> row;
    for (int i = 0; i < columns; ++i) {
      if (sqlite3_column_type(stmt->get(), i) == SQLITE_NULL) {
        hash.add("\0N\x1f", 3);
        if (keep) row.emplace_back(std::nullopt);
        continue;
      }
      const auto* text = sqlite3_column_text(stmt->get(), i);
      auto size = static_cast<size_t>(sqlite3_column_bytes(stmt->get(), i));
      hash.add("\x01", 1);
      hash.add(text, size);
      hash.add("\x1f", 1);
      if (keep) row.emplace_back(std::string(reinterpret_cast<const char*>(text), size));
    }
    hash.add("\x1e", 1);
    if (keep) summary.rows.push_back(std::move(row));
    ++summary.row_count;
  }
  summary.result_hash = hash.value();
  if (writes) summary.affected_rows = sqlite3_changes64(db_.get());
  return summary;
}

}  // namespace dbvet::engines::sqlite
