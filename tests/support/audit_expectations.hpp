#pragma once
// What every `dbvet audit` test of the Virtual Pet sample checks against
// samples/virtualpet/expected.json, whatever the engine: the workload arguments of the sample's
// services, every planted problem of the engine found (one of its rules fires on its table, the
// expected recommendation is there, index advice verified the engine's way), nothing listed as fine
// flagged, and a fingerprint of a database's schema and rows to prove an audit left it unchanged.

#include <memory>
#include <string>
#include <vector>

#include "nlohmann/json.hpp"

namespace dbvet::testing {

// --workload FILE@WEIGHT for every line of the services' weights.txt (workloads/<service>/).
std::vector<std::string> sample_workload_args(const std::vector<std::string>& services);

// --config samples/virtualpet/dbvet.toml: the rules' row thresholds scaled to the small test sample.
std::vector<std::string> sample_config_args();

// `engine` is the name expected.json uses: postgres, mysql or sqlite. `verified` is the WhatIf
// method every index recommendation must carry; index recommendations must also cut the cost.
void expect_planted_problems_found(const nlohmann::json& report, const std::string& engine,
                                   const std::string& verified);
void expect_nothing_fine_flagged(const nlohmann::json& report, const std::string& engine);

// The report's JSON contract fields.
void expect_audit_contract(const nlohmann::json& report, const std::string& engine);

// The report says its advice is an estimate: verification "estimate", a note containing
// `note_part`, no recommendation verified any other way.
void expect_unverified_estimate(const nlohmann::json& report, const std::string& note_part);

// Every index recommendation's DDL contains `part` (the engine's online form).
void expect_index_ddl_contains(const nlohmann::json& report, const std::string& part);

// What an audit test suite of a server engine shares across its tests: the database holding the
// sample, its fingerprint before the audit, and the audit's report.
template <class Database>
struct AuditedSample {
  std::unique_ptr<Database> database;
  std::string before;
  nlohmann::json report;
};

// Table definitions, index definitions and a checksum of every row of every table of the database
// the URL names (PostgreSQL or MariaDB), read through a read-only dbvet session.
std::string database_fingerprint(const std::string& url);

}  // namespace dbvet::testing
