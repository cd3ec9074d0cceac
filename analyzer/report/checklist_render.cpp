#include "analyzer/report/checklist_render.hpp"

#include <algorithm>
#include <cctype>
#include <map>
#include <set>
#include <vector>

#include "analyzer/core/redact.hpp"
#include "analyzer/util/ascii.hpp"
#include "analyzer/util/escape.hpp"
#include "fmt/format.h"
#include "nlohmann/json.hpp"

namespace dbvet::report {
namespace {

using nlohmann::json;

std::string text_of(const json& object, const char* key) {
  if (!object.is_object()) return {};
  auto found = object.find(key);
  return found != object.end() && found->is_string() ? found->get<std::string>() : std::string();
}

// Inline code in Markdown: a backtick inside would end it, so the fence grows past the longest run.
std::string code(const std::string& text) {
  size_t longest = 0, run = 0;
  for (char c : text) {
    run = c == '`' ? run + 1 : 0;
    longest = std::max(longest, run);
  }
  std::string fence(longest + 1, '`');
  bool pad = !text.empty() && (text.front() == '`' || text.back() == '`');
  return fence + (pad ? " " : "") + text + (pad ? " " : "") + fence;
}

// A statement on one line: a Markdown list item ends at a newline, and the statement's layout is
// not its meaning (a newline inside a string literal would become a space: the scripts have none).
std::string one_line(const std::string& sql) {
  std::string out;
  for (char c : sql) {
    bool space = std::isspace(static_cast<unsigned char>(c)) != 0;
    if (space && (out.empty() || out.back() == ' ')) continue;
    out += space ? ' ' : c;
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

// The URL as a shell word; the document's URL has no password, and redact_url keeps it so should
// a document from elsewhere hold one.
std::string target_word(const std::string& url) { return util::shell_quote(core::redact_url(url)); }

// The first keyword of a statement, past leading comments, parentheses and a WITH clause's name.
std::string first_keyword(const std::string& sql) {
  size_t i = 0;
  while (i < sql.size()) {
    if (std::isspace(static_cast<unsigned char>(sql[i])) || sql[i] == '(') {
      ++i;
    } else if (sql.compare(i, 2, "--") == 0) {
      i = sql.find('\n', i);
      if (i == std::string::npos) return {};
    } else if (sql.compare(i, 2, "/*") == 0) {
      i = sql.find("*/", i);
      if (i == std::string::npos) return {};
      i += 2;
    } else {
      break;
    }
  }
  size_t end = i;
  while (end < sql.size() && std::isalpha(static_cast<unsigned char>(sql[end]))) ++end;
  return util::to_lower(sql.substr(i, end - i));
}

// A statement a read-only audit records and plans but does not run.
bool is_write(const std::string& sql) {
  static const std::set<std::string> writes{"insert", "update", "delete", "replace", "merge", "upsert"};
  std::string low = util::to_lower(sql);
  if (writes.count(first_keyword(sql))) return true;
  if (first_keyword(sql) == "with") {
    for (const auto& verb : writes) {
      if (low.find(verb + " ") != std::string::npos) return true;
    }
  }
  return low.find(" for update") != std::string::npos || low.find(" for share") != std::string::npos;
}

// Whether `sql` names `table` as a word (case-insensitive, optionally quoted or schema-qualified).
bool mentions_table(const std::string& sql, const std::string& table) {
  std::string low = util::to_lower(sql), name = util::to_lower(table);
  auto word = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; };
  for (size_t at = low.find(name); at != std::string::npos; at = low.find(name, at + 1)) {
    bool before = at == 0 || !word(low[at - 1]);
    bool after = at + name.size() >= low.size() || !word(low[at + name.size()]);
    if (before && after) return true;
  }
  return false;
}

std::vector<std::string> split_tables(const std::string& list) {
  std::vector<std::string> tables;
  size_t start = 0;
  while (start <= list.size()) {
    size_t comma = list.find(',', start);
    std::string table = list.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    if (!table.empty()) tables.push_back(table);
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return tables;
}

struct Section {
  std::string title;
  std::string intro;
  std::vector<std::string> items;
};

std::string render_sections(const std::string& heading, const std::string& preamble,
                            const std::vector<Section>& sections) {
  std::string out = "# " + heading + "\n\n" + preamble + "\n";
  size_t count = 0;
  for (const auto& section : sections) {
    if (section.items.empty()) continue;
    count += section.items.size();
    out += "\n## " + section.title + "\n\n";
    if (!section.intro.empty()) out += section.intro + "\n\n";
    for (const auto& item : section.items) out += "- [ ] " + item + "\n";
  }
  if (count == 0) out += "\nNothing to check by hand: this run verified everything it reported.\n";
  return out;
}

// The audit's input as arguments of a new audit, so that a re-check reads the same statements.
std::string audit_input_args(const json& doc) {
  const json input = doc.value("input", json::object());
  const std::string kind = text_of(input, "kind");
  if (kind == "log") return "--log " + util::shell_quote(text_of(input, "file"));
  if (kind == "source") return "--source " + util::shell_quote(text_of(input, "source"));
  std::set<std::string> files;
  for (const auto& finding : doc.value("findings", json::array())) {
    if (auto file = text_of(finding, "file"); !file.empty()) files.insert(file);
  }
  if (files.empty()) return "--workload SCRIPT.sql";
  std::string args;
  for (const auto& file : files)
    args += (args.empty() ? "" : " ") + std::string("--workload ") + util::shell_quote(file);
  return args;
}

}  // namespace

std::string render_audit_checklist(const json& doc, const RenderOptions&) {
  const json target = doc.value("target", json::object());
  const std::string engine = text_of(target, "engine");
  const std::string url = target_word(text_of(target, "url"));
  const std::string kind = doc.value("kind", std::string("audit"));
  std::map<std::string, json> queries;  // query id -> the class
  for (const auto& query : doc.value("queries", json::array())) queries[text_of(query, "query_id")] = query;
  std::vector<json> writes;
  for (const auto& query : doc.value("queries", json::array())) {
    if (is_write(text_of(query, "example"))) writes.push_back(query);
  }
  auto explain = [&](const std::string& sql) { return code("dbvet explain " + url + " " + util::shell_quote(sql)); };
  const bool mysql = engine == "mysql" || engine == "mariadb";

  Section advice{"Index advice not verified on this engine",
                 "Each of these is an `estimate`: no what-if (HypoPG, the MariaDB sandbox, the SQLite copy) "
                 "and no `--verify` confirmed that the planner uses it or that it pays.",
                 {}};
  Section contracts{"Plan contracts to add",
                    "Once an advised index exists, a contract keeps the plan on it; none covers these "
                    "queries in this run.",
                    {}};
  Section caches{"Cache invalidation",
                 "dbvet estimated the hit ratio; it did not check that every write path removes a stale key.",
                 {}};
  for (const auto& recommendation : doc.value("recommendations", json::array())) {
    const std::string type = text_of(recommendation, "type");
    const std::string table = text_of(recommendation, "table");
    const std::string ddl = text_of(recommendation, "ddl");
    const json details = recommendation.value("details", json::object());
    const std::string index = text_of(details, "index");
    std::vector<std::string> sqls;
    for (const auto& id : recommendation.value("queries", json::array())) {
      if (!id.is_string()) continue;
      if (auto found = queries.find(id.get<std::string>()); found != queries.end()) {
        sqls.push_back(one_line(text_of(found->second, "example")));
      }
    }
    if ((type == "index" || type == "drop_index") && text_of(recommendation, "verified") == "estimate" &&
        !details.contains("verified_by_applying")) {
      std::string item = fmt::format("**{} {} on {}**: {}.", type == "index" ? "New index" : "Drop index",
                                     code(index.empty() ? ddl : index), code(table), code(ddl));
      std::string rerun = "dbvet " + kind + " " + url + " " + audit_input_args(doc) + (mysql ? " --sandbox" : "") +
                          " --verify --format json";
      item += " Re-check: " + code(rerun) + " (the recommendation then carries `details.verified_by_applying`";
      item +=
          engine == "postgresql" ? "; with `CREATE EXTENSION hypopg` in the target it is planned as `hypopg`)" : ")";
      if (!sqls.empty()) {
        item += "; or on a staging copy after the DDL, check the plan of each query it serves:";
        for (const auto& sql : sqls) item += " " + explain(sql);
      } else if (type == "drop_index") {
        item +=
            "; no audited query touches the table, so also check that the application's other queries "
            "on it do not use the index";
      }
      advice.items.push_back(item + ".");
    }
    if (type == "index" && !index.empty()) {
      for (const auto& id : recommendation.value("queries", json::array())) {
        if (!id.is_string()) continue;
        auto found = queries.find(id.get<std::string>());
        if (found == queries.end()) continue;
        std::string contract =
            fmt::format("[[contract]] name = \"{}\" sql = \"...\" uses_index = \"{}\"", id.get<std::string>(), index);
        contracts.items.push_back(fmt::format(
            "**Query {} on {}** should use {} once it exists: add {} (sql: {}) to your contracts file, then run {}.",
            code(id.get<std::string>()), code(table), code(index), code(contract),
            code(one_line(text_of(found->second, "example"))),
            code("dbvet check " + url + " --contracts contracts.toml")));
      }
    }
    if (type == "cache") {
      std::string key = text_of(details, "key");
      std::string pattern = key;
      if (auto at = pattern.find("<parameters>"); at != std::string::npos) pattern.replace(at, 12, "*");
      std::string scan = "redis-cli --scan --pattern " + util::shell_quote(pattern);
      std::string invalidate_on = text_of(details, "invalidate_on");
      auto tables = split_tables(invalidate_on.empty() ? table : invalidate_on);
      for (const auto& write : writes) {
        const std::string sql = one_line(text_of(write, "example"));
        bool touches = std::any_of(tables.begin(), tables.end(), [&](const auto& t) { return mentions_table(sql, t); });
        if (!touches) continue;
        caches.items.push_back(fmt::format(
            "**Cache {} after write {}**: {} must DEL the cached keys. On staging, fill the cache, run the write, "
            "then {} lists no key the write made stale.",
            code(key), code(text_of(write, "query_id")), code(sql), code(scan)));
      }
      std::string list;
      for (const auto& t : tables) list += (list.empty() ? "" : ", ") + code(t);
      caches.items.push_back(fmt::format(
          "**Cache {} ({})**: every writer of {} outside this workload (other services, migrations, manual "
          "fixes) deletes the keys, or a reader accepts {} s of stale answers; after such a write, {} shows the "
          "keys are gone.",
          code(key), code(text_of(recommendation, "method")), list, text_of(details, "ttl_s"), code(scan)));
    }
  }

  Section planned{"Writes planned, not executed",
                  "A read-only audit records writing statements and plans them without running them: their "
                  "time, locks and triggers were not measured.",
                  {}};
  std::set<std::string> unexplained;
  for (const auto& note : doc.value("notes", json::array())) {
    if (!note.is_string()) continue;
    const std::string text = note.get<std::string>();
    if (auto colon = text.find(": EXPLAIN failed"); colon != std::string::npos)
      unexplained.insert(text.substr(0, colon));
  }
  for (const auto& write : writes) {
    const std::string id = text_of(write, "query_id");
    const std::string sql = one_line(text_of(write, "example"));
    const std::string plan = text_of(write, "plan");
    bool explained = !plan.empty() && !unexplained.count(id);
    std::string analyze = "dbvet explain " + url + " " + util::shell_quote(sql) + " --analyze";
    planned.items.push_back(fmt::format(
        "**Write {}** ({:g} calls): {} was {}. On a staging copy, run {} (rolled back) and check its time and "
        "plan.",
        code(id), write.value("calls", 0.0), code(sql),
        explained ? "only planned (" + code(plan) + ")" : "not explained (EXPLAIN failed on the target)",
        code(analyze)));
  }

  std::string preamble = fmt::format(
      "What this `dbvet {}` of {} ({}) did not verify by itself. Tick each item once checked; each names the "
      "command that re-checks it.",
      kind, code(core::redact_url(text_of(target, "url"))), engine);
  return render_sections("dbvet " + kind + ": manual checks", preamble, {advice, planned, caches, contracts});
}

std::string render_bench_checklist(const json& doc, const RenderOptions&) {
  const json dbvet = doc.value("dbvet", json::object());
  const std::string url = target_word(text_of(dbvet, "target"));
  const json context = doc.value("context", json::object());
  const json load = dbvet.value("load", json::object());
  const int repetitions = load.value("repetitions", 1);
  const double cpus = context.value("num_cpus", 0.0);
  double load_avg = -1;
  if (auto found = context.find("load_avg");
      found != context.end() && found->is_array() && !found->empty() && (*found)[0].is_number()) {
    load_avg = (*found)[0].get<double>();
  }
  // p95 of each repetition, per query and variant: their spread is the run's noise.
  std::map<std::pair<std::string, std::string>, std::vector<double>> p95s;
  for (const auto& entry : doc.value("benchmarks", json::array())) {
    if (entry.contains("p95_ms") && entry["p95_ms"].is_number()) {
      p95s[{text_of(entry, "dbvet_query"), text_of(entry, "dbvet_variant")}].push_back(entry["p95_ms"].get<double>());
    }
  }
  // Why a measurement of this query and variant needs a quiet re-run; empty when it need not.
  auto doubt = [&](const std::string& query, const std::string& variant) {
    std::vector<std::string> reasons;
    if (load_avg >= 0 && cpus > 0 && load_avg >= cpus) {
      reasons.push_back(fmt::format("the load average was {:.2f} on {:g} CPUs", load_avg, cpus));
    }
    auto values = p95s[{query, variant}];
    if (repetitions < 3 || values.size() < 3) {
      reasons.push_back(fmt::format("{} repetition(s) cannot tell noise from change", values.size()));
    } else {
      std::sort(values.begin(), values.end());
      double median = values[values.size() / 2];
      double spread = median > 0 ? (values.back() - values.front()) / median : 0;
      if (spread > 0.1) reasons.push_back(fmt::format("the p95 of the repetitions spread {:.0f}%", spread * 100));
    }
    std::string text;
    for (const auto& reason : reasons) text += (text.empty() ? "" : "; ") + reason;
    return text;
  };
  auto rerun = [&](const std::string& query, const std::string& sla) {
    // The query is named after its script's file name, without the directory or the .sql.
    std::string script = query.find('.') == std::string::npos ? query + ".sql" : query;
    std::string command = "dbvet bench " + url + " --workload " + util::shell_quote(script) + " --repetitions 10";
    if (!sla.empty()) command += " --sla " + util::shell_quote(sla);
    return code(command + " --format json");
  };

  Section measured{"Measured on a loaded or noisy machine",
                   "Re-run these on a quiet machine (nothing else running, `uptime` below the CPU count) with "
                   "enough repetitions; the script is the one named after the query, in your workload directory.",
                   {}};
  const json slas = dbvet.value("slas", json::array());
  for (const auto& sla : slas) {
    const std::string query = text_of(sla, "query"), variant = text_of(sla, "variant");
    std::string why = doubt(query, variant);
    if (why.empty()) continue;
    measured.items.push_back(fmt::format("**SLA {} on {}/{}** ({}, measured {:.4g}): {}. Re-check: {}.",
                                         code(text_of(sla, "sla")), code(query), code(variant),
                                         sla.value("passed", false) ? "passed" : "broken", sla.value("measured", 0.0),
                                         why, rerun(query, text_of(sla, "sla"))));
  }
  if (slas.empty()) {
    for (const auto& summary : dbvet.value("summary", json::array())) {
      const std::string query = text_of(summary, "query"), variant = text_of(summary, "variant");
      std::string why = doubt(query, variant);
      if (why.empty()) continue;
      double p95 = summary.contains("latency") ? summary["latency"].value("p95_ms", 0.0) : 0.0;
      measured.items.push_back(fmt::format("**p95 of {}/{}** ({:.3f} ms): {}. Re-check: {}.", code(query),
                                           code(variant), p95, why, rerun(query, "")));
    }
  }

  Section caches{"Cache variants",
                 "The bench compared the answers of reads with the baseline; it did not check invalidation on "
                 "writes.",
                 {}};
  for (const auto& variant : dbvet.value("variants", json::array())) {
    if (text_of(variant, "kind") != "cache") continue;
    caches.items.push_back(fmt::format(
        "**Cache variant {}** ({}): every write path of the cached tables deletes the keys. On staging, fill the "
        "cache, run each write, then {} lists no stale key.",
        code(text_of(variant, "name")), code(core::redact_url(text_of(variant, "spec"))),
        code("redis-cli --scan --pattern 'dbvet:*'")));
  }
  Section answers{"Answers that differ", "", {}};
  for (const auto& summary : dbvet.value("summary", json::array())) {
    const std::string answer = text_of(summary, "answer");
    if (answer != "changed" && answer != "unstable") continue;
    answers.items.push_back(fmt::format(
        "**{}/{}** answered {} ({}): compare the rows by hand. Re-check: {}.", code(text_of(summary, "query")),
        code(text_of(summary, "variant")),
        answer == "changed" ? "differently from the baseline" : "differently between repetitions",
        answer == "unstable" ? "a writing workload, or an ORDER BY with ties" : "a variant that changes results",
        rerun(text_of(summary, "query"), "")));
  }
  std::string preamble = fmt::format(
      "What this `dbvet bench` of {} ({}) did not verify by itself. Tick each item once checked; each names the "
      "command that re-checks it.",
      code(core::redact_url(text_of(dbvet, "target"))), text_of(dbvet, "engine"));
  return render_sections("dbvet bench: manual checks", preamble, {measured, caches, answers});
}

}  // namespace dbvet::report
