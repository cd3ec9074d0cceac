#pragma once
// Plan contracts (`dbvet check`, docs/commands/check.md): a TOML file of queries, each with what must
// stay true of its plan. This half is pure: it parses the file (errors name file:line) and judges one
// plan against one contract; pipeline/check.hpp fetches the plans from an engine.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "analyzer/core/expected.hpp"
#include "analyzer/model/plan.hpp"
#include "analyzer/model/schema.hpp"

namespace dbvet::pipeline {

// One assertion kind per key of a contract; the order here is the order of the results.
enum class AssertionKind {
  uses_index,                      // uses_index = "idx" or ["idx1", "idx2"]: every one appears in the plan
  no_full_scan_above_rows,         // no full scan of a table holding more than N rows
  no_sort_without_index,           // no run-time sort (Sort, filesort, temp B-tree for ORDER BY)
  max_cost,                        // the plan's total cost at most C (engines that give a cost)
  row_estimate_within,             // every node's estimate within K times its actual rows (--analyze)
  max_rows_examined_per_row_sent,  // rows read by the scans per row returned, below R
  p95_ms,                          // the statement's p95 over `runs` executions at most S ms
  plan_unchanged,                  // the normalized plan shape equals its snapshot (--update writes it)
};

const char* assertion_key(AssertionKind kind);

struct Assertion {
  AssertionKind kind{};
  int line = 0;  // where the key is in the contracts file
  double number = 0;
  bool flag = false;
  std::vector<std::string> names;  // uses_index
};

// A contract as it applies to one engine (its [contract.<engine>] table merged over the rest).
struct Contract {
  std::string name;
  int line = 0;
  std::string description;
  std::string sql;                          // the statement, or
  std::string script;                       // a pgbench-syntax workload script (path relative to the contracts file)
  int statement = 1;                        // 1-based SQL command of the script
  std::map<std::string, std::string> vars;  // values of the script's :variables (override its \set)
  std::vector<std::string> engines;         // empty: every engine
  int runs = 20;                            // executions for p95_ms
  std::vector<Assertion> assertions;
};

// One key's value as the file wrote it (kept until a contract is resolved for an engine).
struct ContractSetting {
  int line = 0;
  double number = 0;
  bool flag = false;
  std::string text;
  std::vector<std::string> list;
  std::map<std::string, std::string> table;  // vars
};

// One [[contract]]: its keys and the [contract.<engine>] overrides, validated at parse time.
struct ContractEntry {
  std::string name;
  int line = 0;
  std::map<std::string, ContractSetting> base;
  std::map<std::string, std::map<std::string, ContractSetting>> per_engine;
};

struct ContractFile {
  std::string path;       // as given
  double scale = 1;       // :scale of the scripts
  uint64_t seed = 1;      // seed of the scripts' random \set values
  std::string snapshots;  // directory of plan snapshots, relative to the file; default "<stem>.plans"
  std::vector<ContractEntry> entries;
};

// Engines a contract may name: postgres, mysql, mariadb, sqlite (mariadb reads [contract.mysql]
// then [contract.mariadb]).
bool is_contract_engine(const std::string& name);

// Parses a contracts file; every mistake is a usage error "FILE:LINE: what".
core::Expected<ContractFile> parse_contracts(const std::string& text, const std::string& path);
core::Expected<ContractFile> load_contracts(const std::string& path);

// The contracts as they apply to `engine` (postgres, mysql, mariadb or sqlite), file order, with
// those whose `engines` leave it out still listed (applies() says so).
std::vector<Contract> resolve_contracts(const ContractFile& file, const std::string& engine);
bool applies(const Contract& contract, const std::string& engine);

// What evaluation needs besides the plan: the table sizes, the statement's timings and the
// snapshot, when the runner has them.
struct EvaluationInputs {
  const model::Schema* schema = nullptr;
  // Alias -> table of the statement: SQLite's plans name a table by its alias ("SEARCH o ...").
  std::map<std::string, std::string> aliases;
  std::vector<double> run_ms;                  // p95_ms: one per execution
  std::optional<std::string> execution_error;  // p95_ms: why the runs failed
  std::optional<std::string> snapshot;         // plan_unchanged: the stored shape, if any
};

enum class Outcome { pass, fail, skipped };
const char* outcome_name(Outcome outcome);

struct AssertionResult {
  AssertionKind kind{};
  int line = 0;
  Outcome outcome = Outcome::skipped;
  std::string expected;          // "idx_pets_owner", "<= 500 rows", ...
  std::string actual;            // a pure function of the plan (never a timing): "Seq Scan on pets (1,200 rows)"
  std::string message;           // one line: what held or broke, or why it was skipped
  std::optional<double> p95_ms;  // the timing, kept apart so that results compare without it
};

std::vector<AssertionResult> evaluate_contract(const Contract& contract, const model::Plan& plan,
                                               const EvaluationInputs& inputs);

// The plan's shape without costs, rows, timings or ids: one line per node, indented by depth
// ("Index Scan on pets using idx_pets_owner"). Stable across runs and machines for the same plan.
std::string plan_shape(const model::Plan& plan);

// A line diff of two shapes, "  same" / "- old" / "+ new" per line; empty when they are equal.
std::vector<std::string> shape_diff(const std::string& before, const std::string& after);

// The nearest-rank percentile (0 < q <= 1) of `values`; nullopt when empty.
std::optional<double> percentile(std::vector<double> values, double q);

}  // namespace dbvet::pipeline
