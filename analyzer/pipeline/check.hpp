#pragma once
// `dbvet check`: the plan contracts of a file (pipeline/contracts.hpp) judged on one target's real
// plans, read-only. The result is one canonical JSON document of kind "check" (docs/json/check.md).

#include <string>

#include "analyzer/core/expected.hpp"
#include "analyzer/engines/connection.hpp"
#include "analyzer/pipeline/contracts.hpp"
#include "nlohmann/json.hpp"

namespace dbvet::pipeline {

struct CheckOptions {
  bool analyze = false;  // EXPLAIN ANALYZE (writes rolled back, as `explain --analyze`)
  bool update = false;   // write the plan snapshots, then judge plan_unchanged against them
};

// The engine name contracts use for a connection: postgres, mysql, mariadb or sqlite.
std::string contract_engine(engines::Connection& connection);

// The statement a contract checks on `engine`: its sql, or the statement'th SQL command of its
// script with the script's \set values evaluated (seeded, so always the same) and `vars` over them.
core::Expected<std::string> contract_statement(const ContractFile& file, const Contract& contract);

// The directory of the plan snapshots of `file`.
std::string snapshot_directory(const ContractFile& file);

// Runs every contract. Errors are those of the whole run (connection lost, unreadable script: the
// usage errors name the contracts file and line); a statement the server rejects fails its contract.
core::Expected<nlohmann::json> run_check(engines::Connection& connection, const ContractFile& file,
                                         const CheckOptions& options);

// 1 when a contract failed or errored, else 0.
int check_exit_code(const nlohmann::json& doc);

}  // namespace dbvet::pipeline
