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

std::string counts_line(const json& counts) {
  std::string out;
  for (const auto& [key, n] : counts.items()) {
    out += fmt::format("{}{} {}", out.empty() ? "" : ", ", key.empty() ? "-" : key, n.get<uint64_t>());
  }
  return out.empty() ? "-" : out;
}

uint64_t count_of(const json& j) { return j.is_number() ? j.get<uint64_t>() : 0; }

// The server's own events of a PostgreSQL log (docs/json/digest.md, "server"), one "# " line per
// fact: after the query profile, as pgBadger puts them after its query reports. Empty sections
// are left out; `row` is the text or Markdown line maker.
template <class Row>
void server_sections(const json& s, Row row) {
  const json& cp = s["checkpoints"];
  if (count_of(cp["count"]) > 0 || !cp["by_cause"].empty()) {
    row("Checkpoints",
        fmt::format("{} complete, {} buffers written; write {}, sync {}, total {} (longest {}); started by {}",
                    count_of(cp["count"]), format_count(num(cp["buffers_written"])),
                    format_duration(cp["write_time"].is_null() ? 0 : num(cp["write_time"]["sum"])),
                    format_duration(cp["sync_time"].is_null() ? 0 : num(cp["sync_time"]["sum"])),
                    format_duration(cp["total_time"].is_null() ? 0 : num(cp["total_time"]["sum"])),
                    format_duration(cp["total_time"].is_null() ? 0 : num(cp["total_time"]["max"])),
                    counts_line(cp["by_cause"])));
  }
  if (cp.contains("wal_files")) {
    const json& wal = cp["wal_files"];
    if (count_of(wal["added"]) + count_of(wal["removed"]) + count_of(wal["recycled"]) > 0) {
      row("", fmt::format("WAL files: {} added, {} removed, {} recycled", count_of(wal["added"]),
                          count_of(wal["removed"]), count_of(wal["recycled"])));
    }
    if (count_of(cp["warnings"]) > 0) {
      row("", fmt::format("{} warnings \"checkpoints are occurring too frequently\", {} apart on average",
                          count_of(cp["warnings"]), format_duration(num(cp["warning_distance"]["avg"]))));
    }
  }
  const json& tf = s["temp_files"];
  if (count_of(tf["count"]) > 0) {
    row("Temp files", fmt::format("{} files, {} bytes in all, largest {}, average {}", count_of(tf["count"]),
                                  format_count(num(tf["total_size"])), format_count(num(tf["max_size"])),
                                  format_count(num(tf["avg_size"]))));
    for (const auto& f : tf["largest"]) {
      row("", fmt::format("{:>8}  {}", format_count(num(f["size"])),
                          f["query"].get<std::string>().empty() ? "-" : one_line(str(f, "query"), 100)));
    }
  }
  const json& lk = s["locks"];
  if (count_of(lk["waits"]) + count_of(lk["acquired"]) + count_of(lk["deadlocks"]) > 0) {
    row("Locks",
        fmt::format("{} waits logged, {} acquired after waiting {} in all, {} deadlocks", count_of(lk["waits"]),
                    count_of(lk["acquired"]),
                    format_duration(lk["acquired_wait_time"].is_null() ? 0 : num(lk["acquired_wait_time"]["sum"])),
                    count_of(lk["deadlocks"])));
    for (const auto& [type, t] : lk["by_type"].items()) {
      row("",
          fmt::format("{}: {} waits, {} acquired after {}; on {}", type, count_of(t["waits"]), count_of(t["acquired"]),
                      format_duration(num(t["acquired_wait_time"])), counts_line(t["objects"])));
    }
  }
  for (auto [key, label] : {std::pair{"autovacuum", "Autovacuum"}, std::pair{"autoanalyze", "Autoanalyze"}}) {
    const json& av = s[key];
    if (count_of(av["count"]) == 0) continue;
    row(label, fmt::format("{} runs on {} tables", count_of(av["count"]), av["tables"].size()));
    for (const auto& [table, t] : av["tables"].items()) {
      if (t.contains("pages_removed")) {
        row("", fmt::format("{}: {} runs, {} pages and {} tuples removed", table, count_of(t["count"]),
                            format_count(num(t["pages_removed"])), format_count(num(t["tuples_removed"]))));
      } else {
        row("", fmt::format("{}: {} runs", table, count_of(t["count"])));
      }
    }
  }
  const json& cn = s["connections"];
  if (count_of(cn["count"]) > 0) {
    row("Connections",
        fmt::format("{}; by database {}; by user {}; by host {}", count_of(cn["count"]), counts_line(cn["by_database"]),
                    counts_line(cn["by_user"]), counts_line(cn["by_host"])));
  }
  const json& ss = s["sessions"];
  if (count_of(ss["count"]) > 0) {
    row("Sessions", fmt::format("{}, {} in all, {} on average, longest {}", count_of(ss["count"]),
                                format_duration(num(ss["time"]["sum"])), format_duration(num(ss["time"]["avg"])),
                                format_duration(num(ss["time"]["max"]))));
  }
  const json& er = s["errors"];
  if (count_of(er["count"]) > 0) {
    row("Errors", fmt::format("{} ({} distinct); by severity {}; by SQLSTATE class {}", count_of(er["count"]),
                              count_of(er["distinct_messages"]), counts_line(er["by_severity"]),
                              counts_line(er["by_sqlstate_class"])));
    for (const auto& e : er["top"]) {
      row("", fmt::format("{:>6}  {}", count_of(e["count"]), one_line(str(e, "message"), 100)));
    }
  }
}

// pt-query-digest's per-class table (docs/json/digest.md, "attributes"), in its order and with its
// labels: the attributes, the Boolean section, then databases, hosts and users with their counts.
struct AttributeRow {
  const char* key;
  const char* label;
  bool time;
};
// One row a line, in pt's order.
// clang-format off
constexpr AttributeRow kAttributeRows[] = {
    {"Query_time", "Exec time", true},
    {"Lock_time", "Lock time", true},
    {"Rows_sent", "Rows sent", false},
    {"Rows_examined", "Rows examine", false},
    {"Rows_affected", "Rows affecte", false},
    {"Rows_read", "Rows read", false},
    {"Bytes_sent", "Bytes sent", false},
    {"Merge_passes", "Merge passes", false},
    {"Tmp_tables", "Tmp tables", false},
    {"Tmp_disk_tables", "Tmp disk tbl", false},
    {"Tmp_table_sizes", "Tmp tbl size", false},
    {"Query_length", "Query size", false},
    {"InnoDB_IO_r_bytes", "IO r bytes", false},
    {"InnoDB_IO_r_ops", "IO r ops", false},
    {"InnoDB_IO_r_wait", "IO r wait", true},
    {"InnoDB_pages_distinct", "pages distin", false},
    {"InnoDB_queue_wait", "queue wait", true},
    {"InnoDB_rec_lock_wait", "rec lock wait", true},
};
// clang-format on

std::string with_shares(const json& counts, uint64_t events) {
  std::string out;
  for (const auto& [value, n] : counts.items()) {
    if (counts.size() == 1) return value;
    out += fmt::format("{}{} ({}/{:.0f}%)", out.empty() ? "" : ", ", value, n.get<uint64_t>(),
                       events ? 100.0 * double(n.get<uint64_t>()) / double(events) : 0.0);
  }
  return out;
}

void attribute_table(const json& doc, const json& c, std::string& out) {
  const uint64_t events = doc["overall"]["events"].get<uint64_t>();
  const uint64_t count = c["count"].get<uint64_t>();
  out += fmt::format("# {:<12} {:>3} {:>7} {:>7} {:>7} {:>7} {:>7} {:>7} {:>7}\n", "Attribute", "pct", "total", "min",
                     "max", "avg", "95%", "stddev", "median");
  out += fmt::format("# {:=<12} {:=>3} {:=>7} {:=>7} {:=>7} {:=>7} {:=>7} {:=>7} {:=>7}\n", "", "", "", "", "", "", "",
                     "", "");
  out +=
      fmt::format("# {:<12} {:>3.0f} {:>7}\n", "Count", events ? 100.0 * double(count) / double(events) : 0.0, count);
  const json& attributes = c["attributes"];
  bool innodb = false;
  for (const AttributeRow& r : kAttributeRows) {
    auto it = attributes.find(r.key);
    if (it == attributes.end()) continue;
    if (std::string_view(r.key).starts_with("InnoDB") && !innodb) {
      out += "# InnoDB:\n";
      innodb = true;
    }
    const json& a = *it;
    auto cell = [&](const char* key) { return r.time ? format_duration(num(a[key])) : format_count(num(a[key])); };
    out +=
        fmt::format("# {:<12} {:>3.0f} {:>7} {:>7} {:>7} {:>7} {:>7} {:>7} {:>7}\n", r.label, num(a["pct"]) * 100,
                    cell("total"), cell("min"), cell("max"), cell("avg"), cell("p95"), cell("stddev"), cell("median"));
  }
  bool header = false;
  for (const auto& [flag, share] : c["booleans"].items()) {
    if (num(share) <= 0) continue;  // pt lists the flags some events set
    if (!header) out += "# Boolean:\n";
    header = true;
    std::string label = flag.substr(0, 12);  // pt's width: "Tmp table on"
    std::replace(label.begin(), label.end(), '_', ' ');
    out += fmt::format("# {:<12} {:>3.0f}% yes, {:>3.0f}% no\n", label, num(share) * 100, 100 - num(share) * 100);
  }
  header = false;
  for (auto [key, label] : {std::pair{"database_counts", "Databases"}, std::pair{"host_counts", "Hosts"},
                            std::pair{"last_errno_counts", "Last errno"}, std::pair{"user_counts", "Users"}}) {
    if (!c.contains(key) || c[key].empty()) continue;
    if (!header) out += "# String:\n";
    header = true;
    out += fmt::format("# {:<12} {}\n", label, with_shares(c[key], count));
  }
}

// pt's "Tables" section (the statements that show each table) and its EXPLAIN hint.
void tables_and_explain(const json& doc, const json& c, std::string& out) {
  const bool mysql = str(doc["input"], "format").find("mysql") != std::string::npos;
  if (c.contains("tables") && !c["tables"].empty()) {
    out += "# Tables\n";
    for (const auto& t : c["tables"]) {
      const std::string name = t.get<std::string>();
      if (!mysql) {
        out += fmt::format("#    {}\n", name);
        continue;
      }
      const size_t dot = name.find('.');
      const std::string db = dot == std::string::npos ? "" : name.substr(0, dot);
      const std::string table = dot == std::string::npos ? name : name.substr(dot + 1);
      out += db.empty() ? fmt::format("#    SHOW TABLE STATUS LIKE '{}'\\G\n", table)
                        : fmt::format("#    SHOW TABLE STATUS FROM `{}` LIKE '{}'\\G\n", db, table);
      out += db.empty() ? fmt::format("#    SHOW CREATE TABLE `{}`\\G\n", table)
                        : fmt::format("#    SHOW CREATE TABLE `{}`.`{}`\\G\n", db, table);
    }
  }
  if (c.contains("explain") && c["explain"].is_string()) {
    const std::string explain = c["explain"].get<std::string>();
    const std::string sql = c["example"]["sql"].get<std::string>();
    if (explain.size() > sql.size()) {
      std::string hint = explain.substr(0, explain.size() - sql.size());
      while (!hint.empty() && hint.back() == ' ') hint.pop_back();
      out += fmt::format("# {}\n", hint);
    }
  }
}

// What the plan rules found in the class's auto_explain plan (docs/json/digest.md, "plan_findings"),
// one line each, or why the plan was not analyzed; nothing for a class without a plan.
template <class Line>
void plan_findings(const json& c, Line line) {
  if (c.contains("plan_error")) {
    line("", fmt::format("auto_explain plan not analyzed: {}", one_line(str(c, "plan_error"), 120)));
    return;
  }
  if (!c.contains("plan_findings")) return;
  const json& findings = c["plan_findings"];
  line("", fmt::format("auto_explain plan of a {} execution: {}", format_duration(num(c["plan_example"]["query_time"])),
                       findings.empty()
                           ? std::string("no plan findings")
                           : fmt::format("{} plan finding{}", findings.size(), findings.size() == 1 ? "" : "s")));
  for (const auto& f : findings)
    line(str(f, "severity"), fmt::format("{}: {}", str(f, "rule"), one_line(str(f, "message"), 120)));
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
    attribute_table(doc, c, out);
    out += fmt::format("# {:<13} ~{}\n", "Distinct args", format_count(num(c["distinct_parameters"])));
    out += "# Query_time distribution\n";
    uint64_t most = 1;
    for (const auto& [name, n] : c["histogram"].items()) most = std::max(most, n.get<uint64_t>());
    for (const char* name : kDecadeNames) {
      uint64_t n = c["histogram"][name].get<uint64_t>();
      size_t bar = n ? std::max<size_t>(1, static_cast<size_t>(64 * n / most)) : 0;
      out += fmt::format("# {:>5}  {}\n", name, std::string(bar, '#'));
    }
    tables_and_explain(doc, c, out);
    plan_findings(c, [&](const std::string& severity, const std::string& text) {
      out += severity.empty() ? fmt::format("# {}\n", text) : fmt::format("#   {:<7} {}\n", severity, text);
    });
    out += fmt::format("{}\\G\n", c["example"]["sql"].get<std::string>());
  }
  if (doc.contains("server")) {
    out += "\n# Server activity\n";
    server_sections(doc["server"], [&](const char* label, const std::string& text) {
      out += fmt::format("# {:<13} {}\n", label, text);
    });
  }
  if (doc.contains("notes")) {
    out += "\n# Notes\n";
    for (const auto& note : doc["notes"]) out += fmt::format("# {}\n", note.get<std::string>());
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
    out += "| Attribute | Share | Total | Min | Max | Avg | 95% | Stddev | Median |\n";
    out += "|---|---:|---:|---:|---:|---:|---:|---:|---:|\n";
    for (const AttributeRow& r : kAttributeRows) {
      auto it = c["attributes"].find(r.key);
      if (it == c["attributes"].end()) continue;
      const json& a = *it;
      auto cell = [&](const char* key) { return r.time ? format_duration(num(a[key])) : format_count(num(a[key])); };
      out += fmt::format("| {} | {:.0f}% | {} | {} | {} | {} | {} | {} | {} |\n", r.label, num(a["pct"]) * 100,
                         cell("total"), cell("min"), cell("max"), cell("avg"), cell("p95"), cell("stddev"),
                         cell("median"));
    }
    std::string flags;
    for (const auto& [flag, share] : c["booleans"].items()) {
      if (num(share) > 0) flags += fmt::format("{}{} {:.0f}%", flags.empty() ? "" : ", ", flag, num(share) * 100);
    }
    if (!flags.empty()) out += fmt::format("\nFlags (share of calls): {}.\n", flags);
    if (c.contains("last_errno_counts")) {
      out += fmt::format("\nLast_errno: {}.\n", with_shares(c["last_errno_counts"], c["count"].get<uint64_t>()));
    }
    if (!c["tables"].empty()) out += fmt::format("\nTables: {}.\n", join(c["tables"]));
    plan_findings(c, [&](const std::string& severity, const std::string& text) {
      out += severity.empty() ? fmt::format("\n{}.\n\n", text) : fmt::format("- **{}** {}\n", severity, text);
    });
  }
  if (doc.contains("server")) {
    out += "\n## Server activity\n\n| Section | |\n|---|---|\n";
    server_sections(doc["server"], [&](const char* label, std::string text) {
      for (size_t i = 0; (i = text.find('|', i)) != std::string::npos; i += 2) text.replace(i, 1, "\\|");
      out += fmt::format("| {} | {} |\n", label, text);
    });
  }
  if (doc.contains("notes")) {
    out += "\n## Notes\n\n";
    for (const auto& note : doc["notes"]) out += fmt::format("- {}\n", note.get<std::string>());
  }
  return out;
}

}  // namespace dbvet::report
