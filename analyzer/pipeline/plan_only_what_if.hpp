#pragma once
// The fallback WhatIf when the engine cannot plan hypothetical indexes: it plans on the target as
// it is (read-only EXPLAIN) and reports candidates as unverifiable; method "estimate".

#include "analyzer/engines/connection.hpp"
#include "analyzer/model/what_if.hpp"

namespace dbvet::pipeline {

class PlanOnlyWhatIf final : public model::WhatIf {
 public:
  explicit PlanOnlyWhatIf(engines::Connection& connection) : connection_(connection) {}
  std::string method() const override { return "estimate"; }
  core::Expected<model::WhatIfResult> plan_with(const std::string& sql, const std::vector<model::IndexCandidate>& add,
                                                const std::vector<std::string>& hide) override;

 private:
  engines::Connection& connection_;
};

}  // namespace dbvet::pipeline
