#include "fmt/format.h"
#include "rules/plan/plan_support.hpp"
#include "rules/registry.hpp"

namespace dbvet::rules {
namespace {

using namespace plan_support;

class AutomaticIndex final : public Rule {
 public:
  AutomaticIndex()
      : Rule({"plan-automatic-index",
              Category::plan,
              model::Severity::warning,
              "SQLite builds a transient (automatic) index on every execution",
              {}}) {}

  std::vector<model::Finding> check(const RuleContext& context) const override {
    std::vector<model::Finding> out;
    if (!context.plan) return out;
    model::visit(context.plan->root, [&](const model::PlanNode& node, int) {
      if (!node.automatic_index) return;
      auto f = finding(context, node.relation,
                       fmt::format("{}: SQLite builds this index from scratch every time the statement runs (it found "
                                   "no usable one); create it once with CREATE INDEX on the same columns",
                                   node.operation));
      f.evidence["node"] = node.operation;
      if (!node.index_columns.empty()) {
        std::string cols;
        for (const auto& c : node.index_columns) {
          cols += cols.empty() ? "" : ", ";
          cols += c;
        }
        f.evidence["columns"] = cols;
      }
      out.push_back(std::move(f));
    });
    return out;
  }
};

}  // namespace

std::unique_ptr<Rule> make_plan_automatic_index() { return std::make_unique<AutomaticIndex>(); }

}  // namespace dbvet::rules
