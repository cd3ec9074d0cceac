#include "analyzer/digest/server_activity.hpp"

#include <algorithm>
#include <tuple>

namespace dbvet::digest {
namespace {

using Kind = model::ServerEvent::Kind;

template <class Map>
void add_counts(Map& into, const Map& from) {
  for (const auto& [key, n] : from) into[key] += n;
}

void add_group(std::map<std::string, SessionGroup>& into, const std::string& key, int64_t us) {
  SessionGroup& g = into[key];
  ++g.count;
  g.total_us += us;
}

void merge_groups(std::map<std::string, SessionGroup>& into, const std::map<std::string, SessionGroup>& from) {
  for (const auto& [key, g] : from) {
    SessionGroup& to = into[key];
    to.count += g.count;
    to.total_us += g.total_us;
  }
}

void merge_table(std::map<std::string, TableMaintenance>& into, const std::map<std::string, TableMaintenance>& from) {
  for (const auto& [table, m] : from) {
    TableMaintenance& to = into[table];
    to.count += m.count;
    to.pages_removed += m.pages_removed;
    to.tuples_removed += m.tuples_removed;
  }
}

void keep_top(std::vector<TempFile>& top) {
  std::sort(top.begin(), top.end(), larger_temp_file);
  if (top.size() > TempFiles::kTop) top.resize(TempFiles::kTop);
}

void add_message(Errors& errors, const std::string& key, const std::string& severity, const std::string& example,
                 uint64_t n) {
  ErrorMessage& m = errors.messages[key];
  if (m.count == 0 || severity < m.severity) m.severity = severity;
  if (m.count == 0 || example < m.example) m.example = example;
  m.count += n;
}

}  // namespace

bool larger_temp_file(const TempFile& a, const TempFile& b) {
  if (a.size != b.size) return a.size > b.size;
  const int64_t ta = a.timestamp.value_or(INT64_MAX), tb = b.timestamp.value_or(INT64_MAX);
  return std::tie(ta, a.query, a.database, a.user) < std::tie(tb, b.query, b.database, b.user);
}

std::string normalize_error(std::string_view message) {
  static constexpr std::string_view kAtCharacter = " at character ";
  if (size_t at = message.rfind(kAtCharacter); at != std::string_view::npos) {
    size_t i = at + kAtCharacter.size();
    while (i < message.size() && message[i] >= '0' && message[i] <= '9') ++i;
    if (i == message.size()) message = message.substr(0, at);
  }
  std::string out;
  out.reserve(message.size());
  auto is_word = [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
  };
  for (size_t i = 0; i < message.size();) {
    const char c = message[i];
    if (c == '"' || c == '\'') {
      size_t end = message.find(c, i + 1);
      if (end == std::string_view::npos) end = message.size() - 1;
      out += c;
      out += "...";
      out += c;
      i = end + 1;
      continue;
    }
    if (c >= '0' && c <= '9' && (i == 0 || !is_word(message[i - 1]))) {
      size_t j = i;
      while (j < message.size() && (is_word(message[j]) || message[j] == '.')) ++j;
      out += "...";
      i = j;
      continue;
    }
    out += c;
    ++i;
  }
  return out;
}

void ServerActivity::add(const model::ServerEvent& e) {
  switch (e.kind) {
    case Kind::checkpoint_start:
      ++checkpoints.by_cause[e.name];
      break;
    case Kind::checkpoint:
      ++checkpoints.count;
      checkpoints.buffers += e.count;
      checkpoints.write_us.add(e.write_us);
      checkpoints.sync_us.add(e.sync_us);
      checkpoints.total_us.add(e.total_us);
      checkpoints.wal_added += e.wal_added;
      checkpoints.wal_removed += e.wal_removed;
      checkpoints.wal_recycled += e.wal_recycled;
      break;
    case Kind::checkpoint_warning:
      checkpoints.warning_distance_us.add(e.duration_us);
      break;
    case Kind::temp_file: {
      ++temp_files.count;
      temp_files.total += e.count;
      temp_files.max = std::max(temp_files.max, e.count);
      TempFile f{e.count, e.timestamp, e.text, e.database, e.user};
      if (temp_files.top.size() < TempFiles::kTop || larger_temp_file(f, temp_files.top.back())) {
        temp_files.top.push_back(std::move(f));
        keep_top(temp_files.top);
      }
      break;
    }
    case Kind::lock_wait:
      ++locks.waits;
      ++locks.by_type[e.name].waits;
      break;
    case Kind::lock_acquired: {
      ++locks.acquired;
      locks.acquired_wait_us.add(e.duration_us);
      LockType& t = locks.by_type[e.name];
      ++t.acquired;
      t.acquired_wait_us += e.duration_us;
      ++t.objects[e.object];
      break;
    }
    case Kind::deadlock:
      ++locks.deadlocks;
      add_error(e);
      break;
    case Kind::autovacuum: {
      ++autovacuum_count;
      TableMaintenance& t = autovacuum[e.name];
      ++t.count;
      t.pages_removed += e.pages_removed.value_or(0);
      t.tuples_removed += e.tuples_removed.value_or(0);
      break;
    }
    case Kind::autoanalyze:
      ++autoanalyze_count;
      ++autoanalyze[e.name].count;
      break;
    case Kind::connection:
      ++connections.count;
      ++connections.by_database[e.database];
      ++connections.by_user[e.user];
      ++connections.by_host[e.host];
      break;
    case Kind::disconnection:
      sessions.time_us.add(e.duration_us);
      add_group(sessions.by_database, e.database, e.duration_us);
      add_group(sessions.by_user, e.user, e.duration_us);
      add_group(sessions.by_host, e.host, e.duration_us);
      break;
    case Kind::error:
      add_error(e);
      break;
  }
}

void ServerActivity::add_error(const model::ServerEvent& e) {
  ++errors.count;
  ++errors.by_severity[e.name];
  if (e.sqlstate.size() == 5) ++errors.by_class[e.sqlstate.substr(0, 2)];
  add_message(errors, e.name + ":  " + normalize_error(e.text), e.name, e.text, 1);
}

void ServerActivity::merge(const ServerActivity& o) {
  checkpoints.count += o.checkpoints.count;
  checkpoints.buffers += o.checkpoints.buffers;
  checkpoints.write_us.merge(o.checkpoints.write_us);
  checkpoints.sync_us.merge(o.checkpoints.sync_us);
  checkpoints.total_us.merge(o.checkpoints.total_us);
  add_counts(checkpoints.by_cause, o.checkpoints.by_cause);
  checkpoints.wal_added += o.checkpoints.wal_added;
  checkpoints.wal_removed += o.checkpoints.wal_removed;
  checkpoints.wal_recycled += o.checkpoints.wal_recycled;
  checkpoints.warning_distance_us.merge(o.checkpoints.warning_distance_us);

  temp_files.count += o.temp_files.count;
  temp_files.total += o.temp_files.total;
  temp_files.max = std::max(temp_files.max, o.temp_files.max);
  temp_files.top.insert(temp_files.top.end(), o.temp_files.top.begin(), o.temp_files.top.end());
  keep_top(temp_files.top);

  locks.waits += o.locks.waits;
  locks.acquired += o.locks.acquired;
  locks.deadlocks += o.locks.deadlocks;
  locks.acquired_wait_us.merge(o.locks.acquired_wait_us);
  for (const auto& [type, t] : o.locks.by_type) {
    LockType& to = locks.by_type[type];
    to.waits += t.waits;
    to.acquired += t.acquired;
    to.acquired_wait_us += t.acquired_wait_us;
    add_counts(to.objects, t.objects);
  }

  autovacuum_count += o.autovacuum_count;
  autoanalyze_count += o.autoanalyze_count;
  merge_table(autovacuum, o.autovacuum);
  merge_table(autoanalyze, o.autoanalyze);

  connections.count += o.connections.count;
  add_counts(connections.by_database, o.connections.by_database);
  add_counts(connections.by_user, o.connections.by_user);
  add_counts(connections.by_host, o.connections.by_host);

  sessions.time_us.merge(o.sessions.time_us);
  merge_groups(sessions.by_database, o.sessions.by_database);
  merge_groups(sessions.by_user, o.sessions.by_user);
  merge_groups(sessions.by_host, o.sessions.by_host);

  errors.count += o.errors.count;
  add_counts(errors.by_severity, o.errors.by_severity);
  add_counts(errors.by_class, o.errors.by_class);
  for (const auto& [key, m] : o.errors.messages) add_message(errors, key, m.severity, m.example, m.count);
}

bool ServerActivity::empty() const {
  return checkpoints.count == 0 && checkpoints.by_cause.empty() && checkpoints.warning_distance_us.count == 0 &&
         temp_files.count == 0 && locks.waits == 0 && locks.acquired == 0 && locks.deadlocks == 0 &&
         autovacuum_count == 0 && autoanalyze_count == 0 && connections.count == 0 && sessions.time_us.count == 0 &&
         errors.count == 0;
}

}  // namespace dbvet::digest
