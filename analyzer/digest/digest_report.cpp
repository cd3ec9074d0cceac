#include "analyzer/digest/digest_report.hpp"

#include <algorithm>
#include <cmath>
#include <ctime>

#include "analyzer/report/json_envelope.hpp"
#include "fmt/format.h"
#include "nlohmann/json.hpp"

namespace dbvet::digest {
namespace {

using nlohmann::json;

constexpr const char* kDecadeNames[kDecadeBuckets] = {"1us", "10us", "100us", "1ms", "10ms", "100ms", "1s", "10s+"};

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

json time_metric(const Metric& m) {
  if (m.count == 0) return nullptr;
  return {{"sum", seconds(double(m.sum))},
          {"min", seconds(double(m.min))},
          {"max", seconds(double(m.max))},
          {"avg", seconds(double(m.sum) / double(m.count))}};
}

json count_metric(const Metric& m) {
  if (m.count == 0) return nullptr;
  return {{"sum", m.sum}, {"min", m.min}, {"max", m.max}, {"avg", double(m.sum) / double(m.count)}};
}

json set_json(const BoundedSet& s) {
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

// Sources that aggregate on the server leave some values unknown (null in JSON): shown as "-".
double num(const json& j) { return j.is_number() ? j.get<double>() : std::nan(""); }

std::string format_duration(double s) {
  if (std::isnan(s)) return "-";
  if (s == 0) return "0";
  if (s < 1e-3) return fmt::format("{:.0f}us", s * 1e6);
  if (s < 1) return fmt::format("{:.0f}ms", s * 1e3);
  return fmt::format("{:.2f}s", s);
}

std::string format_count(double v) {
  if (std::isnan(v)) return "-";
  if (v >= 1e9) return fmt::format("{:.2f}G", v / 1e9);
  if (v >= 1e6) return fmt::format("{:.2f}M", v / 1e6);
  if (v >= 1e4) return fmt::format("{:.2f}k", v / 1e3);
  return fmt::format("{:.0f}", v);
}

std::string str(const json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

std::string join(const json& array, const char* sep = ", ") {
  std::string out;
  for (const auto& v : array) out += (out.empty() ? "" : sep) + v.get<std::string>();
  return out;
}

std::string one_line(std::string s, size_t width) {
  for (auto& c : s) {
    if (c == '\n' || c == '\r' || c == '\t') c = ' ';
  }
  if (s.size() > width) s = s.substr(0, width - 3) + "...";
  return s;
}

}  // namespace

json digest_to_json(const DigestResult& result, const ReportOptions& options) {
  const Digest& d = result.digest;
  json doc = report::json_envelope("digest");
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
  for (const QueryClass* c : d.ranked(options.order_by, options.top)) {
    json qt = time_metric(c->query_time);
    const bool has_histogram = c->histogram.count() > 0;  // not for server-aggregated classes
    qt["p50"] = has_histogram ? json(round_sig(c->histogram.quantile(0.50))) : json(nullptr);
    qt["p95"] = has_histogram ? json(round_sig(c->histogram.quantile(0.95))) : json(nullptr);
    qt["p99"] = has_histogram ? json(round_sig(c->histogram.quantile(0.99))) : json(nullptr);
    qt["stddev"] = round_sig(c->stddev_s());
    json histogram = json::object();
    for (int i = 0; i < kDecadeBuckets; ++i) histogram[kDecadeNames[i]] = c->decades[i];
    json example = {{"sql", c->example.sql},
                    {"query_time", seconds(double(c->example.query_time_us))},
                    {"timestamp", iso_time(c->example.timestamp)},
                    {"database", c->example.database},
                    {"file", c->example.input < result.files.size() ? result.files[c->example.input] : ""},
                    {"byte_offset", c->example.byte_offset}};
    classes.push_back({{"rank", ++rank},
                       {"id", c->id},
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
  return doc;
}

std::string render_digest_text(const json& doc) {
  std::string out;
  const json& overall = doc["overall"];
  const json& input = doc["input"];
  double total = overall["query_time"].is_null() ? 0.0 : num(overall["query_time"]["sum"]);
  out += fmt::format("# {} total, {} events, {} unique", format_duration(total), overall["events"].get<uint64_t>(),
                     overall["classes"].get<uint64_t>());
  if (!overall["first_seen"].is_null()) {
    out += fmt::format(", {} to {}", str(overall, "first_seen"), str(overall, "last_seen"));
  }
  out += fmt::format("\n# Files: {}; format {}; {} bytes; {} records skipped; fingerprints {}\n\n",
                     join(input["files"]), str(input, "format"), input["bytes"].get<uint64_t>(),
                     input["skipped"].get<uint64_t>(), str(doc, "fingerprint_mode"));
  out += "# Profile\n";
  out += fmt::format("# {:>4} {:<34} {:>14} {:>6} {:>8} {:>8} {}\n", "Rank", "Query ID", "Response time", "Calls",
                     "R/Call", "P95", "Item");
  out += fmt::format("# {:=>4} {:=<34} {:=>14} {:=>6} {:=>8} {:=>8} {:=<20}\n", "", "", "", "", "", "", "");
  for (const auto& c : doc["classes"]) {
    const json& qt = c["query_time"];
    out += fmt::format("# {:>4} 0x{:<32} {:>7.4f} {:>5.1f}% {:>6} {:>8.4f} {:>8.4f} {}\n", c["rank"].get<int>(),
                       str(c, "id"), num(qt["sum"]), num(c["share"]) * 100, c["count"].get<uint64_t>(), num(qt["avg"]),
                       num(qt["p95"]), one_line(str(c, "fingerprint"), 60));
  }
  for (const auto& c : doc["classes"]) {
    const json& qt = c["query_time"];
    out += fmt::format("\n# Query {}: {:.4f} s total, {} calls, {:.1f}% of the time, ID 0x{}\n", c["rank"].get<int>(),
                       num(qt["sum"]), c["count"].get<uint64_t>(), num(c["share"]) * 100, str(c, "id"));
    if (!c["first_seen"].is_null()) {
      out += fmt::format("# Time range: {} to {}\n", str(c, "first_seen"), str(c, "last_seen"));
    }
    out += fmt::format("# {:<13} {:>8} {:>8} {:>8} {:>8} {:>8} {:>8} {:>8}\n", "Attribute", "total", "min", "max",
                       "avg", "95%", "stddev", "median");
    out += fmt::format("# {:=<13} {:=>8} {:=>8} {:=>8} {:=>8} {:=>8} {:=>8} {:=>8}\n", "", "", "", "", "", "", "", "");
    out += fmt::format("# {:<13} {:>8}\n", "Count", c["count"].get<uint64_t>());
    out += fmt::format(
        "# {:<13} {:>8} {:>8} {:>8} {:>8} {:>8} {:>8} {:>8}\n", "Exec time", format_duration(num(qt["sum"])),
        format_duration(num(qt["min"])), format_duration(num(qt["max"])), format_duration(num(qt["avg"])),
        format_duration(num(qt["p95"])), format_duration(num(qt["stddev"])), format_duration(num(qt["p50"])));
    if (!c["lock_time"].is_null()) {
      const json& lt = c["lock_time"];
      out += fmt::format("# {:<13} {:>8} {:>8} {:>8} {:>8}\n", "Lock time", format_duration(num(lt["sum"])),
                         format_duration(num(lt["min"])), format_duration(num(lt["max"])),
                         format_duration(num(lt["avg"])));
    }
    for (auto [key, label] : {std::pair{"rows_sent", "Rows sent"}, std::pair{"rows_examined", "Rows examine"},
                              std::pair{"rows_affected", "Rows affecte"}, std::pair{"bytes_sent", "Bytes sent"}}) {
      if (c[key].is_null()) continue;
      const json& m = c[key];
      out += fmt::format("# {:<13} {:>8} {:>8} {:>8} {:>8}\n", label, format_count(num(m["sum"])),
                         format_count(num(m["min"])), format_count(num(m["max"])), format_count(num(m["avg"])));
    }
    if (!c["databases"].empty()) out += fmt::format("# {:<13} {}\n", "Databases", join(c["databases"]));
    if (!c["users"].empty()) out += fmt::format("# {:<13} {}\n", "Users", join(c["users"]));
    if (!c["hosts"].empty()) out += fmt::format("# {:<13} {}\n", "Hosts", join(c["hosts"]));
    out += fmt::format("# {:<13} ~{}\n", "Distinct args", format_count(num(c["distinct_parameters"])));
    out += "# Query_time distribution\n";
    uint64_t most = 1;
    for (const auto& [name, n] : c["histogram"].items()) most = std::max(most, n.get<uint64_t>());
    for (const char* name : kDecadeNames) {
      uint64_t n = c["histogram"][name].get<uint64_t>();
      size_t bar = n ? std::max<size_t>(1, static_cast<size_t>(64 * n / most)) : 0;
      out += fmt::format("# {:>5}  {}\n", name, std::string(bar, '#'));
    }
    out += fmt::format("{}\\G\n", c["example"]["sql"].get<std::string>());
  }
  return out;
}

std::string render_digest_markdown(const json& doc) {
  std::string out = "# Query digest\n\n";
  const json& overall = doc["overall"];
  const json& input = doc["input"];
  double total = overall["query_time"].is_null() ? 0.0 : num(overall["query_time"]["sum"]);
  out += fmt::format("{} events, {} classes, {} total, from {} ({}); {} records skipped.\n\n",
                     overall["events"].get<uint64_t>(), overall["classes"].get<uint64_t>(), format_duration(total),
                     join(input["files"]), str(input, "format"), input["skipped"].get<uint64_t>());
  out += "| Rank | Query ID | Total (s) | Share | Calls | Avg (s) | p95 (s) | p99 (s) | Query |\n";
  out += "|---:|---|---:|---:|---:|---:|---:|---:|---|\n";
  for (const auto& c : doc["classes"]) {
    const json& qt = c["query_time"];
    std::string fp = one_line(str(c, "fingerprint"), 80);
    for (size_t i = 0; (i = fp.find('|', i)) != std::string::npos; i += 2) fp.replace(i, 1, "\\|");
    out += fmt::format("| {} | `{}` | {:.4f} | {:.1f}% | {} | {:.6f} | {:.6f} | {:.6f} | `{}` |\n",
                       c["rank"].get<int>(), str(c, "id"), num(qt["sum"]), num(c["share"]) * 100,
                       c["count"].get<uint64_t>(), num(qt["avg"]), num(qt["p95"]), num(qt["p99"]), fp);
  }
  for (const auto& c : doc["classes"]) {
    out += fmt::format("\n## {}. `{}`\n\n", c["rank"].get<int>(), str(c, "id"));
    out += fmt::format("{} calls; databases: {}; users: {}.\n\nSlowest example ({} s):\n\n```sql\n{}\n```\n",
                       c["count"].get<uint64_t>(), c["databases"].empty() ? "-" : join(c["databases"]),
                       c["users"].empty() ? "-" : join(c["users"]), num(c["example"]["query_time"]),
                       c["example"]["sql"].get<std::string>());
  }
  return out;
}

}  // namespace dbvet::digest
