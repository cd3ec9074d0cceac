#include "analyzer/pipeline/digest_report.hpp"

#include <algorithm>
#include <cmath>
#include <ctime>

#include "analyzer/core/json_envelope.hpp"
#include "analyzer/sql/fingerprint.hpp"
#include "fmt/format.h"
#include "nlohmann/json.hpp"

namespace dbvet::pipeline {
namespace {

using nlohmann::json;

constexpr const char* kDecadeNames[digest::kDecadeBuckets] = {"1us",  "10us",  "100us", "1ms",
                                                              "10ms", "100ms", "1s",    "10s+"};

json iso_time(std::optional<int64_t> t) {
  if (!t) return nullptr;
  std::time_t value = static_cast<std::time_t>(*t);
  std::tm tm{};
  gmtime_r(&value, &tm);
  char buffer[32];
  std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return std::string(buffer);
}

// Times in seconds, rounded to the microsecond they were summed in.
double seconds(double micros) { return std::round(micros) / 1e6; }

json time_metric(const digest::Metric& m) {
  if (m.count == 0) return nullptr;
  return {{"sum", seconds(double(m.sum))},
          {"min", seconds(double(m.min))},
          {"max", seconds(double(m.max))},
          {"avg", seconds(double(m.sum) / double(m.count))}};
}

json count_metric(const digest::Metric& m) {
  if (m.count == 0) return nullptr;
  return {{"sum", m.sum}, {"min", m.min}, {"max", m.max}, {"avg", double(m.sum) / double(m.count)}};
}

json set_json(const digest::BoundedSet& s) {
  json out = json::array();
  for (const auto& v : s.values) out.push_back(v);
  return out;
}

// Six significant digits is what the histogram can tell apart (1% buckets) and keeps JSON short.
double round_sig(double v) {
  if (v == 0) return 0;
  double scale = std::pow(10.0, 5 - std::floor(std::log10(std::fabs(v))));
  return std::round(v * scale) / scale;
}

// The ids other tools give this class, where they can be computed from the log (docs/json/digest.md):
//   pt_checksum           pt-query-digest's query ID (its `checksum`), for MySQL
//                         logs: the class id itself in pt mode; in the other modes, that of the
//                         class's example, whose class in pt-query-digest it names.
//   pg_query_fingerprint  libpg_query's fingerprint of the example (pganalyze's id), for
//                         PostgreSQL logs. It is not pg_stat_statements' queryid, which the server
//                         computes after parse analysis from catalog OIDs and no log text can give;
//                         nor is MySQL's performance_schema DIGEST (a hash of the server's own token
//                         ids) computable offline: neither is given.
json ids_of(const digest::QueryClass& c, sql::FingerprintMode mode, bool mysql, bool postgres) {
  json ids = json::object();
  ids["pt_checksum"] = nullptr;
  if (mode == sql::FingerprintMode::pt) {
    ids["pt_checksum"] = c.id;
  } else if (mysql) {
    ids["pt_checksum"] = sql::pt_checksum(sql::fingerprint_pt(c.example.sql));
  }
  ids["pg_query_fingerprint"] = nullptr;
  if (postgres) {
    if (auto id = sql::pg_query_fingerprint_id(c.example.sql)) ids["pg_query_fingerprint"] = *id;
  }
  return ids;
}

json counts_json(const std::map<std::string, uint64_t>& counts) {
  json out = json::object();
  for (const auto& [key, n] : counts) out[key] = n;
  return out;
}

json groups_json(const std::map<std::string, digest::SessionGroup>& groups) {
  json out = json::object();
  for (const auto& [key, g] : groups) {
    out[key] = {{"count", g.count}, {"time", seconds(double(g.total_us))}};
  }
  return out;
}

json tables_json(const std::map<std::string, digest::TableMaintenance>& tables, bool removed) {
  json out = json::object();
  for (const auto& [table, t] : tables) {
    json row = {{"count", t.count}};
    if (removed) {
      row["pages_removed"] = t.pages_removed;
      row["tuples_removed"] = t.tuples_removed;
    }
    out[table] = std::move(row);
  }
  return out;
}

constexpr size_t kTopErrors = 20;

// pgBadger's sections beyond queries (docs/json/digest.md, "server").
json server_json(const digest::ServerActivity& a) {
  const digest::Checkpoints& cp = a.checkpoints;
  json checkpoints = {{"count", cp.count},
                      {"buffers_written", cp.buffers},
                      {"write_time", time_metric(cp.write_us)},
                      {"sync_time", time_metric(cp.sync_us)},
                      {"total_time", time_metric(cp.total_us)},
                      {"by_cause", counts_json(cp.by_cause)}};
  json top_temp = json::array();
  for (const digest::TempFile& f : a.temp_files.top) {
    top_temp.push_back({{"size", f.size},
                        {"timestamp", iso_time(f.timestamp)},
                        {"query", f.query},
                        {"database", f.database},
                        {"user", f.user}});
  }
  json temp_files = {{"count", a.temp_files.count},
                     {"total_size", a.temp_files.total},
                     {"max_size", a.temp_files.max},
                     {"avg_size", a.temp_files.count ? double(a.temp_files.total) / double(a.temp_files.count) : 0.0},
                     {"largest", std::move(top_temp)}};
  json by_type = json::object();
  for (const auto& [type, t] : a.locks.by_type) {
    by_type[type] = {{"waits", t.waits},
                     {"acquired", t.acquired},
                     {"acquired_wait_time", seconds(double(t.acquired_wait_us))},
                     {"objects", counts_json(t.objects)}};
  }
  json locks = {{"waits", a.locks.waits},
                {"acquired", a.locks.acquired},
                {"acquired_wait_time", time_metric(a.locks.acquired_wait_us)},
                {"deadlocks", a.locks.deadlocks},
                {"by_type", std::move(by_type)}};
  const digest::Sessions& s = a.sessions;
  json sessions = {{"count", s.time_us.count},
                   {"time", time_metric(s.time_us)},
                   {"by_database", groups_json(s.by_database)},
                   {"by_user", groups_json(s.by_user)},
                   {"by_host", groups_json(s.by_host)}};
  std::vector<std::pair<std::string, const digest::ErrorMessage*>> messages;
  for (const auto& [key, m] : a.errors.messages) messages.emplace_back(key, &m);
  std::stable_sort(messages.begin(), messages.end(),
                   [](const auto& x, const auto& y) { return x.second->count > y.second->count; });
  if (messages.size() > kTopErrors) messages.resize(kTopErrors);
  json top_errors = json::array();
  for (const auto& [key, m] : messages) {
    top_errors.push_back({{"message", key}, {"severity", m->severity}, {"count", m->count}, {"example", m->example}});
  }
  json errors = {{"count", a.errors.count},
                 {"by_severity", counts_json(a.errors.by_severity)},
                 {"by_sqlstate_class", counts_json(a.errors.by_class)},
                 {"distinct_messages", a.errors.messages.size()},
                 {"top", std::move(top_errors)}};
  return {{"checkpoints", std::move(checkpoints)},
          {"temp_files", std::move(temp_files)},
          {"locks", std::move(locks)},
          {"autovacuum", {{"count", a.autovacuum_count}, {"tables", tables_json(a.autovacuum, true)}}},
          {"autoanalyze", {{"count", a.autoanalyze_count}, {"tables", tables_json(a.autoanalyze, false)}}},
          {"connections",
           {{"count", a.connections.count},
            {"by_database", counts_json(a.connections.by_database)},
            {"by_user", counts_json(a.connections.by_user)},
            {"by_host", counts_json(a.connections.by_host)}}},
          {"sessions", std::move(sessions)},
          {"errors", std::move(errors)}};
}

}  // namespace

json digest_to_json(const DigestResult& result, const ReportOptions& options) {
  const digest::Digest& d = result.digest;
  json doc = core::json_envelope("digest");
  doc["input"] = {{"files", result.files},
                  {"format", result.format},
                  {"events", result.events},
                  {"skipped", result.skipped},
                  {"skipped_long_lines", result.oversized_lines},
                  {"skipped_long_line_bytes", result.oversized_bytes},
                  {"bytes", result.bytes},
                  {"errors", result.read_errors}};
  doc["fingerprint_mode"] = std::string(sql::fingerprint_mode_name(d.mode()));
  const char* order_names[] = {"total", "avg", "p95", "count"};
  doc["order_by"] = order_names[static_cast<int>(options.order_by)];
  const double total_us = double(d.total_query_time().sum);
  doc["overall"] = {{"events", d.events()},
                    {"classes", d.classes().size()},
                    {"query_time", time_metric(d.total_query_time())},
                    {"first_seen", iso_time(d.first_seen())},
                    {"last_seen", iso_time(d.last_seen())}};
  json classes = json::array();
  int rank = 0;
  const bool mysql = result.format.find("mysql") != std::string::npos;
  const bool postgres = result.format.find("postgres") != std::string::npos;
  for (const digest::QueryClass* c : d.ranked(options.order_by, options.top)) {
    json qt = time_metric(c->query_time);
    const bool has_histogram = c->histogram.count() > 0;  // not for server-aggregated classes
    qt["p50"] = has_histogram ? json(round_sig(c->histogram.quantile(0.50))) : json(nullptr);
    qt["p95"] = has_histogram ? json(round_sig(c->histogram.quantile(0.95))) : json(nullptr);
    qt["p99"] = has_histogram ? json(round_sig(c->histogram.quantile(0.99))) : json(nullptr);
    qt["stddev"] = round_sig(c->stddev_s());
    json histogram = json::object();
    for (int i = 0; i < digest::kDecadeBuckets; ++i) histogram[kDecadeNames[i]] = c->decades[i];
    json example = {{"sql", c->example.sql},
                    {"query_time", seconds(double(c->example.query_time_us))},
                    {"timestamp", iso_time(c->example.timestamp)},
                    {"database", c->example.database},
                    {"file", c->example.input < result.files.size() ? result.files[c->example.input] : ""},
                    {"byte_offset", c->example.byte_offset}};
    classes.push_back({{"rank", ++rank},
                       {"id", c->id},
                       {"ids", ids_of(*c, d.mode(), mysql, postgres)},
                       {"fingerprint", c->fingerprint},
                       {"count", c->count},
                       {"share", total_us > 0 ? round_sig(double(c->query_time.sum) / total_us) : 0.0},
                       {"query_time", qt},
                       {"lock_time", time_metric(c->lock_time)},
                       {"rows_sent", count_metric(c->rows_sent)},
                       {"rows_examined", count_metric(c->rows_examined)},
                       {"rows_affected", count_metric(c->rows_affected)},
                       {"bytes_sent", count_metric(c->bytes_sent)},
                       {"example", example},
                       {"first_seen", iso_time(c->first_seen)},
                       {"last_seen", iso_time(c->last_seen)},
                       {"databases", set_json(c->databases)},
                       {"users", set_json(c->users)},
                       {"hosts", set_json(c->hosts)},
                       {"distinct_parameters", std::llround(c->distinct_parameters.estimate())},
                       {"histogram", histogram}});
  }
  doc["classes"] = std::move(classes);
  // After the classes, so that documents of MySQL logs (which have none of it) stay as they were.
  if (postgres) doc["server"] = server_json(result.server);
  return doc;
}

}  // namespace dbvet::pipeline
