// What PostgreSQL logs say besides statements (checkpoints, temporary files, locks, autovacuum,
// connections, sessions, errors) against pgBadger 12's JSON report: on pgBadger's own fixtures
// (../shared/conformance/postgres-log, skipped when absent) and on a log written from
// PostgreSQL's documentation of those messages (tests/data/logs/server_events, its pgBadger
// output beside it, made with: pgbadger -f stderr --prefix '%m [%p] [%e] %q%u@%d '
// -o pg_events.log.pgbadger.json pg_events.log).
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "analyzer/capture/line_source.hpp"
#include "analyzer/capture/postgres_log.hpp"
#include "analyzer/capture/postgres_server_events.hpp"
#include "analyzer/digest/server_activity.hpp"
#include "tests/support/test_env.hpp"

namespace dbvet::digest {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

struct Case {
  std::string name;
  ServerActivity activity;
  json expected;  // pgBadger's report
};

ServerActivity read_log(const fs::path& log, const std::string& prefix) {
  ServerActivity activity;
  auto source = capture::open_line_source(log.string());
  EXPECT_TRUE(source) << log;
  if (!source) return activity;
  capture::PostgresLogOptions options;
  options.log_line_prefix = prefix;
  options.server_sink = [&](model::ServerEvent&& e) { activity.add(e); };
  auto reader = capture::make_postgres_log_reader(options, [](model::QueryEvent&&) {});
  EXPECT_TRUE(reader);
  std::string_view line;
  uint64_t offset = 0;
  while ((*source)->next(line, offset)) (*reader)->feed_line(line, offset);
  (*reader)->finish();
  return activity;
}

json read_json(const fs::path& path) {
  std::ifstream in(path);
  return json::parse(in);
}

// The logs of the conformance set whose pgBadger report has anything (two are empty), and ours.
const std::vector<Case>& cases() {
  static const std::vector<Case> all = [] {
    std::vector<Case> out;
    const fs::path own = testing::source_dir() / "tests/data/logs/server_events";
    out.push_back({"pg_events.log", read_log(own / "pg_events.log", "%m [%p] [%e] %q%u@%d "),
                   read_json(own / "pg_events.log.pgbadger.json")});
    auto shared = testing::shared_dir();
    if (!shared || !fs::exists(*shared / "conformance/postgres-log")) return out;
    const fs::path dir = *shared / "conformance/postgres-log";
    for (const char* name : {"begin_end.log", "light.postgres.log.bz2", "multiline_param.log", "pg-syslog.2.gz",
                             "pg_rawcsv.log", "pg_vacuums.log.gz", "queryid.log.gz", "stmt_type.log"}) {
      out.push_back({name, read_log(dir / name, ""), read_json(dir / (std::string(name) + ".expected.json"))});
    }
    return out;
  }();
  return all;
}

void require_conformance_set() {
  auto shared = testing::shared_dir();
  if (!shared || !fs::exists(*shared / "conformance/postgres-log")) {
    std::cerr << "../shared/conformance/postgres-log is absent: only tests/data/logs/server_events is checked\n";
  }
}

// pgBadger keeps one report per "database" key (all of them "postgres" without -P): their sum.
const json& section(const json& doc, const char* key) {
  static const json empty = json::object();
  if (!doc.contains(key) || !doc[key].contains("postgres")) return empty;
  return doc[key]["postgres"];
}

uint64_t count_of(const json& j, const char* key = "count") { return j.contains(key) ? j[key].get<uint64_t>() : 0; }

double number(const json& j) { return j.is_string() ? std::stod(j.get<std::string>()) : j.get<double>(); }

TEST(PgServerEvents, CheckpointsAsPgBadger) {
  require_conformance_set();
  for (const Case& c : cases()) {
    SCOPED_TRACE(c.name);
    const json& cp = c.expected["checkpoint_info"];
    const Checkpoints& ours = c.activity.checkpoints;
    EXPECT_EQ(ours.buffers, cp["wbuffer"].get<int64_t>());
    EXPECT_NEAR(ours.write_us.sum / 1e6, number(cp["write"]), 1e-6);
    EXPECT_NEAR(ours.sync_us.sum / 1e6, number(cp["sync"]), 1e-6);
    EXPECT_NEAR(ours.total_us.sum / 1e6, number(cp["total"]), 1e-6);
    // pgBadger keys the starts by their flags verbatim; dbvet by what started them.
    std::map<std::string, uint64_t> causes;
    if (cp.contains("starting")) {
      for (const auto& [flags, n] : cp["starting"].items()) {
        std::string cause = flags == "time" ? "time" : flags == "wal" ? "wal" : "requested";
        causes[cause] += n.get<uint64_t>();
      }
    }
    EXPECT_EQ(ours.by_cause, causes);
    EXPECT_EQ(ours.wal_added, cp["file_added"].get<int64_t>());
    EXPECT_EQ(ours.wal_removed, cp["file_removed"].get<int64_t>());
    EXPECT_EQ(ours.wal_recycled, cp["file_recycled"].get<int64_t>());
    EXPECT_EQ(ours.warning_distance_us.count, cp["warning"].get<uint64_t>());
  }
  const Checkpoints& own = cases()[0].activity.checkpoints;
  EXPECT_EQ(own.count, 3u);
  EXPECT_EQ(own.total_us.max, 4633000);
}

// "checkpoints are occurring too frequently (N seconds apart)" and the WAL files of "checkpoint
// complete" (PostgreSQL 10+ "WAL file(s)", before it "transaction log file(s)"), on a log written
// from PostgreSQL's message formats; pgBadger's report of it beside it (pgbadger -q -j 1 -x json
// --prefix '%m [%p] ' -o checkpoint_warnings.log.pgbadger.json checkpoint_warnings.log).
TEST(PgServerEvents, CheckpointWarningsAndWalFilesAsPgBadger) {
  const fs::path own = testing::source_dir() / "tests/data/logs/server_events";
  const ServerActivity a = read_log(own / "checkpoint_warnings.log", "%m [%p] ");
  const json cp = read_json(own / "checkpoint_warnings.log.pgbadger.json")["checkpoint_info"];
  EXPECT_EQ(a.checkpoints.count, 3u);
  EXPECT_EQ(a.checkpoints.buffers, cp["wbuffer"].get<int64_t>());
  EXPECT_EQ(a.checkpoints.wal_added, cp["file_added"].get<int64_t>());
  EXPECT_EQ(a.checkpoints.wal_removed, cp["file_removed"].get<int64_t>());
  EXPECT_EQ(a.checkpoints.wal_recycled, cp["file_recycled"].get<int64_t>());
  EXPECT_EQ(a.checkpoints.wal_added + a.checkpoints.wal_removed + a.checkpoints.wal_recycled, 11);
  EXPECT_EQ(a.checkpoints.warning_distance_us.count, cp["warning"].get<uint64_t>());
  EXPECT_EQ(a.checkpoints.warning_distance_us.sum, cp["warning_seconds"].get<int64_t>() * 1000000);
  EXPECT_EQ(a.checkpoints.warning_distance_us.min, 4000000);
  EXPECT_EQ(a.errors.count, 0u);  // a LOG message, with its HINT: no error
  ServerActivity merged;          // and they merge
  merged.merge(a);
  merged.merge(a);
  EXPECT_EQ(merged.checkpoints.wal_recycled, 2 * a.checkpoints.wal_recycled);
  EXPECT_EQ(merged.checkpoints.warning_distance_us.count, 4u);
}

// jsonlog's state_code gives the SQLSTATE class of its errors, as %e and csvlog's sql_state_code
// do; pgBadger's report of the log beside it (pgbadger -q -j 1 -x json -f jsonlog).
TEST(PgServerEvents, JsonlogSqlstateClassesAsPgBadger) {
  const fs::path own = testing::source_dir() / "tests/data/logs/server_events";
  const ServerActivity a = read_log(own / "errors.jsonlog", "");
  std::map<std::string, uint64_t> expected;
  const json report = read_json(own / "errors.jsonlog.pgbadger.json");
  for (const auto& [message, e] : report["error_info"]["postgres"].items()) {
    for (const auto& state : e["sqlstate"]) ++expected[state.get<std::string>().substr(0, 2)];
  }
  EXPECT_EQ(expected, (std::map<std::string, uint64_t>{{"22", 1}, {"28", 1}, {"42", 2}}));
  EXPECT_EQ(a.errors.by_class, expected);
  EXPECT_EQ(a.errors.count, 4u);
}

TEST(PgServerEvents, TempFilesAsPgBadger) {
  require_conformance_set();
  for (const Case& c : cases()) {
    SCOPED_TRACE(c.name);
    const json& t = section(c.expected, "tempfile_info");
    const TempFiles& ours = c.activity.temp_files;
    EXPECT_EQ(ours.count, count_of(t));
    EXPECT_EQ(ours.total, t.contains("size") ? t["size"].get<int64_t>() : 0);
    EXPECT_EQ(ours.max, t.contains("maxsize") ? t["maxsize"].get<int64_t>() : 0);
    // The largest, with the statement that made them (pgBadger appends a ';').
    const json& top = section(c.expected, "top_tempfile_info");
    ASSERT_EQ(ours.top.size(), top.is_array() ? top.size() : 0u);
    for (size_t i = 0; i < ours.top.size(); ++i) {
      EXPECT_EQ(ours.top[i].size, top[i][0].get<int64_t>());
      std::string query = top[i][2].get<std::string>();
      if (!query.empty() && query.back() == ';') query.pop_back();
      std::string our_query = ours.top[i].query;
      if (!our_query.empty() && our_query.back() == ';') our_query.pop_back();
      EXPECT_EQ(our_query, query);
    }
  }
}

TEST(PgServerEvents, LocksAsPgBadger) {
  require_conformance_set();
  for (const Case& c : cases()) {
    SCOPED_TRACE(c.name);
    const json& locks = section(c.expected, "lock_info");
    uint64_t acquired = 0;
    for (const auto& [type, info] : locks.items()) {
      SCOPED_TRACE(type);
      acquired += info["count"].get<uint64_t>();
      auto ours = c.activity.locks.by_type.find(type);
      ASSERT_NE(ours, c.activity.locks.by_type.end());
      EXPECT_EQ(ours->second.acquired, info["count"].get<uint64_t>());
      EXPECT_NEAR(ours->second.acquired_wait_us / 1e3, number(info["duration"]), 1e-3);
      for (const auto& [object, n] : info.items()) {
        if (object == "count" || object == "duration" || object == "chronos") continue;
        EXPECT_EQ(ours->second.objects.count(object) ? ours->second.objects.at(object) : 0, count_of(n));
      }
    }
    EXPECT_EQ(c.activity.locks.acquired, acquired);
  }
  const Locks& own = cases()[0].activity.locks;
  EXPECT_EQ(own.waits, 2u);
  EXPECT_EQ(own.deadlocks, 1u);
}

TEST(PgServerEvents, AutovacuumAndAutoanalyzeAsPgBadger) {
  require_conformance_set();
  for (const Case& c : cases()) {
    SCOPED_TRACE(c.name);
    const json& vacuum = section(c.expected, "autovacuum_info");
    EXPECT_EQ(c.activity.autovacuum_count, count_of(vacuum));
    const json tables = vacuum.contains("tables") ? vacuum["tables"] : json::object();
    EXPECT_EQ(c.activity.autovacuum.size(), tables.size());
    for (const auto& [table, info] : tables.items()) {
      SCOPED_TRACE(table);
      ASSERT_TRUE(c.activity.autovacuum.count(table));
      const TableMaintenance& ours = c.activity.autovacuum.at(table);
      EXPECT_EQ(ours.count, info["vacuums"].get<uint64_t>());
      if (info.contains("pages")) {
        EXPECT_EQ(ours.pages_removed, info["pages"]["removed"].get<int64_t>());
      }
      if (info.contains("tuples")) {
        EXPECT_EQ(ours.tuples_removed, info["tuples"]["removed"].get<int64_t>());
      }
    }
    const json& analyze = section(c.expected, "autoanalyze_info");
    EXPECT_EQ(c.activity.autoanalyze_count, count_of(analyze));
    const json analyzed = analyze.contains("tables") ? analyze["tables"] : json::object();
    EXPECT_EQ(c.activity.autoanalyze.size(), analyzed.size());
    for (const auto& [table, info] : analyzed.items()) {
      ASSERT_TRUE(c.activity.autoanalyze.count(table)) << table;
      EXPECT_EQ(c.activity.autoanalyze.at(table).count, info["analyzes"].get<uint64_t>()) << table;
    }
  }
}

std::map<std::string, uint64_t> counts(const json& j) {
  std::map<std::string, uint64_t> out;
  for (const auto& [key, n] : j.items()) out[key] = n.is_object() ? count_of(n) : n.get<uint64_t>();
  return out;
}

TEST(PgServerEvents, ConnectionsAsPgBadger) {
  require_conformance_set();
  for (const Case& c : cases()) {
    SCOPED_TRACE(c.name);
    const json& conn = section(c.expected, "connection_info");
    const Connections& ours = c.activity.connections;
    EXPECT_EQ(ours.count, count_of(conn));
    if (conn.contains("database")) {
      EXPECT_EQ(ours.by_database, counts(conn["database"]));
    }
    if (conn.contains("user")) {
      EXPECT_EQ(ours.by_user, counts(conn["user"]));
    }
    if (conn.contains("host")) {
      EXPECT_EQ(ours.by_host, counts(conn["host"]));
    }
  }
}

TEST(PgServerEvents, SessionsAsPgBadger) {
  require_conformance_set();
  for (const Case& c : cases()) {
    SCOPED_TRACE(c.name);
    const json& sessions = section(c.expected, "session_info");
    const Sessions& ours = c.activity.sessions;
    EXPECT_EQ(ours.time_us.count, count_of(sessions));
    // pgBadger sums milliseconds; dbvet microseconds.
    const double ms = sessions.contains("duration") ? number(sessions["duration"]) : 0;
    EXPECT_NEAR(ours.time_us.sum / 1e3, ms, 0.5 * double(ours.time_us.count) + 1e-9);
    for (const char* key : {"database", "user", "host"}) {
      if (!sessions.contains(key)) continue;
      const auto& mine = key[0] == 'd' ? ours.by_database : key[0] == 'u' ? ours.by_user : ours.by_host;
      std::map<std::string, uint64_t> our_counts;
      for (const auto& [name, g] : mine) our_counts[name] = g.count;
      EXPECT_EQ(our_counts, counts(sessions[key])) << key;
    }
  }
}

// pgBadger files two LOG messages under errors ("database system was shut down", a lock's "still
// waiting"): dbvet counts WARNING, ERROR, FATAL and PANIC entries only, so those are left out of
// the comparison; they are counted in their own sections.
TEST(PgServerEvents, ErrorsAsPgBadger) {
  require_conformance_set();
  for (const Case& c : cases()) {
    SCOPED_TRACE(c.name);
    uint64_t count = 0;
    std::map<std::string, uint64_t> by_severity, by_class, by_message;
    for (const auto& [message, info] : section(c.expected, "error_info").items()) {
      const std::string first = info["error"][0].get<std::string>();
      if (first.rfind("LOG:", 0) == 0) continue;
      const uint64_t n = info["count"].get<uint64_t>();
      count += n;
      by_severity[first.substr(0, first.find(':'))] += n;
      by_message[message] += n;
      for (const auto& state : info["sqlstate"]) {
        if (state.is_string() && state.get<std::string>().size() == 5)
          ++by_class[state.get<std::string>().substr(0, 2)];
      }
    }
    const Errors& ours = c.activity.errors;
    EXPECT_EQ(ours.count, count);
    EXPECT_EQ(ours.by_severity, by_severity);
    EXPECT_EQ(ours.by_class, by_class);
    // The messages grouped as pgBadger groups them (multi-line ones by their first line).
    std::map<std::string, uint64_t> our_messages;
    for (const auto& [key, m] : ours.messages) our_messages[key] = m.count;
    std::map<std::string, uint64_t> first_lines;
    for (const auto& [key, n] : by_message) first_lines[key.substr(0, key.find('\n'))] += n;
    EXPECT_EQ(our_messages, first_lines);
  }
}

TEST(PgServerEvents, NormalizesErrorsAsPgBadger) {
  EXPECT_EQ(normalize_error("relation \"table_is_not_here\" does not exist at character 15"),
            "relation \"...\" does not exist");
  EXPECT_EQ(normalize_error("invalid value for parameter \"work_mem\": \"64KB\""),
            "invalid value for parameter \"...\": \"...\"");
  EXPECT_EQ(normalize_error("division by zero"), "division by zero");
}

TEST(PgServerEvents, MergesAsOneRead) {
  // Any split of the events merges to what one read gives.
  const ServerActivity& whole = cases()[0].activity;
  ServerActivity a, b;
  const fs::path log = testing::source_dir() / "tests/data/logs/server_events/pg_events.log";
  std::ifstream in(log);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const size_t half = text.find("\n2024-11-24 10:02:00") + 1;
  for (auto [part, into] : {std::pair{text.substr(0, half), &a}, std::pair{text.substr(half), &b}}) {
    capture::PostgresLogOptions options;
    options.log_line_prefix = "%m [%p] [%e] %q%u@%d ";
    options.server_sink = [into = into](model::ServerEvent&& e) { into->add(e); };
    auto reader = capture::make_postgres_log_reader(options, [](model::QueryEvent&&) {});
    ASSERT_TRUE(reader);
    capture::feed_lines(**reader, part, 0);
    (*reader)->finish();
  }
  b.merge(a);
  EXPECT_EQ(b.errors.count, whole.errors.count);
  EXPECT_EQ(b.checkpoints.buffers, whole.checkpoints.buffers);
  EXPECT_EQ(b.checkpoints.by_cause, whole.checkpoints.by_cause);
  EXPECT_EQ(b.connections.by_host, whole.connections.by_host);
  EXPECT_EQ(b.sessions.time_us.sum, whole.sessions.time_us.sum);
  ASSERT_EQ(b.temp_files.top.size(), whole.temp_files.top.size());
  EXPECT_EQ(b.temp_files.top[0].query, whole.temp_files.top[0].query);
  EXPECT_EQ(b.autovacuum.at("shop.public.orders").tuples_removed, 828);
}

}  // namespace
}  // namespace dbvet::digest
