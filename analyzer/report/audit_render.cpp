#include "analyzer/report/audit_render.hpp"

#include "analyzer/report/json_envelope.hpp"
#include "fmt/format.h"
#include "nlohmann/json.hpp"

namespace dbvet::report {
namespace {

using nlohmann::json;

std::string join(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : ", ") + item;
  return out;
}

json recommendation_json(const model::Recommendation& r) {
  json j = {{"type", model::recommendation_type_name(r.type)},
            {"table", r.table},
            {"columns", r.columns},
            {"include", r.include},
            {"where", r.where},
            {"method", r.method},
            {"ddl", r.ddl},
            {"queries", r.queries},
            {"cost_before", r.cost_before ? json(*r.cost_before) : json(nullptr)},
            {"cost_after", r.cost_after ? json(*r.cost_after) : json(nullptr)},
            {"improvement", r.improvement ? json(*r.improvement) : json(nullptr)},
            {"verified", r.verified},
            {"rationale", r.rationale},
            {"details", r.details}};
  return j;
}

std::string gain(const model::Recommendation& r) {
  if (!r.cost_before || !r.cost_after || !r.improvement) return "";
  return fmt::format("cost {:.0f} -> {:.0f} ({:.0f}% less, {})", *r.cost_before, *r.cost_after, *r.improvement * 100,
                     r.verified == "estimate" ? "estimate" : "verified: " + r.verified);
}

std::string action(const model::Recommendation& r) {
  if (!r.ddl.empty()) return r.ddl;
  if (r.details.count("suggestion")) return r.details.at("suggestion");
  return r.rationale;
}

}  // namespace

json audit_to_json(const advisor::AuditResult& result, const std::string& kind) {
  json doc = json_envelope(kind);
  doc["target"] = {{"engine", result.engine}, {"url", result.target}};
  doc["workload"] = {{"transactions", result.transactions}, {"statements", result.statements}};
  doc["verification"] = result.verification;
  if (kind == "audit") {
    doc["findings"] = json::array();
    for (const auto& f : result.findings) {
      doc["findings"].push_back({{"rule", f.rule},
                                 {"severity", model::severity_name(f.severity)},
                                 {"query_id", f.query_id},
                                 {"table", f.table},
                                 {"message", f.message},
                                 {"evidence", f.evidence},
                                 {"cost", f.cost}});
    }
    doc["queries"] = json::array();
    for (const auto& c : result.classes) {
      doc["queries"].push_back({{"query_id", c.id},
                                {"example", c.example},
                                {"calls", c.calls},
                                {"total_time_s", c.total_time_s},
                                {"avg_time_ms", c.avg_time_ms},
                                {"plan", c.plan_summary}});
    }
  }
  doc["recommendations"] = json::array();
  for (const auto& r : result.recommendations) doc["recommendations"].push_back(recommendation_json(r));
  doc["notes"] = result.notes;
  return doc;
}

std::string render_audit_text(const advisor::AuditResult& result, bool recommendations_only) {
  std::string out = fmt::format("dbvet {} of {} ({}): {} statements from {} workload transactions\n",
                                recommendations_only ? "advise" : "audit", result.target, result.engine,
                                result.statements, result.transactions);
  if (!recommendations_only) {
    out += fmt::format("\nFindings ({}), most costly first:\n", result.findings.size());
    for (const auto& f : result.findings) {
      out += fmt::format("  [{}] {} {}: {}\n", model::severity_name(f.severity), f.rule,
                         f.table.empty() ? "" : "on " + f.table, f.message);
      std::string evidence;
      for (const auto& [name, value] : f.evidence) {
        if (name == "query") continue;
        evidence += (evidence.empty() ? "" : ", ") + name + "=" + value;
      }
      if (!evidence.empty()) out += "      evidence: " + evidence + "\n";
      if (f.evidence.count("query")) out += "      query: " + f.evidence.at("query").substr(0, 160) + "\n";
    }
  }
  out += fmt::format("\nRecommendations ({}):\n", result.recommendations.size());
  int n = 0;
  for (const auto& r : result.recommendations) {
    out += fmt::format(
        "  {}. [{}] {}{}\n", ++n, model::recommendation_type_name(r.type), r.table,
        r.columns.empty() ? "" : " (" + join(r.columns) + ")" + (r.where.empty() ? "" : " WHERE " + r.where));
    out += "      do: " + action(r) + "\n";
    if (auto g = gain(r); !g.empty()) out += "      gain: " + g + "\n";
    if (!r.rationale.empty() && !r.ddl.empty()) out += "      why: " + r.rationale + "\n";
  }
  if (!result.notes.empty()) {
    out += "\nNotes:\n";
    for (const auto& note : result.notes) out += "  - " + note + "\n";
  }
  return out;
}

std::string render_audit_md(const advisor::AuditResult& result, bool recommendations_only) {
  std::string out = fmt::format("# dbvet {}: {} ({})\n\n{} statements from {} workload transactions.\n",
                                recommendations_only ? "advise" : "audit", result.target, result.engine,
                                result.statements, result.transactions);
  if (!recommendations_only) {
    out += "\n## Findings\n\n| severity | rule | table | what is wrong | evidence |\n|---|---|---|---|---|\n";
    for (const auto& f : result.findings) {
      std::string evidence;
      for (const auto& [name, value] : f.evidence) {
        if (name != "query") evidence += (evidence.empty() ? "" : "; ") + name + "=" + value;
      }
      out += fmt::format("| {} | `{}` | {} | {} | {} |\n", model::severity_name(f.severity), f.rule, f.table, f.message,
                         evidence);
    }
  }
  out += "\n## Recommendations\n\n| # | type | table | what to do | gain |\n|---|---|---|---|---|\n";
  int n = 0;
  for (const auto& r : result.recommendations) {
    out += fmt::format("| {} | {} | {} | `{}` | {} |\n", ++n, model::recommendation_type_name(r.type), r.table,
                       action(r), gain(r));
  }
  return out;
}

}  // namespace dbvet::report
