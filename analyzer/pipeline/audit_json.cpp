#include "analyzer/pipeline/audit_json.hpp"

#include <algorithm>

#include "analyzer/core/json_envelope.hpp"
#include "fmt/format.h"
#include "nlohmann/json.hpp"

namespace dbvet::pipeline {
namespace {

using nlohmann::json;

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

}  // namespace

json finding_json(const model::Finding& f) {
  return {{"rule", f.rule},         {"severity", model::severity_name(f.severity)},
          {"query_id", f.query_id}, {"table", f.table},
          {"message", f.message},   {"evidence", f.evidence},
          {"cost", f.cost}};
}

json audit_to_json(const pipeline::AuditResult& result, const std::string& kind) {
  json doc = core::json_envelope(kind);
  doc["target"] = {{"engine", result.engine}, {"url", result.target}};
  doc["workload"] = {{"transactions", result.transactions}, {"statements", result.statements}};
  doc["verification"] = result.verification;
  if (kind == "audit") {
    doc["findings"] = json::array();
    for (const auto& f : result.findings) {
      doc["findings"].push_back(finding_json(f));
      // What ranked a query's finding: its class's measured database time, or (none measured: a
      // write or FOR UPDATE planned, not run; a source without timing) calls x plan cost.
      auto of_class = std::find_if(result.classes.begin(), result.classes.end(),
                                   [&](const AuditClass& c) { return !f.query_id.empty() && c.id == f.query_id; });
      if (of_class != result.classes.end()) {
        doc["findings"].back()["cost_basis"] = of_class->total_time_s > 0 ? "measured time" : "calls x plan cost";
      }
      if (!f.file.empty()) {
        doc["findings"].back()["file"] = f.file;
        doc["findings"].back()["line"] = f.line;
      }
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
  if (result.verify) {
    const auto& v = *result.verify;
    json outcomes = json::array();
    for (const auto& o : v.outcomes) {
      outcomes.push_back({{"type", o.type},
                          {"table", o.table},
                          {"index", o.index},
                          {"attempt", o.attempt},
                          {"ddl_succeeded", o.ddl_succeeded},
                          {"used", o.used},
                          {"queries", o.queries},
                          {"before_ms", o.before_ms},
                          {"after_ms", o.after_ms},
                          {"slower", o.slower},
                          {"kept", o.kept},
                          {"why", o.why}});
    }
    json reaudit = nullptr;
    if (v.reaudit) {
      json items = json::array();
      for (const auto& item : v.reaudit->items) {
        items.push_back({{"type", item.type},
                         {"table", item.table},
                         {"columns", item.columns},
                         {"index", item.index},
                         {"ddl", item.ddl},
                         {"reappeared", item.reappeared},
                         {"why", item.why}});
      }
      reaudit = {{"clean", v.reaudit->clean}, {"recommendations", items}};
    }
    doc["verify"] = {{"attempts", v.attempts},
                     {"queries", v.queries},
                     {"workload_before_ms", v.workload_before_ms},
                     {"workload_after_ms", v.workload_after_ms},
                     {"slower", v.slower},
                     {"recommendations", outcomes},
                     {"reaudit", reaudit}};
  }
  const auto& input = result.input;
  if (input.kind == "log") {
    doc["input"] = {{"kind", "log"},
                    {"file", input.file},
                    {"format", input.format},
                    {"events", input.events},
                    {"skipped", input.skipped}};
  } else if (input.kind == "source") {
    doc["input"] = {{"kind", "source"}, {"source", input.source}, {"events", input.events}};
  } else {
    doc["input"] = {{"kind", "workload"}};
  }
  if (input.kind != "workload") {
    doc["input"]["skipped_placeholder_classes"] = result.skipped_placeholder_classes;
    doc["input"]["skipped_other_database_classes"] = result.skipped_other_database_classes;
  }
  doc["timing_s"] = json::object();
  for (const auto& [name, seconds] : result.timings_s) doc["timing_s"][name] = seconds;
  if (result.applied) {
    doc["applied"] = json::array();
    for (const auto& a : *result.applied) {
      json row{{"table", a.table}, {"ddl", a.ddl}, {"status", a.applied ? "applied" : "failed"}};
      row["error"] = a.applied ? json() : json(a.error);
      doc["applied"].push_back(std::move(row));
    }
  }
  return doc;
}

}  // namespace dbvet::pipeline
