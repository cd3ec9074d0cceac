#pragma once
// One rule = one class in one file (rules/<category>/<name>.cpp), registered in rules/registry.cpp,
// documented in docs/rules/<id>.md and tested in tests/unit/rule_<id with _>_test.cpp.

#include <string>
#include <string_view>
#include <vector>

#include "analyzer/model/finding.hpp"
#include "rules/rule_context.hpp"

namespace dbvet::rules {

enum class Category { plan, query, schema, index, cache, migration };
std::string category_name(Category category);

struct ThresholdSpec {
  std::string name;
  double default_value = 0;
  std::string description;
};

struct RuleInfo {
  std::string id;
  Category category = Category::plan;
  model::Severity severity = model::Severity::warning;
  std::string summary;
  std::vector<ThresholdSpec> thresholds;
};

class Rule {
 public:
  explicit Rule(RuleInfo info) : info_(std::move(info)) {}
  virtual ~Rule() = default;
  Rule(const Rule&) = delete;
  Rule& operator=(const Rule&) = delete;

  const std::string& id() const { return info_.id; }
  Category category() const { return info_.category; }
  model::Severity default_severity() const { return info_.severity; }
  const std::string& summary() const { return info_.summary; }
  const std::vector<ThresholdSpec>& thresholds() const { return info_.thresholds; }

  virtual std::vector<model::Finding> check(const RuleContext& context) const = 0;

  // The configured value of one of this rule's thresholds, else its default.
  double threshold(const RuleContext& context, std::string_view name) const;
  // The configured severity, else the default.
  model::Severity severity(const RuleContext& context) const;
  bool enabled(const RuleContext& context) const;

 protected:
  // A finding of this rule with its severity and the query id filled in.
  model::Finding finding(const RuleContext& context, std::string table, std::string message) const;

 private:
  RuleInfo info_;
};

}  // namespace dbvet::rules
