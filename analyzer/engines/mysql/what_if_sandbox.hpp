#pragma once
// What-if planning for MariaDB/MySQL, which have no hypothetical indexes: a scratch database
// (engines::Sandbox) holding the target's tables, a bounded sample of their rows and persistent
// statistics of that sample. Each candidate is added there for one EXPLAIN FORMAT=JSON and dropped
// again; an index to hide is marked IGNORED (MariaDB 10.6+) meanwhile. The cost is the optimizer's
// Last_query_cost plus the filesort's comparisons, which MariaDB 10 leaves out of it. The scratch
// database is dropped when this object goes (normal end, an error, or an interrupt the command
// turned into a return). Only with --sandbox: it needs CREATE/DROP DATABASE on the server.

#include <atomic>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "analyzer/core/expected.hpp"
#include "analyzer/engines/connection.hpp"
#include "analyzer/engines/sandbox.hpp"
#include "analyzer/model/what_if.hpp"

namespace dbvet::engines::mysql {

struct SandboxWhatIfOptions {
  int64_t max_rows_per_table = 100000;
  // When set and true, plan_with answers an error at once (an interrupt is unwinding the command).
  const std::atomic<bool>* cancelled = nullptr;
};

class SandboxWhatIf final : public model::WhatIf {
 public:
  static core::Expected<std::unique_ptr<SandboxWhatIf>> open(const core::TargetUrl& target,
                                                             const SandboxWhatIfOptions& options = {});
  ~SandboxWhatIf() override;

  std::string method() const override { return "sandbox"; }
  core::Expected<model::WhatIfResult> plan_with(const std::string& sql, const std::vector<model::IndexCandidate>& add,
                                                const std::vector<std::string>& hide) override;

  // The scratch database's name.
  const std::string& sandbox_name() const { return sandbox_.describe(); }
  // Drops the scratch database now; the destructor does it otherwise.
  core::Status remove();

 private:
  SandboxWhatIf(Sandbox sandbox, std::unique_ptr<Connection> session, SandboxWhatIfOptions options);
  core::Expected<model::WhatIfResult> plan_now(const std::string& sql);
  core::Status index_table(const std::string& index, std::string& table);

  Sandbox sandbox_;                      // declared first: the session closes before it is dropped
  std::unique_ptr<Connection> session_;  // writable, on the scratch database only
  SandboxWhatIfOptions options_;
  std::map<std::string, model::WhatIfResult> baseline_;
};

// The filesort's share of a MariaDB plan's cost: n log2 n comparisons of the sorted rows at
// MariaDB 10's TIME_FOR_COMPARE (5 comparisons per cost unit); 0 without a filesort.
double mariadb_filesort_cost(const model::Plan& plan);

}  // namespace dbvet::engines::mysql
