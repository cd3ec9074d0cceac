#include "analyzer/capture/postgres_server_events.hpp"

#include <charconv>
#include <string>

namespace dbvet::capture::pglog {
namespace {

using Kind = model::ServerEvent::Kind;

bool starts_with(std::string_view s, std::string_view p) { return s.substr(0, p.size()) == p; }

// The unsigned integer right after `key` in s ("wrote " -> 123), or nullopt.
std::optional<int64_t> integer_after(std::string_view s, std::string_view key) {
  const size_t at = s.find(key);
  if (at == std::string_view::npos) return std::nullopt;
  const char* begin = s.data() + at + key.size();
  int64_t v = 0;
  auto [p, ec] = std::from_chars(begin, s.data() + s.size(), v);
  if (ec != std::errc{} || p == begin) return std::nullopt;
  return v;
}

// The decimal right after `key` in s, scaled to microseconds from `unit_us` per unit.
std::optional<int64_t> micros_after(std::string_view s, std::string_view key, double unit_us) {
  const size_t at = s.find(key);
  if (at == std::string_view::npos) return std::nullopt;
  const char* begin = s.data() + at + key.size();
  double v = 0;
  auto [p, ec] = std::from_chars(begin, s.data() + s.size(), v);
  if (ec != std::errc{} || p == begin || v < 0) return std::nullopt;
  return static_cast<int64_t>(v * unit_us + 0.5);
}

// The value of " key=VALUE" (up to the next space) in s.
std::string_view field(std::string_view s, std::string_view key) {
  size_t at = s.find(key);
  while (at != std::string_view::npos && at > 0 && s[at - 1] != ' ' && s[at - 1] != ':') at = s.find(key, at + 1);
  if (at == std::string_view::npos) return {};
  std::string_view v = s.substr(at + key.size());
  return v.substr(0, v.find_first_of(" \n"));
}

std::string_view first_line(std::string_view s) { return s.substr(0, s.find('\n')); }

// "H:MM:SS.fff" (log_disconnections' session time) in microseconds.
std::optional<int64_t> session_time_us(std::string_view s) {
  int64_t hours = 0, minutes = 0;
  const char* p = s.data();
  const char* end = s.data() + s.size();
  auto r1 = std::from_chars(p, end, hours);
  if (r1.ec != std::errc{} || r1.ptr == end || *r1.ptr != ':') return std::nullopt;
  auto r2 = std::from_chars(r1.ptr + 1, end, minutes);
  if (r2.ec != std::errc{} || r2.ptr == end || *r2.ptr != ':') return std::nullopt;
  double seconds = 0;
  auto r3 = std::from_chars(r2.ptr + 1, end, seconds);
  if (r3.ec != std::errc{}) return std::nullopt;
  return (hours * 3600 + minutes * 60) * 1000000 + static_cast<int64_t>(seconds * 1e6 + 0.5);
}

// "process 123 still waiting for ShareLock on transaction 456 after 1000.1 ms" and
// "process 123 acquired ShareLock on relation 1 of database 5 after 13555.8 ms".
bool lock_message(std::string_view m, std::string_view verb, Kind kind, model::ServerEvent& out) {
  if (!starts_with(m, "process ")) return false;
  const size_t at = m.find(verb);
  if (at == std::string_view::npos) return false;
  std::string_view rest = m.substr(at + verb.size());
  const size_t on = rest.find(" on ");
  if (on == std::string_view::npos) return false;
  out.kind = kind;
  out.name.assign(rest.substr(0, on));
  std::string_view object = rest.substr(on + 4);
  out.object.assign(object.substr(0, object.find(' ')));
  out.duration_us = micros_after(first_line(m), " after ", 1e3).value_or(0);
  return true;
}

bool checkpoint_complete(std::string_view m, model::ServerEvent& out) {
  if (!starts_with(m, "checkpoint complete: ") && !starts_with(m, "restartpoint complete: ")) return false;
  out.kind = Kind::checkpoint;
  out.count = integer_after(m, "wrote ").value_or(0);
  out.write_us = micros_after(m, "write=", 1e6).value_or(0);
  out.sync_us = micros_after(m, "sync=", 1e6).value_or(0);
  out.total_us = micros_after(m, "total=", 1e6).value_or(0);
  // "N WAL file(s) added, N removed, N recycled" (before PostgreSQL 10: "transaction log file(s)").
  out.wal_added = out.wal_removed = out.wal_recycled = 0;
  std::string_view files = m.substr(0, m.find(" file(s) added, "));
  if (const size_t semi = files.rfind("; "); files.size() < m.size() && semi != std::string_view::npos) {
    std::string_view count = files.substr(semi + 2);
    std::from_chars(count.data(), count.data() + count.size(), out.wal_added);
    out.wal_removed = integer_after(m, " added, ").value_or(0);
    out.wal_recycled = integer_after(m, " removed, ").value_or(0);
  }
  return true;
}

// The flags of "checkpoint starting: immediate force wait" as one cause: pgBadger's keys are the
// flags verbatim; dbvet groups them by what started the checkpoint.
std::string checkpoint_cause(std::string_view flags) {
  auto has = [&](std::string_view word) {
    size_t at = flags.find(word);
    while (at != std::string_view::npos) {
      const size_t end = at + word.size();
      if ((at == 0 || flags[at - 1] == ' ') && (end == flags.size() || flags[end] == ' ')) return true;
      at = flags.find(word, at + 1);
    }
    return false;
  };
  if (has("shutdown")) return "shutdown";
  if (has("end-of-recovery")) return "end-of-recovery";
  if (has("time")) return "time";
  if (has("wal") || has("xlog")) return "wal";
  return "requested";
}

bool autovacuum(std::string_view m, model::ServerEvent& out) {
  if (!starts_with(m, "automatic ")) return false;
  const bool analyze = starts_with(m, "automatic analyze of table \"");
  if (!analyze && !(starts_with(m, "automatic vacuum ") || starts_with(m, "automatic aggressive vacuum ")))
    return false;
  const size_t quote = m.find("of table \"");
  if (quote == std::string_view::npos) return false;
  std::string_view table = m.substr(quote + 10);
  const size_t close = table.find('"');
  if (close == std::string_view::npos) return false;
  out.kind = analyze ? Kind::autoanalyze : Kind::autovacuum;
  out.name.assign(table.substr(0, close));
  if (!analyze) {
    out.pages_removed = integer_after(m, "pages: ");
    out.tuples_removed = integer_after(m, "tuples: ");
  }
  return true;
}

}  // namespace

std::string_view connection_received_host(std::string_view message) {
  if (!starts_with(message, "connection received: ")) return {};
  return field(message, "host=");
}

bool parse_server_message(Severity severity, std::string_view m, model::ServerEvent& out) {
  switch (severity) {
    case Severity::warning:
    case Severity::error:
    case Severity::fatal:
    case Severity::panic:
      // A deadlock is an error too (SQLSTATE 40P01), counted as both.
      out.kind = severity == Severity::error && starts_with(m, "deadlock detected") ? Kind::deadlock : Kind::error;
      out.name = std::string(severity_name(severity));
      out.text.assign(first_line(m));
      return true;
    case Severity::log:
      break;
    default:
      return false;
  }
  switch (m.empty() ? '\0' : m.front()) {
    case 'c':
      if (starts_with(m, "connection authorized: ")) {
        out.kind = Kind::connection;
        out.user.assign(field(m, "user="));
        out.database.assign(field(m, "database="));
        out.host.assign(field(m, "host="));
        return true;
      }
      if (starts_with(m, "checkpoint starting: ")) {
        out.kind = Kind::checkpoint_start;
        out.name = checkpoint_cause(first_line(m.substr(21)));
        return true;
      }
      if (starts_with(m, "checkpoints are occurring too frequently (")) {
        out.kind = Kind::checkpoint_warning;  // "(9 seconds apart)", "(1 second apart)"
        out.duration_us = micros_after(m, "(", 1e6).value_or(0);
        return true;
      }
      return checkpoint_complete(m, out);
    case 'r':
      if (starts_with(m, "restartpoint starting: ")) {
        out.kind = Kind::checkpoint_start;
        out.name = checkpoint_cause(first_line(m.substr(23)));
        return true;
      }
      return checkpoint_complete(m, out);
    case 'd':
      if (starts_with(m, "disconnection: session time: ")) {
        std::string_view rest = m.substr(29);
        auto us = session_time_us(rest);
        if (!us) return false;
        out.kind = Kind::disconnection;
        out.duration_us = *us;
        out.user.assign(field(rest, "user="));
        out.database.assign(field(rest, "database="));
        out.host.assign(field(rest, "host="));
        return true;
      }
      return false;
    case 't':
      if (starts_with(m, "temporary file: path ")) {
        auto size = integer_after(m, ", size ");
        if (!size) return false;
        out.kind = Kind::temp_file;
        out.count = *size;
        return true;
      }
      return false;
    case 'p':
      return lock_message(m, " still waiting for ", Kind::lock_wait, out) ||
             lock_message(m, " acquired ", Kind::lock_acquired, out);
    case 'a':
      return autovacuum(m, out);
    default:
      return false;
  }
}

}  // namespace dbvet::capture::pglog
