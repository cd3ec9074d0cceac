#include "analyzer/report/prometheus.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <map>

#include "fmt/format.h"
#include "nlohmann/json.hpp"

namespace dbvet::report {

std::string prometheus_escape_label(std::string_view value) {
  std::string out;
  out.reserve(value.size());
  for (char c : value) {
    if (c == '\\')
      out += "\\\\";
    else if (c == '"')
      out += "\\\"";
    else if (c == '\n')
      out += "\\n";
    else
      out += c;
  }
  return out;
}

std::string prometheus_escape_help(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c == '\\')
      out += "\\\\";
    else if (c == '\n')
      out += "\\n";
    else
      out += c;
  }
  return out;
}

bool prometheus_metric_name_ok(std::string_view name) {
  if (name.empty()) return false;
  for (size_t i = 0; i < name.size(); ++i) {
    auto c = static_cast<unsigned char>(name[i]);
    bool ok = std::isalpha(c) || c == '_' || c == ':' || (i > 0 && std::isdigit(c));
    if (!ok) return false;
  }
  return true;
}

bool prometheus_label_name_ok(std::string_view name) {
  if (name.empty() || name.substr(0, 2) == "__") return false;
  for (size_t i = 0; i < name.size(); ++i) {
    auto c = static_cast<unsigned char>(name[i]);
    bool ok = std::isalpha(c) || c == '_' || (i > 0 && std::isdigit(c));
    if (!ok) return false;
  }
  return true;
}

std::string prometheus_value(double value) {
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value > 0 ? "+Inf" : "-Inf";
  return fmt::format("{}", value);
}

std::string render_prometheus(const nlohmann::json& doc, const RenderOptions&) {
  struct Family {
    std::string help;
    std::map<std::string, double> samples;  // rendered label set -> value, sorted for stable output
  };
  std::map<std::string, Family> families;
  for (const auto& target : doc.at("targets")) {
    const std::string target_name = target.at("name").get<std::string>();
    const std::string engine = target.at("engine").get<std::string>();
    for (const auto& metric : target.at("metrics")) {
      const std::string metric_name = metric.at("name").get<std::string>();
      if (!prometheus_metric_name_ok(metric_name)) continue;
      std::string labels = fmt::format("target=\"{}\",engine=\"{}\"", prometheus_escape_label(target_name), engine);
      // The JSON object holds the labels sorted by name; every label set today is ("check", one more
      // that sorts after it), so this is the order the checks gave them in.
      for (const auto& [name, value] : metric.at("labels").items()) {
        if (!prometheus_label_name_ok(name) || name == "target" || name == "engine") continue;
        labels += fmt::format(",{}=\"{}\"", name, prometheus_escape_label(value.get<std::string>()));
      }
      auto& family = families[metric_name];
      if (family.help.empty()) family.help = metric.value("help", "");
      family.samples[labels] = metric.at("value").get<double>();
    }
  }
  std::string out;
  for (const auto& [name, family] : families) {
    out += fmt::format("# HELP {} {}\n# TYPE {} gauge\n", name,
                       prometheus_escape_help(family.help.empty() ? name : family.help), name);
    for (const auto& [labels, value] : family.samples) {
      out += fmt::format("{}{{{}}} {}\n", name, labels, prometheus_value(value));
    }
  }
  return out;
}

}  // namespace dbvet::report
