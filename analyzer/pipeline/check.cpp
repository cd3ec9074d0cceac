#include "analyzer/pipeline/check.hpp"

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "analyzer/core/json_envelope.hpp"
#include "analyzer/sql/query_shape.hpp"
#include "analyzer/workload/runner.hpp"
#include "analyzer/workload/script.hpp"
#include "fmt/format.h"

namespace dbvet::pipeline {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

core::Error contract_error(const ContractFile& file, const Contract& contract, const std::string& message) {
  return core::make_error(core::ErrorKind::usage,
                          fmt::format("{}:{}: contract '{}': {}", file.path, contract.line, contract.name, message));
}

json lines_of(const std::string& text) {
  json lines = json::array();
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

std::optional<std::string> read_text(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

core::Status write_text(const fs::path& path, const std::string& text) {
  std::error_code ec;
  fs::create_directories(path.parent_path(), ec);
  // Written beside and renamed: a snapshot is never half written.
  fs::path temporary = path;
  temporary += ".tmp";
  {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    out << text;
    if (!out.flush()) {
      return core::make_error(core::ErrorKind::input, fmt::format("cannot write plan snapshot {}", path.string()));
    }
  }
  fs::rename(temporary, path, ec);
  if (ec) return core::make_error(core::ErrorKind::input, fmt::format("cannot write plan snapshot {}", path.string()));
  return core::ok();
}

// Runs a reading statement `runs` times and returns each run's wall time in ms.
std::vector<double> time_runs(engines::Connection& connection, const std::string& sql, int runs,
                              std::optional<std::string>& error) {
  std::vector<double> ms;
  if (engines::is_writing_statement(sql)) {
    error = "p95_ms runs only reading statements (dbvet never changes the target)";
    return ms;
  }
  engines::ExecuteOptions options;
  options.keep_rows = 0;
  for (int i = 0; i < runs; ++i) {
    auto start = std::chrono::steady_clock::now();
    auto result = connection.execute(sql, options);
    if (!result) {
      error = result.error().message;
      return {};
    }
    ms.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count());
  }
  return ms;
}

}  // namespace

std::string contract_engine(engines::Connection& connection) {
  std::string engine(core::engine_name(connection.engine()));
  if (engine == "mysql" && connection.server_version().find("MariaDB") != std::string::npos) return "mariadb";
  return engine;
}

std::string snapshot_directory(const ContractFile& file) {
  fs::path contracts(file.path);
  std::string name = file.snapshots.empty() ? contracts.stem().string() + ".plans" : file.snapshots;
  return (contracts.parent_path() / name).generic_string();
}

core::Expected<std::string> contract_statement(const ContractFile& file, const Contract& contract) {
  if (!contract.sql.empty()) return contract.sql;
  fs::path path = fs::path(file.path).parent_path() / contract.script;
  auto script = workload::load_script(path.string());
  if (!script) return contract_error(file, contract, script.error().message);
  workload::Session session(file.seed, 0, workload::Value::of_double(file.scale));
  for (const auto& [name, value] : contract.vars) session.set_text(name, value);
  int seen = 0;
  for (const auto& command : script->commands) {
    if (command.type == workload::Command::Type::set) {
      if (contract.vars.count(command.variable)) continue;
      auto value = session.evaluate(command.expr);
      if (!value)
        return contract_error(file, contract,
                              fmt::format("{}:{}: {}", contract.script, command.line, value.error().message));
      session.set(command.variable, *value);
    } else if (command.type == workload::Command::Type::sql && ++seen == contract.statement) {
      return session.substitute(command.sql);
    }
  }
  return contract_error(file, contract,
                        fmt::format("statement = {}, but {} has {} SQL statement{}", contract.statement,
                                    contract.script, seen, seen == 1 ? "" : "s"));
}

core::Expected<json> run_check(engines::Connection& connection, const ContractFile& file, const CheckOptions& options) {
  const auto started = std::chrono::steady_clock::now();
  const std::string engine = contract_engine(connection);
  auto schema = connection.introspect();
  if (!schema) return schema.error();
  const fs::path snapshots(snapshot_directory(file));

  json doc = core::json_envelope("check");
  doc["contracts_file"] = file.path;
  doc["target"] = {{"engine", engine}, {"url", connection.describe()}};
  doc["analyzed"] = options.analyze;
  doc["updated"] = options.update;
  doc["snapshots"] = snapshots.generic_string();
  json contracts = json::array();
  int passed = 0, failed = 0, skipped = 0, assertions_total = 0, assertions_failed = 0, assertions_skipped = 0;

  for (const auto& contract : resolve_contracts(file, engine)) {
    json entry = {{"name", contract.name}, {"line", contract.line}};
    if (!contract.description.empty()) entry["description"] = contract.description;
    if (!applies(contract, engine)) {
      entry["status"] = "skipped";
      entry["reason"] = fmt::format("not checked on {} (engines = [...])", engine);
      entry["assertions"] = json::array();
      ++skipped;
      contracts.push_back(std::move(entry));
      continue;
    }
    auto sql = contract_statement(file, contract);
    if (!sql) return sql.error();
    entry["query"] = {{"sql", *sql}};
    if (!contract.script.empty()) {
      entry["query"]["script"] = contract.script;
      entry["query"]["statement"] = contract.statement;
    }
    engines::ExplainOptions explain_options;
    explain_options.analyze = options.analyze;
    auto plan = connection.explain(*sql, explain_options);
    if (!plan) {
      // The server rejected the statement (a dropped column, a renamed table): the contract broke.
      if (plan.error().kind != core::ErrorKind::query) return plan.error();
      entry["status"] = "error";
      entry["error"] = plan.error().message;
      entry["assertions"] = json::array();
      ++failed;
      contracts.push_back(std::move(entry));
      continue;
    }

    EvaluationInputs inputs;
    inputs.schema = &*schema;
    if (auto shape = sql::analyze_query(*sql, &*schema)) {
      for (const auto& table : shape->tables) {
        if (!table.alias.empty()) inputs.aliases[table.alias] = table.name;
      }
    }
    for (const auto& assertion : contract.assertions) {
      if (assertion.kind == AssertionKind::p95_ms) {
        inputs.run_ms = time_runs(connection, *sql, contract.runs, inputs.execution_error);
      }
    }
    const std::string shape = plan_shape(*plan);
    const fs::path snapshot_file = snapshots / (contract.name + "." + engine + ".plan");
    auto stored = read_text(snapshot_file);
    json snapshot = {{"file", snapshot_file.generic_string()}};
    if (stored && *stored != shape) entry["plan_diff"] = shape_diff(*stored, shape);
    if (options.update) {
      if (!stored || *stored != shape) {
        if (auto written = write_text(snapshot_file, shape); !written) return written.error();
      }
      snapshot["state"] = !stored ? "written" : *stored == shape ? "same" : "updated";
      inputs.snapshot = shape;
    } else {
      snapshot["state"] = !stored ? "missing" : *stored == shape ? "same" : "changed";
      inputs.snapshot = stored;
    }
    entry["plan_shape"] = lines_of(shape);
    entry["snapshot"] = snapshot;

    json results = json::array();
    int contract_failed = 0, contract_passed = 0;
    for (const auto& result : evaluate_contract(contract, *plan, inputs)) {
      json item = {{"assertion", assertion_key(result.kind)},
                   {"line", result.line},
                   {"status", outcome_name(result.outcome)},
                   {"expected", result.expected},
                   {"actual", result.actual},
                   {"message", result.message}};
      if (result.p95_ms) item["p95_ms"] = *result.p95_ms;
      ++assertions_total;
      if (result.outcome == Outcome::fail) ++contract_failed, ++assertions_failed;
      if (result.outcome == Outcome::pass) ++contract_passed;
      if (result.outcome == Outcome::skipped) ++assertions_skipped;
      results.push_back(std::move(item));
    }
    entry["assertions"] = std::move(results);
    if (contract_failed > 0) {
      entry["status"] = "fail";
      ++failed;
    } else if (contract_passed > 0) {
      entry["status"] = "pass";
      ++passed;
    } else {
      entry["status"] = "skipped";
      entry["reason"] = "no assertion could be judged here";
      ++skipped;
    }
    contracts.push_back(std::move(entry));
  }
  doc["contracts"] = std::move(contracts);
  doc["summary"] = {{"passed", passed},
                    {"failed", failed},
                    {"skipped", skipped},
                    {"assertions", assertions_total},
                    {"assertions_failed", assertions_failed},
                    {"assertions_skipped", assertions_skipped}};
  doc["timing_s"] = {{"total", std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count()}};
  return doc;
}

int check_exit_code(const json& doc) {
  return doc.contains("summary") && doc["summary"].value("failed", 0) > 0 ? 1 : 0;
}

}  // namespace dbvet::pipeline
