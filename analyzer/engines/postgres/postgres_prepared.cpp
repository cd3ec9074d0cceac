#include "analyzer/engines/postgres/postgres_prepared.hpp"

#include <libpq-fe.h>

#include <cctype>
#include <charconv>

#include "analyzer/engines/postgres/postgres_session.hpp"
#include "analyzer/engines/socket_deadline.hpp"
#include "fmt/format.h"

namespace dbvet::engines::postgres {
namespace {

constexpr uint64_t kFnvOffset = 14695981039346656037ull;
uint64_t fnv1a(uint64_t hash, const void* data, size_t size) {
  const auto* bytes = static_cast<const unsigned char*>(data);
  for (size_t i = 0; i < size; ++i) hash = (hash ^ bytes[i]) * 1099511628211ull;
  return hash;
}

bool word_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '$'; }

// ORDER BY 1 / GROUP BY 2 name columns: a parameter there would be a constant.
bool after_by(const std::string& text) {
  size_t end = text.find_last_not_of(" \t\n\r");
  if (end == std::string::npos || end < 1) return false;
  return (text[end] == 'y' || text[end] == 'Y') && (text[end - 1] == 'b' || text[end - 1] == 'B') &&
         (end < 2 || !word_char(text[end - 2]));
}

}  // namespace

void parameterize_into(const std::string& sql, Parameterized& out) {
  // Called once per statement on the bench's hot path: `out` keeps its buffers between calls, so a
  // statement costs no allocation once the first has sized them.
  out.text.clear();
  size_t used = 0;  // values in use; out.values keeps its strings (and their capacity) beyond it
  size_t i = 0;
  auto next_value = [&]() -> std::string& {
    if (used == out.values.size()) out.values.emplace_back();
    std::string& value = out.values[used++];
    value.clear();
    return value;
  };
  auto placeholder = [&] {
    char digits[24];
    auto end = std::to_chars(digits, digits + sizeof digits, used).ptr;
    out.text += '$';
    out.text.append(digits, end);
  };
  while (i < sql.size()) {
    char c = sql[i];
    if (c == '\'' && (i == 0 || !word_char(sql[i - 1]))) {  // E'..', B'..', U&'..' keep their prefix: not replaced
      std::string& value = next_value();
      size_t j = i + 1;
      bool closed = false;
      while (j < sql.size()) {
        if (sql[j] == '\'') {
          if (j + 1 < sql.size() && sql[j + 1] == '\'') {
            value += '\'';
            j += 2;
            continue;
          }
          closed = true;
          break;
        }
        value += sql[j++];
      }
      if (!closed) {
        --used;
        out.text.append(sql, i);
        break;
      }
      placeholder();
      i = j + 1;
    } else if (c == '\'' || c == '"') {
      size_t j = sql.find(c, i + 1);
      j = j == std::string::npos ? sql.size() : j + 1;
      out.text.append(sql, i, j - i);
      i = j;
    } else if (c == '-' && i + 1 < sql.size() && sql[i + 1] == '-') {
      size_t j = sql.find('\n', i);
      j = j == std::string::npos ? sql.size() : j;
      out.text.append(sql, i, j - i);
      i = j;
    } else if (std::isdigit(static_cast<unsigned char>(c)) &&
               (i == 0 || (!word_char(sql[i - 1]) && sql[i - 1] != '.'))) {
      size_t j = i;
      while (j < sql.size() && (std::isdigit(static_cast<unsigned char>(sql[j])) || sql[j] == '.')) ++j;
      if ((j < sql.size() && (std::isalpha(static_cast<unsigned char>(sql[j])) || sql[j] == '_')) ||
          after_by(out.text)) {
        out.text.append(sql, i, j - i);  // 1e5, 2x: leave alone
      } else {
        next_value().assign(sql, i, j - i);
        placeholder();
      }
      i = j;
    } else {
      out.text += c;
      ++i;
    }
  }
  out.values.resize(used);
}

Parameterized parameterize(const std::string& sql) {
  Parameterized out;
  parameterize_into(sql, out);
  return out;
}

Expected<std::unique_ptr<PreparedSession>> PreparedSession::connect(const core::TargetUrl& url,
                                                                    const ConnectOptions& options) {
  std::unique_ptr<PreparedSession> session(new PreparedSession());
  session->url_ = url;
  session->client_timeout_ = options.statement_timeout + kClientTimeoutGrace;
  session->connection_ = PQconnectdb(build_conninfo(url, options).c_str());
  // Server notices ("terminating connection due to immediate shutdown") would go to stderr, once per
  // client; the analyzer never prints, and a lost connection is reported once by the bench.
  PQsetNoticeProcessor(
      session->connection_, [](void*, const char*) {}, nullptr);
  if (PQstatus(session->connection_) != CONNECTION_OK) {
    return core::make_error(core::ErrorKind::connection,
                            fmt::format("{}: {}", url.redacted(), one_line(PQerrorMessage(session->connection_), url)));
  }
  session->deadline_ =
      std::make_unique<RepeatedSocketDeadline>(PQsocket(session->connection_), session->client_timeout_);
  return session;
}

PreparedSession::~PreparedSession() {
  deadline_.reset();  // before the socket closes: a shutdown must never reach a reused descriptor
  if (connection_) PQfinish(connection_);
}

namespace {

// What PQexec's last step does after a send: every result of the statement read, the last one kept;
// a COPY or a broken connection ends the reading.
PGresult* read_results(pg_conn* connection) {
  PGresult* last = nullptr;
  while (PGresult* result = PQgetResult(connection)) {
    PQclear(last);
    last = result;
    auto status = PQresultStatus(result);
    if (status == PGRES_COPY_IN || status == PGRES_COPY_OUT || status == PGRES_COPY_BOTH ||
        PQstatus(connection) == CONNECTION_BAD) {
      break;
    }
  }
  return last;
}

}  // namespace

Expected<ResultSummary> PreparedSession::execute(const std::string& sql, size_t keep_rows,
                                                 const std::function<void()>& while_waiting) {
  parameterize_into(sql, parameterized_);
  deadline_->arm();
  struct Disarm {
    RepeatedSocketDeadline& deadline;
    ~Disarm() { deadline.disarm(); }
  } disarm{*deadline_};
  PGresult* result = nullptr;
  const Statement* statement = nullptr;
  if (!parameterized_.values.empty()) {
    // A script line runs the same template call after call: the last one is checked first, then
    // the session's map, and only a new template is prepared (and its name formatted) once.
    if (last_ != prepared_.end() && last_->first == parameterized_.text) {
      statement = &last_->second;
    } else if (auto it = prepared_.find(parameterized_.text); it != prepared_.end()) {
      last_ = it;
      statement = &it->second;
    } else {
      Statement added{fmt::format("dbvet_{}", prepared_.size())};
      // A template the server cannot prepare (`v + -$1`: the operator of an unknown type is not
      // unique) must not abort the script's open transaction: inside one, the attempt is fenced by a
      // savepoint.
      const bool in_transaction = PQtransactionStatus(connection_) == PQTRANS_INTRANS;
      if (in_transaction) PQclear(PQexec(connection_, "SAVEPOINT dbvet_prepare"));
      PGresult* prepared = PQprepare(connection_, added.name.c_str(), parameterized_.text.c_str(),
                                     static_cast<int>(parameterized_.values.size()), nullptr);
      added.usable = PQresultStatus(prepared) == PGRES_COMMAND_OK;
      PQclear(prepared);
      if (in_transaction) {
        PQclear(PQexec(connection_, !added.usable
                                        ? "ROLLBACK TO SAVEPOINT dbvet_prepare; RELEASE SAVEPOINT dbvet_prepare"
                                        : "RELEASE SAVEPOINT dbvet_prepare"));
      }
      last_ = prepared_.emplace(parameterized_.text, std::move(added)).first;
      statement = &last_->second;
    }
  }
  bool sent = false;
  if (statement && statement->usable) {
    value_pointers_.clear();
    for (const auto& value : parameterized_.values) value_pointers_.push_back(value.c_str());
    sent = PQsendQueryPrepared(connection_, statement->name.c_str(), static_cast<int>(value_pointers_.size()),
                               value_pointers_.data(), nullptr, nullptr, 0) == 1;
  } else {
    sent = PQsendQuery(connection_, sql.c_str()) == 1;
  }
  if (sent) {
    if (while_waiting) while_waiting();
    result = read_results(connection_);
  }
  auto status = PQresultStatus(result);
  if (status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK) {
    std::string message = one_line(result ? PQresultErrorMessage(result) : PQerrorMessage(connection_), url_);
    const char* state = result ? PQresultErrorField(result, PG_DIAG_SQLSTATE) : nullptr;
    PQclear(result);
    if (deadline_->fired()) {
      return core::make_error(core::ErrorKind::connection,
                              fmt::format("{}: no answer within {} ms (client-side statement timeout): the server "
                                          "stopped answering",
                                          url_.redacted(), client_timeout_.count()));
    }
    if (PQstatus(connection_) != CONNECTION_OK) {
      return core::make_error(core::ErrorKind::connection,
                              fmt::format("{}: connection lost: {}", url_.redacted(), message));
    }
    if (state && std::string(state) == "57014") message = "statement cancelled after the statement timeout";
    return core::make_error(core::ErrorKind::query, fmt::format("{}: {}", url_.redacted(), message));
  }
  ResultSummary summary;
  int rows = PQntuples(result), columns = PQnfields(result);
  if (keep_rows > 0) {  // the names only go with kept rows: no allocation per statement that keeps none
    for (int c = 0; c < columns; ++c) summary.columns.emplace_back(PQfname(result, c));
  }
  summary.row_count = rows;
  const char* affected = PQcmdTuples(result);
  summary.affected_rows = affected && *affected ? std::atoll(affected) : 0;
  for (int r = 0; r < rows; ++r) {
    uint64_t row_hash = kFnvOffset;
    bool keep = summary.rows.size() < keep_rows;
    std::vector<std::optional<std::string>> kept;
    for (int c = 0; c < columns; ++c) {
      bool null = PQgetisnull(result, r, c);
      unsigned char tag = null ? 0 : 1;
      row_hash = fnv1a(row_hash, &tag, 1);
      if (!null) {
        row_hash = fnv1a(row_hash, PQgetvalue(result, r, c), static_cast<size_t>(PQgetlength(result, r, c)));
        row_hash = fnv1a(row_hash, "\x1f", 1);
      }
      if (keep) {
        kept.push_back(null ? std::nullopt
                            : std::optional<std::string>(std::string(PQgetvalue(result, r, c),
                                                                     static_cast<size_t>(PQgetlength(result, r, c)))));
      }
    }
    summary.result_hash += row_hash;
    if (keep) summary.rows.push_back(std::move(kept));
  }
  PQclear(result);
  return summary;
}

}  // namespace dbvet::engines::postgres
