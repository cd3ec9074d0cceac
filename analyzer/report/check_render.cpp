#include "analyzer/report/check_render.hpp"

#include "analyzer/util/escape.hpp"
#include "fmt/format.h"
#include "nlohmann/json.hpp"

namespace dbvet::report {
namespace {

using nlohmann::json;

std::string text_of(const json& object, const char* key) {
  auto found = object.find(key);
  return found != object.end() && found->is_string() ? found->get<std::string>() : std::string();
}

std::string p95_note(const json& assertion) {
  auto found = assertion.find("p95_ms");
  if (found == assertion.end() || !found->is_number()) return "";
  return fmt::format(" (p95 {:.3f} ms)", found->get<double>());
}

std::string status_word(const std::string& status) {
  if (status == "pass") return "PASS";
  if (status == "fail") return "FAIL";
  if (status == "error") return "ERROR";
  return "SKIP";
}

std::string summary_line(const json& doc) {
  const json& s = doc.contains("summary") ? doc["summary"] : json::object();
  return fmt::format("{} contracts passed, {} failed, {} skipped; {} assertions, {} failed, {} skipped",
                     s.value("passed", 0), s.value("failed", 0), s.value("skipped", 0), s.value("assertions", 0),
                     s.value("assertions_failed", 0), s.value("assertions_skipped", 0));
}

std::string md_cell(std::string text) {
  std::string out;
  for (char c : text) {
    if (c == '|') {
      out += "\\|";
    } else if (c == '\n') {
      out += ' ';
    } else {
      out += c;
    }
  }
  return out;
}

}  // namespace

std::string render_check_text(const json& doc) {
  const json& target = doc.contains("target") ? doc["target"] : json::object();
  std::string out =
      fmt::format("dbvet check: {} on {} ({}){}{}\n", text_of(doc, "contracts_file"), text_of(target, "engine"),
                  text_of(target, "url"), doc.value("analyzed", false) ? ", analyzed" : "",
                  doc.value("updated", false) ? ", snapshots updated" : "");
  for (const auto& contract : doc.value("contracts", json::array())) {
    std::string status = text_of(contract, "status");
    out += fmt::format("\n{:<5} {} (line {})\n", status_word(status), text_of(contract, "name"),
                       contract.value("line", 0));
    if (status == "skipped" && contract.contains("reason")) out += "      " + text_of(contract, "reason") + "\n";
    if (status == "error") out += "      the statement failed: " + text_of(contract, "error") + "\n";
    for (const auto& assertion : contract.value("assertions", json::array())) {
      out += fmt::format("  {:<5} {} (line {}): {}{}\n", status_word(text_of(assertion, "status")),
                         text_of(assertion, "assertion"), assertion.value("line", 0), text_of(assertion, "message"),
                         p95_note(assertion));
    }
    if (contract.contains("plan_diff")) {
      out += "      plan changed since the snapshot (- snapshot, + now):\n";
      for (const auto& line : contract["plan_diff"]) out += "        " + line.get<std::string>() + "\n";
    }
  }
  out += "\n" + summary_line(doc) + "\n";
  return out;
}

std::string render_check_markdown(const json& doc) {
  const json& target = doc.contains("target") ? doc["target"] : json::object();
  std::string out = fmt::format("## dbvet check: `{}` on {}\n\n{}\n\n", text_of(doc, "contracts_file"),
                                text_of(target, "engine"), summary_line(doc));
  out += "| contract | assertion | line | status | expected | actual | message |\n";
  out += "|---|---|---|---|---|---|---|\n";
  for (const auto& contract : doc.value("contracts", json::array())) {
    std::string name = md_cell(text_of(contract, "name"));
    std::string status = text_of(contract, "status");
    if (status == "error" || (status == "skipped" && contract.value("assertions", json::array()).empty())) {
      std::string note =
          status == "error" ? "the statement failed: " + text_of(contract, "error") : text_of(contract, "reason");
      out += fmt::format("| {} | | {} | {} | | | {} |\n", name, contract.value("line", 0), status_word(status),
                         md_cell(note));
      continue;
    }
    for (const auto& assertion : contract.value("assertions", json::array())) {
      out += fmt::format("| {} | `{}` | {} | {} | {} | {} | {}{} |\n", name, text_of(assertion, "assertion"),
                         assertion.value("line", 0), status_word(text_of(assertion, "status")),
                         md_cell(text_of(assertion, "expected")), md_cell(text_of(assertion, "actual")),
                         md_cell(text_of(assertion, "message")), p95_note(assertion));
    }
  }
  for (const auto& contract : doc.value("contracts", json::array())) {
    if (!contract.contains("plan_diff")) continue;
    out += fmt::format("\n**{}**: the plan changed since the snapshot\n\n```diff\n", text_of(contract, "name"));
    for (const auto& line : contract["plan_diff"]) {
      std::string text = line.get<std::string>();
      out += (text.rfind("  ", 0) == 0 ? " " + text.substr(2) : text.substr(0, 1) + text.substr(2)) + "\n";
    }
    out += "```\n";
  }
  return out;
}

std::string render_check_junit(const json& doc) {
  const std::string engine = doc.contains("target") ? text_of(doc["target"], "engine") : std::string();
  const std::string file = text_of(doc, "contracts_file");
  std::string cases;
  size_t tests = 0, failures = 0, errors = 0, skipped = 0;
  for (const auto& contract : doc.value("contracts", json::array())) {
    const std::string name = text_of(contract, "name");
    const std::string classname = util::escape_markup("check." + engine + "." + name);
    const std::string status = text_of(contract, "status");
    auto assertions = contract.value("assertions", json::array());
    if (status == "error" || assertions.empty()) {
      ++tests;
      cases += fmt::format("    <testcase classname=\"{}\" name=\"query\" file=\"{}\" line=\"{}\"", classname,
                           util::escape_markup(file), contract.value("line", 0));
      if (status == "error") {
        ++errors;
        cases +=
            fmt::format("><error message=\"{}\"/></testcase>\n",
                        util::escape_markup(fmt::format("{}:{}: contract '{}': the statement failed: {}", file,
                                                        contract.value("line", 0), name, text_of(contract, "error"))));
      } else {
        ++skipped;
        cases +=
            fmt::format("><skipped message=\"{}\"/></testcase>\n", util::escape_markup(text_of(contract, "reason")));
      }
      continue;
    }
    std::string diff;
    for (const auto& line : contract.value("plan_diff", json::array())) diff += line.get<std::string>() + "\n";
    for (const auto& assertion : assertions) {
      ++tests;
      const std::string key = text_of(assertion, "assertion");
      const int line = assertion.value("line", 0);
      cases += fmt::format("    <testcase classname=\"{}\" name=\"{}\" file=\"{}\" line=\"{}\"", classname,
                           util::escape_markup(key), util::escape_markup(file), line);
      const std::string outcome = text_of(assertion, "status");
      if (outcome == "fail") {
        ++failures;
        std::string message = fmt::format("{}:{}: contract '{}': {}", file, line, name, text_of(assertion, "message"));
        std::string body =
            fmt::format("expected: {}\nactual: {}\n", text_of(assertion, "expected"), text_of(assertion, "actual"));
        if (key == "plan_unchanged" && !diff.empty()) body += "plan diff (- snapshot, + now):\n" + diff;
        cases += fmt::format("><failure message=\"{}\" type=\"{}\">{}</failure></testcase>\n",
                             util::escape_markup(message), util::escape_markup(key), util::escape_markup(body));
      } else if (outcome == "skipped") {
        ++skipped;
        cases +=
            fmt::format("><skipped message=\"{}\"/></testcase>\n", util::escape_markup(text_of(assertion, "message")));
      } else {
        cases +=
            fmt::format("><system-out>{}{}</system-out></testcase>\n",
                        util::escape_markup(text_of(assertion, "message")), util::escape_markup(p95_note(assertion)));
      }
    }
  }
  return fmt::format(
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites>\n  <testsuite name=\"{}\" tests=\"{}\" failures=\"{}\" "
      "errors=\"{}\" skipped=\"{}\">\n{}  </testsuite>\n</testsuites>\n",
      util::escape_markup("dbvet check " + engine), tests, failures, errors, skipped, cases);
}

}  // namespace dbvet::report
