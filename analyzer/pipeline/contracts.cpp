#include "analyzer/pipeline/contracts.hpp"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <set>
#include <sstream>

#include "analyzer/core/toml_document.hpp"
#include "analyzer/model/dialect.hpp"
#include "analyzer/util/ascii.hpp"
#include "fmt/format.h"

namespace dbvet::pipeline {
namespace {

constexpr AssertionKind kAllKinds[] = {
    AssertionKind::uses_index, AssertionKind::no_full_scan_above_rows, AssertionKind::no_sort_without_index,
    AssertionKind::max_cost,   AssertionKind::row_estimate_within,     AssertionKind::max_rows_examined_per_row_sent,
    AssertionKind::p95_ms,     AssertionKind::plan_unchanged,
};

const char* const kEngines[] = {"postgres", "mysql", "mariadb", "sqlite"};

core::Error at(const std::string& path, int line, const std::string& message) {
  return core::make_error(core::ErrorKind::usage, fmt::format("{}:{}: {}", path, line, message));
}

int line_of(const toml::node& node) { return static_cast<int>(node.source().begin.line); }

bool valid_name(const std::string& name) {
  if (name.empty() || name.size() > 100 || name.front() == '.') return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.';
  });
}

// Reads one key of a contract (or of its [contract.<engine>] table) into a setting, checking its type.
core::Status read_setting(const std::string& path, const std::string& contract, const std::string& key,
                          const toml::node& value, ContractSetting& out) {
  out.line = line_of(value);
  auto fail = [&](const std::string& what) {
    return at(path, out.line, fmt::format("contract '{}': {} {}", contract, key, what));
  };
  auto number = [&](double min, bool inclusive) -> core::Status {
    if (!value.is_number()) return fail("must be a number");
    out.number = *value.value<double>();
    if (!std::isfinite(out.number) || out.number < min || (!inclusive && out.number == min)) {
      return fail(fmt::format("must be {} {}", inclusive ? "at least" : "above", min));
    }
    return core::ok();
  };
  auto text = [&]() -> core::Status {
    if (!value.is_string()) return fail("must be a string");
    out.text = *value.value<std::string>();
    return core::ok();
  };
  auto flag = [&]() -> core::Status {
    if (!value.is_boolean()) return fail("must be true or false");
    out.flag = *value.value<bool>();
    return core::ok();
  };
  if (key == "description" || key == "sql" || key == "script") {
    if (auto status = text(); !status) return status;
    if (key != "description" && out.text.find_first_not_of(" \t\r\n") == std::string::npos) return fail("is empty");
    return core::ok();
  }
  if (key == "statement" || key == "runs") {
    if (!value.is_integer()) return fail("must be a whole number");
    out.number = static_cast<double>(*value.value<int64_t>());
    if (out.number < 1 || out.number > 100000) return fail("must be between 1 and 100000");
    return core::ok();
  }
  if (key == "vars") {
    const auto* table = value.as_table();
    if (!table) return fail("must be a table: vars = { owner_id = 1 }");
    for (auto&& [name, item] : *table) {
      std::string var(name.str());
      if (item.is_string()) {
        out.table[var] = *item.value<std::string>();
      } else if (item.is_integer()) {
        out.table[var] = std::to_string(*item.value<int64_t>());
      } else if (item.is_floating_point()) {
        out.table[var] = fmt::format("{}", *item.value<double>());
      } else {
        return at(path, line_of(item),
                  fmt::format("contract '{}': vars.{} must be a string or a number", contract, var));
      }
    }
    return core::ok();
  }
  if (key == "uses_index") {
    if (value.is_string()) {
      out.list = {*value.value<std::string>()};
    } else if (const auto* array = value.as_array()) {
      for (const auto& item : *array) {
        if (!item.is_string()) return fail("must be an index name or a list of index names");
        out.list.push_back(*item.value<std::string>());
      }
    } else {
      return fail("must be an index name or a list of index names");
    }
    if (out.list.empty()) return fail("names no index");
    for (const auto& name : out.list) {
      if (name.empty()) return fail("names an empty index");
    }
    return core::ok();
  }
  if (key == "no_sort_without_index" || key == "plan_unchanged") return flag();
  if (key == "no_full_scan_above_rows") return number(0, true);
  if (key == "row_estimate_within") return number(1, true);
  if (key == "max_cost" || key == "max_rows_examined_per_row_sent" || key == "p95_ms") return number(0, false);
  return fail("is not a contract key (see docs/commands/check.md)");
}

// Whether `sql`/`script` were given, after the engine's table replaced the base's query source.
std::map<std::string, ContractSetting> merged(const ContractEntry& entry, const std::string& engine) {
  auto settings = entry.base;
  auto overlay = [&](const char* name) {
    auto found = entry.per_engine.find(name);
    if (found == entry.per_engine.end()) return;
    // A query source in the engine's table replaces the other kind of source too.
    if (found->second.count("sql") || found->second.count("script")) {
      settings.erase("sql");
      settings.erase("script");
      settings.erase("statement");
    }
    for (const auto& [key, value] : found->second) settings[key] = value;
  };
  if (engine == "mariadb") overlay("mysql");
  overlay(engine.c_str());
  return settings;
}

Contract build_contract(const ContractEntry& entry, const std::string& engine) {
  Contract contract;
  contract.name = entry.name;
  contract.line = entry.line;
  auto settings = merged(entry, engine);
  auto get = [&](const char* key) -> const ContractSetting* {
    auto found = settings.find(key);
    return found == settings.end() ? nullptr : &found->second;
  };
  if (auto* s = get("description")) contract.description = s->text;
  if (auto* s = get("sql")) contract.sql = s->text;
  if (auto* s = get("script")) contract.script = s->text;
  if (auto* s = get("statement")) contract.statement = static_cast<int>(s->number);
  if (auto* s = get("vars")) contract.vars = s->table;
  if (auto* s = get("engines")) contract.engines = s->list;
  if (auto* s = get("runs")) contract.runs = static_cast<int>(s->number);
  for (auto kind : kAllKinds) {
    const auto* s = get(assertion_key(kind));
    if (!s) continue;
    Assertion assertion;
    assertion.kind = kind;
    assertion.line = s->line;
    assertion.number = s->number;
    assertion.flag = s->flag;
    assertion.names = s->list;
    // `= false` states nothing (and turns an inherited assertion off for one engine).
    if ((kind == AssertionKind::no_sort_without_index || kind == AssertionKind::plan_unchanged) && !s->flag) continue;
    contract.assertions.push_back(std::move(assertion));
  }
  return contract;
}

core::Status read_contract_table(const std::string& path, const toml::table& table, int line, bool top,
                                 ContractEntry& entry, std::map<std::string, ContractSetting>& out) {
  for (auto&& [key_name, value] : table) {
    std::string key(key_name.str());
    if (top && key == "name") continue;
    if (top && key == "engines") {
      ContractSetting setting;
      setting.line = line_of(value);
      const auto* array = value.as_array();
      if (!array) return at(path, setting.line, fmt::format("contract '{}': engines must be a list", entry.name));
      for (const auto& item : *array) {
        auto name = item.value<std::string>();
        if (!item.is_string() || !is_contract_engine(*name)) {
          return at(path, setting.line,
                    fmt::format("contract '{}': engines lists postgres, mysql, mariadb or sqlite", entry.name));
        }
        setting.list.push_back(*name);
      }
      out[key] = std::move(setting);
      continue;
    }
    if (top && is_contract_engine(key)) {
      const auto* sub = value.as_table();
      if (!sub) {
        return at(path, line_of(value),
                  fmt::format("contract '{}': {} must be a table ([contract.{}])", entry.name, key, key));
      }
      if (auto status = read_contract_table(path, *sub, line, false, entry, entry.per_engine[key]); !status) {
        return status;
      }
      continue;
    }
    if (!top && (key == "name" || key == "engines" || is_contract_engine(key))) {
      return at(
          path, line_of(value),
          fmt::format("contract '{}': {} belongs in the contract itself, not in an engine's table", entry.name, key));
    }
    ContractSetting setting;
    if (auto status = read_setting(path, entry.name, key, value, setting); !status) return status;
    out[key] = std::move(setting);
  }
  return core::ok();
}

std::optional<double> table_rows(const EvaluationInputs& inputs, const std::string& relation) {
  if (!inputs.schema || relation.empty()) return std::nullopt;
  const auto* table = inputs.schema->find_table(relation);
  if (!table) {
    if (auto alias = inputs.aliases.find(relation); alias != inputs.aliases.end()) {
      table = inputs.schema->find_table(alias->second);
    }
  }
  return table ? table->estimated_rows : std::nullopt;
}

std::string number(double value) {
  if (std::fabs(value) < 1e15 && value == std::floor(value)) return fmt::format("{}", static_cast<long long>(value));
  return fmt::format("{:.2f}", value);
}

std::string describe(const model::PlanNode& node) {
  std::string text = node.operation;
  if (!node.relation.empty() && text.find(node.relation) == std::string::npos) text += " on " + node.relation;
  if (!node.index.empty() && text.find(node.index) == std::string::npos) text += " using " + node.index;
  return text;
}

bool is_run_time_sort(const model::PlanNode& node) {
  return node.operation == "Sort" || node.uses_filesort ||
         (node.temp_btree && node.operation.find("ORDER BY") != std::string::npos);
}

std::optional<double> rows_out(const model::PlanNode& node) {
  if (node.actual_rows) return *node.actual_rows * node.actual_loops.value_or(1);
  return node.plan_rows;
}

AssertionResult judge(const Assertion& assertion, const model::Plan& plan, const Contract& contract,
                      const EvaluationInputs& inputs) {
  AssertionResult r;
  r.kind = assertion.kind;
  r.line = assertion.line;
  const auto& dialect = model::dialect_named(plan.engine);
  switch (assertion.kind) {
    case AssertionKind::uses_index: {
      std::set<std::string> used;
      std::vector<std::string> used_order;
      model::visit(plan.root, [&](const model::PlanNode& node, int) {
        if (!node.index.empty() && used.insert(util::to_lower(node.index)).second) used_order.push_back(node.index);
      });
      std::string expected, missing;
      for (const auto& name : assertion.names) {
        expected += (expected.empty() ? "" : ", ") + name;
        if (!used.count(util::to_lower(name))) missing += (missing.empty() ? "" : ", ") + name;
      }
      std::string actual;
      for (const auto& name : used_order) actual += (actual.empty() ? "" : ", ") + name;
      r.expected = expected;
      r.actual = actual.empty() ? "no index" : actual;
      r.outcome = missing.empty() ? Outcome::pass : Outcome::fail;
      r.message = missing.empty() ? fmt::format("the plan uses {}", expected)
                                  : fmt::format("the plan does not use {} (it uses {})", missing, r.actual);
      break;
    }
    case AssertionKind::no_full_scan_above_rows: {
      r.expected = fmt::format("no full scan of a table above {} rows", number(assertion.number));
      std::string worst;
      std::string scans;
      model::visit(plan.root, [&](const model::PlanNode& node, int) {
        if (node.access != model::AccessType::full_scan || node.relation.empty()) return;
        std::optional<double> rows = table_rows(inputs, node.relation);
        if (!rows && node.rows_examined) rows = node.rows_examined;
        if (!rows && dialect.estimates_count_rows_read) rows = node.plan_rows;
        std::string what = rows ? fmt::format("{} ({} rows)", describe(node), number(*rows))
                                : fmt::format("{} (size unknown)", describe(node));
        scans += (scans.empty() ? "" : "; ") + what;
        if ((!rows || *rows > assertion.number) && worst.empty()) worst = what;
      });
      r.actual = scans.empty() ? "no full scan" : scans;
      r.outcome = worst.empty() ? Outcome::pass : Outcome::fail;
      r.message = worst.empty() ? (scans.empty() ? "no full scan" : "every full scan reads a small table")
                                : fmt::format("{} is a full scan above {} rows", worst, number(assertion.number));
      break;
    }
    case AssertionKind::no_sort_without_index: {
      r.expected = "no run-time sort";
      std::string sorts;
      model::visit(plan.root, [&](const model::PlanNode& node, int) {
        if (!is_run_time_sort(node)) return;
        std::string what = node.operation == "Sort" ? "Sort" : node.uses_filesort ? "filesort" : node.operation;
        if (node.uses_filesort && !node.relation.empty()) what += " on " + node.relation;
        if (!node.sort_keys.empty()) {
          std::string keys;
          for (const auto& key : node.sort_keys) keys += (keys.empty() ? "" : ", ") + key;
          what += " by " + keys;
        }
        sorts += (sorts.empty() ? "" : "; ") + what;
      });
      r.actual = sorts.empty() ? "no run-time sort" : sorts;
      r.outcome = sorts.empty() ? Outcome::pass : Outcome::fail;
      r.message = sorts.empty() ? "rows come in index order" : fmt::format("the plan sorts at run time: {}", sorts);
      break;
    }
    case AssertionKind::max_cost: {
      r.expected = fmt::format("cost <= {}", number(assertion.number));
      if (!plan.root.total_cost) {
        r.message = fmt::format("{} plans give no cost", plan.engine);
        break;
      }
      r.actual = fmt::format("cost {:.2f}", *plan.root.total_cost);
      r.outcome = *plan.root.total_cost <= assertion.number ? Outcome::pass : Outcome::fail;
      r.message = fmt::format("the plan's cost {:.2f} is {} {}", *plan.root.total_cost,
                              r.outcome == Outcome::pass ? "within" : "above", number(assertion.number));
      break;
    }
    case AssertionKind::row_estimate_within: {
      r.expected = fmt::format("every estimate within {}x of the actual rows", number(assertion.number));
      if (!plan.analyzed) {
        r.message = "needs --analyze (the statement must run to count its rows)";
        break;
      }
      double worst_ratio = 0;
      std::string worst;
      model::visit(plan.root, [&](const model::PlanNode& node, int) {
        if (!node.plan_rows || !node.actual_rows) return;
        if (node.actual_loops && *node.actual_loops == 0) return;  // never executed
        double estimate = std::max(*node.plan_rows, 1.0), actual = std::max(*node.actual_rows, 1.0);
        double ratio = std::max(estimate / actual, actual / estimate);
        if (ratio > worst_ratio) {
          worst_ratio = ratio;
          worst = fmt::format("{}: {} estimated, {} actual", describe(node), number(*node.plan_rows),
                              number(*node.actual_rows));
        }
      });
      if (worst.empty()) {
        r.message = fmt::format("{} plans give no row estimates to compare", plan.engine);
        break;
      }
      r.actual = fmt::format("{:.1f}x ({})", worst_ratio, worst);
      r.outcome = worst_ratio <= assertion.number ? Outcome::pass : Outcome::fail;
      r.message = r.outcome == Outcome::pass
                      ? fmt::format("the worst estimate is {:.1f}x off", worst_ratio)
                      : fmt::format("{} is {:.1f}x off (allowed {}x)", worst, worst_ratio, number(assertion.number));
      break;
    }
    case AssertionKind::max_rows_examined_per_row_sent: {
      r.expected = fmt::format("< {} rows examined per row sent", number(assertion.number));
      double examined = 0, sent = 0;
      std::string source;
      if (plan.engine == "sqlite") {
        // SQLite counts only when the statement runs: the steps of its full scans.
        auto steps = plan.counters.find("FULLSCAN_STEP");
        auto rows = plan.counters.find("rows");
        if (!plan.analyzed || steps == plan.counters.end() || rows == plan.counters.end()) {
          r.message = "SQLite counts the rows it examines only when the statement runs: needs --analyze";
          break;
        }
        examined = steps->second;
        sent = rows->second;
        source = "full-scan steps";
      } else {
        model::visit(plan.root, [&](const model::PlanNode& node, int) {
          if (node.relation.empty()) return;
          double loops = node.actual_loops.value_or(1);
          if (node.rows_examined) {
            examined += *node.rows_examined * loops;
          } else if (node.actual_rows) {
            examined += (*node.actual_rows + node.rows_removed_by_filter.value_or(0) +
                         node.rows_removed_by_index_recheck.value_or(0)) *
                        loops;
          } else if (dialect.estimates_count_rows_read && node.plan_rows) {
            examined += *node.plan_rows;
          } else if (node.access == model::AccessType::full_scan && table_rows(inputs, node.relation)) {
            examined += *table_rows(inputs, node.relation);
          } else if (node.plan_rows) {
            examined += *node.plan_rows;
          }
        });
        sent = rows_out(plan.root).value_or(0);
        source = plan.analyzed ? "actual rows" : "estimates";
      }
      double ratio = examined / std::max(sent, 1.0);
      r.actual = fmt::format("{:.1f} ({} examined, {} sent; {})", ratio, number(examined), number(sent), source);
      r.outcome = ratio < assertion.number ? Outcome::pass : Outcome::fail;
      r.message = fmt::format("{} rows examined per row sent ({} allowed)", fmt::format("{:.1f}", ratio),
                              fmt::format("< {}", number(assertion.number)));
      break;
    }
    case AssertionKind::p95_ms: {
      r.expected = fmt::format("p95 <= {} ms over {} runs", number(assertion.number), contract.runs);
      if (inputs.execution_error) {
        r.outcome = Outcome::fail;
        r.message = "the statement failed: " + *inputs.execution_error;
        break;
      }
      auto p95 = percentile(inputs.run_ms, 0.95);
      if (!p95) {
        r.message = "not run";
        break;
      }
      r.p95_ms = *p95;
      r.actual = fmt::format("{} runs", inputs.run_ms.size());
      r.outcome = *p95 <= assertion.number ? Outcome::pass : Outcome::fail;
      // The number itself is in p95_ms: the message stays the same from run to run.
      r.message = fmt::format("p95 {} the {} ms SLA", r.outcome == Outcome::pass ? "within" : "above",
                              number(assertion.number));
      break;
    }
    case AssertionKind::plan_unchanged: {
      r.expected = "the snapshot's plan";
      if (!inputs.snapshot) {
        r.message = "no snapshot yet: `dbvet check --update` writes it";
        break;
      }
      bool same = *inputs.snapshot == plan_shape(plan);
      r.actual = same ? "same plan" : "changed plan";
      r.outcome = same ? Outcome::pass : Outcome::fail;
      r.message = same ? "the plan is the snapshot's" : "the plan changed since the snapshot (see the diff)";
      break;
    }
  }
  return r;
}

}  // namespace

const char* assertion_key(AssertionKind kind) {
  switch (kind) {
    case AssertionKind::uses_index:
      return "uses_index";
    case AssertionKind::no_full_scan_above_rows:
      return "no_full_scan_above_rows";
    case AssertionKind::no_sort_without_index:
      return "no_sort_without_index";
    case AssertionKind::max_cost:
      return "max_cost";
    case AssertionKind::row_estimate_within:
      return "row_estimate_within";
    case AssertionKind::max_rows_examined_per_row_sent:
      return "max_rows_examined_per_row_sent";
    case AssertionKind::p95_ms:
      return "p95_ms";
    case AssertionKind::plan_unchanged:
      return "plan_unchanged";
  }
  return "";
}

const char* outcome_name(Outcome outcome) {
  switch (outcome) {
    case Outcome::pass:
      return "pass";
    case Outcome::fail:
      return "fail";
    case Outcome::skipped:
      return "skipped";
  }
  return "";
}

bool is_contract_engine(const std::string& name) {
  return std::find(std::begin(kEngines), std::end(kEngines), name) != std::end(kEngines);
}

core::Expected<ContractFile> parse_contracts(const std::string& text, const std::string& path) {
  auto parsed = core::parse_toml(text, path);
  if (!parsed) return parsed.error();
  const toml::table& root = *parsed;
  ContractFile file;
  file.path = path;
  std::set<std::string> names;
  for (auto&& [key_name, value] : root) {
    std::string key(key_name.str());
    int line = line_of(value);
    if (key == "scale") {
      if (!value.is_number() || *value.value<double>() <= 0) return at(path, line, "scale must be a number above 0");
      file.scale = *value.value<double>();
    } else if (key == "seed") {
      if (!value.is_integer() || *value.value<int64_t>() < 0) return at(path, line, "seed must be a whole number >= 0");
      file.seed = static_cast<uint64_t>(*value.value<int64_t>());
    } else if (key == "snapshots") {
      if (!value.is_string() || value.value<std::string>()->empty()) {
        return at(path, line, "snapshots must be a directory name");
      }
      file.snapshots = *value.value<std::string>();
    } else if (key == "contract") {
      const auto* array = value.as_array();
      if (!array || !array->is_array_of_tables()) {
        return at(path, line, "contract must be an array of tables: write each one as [[contract]]");
      }
      for (const auto& item : *array) {
        const auto& table = *item.as_table();
        ContractEntry entry;
        entry.line = line_of(item);
        const auto* name = table.get("name");
        if (!name || !name->is_string()) return at(path, entry.line, "[[contract]] needs name = \"...\"");
        entry.name = *name->value<std::string>();
        if (!valid_name(entry.name)) {
          return at(path, line_of(*name),
                    fmt::format("contract name '{}' may hold only letters, digits, '-', '_' and '.' (it names the "
                                "plan snapshot's file)",
                                entry.name));
        }
        if (!names.insert(entry.name).second) {
          return at(path, line_of(*name), fmt::format("a second contract named '{}'", entry.name));
        }
        if (auto status = read_contract_table(path, table, entry.line, true, entry, entry.base); !status) {
          return status.error();
        }
        // Each engine the contract applies to must see exactly one query.
        for (const char* engine : kEngines) {
          Contract contract = build_contract(entry, engine);
          if (!applies(contract, engine)) continue;
          if (contract.sql.empty() == contract.script.empty()) {
            return at(
                path, entry.line,
                fmt::format("contract '{}' needs either sql = \"...\" or script = \"FILE\"{}", entry.name,
                            contract.sql.empty() ? fmt::format(" (for {})", engine) : std::string(" (not both)")));
          }
          if (contract.assertions.empty()) {
            return at(path, entry.line,
                      fmt::format("contract '{}' asserts nothing{} (uses_index, no_full_scan_above_rows, ... in "
                                  "docs/commands/check.md)",
                                  entry.name, fmt::format(" on {}", engine)));
          }
        }
        file.entries.push_back(std::move(entry));
      }
    } else {
      return at(path, line, fmt::format("unknown key '{}' (scale, seed, snapshots, [[contract]])", key));
    }
  }
  if (file.entries.empty()) return at(path, 1, "no [[contract]] in the file");
  return file;
}

core::Expected<ContractFile> load_contracts(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return core::make_error(core::ErrorKind::usage, fmt::format("cannot read contracts file {}", path));
  std::stringstream text;
  text << in.rdbuf();
  return parse_contracts(text.str(), path);
}

std::vector<Contract> resolve_contracts(const ContractFile& file, const std::string& engine) {
  std::vector<Contract> contracts;
  for (const auto& entry : file.entries) contracts.push_back(build_contract(entry, engine));
  return contracts;
}

bool applies(const Contract& contract, const std::string& engine) {
  if (contract.engines.empty()) return true;
  for (const auto& name : contract.engines) {
    if (name == engine || (name == "mysql" && engine == "mariadb")) return true;
  }
  return false;
}

std::vector<AssertionResult> evaluate_contract(const Contract& contract, const model::Plan& plan,
                                               const EvaluationInputs& inputs) {
  std::vector<AssertionResult> results;
  for (const auto& assertion : contract.assertions) results.push_back(judge(assertion, plan, contract, inputs));
  return results;
}

std::string plan_shape(const model::Plan& plan) {
  std::string out;
  model::visit(plan.root, [&](const model::PlanNode& node, int depth) {
    std::string line(static_cast<size_t>(depth) * 2, ' ');
    line += describe(node);
    if (!node.join_type.empty() && line.find(node.join_type) == std::string::npos) line += " (" + node.join_type + ")";
    if (!node.sort_keys.empty()) {
      std::string keys;
      for (const auto& key : node.sort_keys) keys += (keys.empty() ? "" : ", ") + key;
      line += " by " + keys;
    }
    if (node.uses_filesort) line += " [filesort]";
    if (node.uses_temporary) line += " [temporary]";
    if (node.automatic_index && line.find("AUTOMATIC") == std::string::npos) line += " [automatic index]";
    // One line per node: an engine's operation text never spans lines here.
    for (auto& c : line) c = c == '\n' || c == '\r' ? ' ' : c;
    out += line + "\n";
  });
  return out;
}

std::vector<std::string> shape_diff(const std::string& before, const std::string& after) {
  if (before == after) return {};
  auto split = [](const std::string& text) {
    std::vector<std::string> lines;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) lines.push_back(line);
    return lines;
  };
  auto a = split(before), b = split(after);
  // Longest common subsequence over lines: plans are a few dozen lines at most.
  std::vector<std::vector<int>> lcs(a.size() + 1, std::vector<int>(b.size() + 1, 0));
  for (size_t i = a.size(); i-- > 0;) {
    for (size_t j = b.size(); j-- > 0;) {
      lcs[i][j] = a[i] == b[j] ? lcs[i + 1][j + 1] + 1 : std::max(lcs[i + 1][j], lcs[i][j + 1]);
    }
  }
  std::vector<std::string> out;
  size_t i = 0, j = 0;
  while (i < a.size() || j < b.size()) {
    if (i < a.size() && j < b.size() && a[i] == b[j]) {
      out.push_back("  " + a[i++]);
      ++j;
    } else if (i < a.size() && (j == b.size() || lcs[i + 1][j] >= lcs[i][j + 1])) {
      out.push_back("- " + a[i++]);
    } else {
      out.push_back("+ " + b[j++]);
    }
  }
  return out;
}

std::optional<double> percentile(std::vector<double> values, double q) {
  if (values.empty()) return std::nullopt;
  std::sort(values.begin(), values.end());
  auto rank = static_cast<size_t>(std::ceil(q * static_cast<double>(values.size())));
  return values[std::clamp<size_t>(rank, 1, values.size()) - 1];
}

}  // namespace dbvet::pipeline
