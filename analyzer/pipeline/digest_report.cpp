#include "analyzer/pipeline/digest_report.hpp"

#include <algorithm>
#include <cmath>
#include <ctime>
#include <set>

#include "analyzer/core/json_envelope.hpp"
#include "analyzer/pipeline/audit_json.hpp"
#include "analyzer/sql/fingerprint.hpp"
#include "analyzer/sql/query_shape.hpp"
#include "fmt/format.h"
#include "nlohmann/json.hpp"
#include "rules/registry.hpp"
#include "rules/rule_context.hpp"
#ifdef DBVET_WITH_POSTGRES
#include "analyzer/engines/postgres/explain_postgres_json.hpp"
#include "analyzer/engines/postgres/explain_postgres_text.hpp"
#endif

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

// The windows that hold events (docs/json/digest.md, "time_buckets").
json time_buckets_json(const digest::TimeBuckets& t) {
  json buckets = json::array();
  for (const digest::TimeBucket& b : t.buckets) {
    buckets.push_back({{"start", iso_time(b.start)}, {"count", b.count}, {"total_time", seconds(double(b.time_us))}});
  }
  return {{"width", t.width}, {"buckets", std::move(buckets)}};
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
//                         computes after parse analysis from catalog OIDs and no log text can give
//                         (pg_stat_statements_queryids: the ones a log printed with %Q or query_id);
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
  // Only when the log gave them, so other digests are unchanged: several when one text has several
  // (another database, search_path, or a table dropped and created again).
  if (!c.query_ids.values.empty()) {
    json queryids = json::array();
    for (const std::string& id : c.query_ids.values) queryids.push_back(id);
    ids["pg_stat_statements_queryids"] = std::move(queryids);
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

// pt-query-digest's per-class depth (docs/json/digest.md, "attributes"): every attribute the
// class's events logged, with its share of that attribute over all classes.
struct AttributeTotals {
  int64_t lock_time = 0, rows_sent = 0, rows_examined = 0, rows_affected = 0, bytes_sent = 0, query_length = 0;
  int64_t extra[model::kExtraNumbers] = {};
};

AttributeTotals attribute_totals(const digest::Digest& d) {
  AttributeTotals t;
  for (const auto& [id, c] : d.classes()) {
    t.lock_time += c.lock_time.sum;
    t.rows_sent += c.rows_sent.sum;
    t.rows_examined += c.rows_examined.sum;
    t.rows_affected += c.rows_affected.sum;
    t.bytes_sent += c.bytes_sent.sum;
    t.query_length += c.query_length.metric.sum;
    for (size_t i = 0; i < model::kExtraNumbers; ++i) t.extra[i] += c.extra[i].metric.sum;
  }
  return t;
}

// The value of rank r (0-based) among a histogram's values, within its 1 %.
double at_rank(const digest::LogHistogram& h, uint64_t r) {
  const uint64_t n = h.count();
  if (n <= 1) return h.quantile(0);
  return h.quantile(std::min(1.0, (double(r) + 0.5) / double(n - 1)));
}

// pt-query-digest's 95% and median (its EventAggregator): under 10 values the 95% is the largest,
// else the value of rank int(0.95 n) (1-based); the median is the middle value, or the mean of the
// two middle ones. Null without a histogram (server-aggregated classes).
std::pair<json, json> pt_percentiles(const digest::LogHistogram& h, double scale) {
  const uint64_t n = h.count();
  if (n == 0) return {nullptr, nullptr};
  const uint64_t p95_rank = n < 10 ? n - 1 : std::max<uint64_t>(1, n * 95 / 100) - 1;
  const double median = n % 2 ? at_rank(h, n / 2) : (at_rank(h, n / 2 - 1) + at_rank(h, n / 2)) / 2;
  return {round_sig(at_rank(h, p95_rank) / scale), round_sig(median / scale)};
}

// One row of pt's attribute table; times (`scale` 1e6: microseconds) in seconds. The standard
// deviation is the sample's (n - 1), as pt prints it.
json attribute_json(const digest::Metric& m, const digest::Spread& s, int64_t overall, double scale) {
  auto value = [scale](double v) { return scale == 1 ? v : seconds(v); };  // scale is 1 or 1e6
  const double n = double(m.count);
  const double stddev = m.count > 1 ? digest::stddev_of(m, s.sq) * std::sqrt(n / (n - 1)) : 0.0;
  auto [p95, median] = pt_percentiles(s.histogram, scale);
  return {{"pct", overall > 0 ? round_sig(double(m.sum) / double(overall)) : 0.0},
          {"total", value(double(m.sum))},
          {"min", value(double(m.min))},
          {"max", value(double(m.max))},
          {"avg", value(double(m.sum) / n)},
          {"p95", std::move(p95)},
          {"stddev", round_sig(stddev / scale)},
          {"median", std::move(median)}};
}

json attributes_json(const digest::QueryClass& c, const AttributeTotals& t, double total_us) {
  json out = json::object();
  if (c.query_time.count > 0) {
    json qt = attribute_json(c.query_time, digest::Spread{c.query_time_sq, {}}, int64_t(total_us), 1e6);
    auto [p95, median] = pt_percentiles(c.histogram, 1);  // in seconds
    qt["p95"] = std::move(p95);
    qt["median"] = std::move(median);
    out["Query_time"] = std::move(qt);
  }
  auto row = [&](const char* name, const digest::Metric& m, const digest::Spread& s, int64_t overall, double scale) {
    if (m.count > 0) out[name] = attribute_json(m, s, overall, scale);
  };
  row("Lock_time", c.lock_time, c.lock_time_spread, t.lock_time, 1e6);
  row("Rows_sent", c.rows_sent, c.rows_sent_spread, t.rows_sent, 1);
  row("Rows_examined", c.rows_examined, c.rows_examined_spread, t.rows_examined, 1);
  row("Rows_affected", c.rows_affected, c.rows_affected_spread, t.rows_affected, 1);
  row("Bytes_sent", c.bytes_sent, c.bytes_sent_spread, t.bytes_sent, 1);
  row("Query_length", c.query_length.metric, c.query_length.spread, t.query_length, 1);
  for (size_t i = 0; i < model::kExtraNumbers; ++i) {
    row(model::kExtraNumberNames[i], c.extra[i].metric, c.extra[i].spread, t.extra[i],
        model::kExtraNumberIsTime[i] ? 1e6 : 1);
  }
  return out;
}

// pt's Boolean section: the share of the class's events that logged each flag as Yes.
json booleans_json(const digest::QueryClass& c) {
  json out = json::object();
  for (size_t i = 0; i < model::kExtraFlags; ++i) {
    if (c.flag_seen[i] > 0) out[model::kExtraFlagNames[i]] = round_sig(double(c.flag_yes[i]) / double(c.count));
  }
  return out;
}

json set_counts_json(const digest::BoundedSet& s) {
  json out = json::object();
  for (const auto& [v, n] : s.counts) out[v] = n;
  return out;
}

// The tables the example names, qualified by its database when unqualified (pt's "Tables"
// section), and the EXPLAIN to run for a SELECT (pt's "EXPLAIN" hint).
std::pair<json, json> tables_and_explain(const digest::QueryClass& c, bool mysql) {
  json tables = json::array();
  json explain = nullptr;
  auto shape = sql::analyze_query(c.example.sql);
  if (!shape) return {tables, explain};
  std::set<std::string> seen;
  for (const sql::TableUsage& t : shape->tables) {
    std::string name = t.schema.empty() ? (c.example.database.empty() ? t.name : c.example.database + "." + t.name)
                                        : t.schema + "." + t.name;
    if (seen.insert(name).second) tables.push_back(std::move(name));
  }
  // pt-query-digest rewrites an UPDATE or DELETE into a SELECT ("Converted for EXPLAIN"), a relic of
  // servers before MySQL 5.6.3 that could not explain them. Every server dbvet reads explains them
  // as they are (MySQL 5.6.3+, MariaDB 10.0.5+, PostgreSQL) without running them, and the plan of
  // the statement itself is the one that matters (a converted SELECT loses the locking read).
  if (shape->kind == sql::StatementKind::select || shape->kind == sql::StatementKind::update ||
      shape->kind == sql::StatementKind::delete_) {
    explain = (mysql ? "EXPLAIN /*!50100 PARTITIONS*/ " : "EXPLAIN ") + c.example.sql;
  }
  return {tables, explain};
}

// auto_explain's plan as logged, in the auto_explain.log_format it was written in: text (the
// default) or json; yaml and xml are named, not read.
core::Expected<model::Plan> parse_logged_plan(std::string_view logged) {
  const size_t start = logged.find_first_not_of(" \t\r\n");
  const std::string_view body = start == std::string_view::npos ? std::string_view() : logged.substr(start);
  if (body.starts_with('<') || body.find("Node Type: ") != std::string_view::npos) {
    return core::make_error(core::ErrorKind::input,
                            fmt::format("auto_explain.log_format = {} is not read (text and json are)",
                                        body.starts_with('<') ? "xml" : "yaml"));
  }
#ifdef DBVET_WITH_POSTGRES
  if (body.starts_with('{') || body.starts_with('[')) return engines::postgres::parse_postgres_explain_json(body);
  return engines::postgres::parse_postgres_explain_text(body);
#else
  return core::make_error(core::ErrorKind::input, "this dbvet is built without PostgreSQL (DBVET_WITH_POSTGRES=OFF)");
#endif
}

// The plan rules over the plan a class kept (docs/json/digest.md, "plan_findings"): parsed here,
// once per class shown, so that reading the log stays as fast as it was and a state's plan (kept
// as logged) gives the findings all logs at once would.
core::Expected<json> plan_findings_json(const digest::QueryClass& c) {
  auto plan = parse_logged_plan(c.plan);
  if (!plan) return plan.error();
  // auto_explain logs the execution's duration ahead of the plan rather than an "Execution Time".
  if (!plan->execution_ms) plan->execution_ms = double(c.planned.query_time_us) / 1000.0;
  const rules::QueryInfo query = rules::make_query_info(c.planned.sql, c.id);
  rules::RuleContext context;
  context.plan = &*plan;
  context.query = &query;
  context.engine = plan->engine;
  json findings = json::array();
  for (const model::Finding& f : rules::run_rules(context, {rules::Category::plan}))
    findings.push_back(finding_json(f));
  return findings;
}

constexpr size_t kTopErrors = 20;

// pgBadger's sections beyond queries (docs/json/digest.md, "server").
json server_json(const digest::ServerActivity& a) {
  const digest::Checkpoints& cp = a.checkpoints;
  json checkpoints = {
      {"count", cp.count},
      {"buffers_written", cp.buffers},
      {"write_time", time_metric(cp.write_us)},
      {"sync_time", time_metric(cp.sync_us)},
      {"total_time", time_metric(cp.total_us)},
      {"by_cause", counts_json(cp.by_cause)},
      {"wal_files", {{"added", cp.wal_added}, {"removed", cp.wal_removed}, {"recycled", cp.wal_recycled}}},
      {"warnings", cp.warning_distance_us.count},
      {"warning_distance", time_metric(cp.warning_distance_us)}};
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
  if (d.time_buckets()) {  // every class's, in windows as wide as the widest class's or wider
    digest::TimeBuckets all;
    for (const auto& [id, c] : d.classes()) all.merge(c.time_buckets);
    doc["overall"]["time_buckets"] = time_buckets_json(all);
  }
  json classes = json::array();
  int rank = 0;
  const bool mysql = result.format.find("mysql") != std::string::npos;
  const bool postgres = result.format.find("postgres") != std::string::npos;
  const AttributeTotals totals = attribute_totals(d);
  json notes = json::array();
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
    json& added = classes.back();  // pt-query-digest's depth, after the fields that were there
    added["attributes"] = attributes_json(*c, totals, total_us);
    added["booleans"] = booleans_json(*c);
    added["database_counts"] = set_counts_json(c->databases);
    added["user_counts"] = set_counts_json(c->users);
    added["host_counts"] = set_counts_json(c->hosts);
    // Only for logs that carry it (Percona Server's log_slow_verbosity): other digests are unchanged.
    if (!c->last_errnos.counts.empty()) added["last_errno_counts"] = set_counts_json(c->last_errnos);
    auto [tables, explain] = tables_and_explain(*c, mysql);
    added["tables"] = std::move(tables);
    added["explain"] = std::move(explain);
    if (d.time_buckets()) added["time_buckets"] = time_buckets_json(c->time_buckets);
    // auto_explain's plan of the slowest execution it logged, as logged (the HTML page's Plan
    // column); only for classes that have one, so other digests are unchanged.
    if (c->planned.query_time_us >= 0) {
      added["plan"] = c->plan;
      added["plan_example"] = {{"sql", c->planned.sql},
                               {"query_time", seconds(double(c->planned.query_time_us))},
                               {"timestamp", iso_time(c->planned.timestamp)},
                               {"file", c->planned.input < result.files.size() ? result.files[c->planned.input] : ""},
                               {"byte_offset", c->planned.byte_offset}};
      if (auto findings = plan_findings_json(*c)) {
        added["plan_findings"] = std::move(*findings);
      } else {
        added["plan_error"] = findings.error().message;
        notes.push_back(fmt::format("class {}: auto_explain plan not analyzed: {}", c->id, findings.error().message));
      }
    }
  }
  doc["classes"] = std::move(classes);
  // After the classes, so that documents of MySQL logs (which have none of it) stay as they were.
  if (postgres) doc["server"] = server_json(result.server);
  if (!notes.empty()) doc["notes"] = std::move(notes);  // only when there are some: other digests unchanged
  return doc;
}

}  // namespace dbvet::pipeline
