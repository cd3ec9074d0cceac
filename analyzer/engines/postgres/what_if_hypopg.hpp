#pragma once
// What-if planning for PostgreSQL through HypoPG: in a read-only session of its own, each candidate
// becomes a hypothetical index (hypopg_create_index, backend-local memory, never the catalog), the
// statement is planned with EXPLAIN (FORMAT JSON), and hypopg_reset() forgets the candidates
// again. Existing indexes are hidden with hypopg_hide_index, which HypoPG has from 1.4 on.

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "analyzer/core/expected.hpp"
#include "analyzer/engines/connection.hpp"
#include "analyzer/model/what_if.hpp"

namespace dbvet::engines::postgres {

class HypopgWhatIf final : public model::WhatIf {
 public:
  // Opens a read-only session on `url`. Fails (ErrorKind::unsupported) when the hypopg extension
  // is not installed in that database: dbvet does not install it.
  static core::Expected<std::unique_ptr<HypopgWhatIf>> open(const core::TargetUrl& url,
                                                            const ConnectOptions& options = {});

  std::string method() const override { return "hypopg"; }
  core::Expected<model::WhatIfResult> plan_with(const std::string& sql, const std::vector<model::IndexCandidate>& add,
                                                const std::vector<std::string>& hide) override;

  const std::string& hypopg_version() const { return version_; }
  // hypopg_hide_index exists (HypoPG 1.4 and later).
  bool can_hide() const { return can_hide_; }

 private:
  HypopgWhatIf(std::unique_ptr<Connection> session, std::string version, std::string schema, bool can_hide);
  std::string function(const std::string& name) const;  // schema-qualified
  core::Expected<model::WhatIfResult> plan_now(const std::string& sql, const std::vector<model::IndexCandidate>& add,
                                               const std::vector<std::string>& hide);

  std::unique_ptr<Connection> session_;
  std::string version_;
  std::string schema_;  // where the extension lives, quoted
  bool can_hide_ = false;
  std::map<std::string, model::WhatIfResult> baseline_;  // sql -> its plan with nothing added or hidden
};

}  // namespace dbvet::engines::postgres
