#include "analyzer/engines/mysql/mysql_connection.hpp"

#include <errmsg.h>
#include <mysqld_error.h>

#include <algorithm>
#include <cstdlib>

#include "analyzer/client_libraries/lazy_library.hpp"
#include "analyzer/engines/mysql/mysql_explain.hpp"
#include "analyzer/engines/mysql/mysql_introspect.hpp"
#include "analyzer/engines/mysql/mysql_session.hpp"
#include "analyzer/engines/socket_deadline.hpp"
#include "analyzer/sql/plan_aliases.hpp"
#include "analyzer/sql/render.hpp"
#include "analyzer/sql/side_effects.hpp"
#include "analyzer/sql/split_statements.hpp"
#include "fmt/format.h"

namespace dbvet::engines::mysql {
namespace {

constexpr uint64_t kFnvOffset = 14695981039346656037ULL;
constexpr uint64_t kFnvPrime = 1099511628211ULL;

void fnv1a(uint64_t& hash, const char* data, size_t size) {
  for (size_t i = 0; i < size; ++i) {
    hash ^= static_cast<unsigned char>(data[i]);
    hash *= kFnvPrime;
  }
}

core::Error read_only_refusal(const std::string& target, const char* what) {
  return core::make_error(
      core::ErrorKind::usage,
      fmt::format("{} refused on {}: the session is read-only (no write flag was given)", what, target));
}

class MysqlConnection final : public Connection {
 public:
  MysqlConnection(std::unique_ptr<Session> session, core::TargetUrl url, ConnectOptions options)
      : session_(std::move(session)), url_(std::move(url)), options_(options) {}

  core::Engine engine() const override { return core::Engine::mysql; }
  std::string server_version() override { return session_->version(); }
  std::string describe() const override { return session_->target(); }

  Expected<model::Schema> introspect() override { return introspect_schema(*session_, url_.database); }

  Expected<model::Plan> explain(const std::string& sql, const ExplainOptions& options) override {
    if (!options.analyze) {
      // EXPLAIN of a write runs nothing, but a read-only session refuses it (error 1792): it goes
      // in a transaction of its own, opened read-write for the EXPLAIN alone and rolled back.
      const bool writing = is_writing_statement(sql);
      if (writing) {
        if (auto status = session_->exec("START TRANSACTION READ WRITE"); !status) return status.error();
      }
      auto rows = session_->query("EXPLAIN FORMAT=JSON " + sql);
      if (writing) {
        if (auto rollback = session_->exec("ROLLBACK"); !rollback) return rollback.error();
      }
      if (!rows) return rows.error();
      return finish(sql, first_cell(*rows),
                    session_->is_mariadb() ? parse_mariadb_explain_json : parse_mysql8_explain_json);
    }
    if (!options_.allow_writes) {
      if (auto refused = refuse_side_effects(sql, engine(), describe()); !refused) return refused.error();
    }
    bool writing = is_writing_statement(sql);
    if (writing && !options.allow_side_effects) {
      auto counters = counters_advanced_by(sql);
      if (!counters) return counters.error();
      if (!counters->empty()) return counter_refusal(describe(), *counters);
    }
    if (writing) {
      if (auto status = session_->exec("START TRANSACTION READ WRITE"); !status) return status.error();
    }
    auto rows = session_->is_mariadb() ? session_->query("ANALYZE FORMAT=JSON " + sql)
                                       : session_->query("EXPLAIN ANALYZE " + sql);
    if (writing) {
      auto rollback = session_->exec("ROLLBACK");
      if (!rollback) return rollback.error();
    }
    if (!rows) return rows.error();
    return finish(sql, first_cell(*rows),
                  session_->is_mariadb() ? parse_mariadb_explain_json : parse_mysql8_explain_tree);
  }

  // The counters an analyzed write would advance: the AUTO_INCREMENT of each table it inserts into
  // (InnoDB does not give values back on rollback) and a sequence it reads with NEXTVAL().
  Expected<std::vector<std::string>> counters_advanced_by(const std::string& sql) {
    auto use = sql::sequence_use(sql, sql::Dialect::mysql);
    std::vector<std::string> found;
    for (const auto& call : use.functions) found.push_back("the sequence its " + call + " names");
    for (const auto& table : use.inserted) {
      const std::string schema = table.schema.empty() ? "DATABASE()" : session_->quote(table.schema);
      auto rows = session_->query(fmt::format(
          "SELECT CONCAT(TABLE_NAME, '.', COLUMN_NAME) FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = {} "
          "AND TABLE_NAME = {} AND EXTRA LIKE '%auto_increment%'",
          schema, session_->quote(table.name)));
      if (!rows) return rows.error();
      for (const auto& row : rows->rows) {
        if (!row.empty() && row[0]) found.push_back("the AUTO_INCREMENT of " + *row[0]);
      }
    }
    return found;
  }

  Expected<ResultSummary> execute(const std::string& sql, const ExecuteOptions& options) override {
    if (!options_.allow_writes) {
      if (auto refused = refuse_side_effects(sql, engine(), describe()); !refused) return refused.error();
    }
    MYSQL* handle = session_->handle();
    if (mysql_real_query(handle, sql.data(), sql.size()) != 0) return session_->last_error("query failed");
    ResultSummary summary;
    summary.result_hash = kFnvOffset;
    MYSQL_RES* result = mysql_use_result(handle);
    if (!result) {
      if (mysql_field_count(handle) != 0) return session_->last_error("reading the result failed");
      summary.affected_rows = static_cast<int64_t>(mysql_affected_rows(handle));
      return summary;
    }
    unsigned int fields = mysql_num_fields(result);
    MYSQL_FIELD* field_info = mysql_fetch_fields(result);
    for (unsigned int i = 0; i < fields; ++i) summary.columns.emplace_back(field_info[i].name);
    while (MYSQL_ROW row = mysql_fetch_row(result)) {
      unsigned long* lengths = mysql_fetch_lengths(result);
      bool keep = summary.rows.size() < options.keep_rows;
      std::vector<std::optional<std::string>> values;
      for (unsigned int i = 0; i < fields; ++i) {
        // A marker byte before each value tells NULL from '' and separates the columns.
        if (row[i]) {
          fnv1a(summary.result_hash, "\x01", 1);
          fnv1a(summary.result_hash, row[i], lengths[i]);
          if (keep) values.emplace_back(std::string(row[i], lengths[i]));
        } else {
          fnv1a(summary.result_hash, "\x00", 1);
          if (keep) values.emplace_back(std::nullopt);
        }
      }
      fnv1a(summary.result_hash, "\x02", 1);
      if (keep) summary.rows.push_back(std::move(values));
      ++summary.row_count;
    }
    bool failed = mysql_errno(handle) != 0;
    auto error = failed ? session_->last_error("reading the result failed") : core::Error{};
    mysql_free_result(result);
    if (failed) return error;
    return summary;
  }

  // Multi-statement mode stays off for good: a script is split here with the MySQL lexer and sent one
  // statement per call, so a name that smuggled a `;` could at worst make one statement fail.
  Status execute_script(const std::string& sql) override {
    if (!options_.allow_writes) return read_only_refusal(session_->target(), "running a script");
    MYSQL* handle = session_->handle();
    int statement = 0;
    for (const auto& piece : sql::split_statements(sql, sql::Dialect::mysql)) {
      ++statement;
      if (mysql_real_query(handle, piece.text.data(), piece.text.size()) != 0) {
        return session_->last_error(fmt::format("statement {} of the script failed", statement));
      }
      if (MYSQL_RES* result = mysql_store_result(handle)) mysql_free_result(result);
      while (mysql_more_results(handle) && mysql_next_result(handle) == 0) {  // a CALL's extra results
        if (MYSQL_RES* result = mysql_store_result(handle)) mysql_free_result(result);
      }
    }
    return core::ok();
  }

  Expected<int64_t> load_rows(const std::string& table, const std::vector<std::string>& columns,
                              RowSource& rows) override {
    if (!options_.allow_writes) return read_only_refusal(session_->target(), "loading rows");
    constexpr size_t kBatchRows = 1000;
    constexpr size_t kMaxStatementBytes = 4u << 20;  // below the default max_allowed_packet (16 MiB)
    auto dot = table.find('.');
    auto quoted_table = dot == std::string::npos
                            ? sql::quote_identifier(sql::Dialect::mysql, table)
                            : sql::quote_qualified(sql::Dialect::mysql, table.substr(0, dot), table.substr(dot + 1));
    if (!quoted_table) return quoted_table.error();
    std::string head = "INSERT INTO " + *quoted_table + " (";
    for (size_t i = 0; i < columns.size(); ++i) {
      auto column = sql::quote_identifier(sql::Dialect::mysql, columns[i]);
      if (!column) return column.error();
      head += (i ? ", " : "") + *column;
    }
    head += ") VALUES ";
    if (auto status = session_->exec("START TRANSACTION"); !status) return status.error();
    int64_t loaded = 0;
    std::vector<std::vector<std::optional<std::string>>> batch;
    std::string statement;
    auto flush = [&]() -> Status {
      if (statement.empty()) return core::ok();
      auto status = session_->exec(statement);
      statement.clear();
      return status;
    };
    bool more = true;
    while (more) {
      batch.clear();
      more = rows.next_batch(batch, kBatchRows);
      for (const auto& row : batch) {
        if (row.size() != columns.size()) {
          session_->exec("ROLLBACK");
          return core::make_error(core::ErrorKind::input,
                                  fmt::format("loading {} on {}: a row has {} values for {} columns", table,
                                              session_->target(), row.size(), columns.size()));
        }
        statement += statement.empty() ? head : std::string(",");
        statement += '(';
        for (size_t i = 0; i < row.size(); ++i) {
          if (i) statement += ',';
          statement += row[i] ? session_->quote(*row[i]) : std::string("NULL");
        }
        statement += ')';
        ++loaded;
        if (statement.size() > kMaxStatementBytes) {
          if (auto status = flush(); !status) {
            session_->exec("ROLLBACK");
            return status.error();
          }
        }
      }
      if (auto status = flush(); !status) {
        session_->exec("ROLLBACK");
        return status.error();
      }
    }
    if (auto status = session_->exec("COMMIT"); !status) return status.error();
    return loaded;
  }

 private:
  std::unique_ptr<Session> session_;
  core::TargetUrl url_;
  ConnectOptions options_;

  static std::string first_cell(const Rows& rows) {
    std::string out;
    for (const auto& row : rows.rows) {
      if (!row.empty() && row[0]) out += *row[0];  // EXPLAIN ANALYZE tree may come as several rows
    }
    return out;
  }

  Expected<model::Plan> finish(const std::string& sql, const std::string& text,
                               Expected<model::Plan> (*parse)(const std::string&)) {
    auto plan = parse(text);
    if (!plan) {
      return core::make_error(plan.error().kind, fmt::format("{}: {}", session_->target(), plan.error().message));
    }
    sql::resolve_plan_aliases(*plan, sql);  // "table_name" is the alias
    plan->engine_version = session_->version();
    return plan;
  }
};

}  // namespace

Expected<std::unique_ptr<Connection>> connect_mysql(const core::TargetUrl& url, const ConnectOptions& options) {
  std::string target = url.redacted();
  // libmariadb is opened here, on first use: a missing one is this target's error, not a crash later.
  if (auto loaded = client_libraries::libmariadb().load(); !loaded) {
    return core::make_error(loaded.error().kind, fmt::format("{}: {}", target, loaded.error().message));
  }
  MYSQL* handle = mysql_init(nullptr);
  if (!handle) return core::make_error(core::ErrorKind::internal, "cannot allocate a MySQL client handle");
  // ~/.my.cnf [client] supplies user, password, host and socket the URL leaves out.
  mysql_options(handle, MYSQL_READ_DEFAULT_GROUP, "client");
  unsigned int connect_timeout =
      static_cast<unsigned int>(std::max<int64_t>(1, options.connect_timeout.count() / 1000));
  mysql_options(handle, MYSQL_OPT_CONNECT_TIMEOUT, &connect_timeout);
  // The client-side timeout for a server that stops answering (frozen, gone without a reset): the
  // server-side statement timeout fires first when the server is alive. In whole seconds, rounded up.
  auto client_timeout = options.statement_timeout + kClientTimeoutGrace;
  unsigned int read_timeout = static_cast<unsigned int>((client_timeout.count() + 999) / 1000);
  mysql_options(handle, MYSQL_OPT_READ_TIMEOUT, &read_timeout);
  mysql_options(handle, MYSQL_OPT_WRITE_TIMEOUT, &read_timeout);
  mysql_options(handle, MYSQL_SET_CHARSET_NAME, "utf8mb4");

  std::optional<std::string> password = url.password;
  if (!password) {
    if (const char* env = std::getenv("MYSQL_PWD")) password = std::string(env);
  }
  std::string socket;
  if (auto it = url.params.find("socket"); it != url.params.end()) socket = it->second;
  const char* host = url.host.empty() ? nullptr : url.host.c_str();
  const char* user = url.user.empty() ? nullptr : url.user.c_str();
  const char* database = url.database.empty() ? nullptr : url.database.c_str();
  unsigned int port = url.port ? static_cast<unsigned int>(*url.port) : 0;
  if (!mysql_real_connect(handle, host, user, password ? password->c_str() : nullptr, database, port,
                          socket.empty() ? nullptr : socket.c_str(), 0)) {
    unsigned int code = mysql_errno(handle);
    std::string message = mysql_error(handle);
    mysql_close(handle);
    std::string hint;
    if (code == ER_ACCESS_DENIED_ERROR) hint = " (check the user and password: URL, MYSQL_PWD or ~/.my.cnf)";
    return core::make_error(core::ErrorKind::connection,
                            fmt::format("cannot connect to {}: {}{}", target, message, hint));
  }
  std::string version = mysql_get_server_info(handle);
  int timeout_s = static_cast<int>(std::max<int64_t>(1, options.statement_timeout.count() / 1000));
  auto session = std::make_unique<Session>(handle, target, version, timeout_s);

  std::vector<std::string> setup;
  if (!options.allow_writes) setup.emplace_back("SET SESSION TRANSACTION READ ONLY");
  if (session->is_mariadb()) {
    setup.push_back(fmt::format("SET SESSION max_statement_time = {:.3f}", options.statement_timeout.count() / 1000.0));
  } else {
    setup.push_back(fmt::format("SET SESSION max_execution_time = {}", options.statement_timeout.count()));
  }
  for (const auto& statement : setup) {
    if (auto status = session->exec(statement); !status) {
      return core::make_error(core::ErrorKind::connection,
                              fmt::format("cannot prepare the session: {}", status.error().message));
    }
  }
  return std::unique_ptr<Connection>(std::make_unique<MysqlConnection>(std::move(session), url, options));
}

}  // namespace dbvet::engines::mysql
