#include "analyzer/engines/postgres/postgres_connection.hpp"

#include <libpq-fe.h>

#include <cctype>
#include <map>
#include <pqxx/pqxx>
#include <pqxx/tablewriter>

#include "analyzer/client_libraries/lazy_library.hpp"
#include "analyzer/engines/postgres/copy_binary.hpp"
#include "analyzer/engines/postgres/explain_postgres_json.hpp"
#include "analyzer/engines/postgres/postgres_introspect.hpp"
#include "analyzer/engines/postgres/postgres_session.hpp"
#include "analyzer/engines/socket_deadline.hpp"
#include "analyzer/sql/side_effects.hpp"
#include "fmt/format.h"

namespace dbvet::engines::postgres {
namespace {

constexpr uint64_t kFnvOffset = 14695981039346656037ull;
constexpr uint64_t kFnvPrime = 1099511628211ull;

uint64_t fnv1a(uint64_t hash, const void* data, size_t size) {
  const auto* bytes = static_cast<const unsigned char*>(data);
  for (size_t i = 0; i < size; ++i) {
    hash ^= bytes[i];
    hash *= kFnvPrime;
  }
  return hash;
}

// "schema.table" -> "schema"."table"; a name already quoted is left as written.
std::string quote_table(pqxx::transaction_base& tx, const std::string& table) {
  if (table.find('"') != std::string::npos) return table;
  auto dot = table.find('.');
  if (dot == std::string::npos) return tx.quote_name(table);
  return tx.quote_name(table.substr(0, dot)) + "." + tx.quote_name(table.substr(dot + 1));
}

// One line of COPY's text format; NULL is \N.
std::string copy_line(const std::vector<std::optional<std::string>>& row) {
  std::string line;
  for (size_t i = 0; i < row.size(); ++i) {
    if (i) line += '\t';
    if (!row[i]) {
      line += "\\N";
      continue;
    }
    for (char c : *row[i]) {
      switch (c) {
        case '\\':
          line += "\\\\";
          break;
        case '\t':
          line += "\\t";
          break;
        case '\n':
          line += "\\n";
          break;
        case '\r':
          line += "\\r";
          break;
        default:
          line += c;
      }
    }
  }
  return line;
}

// libpqxx's direct connection policy, remembering the libpq handle it opens: the binary COPY
// writes through PQputCopyData, which libpqxx 6.4 does not expose. The policy lives inside the
// connection object, so the handle is read through the pointer the constructor leaves behind.
class HandleKeeper : public pqxx::connect_direct {
 public:
  explicit HandleKeeper(const std::string& options) : pqxx::connect_direct(options) { last_constructed = this; }
  handle do_startconnect(handle orig) override { return current = pqxx::connect_direct::do_startconnect(orig); }
  handle do_completeconnect(handle orig) override { return current = pqxx::connect_direct::do_completeconnect(orig); }
  handle do_dropconnect(handle orig) noexcept override { return current = pqxx::connect_direct::do_dropconnect(orig); }
  handle do_disconnect(handle orig) noexcept override { return current = pqxx::connect_direct::do_disconnect(orig); }

  PGconn* current = nullptr;
  static thread_local HandleKeeper* last_constructed;
};
thread_local HandleKeeper* HandleKeeper::last_constructed = nullptr;

using KeptConnection = pqxx::basic_connection_base<HandleKeeper>;

std::string strip_trailing_semicolons(std::string sql) {
  while (!sql.empty() && (sql.back() == ';' || std::isspace(static_cast<unsigned char>(sql.back())))) sql.pop_back();
  return sql;
}

class PostgresConnection final : public Connection {
 public:
  PostgresConnection(core::TargetUrl url, ConnectOptions options, std::unique_ptr<KeptConnection> connection,
                     HandleKeeper* handle, std::string version)
      : url_(std::move(url)),
        options_(options),
        connection_(std::move(connection)),
        handle_(handle),
        quiet_(std::make_unique<pqxx::quiet_errorhandler>(*connection_)),
        version_(std::move(version)) {}

  core::Engine engine() const override { return core::Engine::postgres; }
  std::string server_version() override { return version_; }
  std::string describe() const override { return url_.redacted(); }

  Expected<model::Schema> introspect() override {
    return guarded<model::Schema>(
        [&]() -> Expected<model::Schema> {
          pqxx::transaction<pqxx::repeatable_read, pqxx::read_only> tx(*connection_);
          auto schema = introspect_schema(tx);
          tx.commit();
          schema.engine_version = version_;
          return schema;
        },
        ClientDeadline::silence);
  }

  Expected<model::Plan> explain(const std::string& sql, const ExplainOptions& options) override {
    if (options.analyze && !options_.allow_writes) {
      if (auto refused = refuse_side_effects(sql, engine(), describe()); !refused) return refused.error();
    }
    return guarded<model::Plan>(
        [&]() -> Expected<model::Plan> {
          std::string explain = options.analyze ? (options.buffers ? "EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) "
                                                                   : "EXPLAIN (ANALYZE, FORMAT JSON) ")
                                                : "EXPLAIN (FORMAT JSON) ";
          explain += strip_trailing_semicolons(sql);
          pqxx::result result;
          if (options.analyze && is_writing_statement(sql) && !options.allow_side_effects) {
            if (auto counters = sequences_advanced_by(sql); !counters.empty())
              return counter_refusal(describe(), counters);
          }
          if (options.analyze && is_writing_statement(sql)) {
            // The user asked for --analyze: the statement really runs, in a transaction never committed.
            pqxx::nontransaction tx(*connection_);
            tx.exec0("BEGIN READ WRITE");
            try {
              result = tx.exec_params(explain);
            } catch (...) {
              tx.exec0("ROLLBACK");
              throw;
            }
            tx.exec0("ROLLBACK");
          } else {
            result = in_session([&](pqxx::transaction_base& tx) { return tx.exec_params(explain); });
          }
          if (result.empty() || result[0].empty() || result[0][0].is_null()) {
            return core::make_error(core::ErrorKind::query, fmt::format("{}: EXPLAIN returned no plan", describe()));
          }
          auto plan = parse_postgres_explain_json(result[0][0].c_str());
          if (!plan)
            return core::make_error(plan.error().kind, fmt::format("{}: {}", describe(), plan.error().message));
          plan->engine_version = version_;
          return plan;
        },
        ClientDeadline::statement);
  }

  Expected<ResultSummary> execute(const std::string& sql, const ExecuteOptions& options) override {
    if (!options_.allow_writes) {
      if (auto refused = refuse_side_effects(sql, engine(), describe()); !refused) return refused.error();
    }
    return guarded<ResultSummary>(
        [&]() -> Expected<ResultSummary> {
          auto result = in_session([&](pqxx::transaction_base& tx) { return tx.exec_params(sql); });
          ResultSummary summary;
          for (pqxx::row_size_type c = 0; c < result.columns(); ++c)
            summary.columns.emplace_back(result.column_name(c));
          summary.row_count = static_cast<int64_t>(result.size());
          summary.affected_rows = static_cast<int64_t>(result.affected_rows());
          // Rows are hashed one by one with FNV-1a and summed, so that the same answer in another order
          // (a variant that picks another index) gives the same hash.
          for (const auto& row : result) {
            uint64_t row_hash = kFnvOffset;
            std::vector<std::optional<std::string>> kept;
            for (const auto& field : row) {
              unsigned char tag = field.is_null() ? 0 : 1;
              row_hash = fnv1a(row_hash, &tag, 1);
              if (!field.is_null()) {
                row_hash = fnv1a(row_hash, field.c_str(), field.size());
                row_hash = fnv1a(row_hash, "\x1f", 1);
              }
              if (summary.rows.size() < options.keep_rows) {
                kept.push_back(field.is_null() ? std::nullopt : std::optional<std::string>(field.c_str()));
              }
            }
            summary.result_hash += row_hash;
            if (summary.rows.size() < options.keep_rows) summary.rows.push_back(std::move(kept));
          }
          return summary;
        },
        ClientDeadline::statement);
  }

  Status execute_script(const std::string& sql) override {
    if (auto refused = refuse_writes("run a script")) return *refused;
    return guarded<core::Ok>([&]() -> Status {
      pqxx::nontransaction tx(*connection_);
      tx.exec(sql);  // the simple protocol: several statements, one implicit transaction
      return core::ok();
    });
  }

  Expected<int64_t> load_rows(const std::string& table, const std::vector<std::string>& columns,
                              RowSource& rows) override {
    if (auto refused = refuse_writes("load rows into " + table)) return *refused;
    return guarded<int64_t>([&]() -> Expected<int64_t> {
      pqxx::work tx(*connection_);
      const std::string name = quote_table(tx, table);
      std::string target = name + " (";
      for (size_t i = 0; i < columns.size(); ++i) target += (i ? ", " : "") + tx.quote_name(columns[i]);
      target += ") FROM STDIN";
      auto types = binary_types(tx, name, columns);
      // An empty plain table is truncated in the loading transaction, so that COPY may write its
      // rows frozen (as pgbench -i does): index builds and ANALYZE then set no hint bits.
      const bool freeze = truncate_if_empty(tx, name);
      PGconn* raw = handle_ ? handle_->current : nullptr;
      int64_t loaded = 0;
      if (types && raw) {
        loaded = copy_binary(raw, target + (freeze ? " (FORMAT binary, FREEZE)" : " (FORMAT binary)"), *types, columns,
                             table, rows);
      } else {
        loaded = copy_text(tx, target + (freeze ? " (FREEZE)" : ""), rows);
      }
      tx.commit();
      return loaded;
    });
  }

 private:
  // The binary form of each loaded column, or nothing when one of them has none (the table is
  // then loaded by a text COPY).
  static std::optional<std::vector<BinaryType>> binary_types(pqxx::work& tx, const std::string& name,
                                                             const std::vector<std::string>& columns) {
    auto result = tx.exec(
        "SELECT a.attname, t.typname FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid "
        "WHERE a.attrelid = " +
        tx.quote(name) + "::regclass AND a.attnum > 0 AND NOT a.attisdropped");
    std::map<std::string, std::string> by_name;
    for (const auto& row : result) by_name[row[0].c_str()] = row[1].c_str();
    std::vector<BinaryType> types;
    for (const auto& column : columns) {
      auto found = by_name.find(column);
      if (found == by_name.end()) return std::nullopt;
      auto type = binary_type(found->second);
      if (!type) return std::nullopt;
      types.push_back(*type);
    }
    return types;
  }

  // COPY's text format through libpqxx, one line per row.
  static int64_t copy_text(pqxx::work& tx, const std::string& target, RowSource& rows) {
    // libpqxx 6.4's stream_to takes only fixed tuples; tablewriter writes COPY lines we build. It
    // appends " FROM STDIN" to the name it is given, which the comment swallows.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
    pqxx::tablewriter writer(tx, target + " --");
#pragma GCC diagnostic pop
    int64_t loaded = 0;
    std::vector<std::vector<std::optional<std::string>>> batch;
    for (;;) {
      batch.clear();
      bool more = rows.next_batch(batch, 10000);
      for (const auto& row : batch) {
        writer.write_raw_line(copy_line(row));
        ++loaded;
      }
      if (!more) break;
    }
    writer.complete();
    return loaded;
  }

  // COPY's binary format straight through libpq (libpqxx 6.4 writes only text lines), inside the
  // transaction libpqxx opened. Errors are thrown as pqxx::sql_error so that guarded() words them.
  int64_t copy_binary(PGconn* raw, const std::string& copy, const std::vector<BinaryType>& types,
                      const std::vector<std::string>& columns, const std::string& table, RowSource& rows) {
    const std::string statement = "COPY " + copy;
    throw_unless(PQexec(raw, statement.c_str()), PGRES_COPY_IN, statement);
    std::string buffer;
    buffer.reserve(kCopyChunk + 4096);
    append_copy_binary_header(buffer);
    auto send = [&] {
      if (PQputCopyData(raw, buffer.data(), static_cast<int>(buffer.size())) != 1) {
        throw pqxx::broken_connection(PQerrorMessage(raw));
      }
      buffer.clear();
    };
    int64_t loaded = 0;
    std::vector<std::vector<std::optional<std::string>>> batch;
    std::string problem;
    for (;;) {
      batch.clear();
      bool more = rows.next_batch(batch, 10000);
      for (const auto& row : batch) {
        if (row.size() != types.size()) {
          problem =
              fmt::format("row {} for {} has {} values, expected {}", loaded + 1, table, row.size(), types.size());
          break;
        }
        append_copy_binary_tuple_start(buffer, static_cast<int16_t>(types.size()));
        for (size_t i = 0; i < row.size(); ++i) {
          if (!row[i]) {
            append_copy_binary_null(buffer);
          } else if (!append_copy_binary_field(buffer, types[i], *row[i])) {
            problem = fmt::format("row {} for {}: value '{}' of column {} is not in the form a binary COPY sends",
                                  loaded + 1, table, row[i]->substr(0, 40), columns[i]);
            break;
          }
        }
        if (!problem.empty()) break;
        ++loaded;
        if (buffer.size() >= kCopyChunk) send();
      }
      if (!more || !problem.empty()) break;
    }
    if (!problem.empty()) {
      // Ends the COPY with an error: the server rolls the statement back.
      PQputCopyEnd(raw, problem.c_str());
      while (PGresult* result = PQgetResult(raw)) PQclear(result);
      throw std::runtime_error(problem);
    }
    append_copy_binary_trailer(buffer);
    send();
    if (PQputCopyEnd(raw, nullptr) != 1) throw pqxx::broken_connection(PQerrorMessage(raw));
    throw_unless(PQgetResult(raw), PGRES_COMMAND_OK, statement);
    while (PGresult* result = PQgetResult(raw)) PQclear(result);
    return loaded;
  }

  // Clears the result; throws the server's error unless it has the expected status.
  static void throw_unless(PGresult* result, ExecStatusType expected, const std::string& statement) {
    const ExecStatusType status = result ? PQresultStatus(result) : PGRES_FATAL_ERROR;
    if (status == expected) {
      PQclear(result);
      return;
    }
    std::string message = result ? PQresultErrorMessage(result) : "no result from the server";
    const char* state = result ? PQresultErrorField(result, PG_DIAG_SQLSTATE) : nullptr;
    std::string sqlstate = state ? state : "";
    PQclear(result);
    throw pqxx::sql_error(message, statement, sqlstate.c_str());
  }

  static constexpr size_t kCopyChunk = 256 * 1024;

  // Takes the table for the transaction and empties it if it is an empty plain table with no
  // TRUNCATE trigger; false (and nothing changed) otherwise, or when TRUNCATE is not permitted.
  static bool truncate_if_empty(pqxx::work& tx, const std::string& name) {
    try {
      pqxx::subtransaction sub(tx, "dbvet_freeze");
      sub.exec0("LOCK TABLE " + name + " IN ACCESS EXCLUSIVE MODE");
      auto plain = sub.exec1(
          "SELECT c.relkind = 'r' AND NOT c.relhassubclass AND NOT EXISTS (SELECT 1 FROM pg_trigger t "
          "WHERE t.tgrelid = c.oid AND (t.tgtype & 32) <> 0) FROM pg_class c WHERE c.oid = " +
          sub.quote(name) + "::regclass");
      if (!plain[0].as<bool>() || !sub.exec("SELECT 1 FROM " + name + " LIMIT 1").empty()) return false;
      sub.exec0("TRUNCATE " + name);
      sub.commit();
      return true;
    } catch (const pqxx::sql_error&) {
      return false;
    }
  }

  // Every statement goes through the extended protocol (exactly one statement: nothing rides along
  // after a ';') and, unless writes are allowed, inside BEGIN READ ONLY, which a SET inside the
  // statement cannot lift.
  template <class F>
  pqxx::result in_session(F&& run) {
    if (options_.allow_writes) {
      pqxx::nontransaction tx(*connection_);
      return run(tx);
    }
    pqxx::read_transaction tx(*connection_);
    auto result = run(tx);
    tx.commit();
    return result;
  }

  // The sequences an analyzed write would advance: those of the serial and identity columns of the
  // tables it inserts into (owned by the table) or named by their defaults, and a direct call of
  // nextval() or setval(). Unqualified names resolve on the session's search path, as the statement's do.
  std::vector<std::string> sequences_advanced_by(const std::string& sql) {
    auto use = sql::sequence_use(sql, sql::Dialect::postgres);
    std::vector<std::string> found;
    for (const auto& call : use.functions) found.push_back("the sequence its " + call + " names");
    for (const auto& table : use.inserted) {
      auto rows = in_session([&](pqxx::transaction_base& tx) {
        return tx.exec_params(
            "WITH t AS (SELECT c.oid FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE c.relname = $2 AND (n.nspname = $1 OR ($1 = '' AND pg_table_is_visible(c.oid)))) "
            "SELECT s.oid::regclass::text FROM pg_depend d JOIN pg_class s ON s.oid = d.objid AND s.relkind = 'S' "
            "WHERE d.classid = 'pg_class'::regclass AND d.refclassid = 'pg_class'::regclass "
            "AND d.refobjid IN (SELECT oid FROM t) AND d.deptype IN ('a', 'i') "
            "UNION SELECT s.oid::regclass::text FROM pg_attrdef ad JOIN pg_depend d ON d.classid = "
            "'pg_attrdef'::regclass AND d.objid = ad.oid JOIN pg_class s ON s.oid = d.refobjid AND s.relkind = 'S' "
            "WHERE ad.adrelid IN (SELECT oid FROM t) ORDER BY 1",
            table.schema, table.name);
      });
      for (const auto& row : rows) found.push_back("sequence " + std::string(row[0].c_str()));
    }
    return found;
  }

  std::optional<core::Error> refuse_writes(const std::string& what) const {
    if (options_.allow_writes) return std::nullopt;
    return core::make_error(core::ErrorKind::usage,
                            fmt::format("{}: refusing to {}: the session is read-only (dbvet writes to a target only "
                                        "when a command is given an explicit flag for it)",
                                        describe(), what));
  }

  // Which client-side deadline a call carries (see SocketDeadline): a frozen server is a lost
  // connection after the statement timeout plus the grace, not a hang.
  enum class ClientDeadline {
    statement,  // one statement: the whole call
    silence,    // several statements of dbvet's own: the server's silence
    // Scripts and loads: none. A user's script may turn the statement timeout off (SET
    // statement_timeout = 0), and a COPY's server says nothing until the copy ends.
    none,
  };

  // Runs `body`, turning libpqxx's exceptions into one-line errors prefixed with the target.
  template <class T, class F>
  Expected<T> guarded(F&& body, ClientDeadline kind = ClientDeadline::none) {
    const auto client_timeout = options_.statement_timeout + kClientTimeoutGrace;
    SocketDeadline deadline(
        kind != ClientDeadline::none && handle_ && handle_->current ? PQsocket(handle_->current) : -1, client_timeout,
        kind == ClientDeadline::silence ? SocketDeadline::Kind::silence : SocketDeadline::Kind::total);
    try {
      return body();
    } catch (const std::exception& e) {
      if (deadline.fired()) {
        return core::make_error(core::ErrorKind::connection,
                                fmt::format("{}: no answer within {} ms (client-side statement timeout): the server "
                                            "stopped answering",
                                            describe(), client_timeout.count()));
      }
      return translate_current();
    }
  }

  // The exception being handled (libpqxx's or another) as a one-line error prefixed with the target.
  core::Error translate_current() {
    try {
      throw;
    } catch (const pqxx::broken_connection& e) {
      return core::make_error(core::ErrorKind::connection,
                              fmt::format("{}: connection lost: {}", describe(), one_line(e.what(), url_)));
    } catch (const pqxx::sql_error& e) {
      if (e.sqlstate() == "57014") {
        return core::make_error(core::ErrorKind::query,
                                fmt::format("{}: statement cancelled after the {} ms statement timeout", describe(),
                                            options_.statement_timeout.count()));
      }
      std::string message = one_line(e.what(), url_);
      // The server's "LINE 1: ..." context and caret make no sense on one line.
      if (auto context = message.find("; LINE "); context != std::string::npos) message.erase(context);
      if (message.rfind("ERROR: ", 0) == 0) message.erase(0, 7);
      return core::make_error(
          core::ErrorKind::query,
          fmt::format("{}: {}{}", describe(), message, e.sqlstate().empty() ? "" : " (SQLSTATE " + e.sqlstate() + ")"));
    } catch (const std::exception& e) {
      return core::make_error(core::ErrorKind::query, fmt::format("{}: {}", describe(), one_line(e.what(), url_)));
    }
  }

  core::TargetUrl url_;
  ConnectOptions options_;
  std::unique_ptr<KeptConnection> connection_;
  HandleKeeper* handle_;  // inside *connection_
  // Server notices would go to stderr by default; the analyzer never prints.
  std::unique_ptr<pqxx::quiet_errorhandler> quiet_;
  std::string version_;
};

}  // namespace

Expected<std::unique_ptr<Connection>> connect_postgres(const core::TargetUrl& url, const ConnectOptions& options) {
  // libpq is opened here, on first use: a missing one is this target's error, not a crash later.
  if (auto loaded = client_libraries::libpq().load(); !loaded) {
    return core::make_error(loaded.error().kind, fmt::format("{}: {}", url.redacted(), loaded.error().message));
  }
  try {
    HandleKeeper::last_constructed = nullptr;
    auto connection = std::make_unique<KeptConnection>(build_conninfo(url, options));
    HandleKeeper* handle = HandleKeeper::last_constructed;
    pqxx::nontransaction tx(*connection);
    std::string version = tx.exec1("SHOW server_version")[0].c_str();
    tx.commit();
    return std::unique_ptr<Connection>(
        std::make_unique<PostgresConnection>(url, options, std::move(connection), handle, std::move(version)));
  } catch (const std::exception& e) {
    return core::make_error(core::ErrorKind::connection,
                            fmt::format("{}: cannot connect: {}", url.redacted(), one_line(e.what(), url)));
  }
}

}  // namespace dbvet::engines::postgres
