#pragma once
// Records to QueryEvents: statements and their durations, bind parameters from DETAIL lines,
// auto_explain plans, per backend session (EventBuilder).
// Internal to postgres_log.cpp, which alone includes it: the anonymous namespace keeps the linkage
// the code had when it was one file, so GCC inlines the per-line paths as it did then.

#include <array>
#include <string>
#include <string_view>
#include <unordered_map>

#include "analyzer/capture/postgres_log.hpp"
#include "analyzer/capture/postgres_log_record.hpp"
#include "analyzer/capture/postgres_server_events.hpp"

namespace dbvet::capture {
namespace {

using pglog::PrefixFields;
using pglog::Severity;

// "Query Text: ..." of an auto_explain plan (text or JSON format).
std::string plan_query_text(std::string_view plan) {
  size_t at = plan.find("Query Text: ");
  if (at != std::string_view::npos) {
    size_t b = at + 12;
    // A text plan: the query runs until the first line that starts the plan tree.
    size_t e = b;
    while (true) {
      size_t nl = plan.find('\n', e);
      if (nl == std::string_view::npos) {
        e = plan.size();
        break;
      }
      std::string_view next = plan.substr(nl + 1);
      size_t k = 0;
      while (k < next.size() && (next[k] == ' ' || next[k] == '\t')) ++k;
      next = next.substr(k);
      // Plan nodes look like "Seq Scan on t  (cost=..." or "->  ...".
      if (next.find("(cost=") != std::string_view::npos || next.find("(actual") != std::string_view::npos ||
          starts_with(next, "->") || next.empty()) {
        e = nl;
        break;
      }
      e = nl + 1;
    }
    return std::string(plan.substr(b, e - b));
  }
  at = plan.find("\"Query Text\": \"");
  if (at == std::string_view::npos) return {};
  std::string out;
  for (size_t i = at + 15; i < plan.size(); ++i) {
    char c = plan[i];
    if (c == '"') break;
    if (c == '\\' && i + 1 < plan.size()) {
      char n = plan[++i];
      switch (n) {
        case 'n':
          out += '\n';
          break;
        case 't':
          out += '\t';
          break;
        case 'r':
          out += '\r';
          break;
        default:
          out += n;
          break;
      }
      continue;
    }
    out += c;
  }
  return out;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\n')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\n' || s.back() == ';')) {
    s.remove_suffix(1);
  }
  return s;
}

// Turns records into events.
class EventBuilder {
 public:
  EventBuilder(EventSink sink, ServerEventSink server_sink, ReadStats& stats)
      : sink_(std::move(sink)), server_sink_(std::move(server_sink)), stats_(stats) {}

  void on_record(const Record& r, uint64_t line_no) {
    Session& s = session(r.pid);
    s.last_line = line_no;
    std::string_view m = r.message();
    if (s.has_server) {  // a temporary file waits for the STATEMENT after it
      if (r.severity == Severity::statement) s.server.text.assign(m);
      emit_server(s);
      if (r.severity == Severity::statement) return;
    }
    if (s.has_pending) {
      if (r.severity == Severity::detail && starts_with(m, "parameters: ")) {
        apply_parameters(s.pending, m.substr(12));
        emit(s.pending);
        s.has_pending = false;
        return;
      }
      emit(s.pending);
      s.has_pending = false;
    }
    if (r.severity == Severity::detail && s.has_stmt && starts_with(m, "parameters: ") &&
        !s.stmt.prepared_sql.empty() && s.stmt.sql == s.stmt.prepared_sql) {
      apply_parameters(s.stmt, m.substr(12));
      return;
    }
    if (r.severity != Severity::log) {
      if (server_sink_) on_server_record(r, s, m);
      return;
    }
    if (starts_with(m, "duration: ")) {
      on_duration(r, s, m.substr(10));
    } else if (starts_with(m, "statement: ")) {
      start_statement(r, s, m.substr(11), false);
    } else if (starts_with(m, "execute ")) {
      size_t colon = m.find(": ");
      if (colon != std::string_view::npos) start_statement(r, s, m.substr(colon + 2), true);
    } else if (server_sink_) {
      on_server_record(r, s, m);
    }
  }

  // Emits what every session still holds, and forgets idle sessions.
  void flush_all() {
    for (auto& [pid, s] : sessions_) flush(s);
    sessions_.clear();
    forget_recent_sessions();
  }

  void sweep(uint64_t line_no, uint64_t idle_lines) {
    for (auto it = sessions_.begin(); it != sessions_.end();) {
      if (line_no - it->second.last_line > idle_lines) {
        flush(it->second);
        forget_recent_sessions();
        it = sessions_.erase(it);
      } else {
        ++it;
      }
    }
  }

 private:
  // A record's session without a hash lookup (whose modulo by a prime is a division) most of the
  // time: a small direct-mapped cache of the sessions last used (unordered_map elements stay
  // where they are until erased, which empties the cache).
  Session& session(uint64_t pid) {
    RecentSession& slot = recent_[(pid * 0x9E3779B97F4A7C15ULL) >> (64 - kRecentBits)];
    if (slot.session == nullptr || slot.pid != pid) {
      slot.session = &sessions_[pid];
      slot.pid = pid;
    }
    return *slot.session;
  }
  void forget_recent_sessions() { recent_.fill(RecentSession{}); }

  void flush(Session& s) {
    if (s.has_server) emit_server(s);
    if (s.has_pending) emit(s.pending);
    if (s.has_plan) emit(s.plan);
    if (s.has_stmt) emit(s.stmt);
    s.has_pending = s.has_plan = s.has_stmt = false;
  }

  void emit(model::QueryEvent& e) {
    ++stats_.events;
    sink_(std::move(e));
    reset(e);
  }

  // Empties an event but keeps its strings' buffers (unless the sink took them): the next event
  // built in it allocates nothing. database, user and host stay: fill_meta sets them on every
  // reuse, and mostly to what they were.
  static void reset(model::QueryEvent& e) {
    e.sql.clear();
    e.query_time_s = 0;
    e.lock_time_s.reset();
    e.rows_sent.reset();
    e.rows_examined.reset();
    e.rows_affected.reset();
    e.bytes_sent.reset();
    e.timestamp.reset();
    e.byte_offset = 0;
    e.plan_text.clear();
    e.prepared_sql.clear();
    e.query_id = 0;
  }

  // A record that is no statement: a checkpoint, a temporary file, a lock wait, a connection, an
  // error... (postgres_server_events.hpp). Off the statements' path.
  void on_server_record(const Record& r, Session& s, std::string_view m) {
    if (r.severity == Severity::log) {
      std::string_view host = pglog::connection_received_host(m);
      if (!host.empty()) {
        s.received_host.assign(host);
        return;
      }
    }
    model::ServerEvent& e = s.server;
    e = model::ServerEvent{};
    if (!pglog::parse_server_message(r.severity, m, e)) return;
    copy_time(e.timestamp, r.timestamp);
    using Kind = model::ServerEvent::Kind;
    if (e.kind == Kind::connection) {
      // As pgBadger: the host of "connection received" before, else the message's, the prefix's.
      if (!s.received_host.empty()) {
        e.host = std::move(s.received_host);
        s.received_host.clear();
      } else if (e.host.empty()) {
        e.host = r.host;
      }
      if (e.database.empty()) e.database = r.database;
      if (e.user.empty()) e.user = r.user;
    } else if (e.kind != Kind::disconnection) {
      e.database = r.database;
      e.user = r.user;
      e.host = r.host;
    }
    if (e.kind == Kind::error || e.kind == Kind::deadlock) e.sqlstate = r.sqlstate;
    if (e.kind == Kind::temp_file) {
      if (r.inline_statement.empty()) {  // stderr, syslog: the STATEMENT record follows
        s.has_server = true;
        return;
      }
      e.text = r.inline_statement;
    }
    server_sink_(std::move(e));
  }

  void emit_server(Session& s) {
    s.has_server = false;
    server_sink_(std::move(s.server));
  }

  void start_statement(const Record& r, Session& s, std::string_view sql, bool execute) {
    if (s.has_stmt) emit(s.stmt);  // logged without a duration: counted, like pgBadger does
    reset(s.stmt);
    s.stmt.sql.assign(sql);
    if (execute) s.stmt.prepared_sql = s.stmt.sql;
    fill_meta(r, s.stmt);
    s.has_stmt = true;
    if (r.inline_detail && execute && starts_with(r.detail, "parameters: ")) {
      apply_parameters(s.stmt, std::string_view(r.detail).substr(12));
    }
  }

  void on_duration(const Record& r, Session& s, std::string_view rest) {
    double ms = 0;
    const char* p = parse_decimal(rest.data(), rest.data() + rest.size(), ms);
    if (p == nullptr || !starts_with(std::string_view(p, rest.data() + rest.size() - p), " ms")) {
      stats_.skip(r.offset, "a duration in milliseconds after 'duration: '");
      return;
    }
    rest = std::string_view(p + 3, rest.data() + rest.size() - p - 3);
    while (!rest.empty() && rest.front() == ' ') rest.remove_prefix(1);
    double secs = ms / 1000.0;
    if (rest.empty()) {  // log_duration: the statement was logged before
      if (s.has_stmt) {
        s.stmt.query_time_s = secs;
        // log_statement logs before parse analysis, with queryid 0; log_duration after it.
        if (r.query_id != 0) s.stmt.query_id = r.query_id;
        attach_plan(s, s.stmt);
        emit(s.stmt);
        s.has_stmt = false;
      }
      return;
    }
    std::string_view sql;
    bool execute = false;
    if (starts_with(rest, "statement: ")) {
      sql = rest.substr(11);
    } else if (starts_with(rest, "execute ")) {
      size_t colon = rest.find(": ");
      if (colon == std::string_view::npos) return;
      sql = rest.substr(colon + 2);
      execute = true;
    } else if (starts_with(rest, "plan:")) {
      on_plan(r, s, secs, rest.substr(5));
      return;
    } else {
      return;  // parse, bind, fastpath function call: not counted (like pgBadger)
    }
    if (s.has_stmt) emit(s.stmt);
    s.has_stmt = false;
    model::QueryEvent& e = direct_;  // emptied by the last emit (or moved from, then emptied here)
    reset(e);
    e.sql.assign(sql);
    e.query_time_s = secs;
    fill_meta(r, e);
    attach_plan(s, e);
    if (execute) {
      e.prepared_sql = e.sql;
      if (r.inline_detail) {
        if (starts_with(r.detail, "parameters: ")) apply_parameters(e, std::string_view(r.detail).substr(12));
        emit(e);
      } else {
        s.pending = std::move(e);
        s.has_pending = true;
      }
      return;
    }
    emit(e);
  }

  void on_plan(const Record& r, Session& s, double secs, std::string_view plan) {
    if (s.has_plan) emit(s.plan);
    while (!plan.empty() && (plan.front() == '\n' || plan.front() == ' ')) plan.remove_prefix(1);
    s.plan = model::QueryEvent{};
    s.plan.plan_text.assign(plan);
    s.plan.sql = plan_query_text(plan);
    s.plan.query_time_s = secs;
    fill_meta(r, s.plan);
    s.has_plan = true;
  }

  // The plan logged just before by auto_explain belongs to this statement when the texts agree.
  void attach_plan(Session& s, model::QueryEvent& e) {
    if (!s.has_plan) return;
    if (trim(s.plan.sql) == trim(e.sql) || (!e.prepared_sql.empty() && trim(s.plan.sql) == trim(e.prepared_sql))) {
      e.plan_text = std::move(s.plan.plan_text);
      s.has_plan = false;
      s.plan = model::QueryEvent{};
    }
  }

  void apply_parameters(model::QueryEvent& e, std::string_view params) {
    std::string out;
    if (e.prepared_sql.empty()) e.prepared_sql = e.sql;
    if (substitute_parameters(e.prepared_sql, params, out)) e.sql = std::move(out);
  }

  EventSink sink_;
  ServerEventSink server_sink_;  // empty: server events are not wanted
  ReadStats& stats_;
  std::unordered_map<uint64_t, Session> sessions_;
  struct RecentSession {
    uint64_t pid = 0;
    Session* session = nullptr;
  };
  static constexpr unsigned kRecentBits = 6;
  std::array<RecentSession, size_t{1} << kRecentBits> recent_{};
  model::QueryEvent direct_;  // the event of a "duration: ... statement:" line, reused
};

}  // namespace
}  // namespace dbvet::capture
