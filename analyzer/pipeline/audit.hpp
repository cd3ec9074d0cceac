#pragma once
// `dbvet audit`: capture -> digest -> plans of the costly classes -> findings -> advisors, one
// result ranked by cost. The command wires the engine (Connection, WhatIf) in; this never prints.

#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "analyzer/engines/connection.hpp"
#include "analyzer/model/finding.hpp"
#include "analyzer/model/what_if.hpp"
#include "analyzer/pipeline/apply.hpp"
#include "analyzer/pipeline/dry_run.hpp"
#include "analyzer/pipeline/index_advisor.hpp"
#include "analyzer/pipeline/verify_by_applying.hpp"
#include "rules/rule_context.hpp"

namespace dbvet::pipeline {

struct AuditOptions {
  std::vector<std::string> workloads;  // FILE[@WEIGHT]
  // Audited instead of running the workloads: the digest of a log (--log) or of the server's
  // statistics views (--source). Classes whose example has placeholders ($1, ?) are not planned.
  const digest::Digest* digest = nullptr;
  // With a digest: the target's database; classes the log saw only in other databases are left out.
  std::string database;
  DryRunOptions capture;
  size_t top_classes = 40;  // classes explained and advised, by total time
  size_t max_indexes = 10;
  int64_t max_index_bytes = 0;  // --max-index-size; 0: no bound
  // Which rules run and their thresholds: dbvet.toml's [rules] tables and --disable-rule.
  rules::RuleConfig rule_config;
  // --verify: the recommendations are followed on copies of this target (Sandbox) and measured; an
  // index withdrawn there is left out and the advice chosen again, up to `verify_attempts` times.
  std::optional<core::TargetUrl> verify_target;
  VerifyOptions verify;
  int verify_attempts = 3;
};

struct AuditClass {
  std::string id;
  std::string fingerprint;
  std::string example;
  double calls = 0;
  double total_time_s = 0;
  double avg_time_ms = 0;
  std::string plan_summary;  // the plan's scan/search lines
};

// What was audited (docs/json/audit.md's "input"): a workload run, a log, or a statistics view.
struct AuditInput {
  std::string kind = "workload";  // workload, log or source
  std::string file, format;       // log: the file and the format it was read as
  std::string source;             // source: pg_stat_statements or performance_schema
  uint64_t events = 0;            // log and source: statements read
  uint64_t skipped = 0;           // log: malformed records skipped
};

// --verify's re-audit: the index advice run again on the copy the kept advice was applied to, for
// the same classes. Clean when it recommends no new index and no drop.
struct ReauditItem {
  std::string type;  // index or drop_index
  std::string table;
  std::vector<std::string> columns;
  std::string index;  // the name the advice would give it, or the index to drop
  std::string ddl;
  bool reappeared = false;  // an index on the same table and columns was recommended and applied
  std::string why;
};

struct Reaudit {
  bool clean = true;
  std::vector<ReauditItem> items;
};

// --verify, in docs/json/audit.md's "verify": what each copy measured and the re-audit.
struct VerifySummary {
  int attempts = 0;
  double workload_before_ms = 0, workload_after_ms = 0;  // the last attempt
  int queries = 0;                                       // reading queries timed
  std::vector<std::string> slower;                       // the last attempt's queries slower by > max_slowdown
  std::vector<RecommendationOutcome> outcomes;           // every attempt's
  std::optional<Reaudit> reaudit;                        // absent when it could not run (a note says why)
};

struct AuditResult {
  std::string engine;
  std::string target;
  int transactions = 0;
  uint64_t statements = 0;
  std::vector<AuditClass> classes;
  std::vector<model::Finding> findings;
  std::vector<model::Recommendation> recommendations;
  std::vector<std::string> notes;
  std::string verification;  // the WhatIf method
  // Wall time of each phase in seconds, in order: introspect, capture (of which
  // capture_statements: executing the workload's reads on the server), base_plans, explain_rules,
  // index_advisor, drop_verification, rewrite_cache, total.
  std::vector<std::pair<std::string, double>> timings_s;
  // With a digest given: the classes left out because their example has placeholders.
  std::vector<std::string> skipped_placeholder_classes;
  std::vector<std::string> skipped_other_database_classes;
  AuditInput input;  // set by the caller, which chose the input
  // --apply: what creating each recommended index did; none without --apply.
  std::optional<std::vector<AppliedIndex>> applied;
  std::optional<VerifySummary> verify;  // --verify
};

// True when the statement has a bind placeholder ($1, ?, :name): a server's normalized text.
bool has_placeholders(const std::string& sql);

core::Expected<AuditResult> run_audit(engines::Connection& connection, model::WhatIf& what_if,
                                      const AuditOptions& options);

}  // namespace dbvet::pipeline
