#include "analyzer/report/digest_render.hpp"

#include <algorithm>
#include <cmath>
#include <ctime>

#include "fmt/format.h"
#include "nlohmann/json.hpp"

namespace dbvet::report {
namespace {

using nlohmann::json;

// The histogram's buckets in the JSON document, in the order of digest::kDecadeBuckets.
constexpr const char* kDecadeNames[] = {"1us", "10us", "100us", "1ms", "10ms", "100ms", "1s", "10s+"};

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
    auto seconds = [](double v) { return std::isnan(v) ? std::string("-") : fmt::format("{:.4f}", v); };
    out += fmt::format("# {:>4} 0x{:<32} {:>7.4f} {:>5.1f}% {:>6} {:>8} {:>8} {}\n", c["rank"].get<int>(), str(c, "id"),
                       num(qt["sum"]), num(c["share"]) * 100, c["count"].get<uint64_t>(), seconds(num(qt["avg"])),
                       seconds(num(qt["p95"])), one_line(str(c, "fingerprint"), 60));
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

}  // namespace dbvet::report
