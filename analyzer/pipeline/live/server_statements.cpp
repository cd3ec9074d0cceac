#include "analyzer/pipeline/live/server_statements.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>

#include "nlohmann/json.hpp"

namespace dbvet::pipeline::live {
namespace {

using digest::to_micros;

// A server sum as a digest metric: the count is the number of calls; min and max are not known per
// call, so the average stands in for them (the JSON then shows null).
digest::Metric summed(uint64_t calls, double sum, double scale) {
  digest::Metric m;
  m.count = calls;
  m.sum = std::llround(sum * scale);
  m.min = m.max = calls ? std::llround(sum * scale / double(calls)) : 0;
  return m;
}

std::optional<double> minus(const std::optional<double>& a, const std::optional<double>& b) {
  if (!a) return std::nullopt;
  return std::max(0.0, *a - b.value_or(0));
}

}  // namespace

std::vector<ServerStatement> subtract(const std::vector<ServerStatement>& after,
                                      const std::vector<ServerStatement>& before) {
  std::map<std::string, const ServerStatement*> earlier;
  for (const auto& row : before) earlier[row.key] = &row;
  std::vector<ServerStatement> out;
  for (const auto& row : after) {
    auto found = earlier.find(row.key);
    if (found == earlier.end() || found->second->calls > row.calls) {  // new, or reset in between
      if (row.calls) out.push_back(row);
      continue;
    }
    const ServerStatement& old = *found->second;
    if (row.calls == old.calls) continue;
    ServerStatement d = row;
    d.calls = row.calls - old.calls;
    d.total_s = std::max(0.0, row.total_s - old.total_s);
    // The extremes of the interval are not known unless they moved: a new maximum happened in it,
    // but the interval's own maximum may be below the old one.
    d.min_s.reset();
    d.max_s.reset();
    d.sum_squares_s2 = row.sum_squares_s2 && old.sum_squares_s2
                           ? std::optional<double>(std::max(0.0, *row.sum_squares_s2 - *old.sum_squares_s2))
                           : std::nullopt;
    d.p95_s.reset();
    d.p99_s.reset();
    d.rows_sent = minus(row.rows_sent, old.rows_sent);
    d.rows_examined = minus(row.rows_examined, old.rows_examined);
    d.rows_affected = minus(row.rows_affected, old.rows_affected);
    d.lock_s = minus(row.lock_s, old.lock_s);
    d.first_seen.reset();  // the first execution of the interval is not known
    out.push_back(std::move(d));
  }
  return out;
}

std::string not_workload(const std::string& text) {
  auto start = text.find_first_not_of(" \t\r\n(");
  std::string head = start == std::string::npos ? "" : text.substr(start, 24);
  for (auto& c : head) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  if (head.rfind("EXPLAIN", 0) == 0) return "an EXPLAIN, not a statement of the workload";
  if (head.rfind("SELECT 1 FROM ONLY ", 0) == 0 &&
      (text.find(" FOR KEY SHARE OF ") != std::string::npos || text.find(" FOR SHARE OF ") != std::string::npos)) {
    return "a foreign-key check the server runs itself";
  }
  auto end = text.find_last_not_of(" \t\r\n");
  if (end != std::string::npos && end >= 2 && text.compare(end - 2, 3, "...") == 0) {
    return "a digest text the server cut short (performance_schema_max_digest_length)";
  }
  return "";
}

LiveCapture digest_server_statements(const std::vector<ServerStatement>& rows, sql::FingerprintMode mode,
                                     const std::string& format, const std::string& target) {
  LiveCapture capture;
  capture.result.digest = digest::Digest(mode);
  capture.result.files = {target};
  capture.result.format = format;
  for (const auto& row : rows) {
    if (row.calls == 0) continue;
    if (auto reason = not_workload(row.text); !reason.empty()) {
      capture.left_out[reason] += row.calls;
      capture.result.skipped += row.calls;
      continue;
    }
    const sql::Fingerprint fp = sql::fingerprint(row.text, mode);
    digest::QueryClass c;
    c.id = fp.id;
    c.fingerprint = fp.text;
    c.count = row.calls;
    const double avg = row.total_s / double(row.calls);
    c.query_time.count = row.calls;
    c.query_time.sum = to_micros(row.total_s);
    c.query_time.min = to_micros(row.min_s.value_or(avg));
    c.query_time.max = to_micros(row.max_s.value_or(avg));
    if (row.sum_squares_s2) {
      c.query_time_sq = static_cast<unsigned __int128>(static_cast<long double>(*row.sum_squares_s2) * 1e12L);
    }
    if (row.lock_s) c.lock_time = summed(row.calls, *row.lock_s, 1e6);
    if (row.rows_sent) c.rows_sent = summed(row.calls, *row.rows_sent, 1);
    if (row.rows_examined) c.rows_examined = summed(row.calls, *row.rows_examined, 1);
    if (row.rows_affected) c.rows_affected = summed(row.calls, *row.rows_affected, 1);
    c.first_seen = row.first_seen;
    c.last_seen = row.last_seen;
    c.databases.add(row.database);
    c.users.add(row.user);
    c.example.sql = row.text;
    c.example.query_time_us = c.query_time.max;
    c.example.database = row.database;
    capture.result.digest.add_class(c);
    capture.result.events += row.calls;

    auto& info = capture.server[fp.id];
    if (std::find(info.server_ids.begin(), info.server_ids.end(), row.server_id) == info.server_ids.end()) {
      info.server_ids.push_back(row.server_id);
    }
    info.min_max_known = info.min_max_known && row.min_s && row.max_s;
    info.stddev_known = info.stddev_known && row.sum_squares_s2;
    // A quantile of one row only: several rows in one class have no exact common quantile.
    const bool alone = info.server_ids.size() == 1;
    info.p95_s = alone ? row.p95_s : std::nullopt;
    info.p99_s = alone ? row.p99_s : std::nullopt;
  }
  return capture;
}

nlohmann::json live_capture_to_json(const LiveCapture& capture, const pipeline::ReportOptions& options) {
  nlohmann::json doc = pipeline::digest_to_json(capture.result, options);
  for (const auto& [reason, calls] : capture.left_out)
    doc["left_out"].push_back({{"reason", reason}, {"calls", calls}});
  if (capture.server.empty()) return doc;
  bool all_extremes = true;
  for (auto& c : doc["classes"]) {
    auto found = capture.server.find(c["id"].get<std::string>());
    if (found == capture.server.end()) continue;
    const auto& info = found->second;
    c["server_ids"] = info.server_ids;
    auto& qt = c["query_time"];
    if (!info.min_max_known) {
      all_extremes = false;
      qt["min"] = nullptr;
      qt["max"] = nullptr;
      c["example"]["query_time"] = nullptr;
    }
    if (!info.stddev_known) qt["stddev"] = nullptr;
    qt["p50"] = nullptr;
    qt["p95"] = info.p95_s ? nlohmann::json(*info.p95_s) : nlohmann::json(nullptr);
    qt["p99"] = info.p99_s ? nlohmann::json(*info.p99_s) : nlohmann::json(nullptr);
    for (const char* key : {"lock_time", "rows_sent", "rows_examined", "rows_affected", "bytes_sent"}) {
      if (c[key].is_object()) {
        c[key]["min"] = nullptr;
        c[key]["max"] = nullptr;
      }
    }
    c["distinct_parameters"] = nullptr;
  }
  if (!all_extremes) {
    doc["overall"]["query_time"]["min"] = nullptr;
    doc["overall"]["query_time"]["max"] = nullptr;
  }
  return doc;
}

}  // namespace dbvet::pipeline::live
