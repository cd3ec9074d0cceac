#include "fmt/format.h"
#include "rules/plan/plan_support.hpp"
#include "rules/registry.hpp"

namespace dbvet::rules {
namespace {

using namespace plan_support;

class IndexOnlyHeapFetches final : public Rule {
 public:
  IndexOnlyHeapFetches()
      : Rule({"plan-index-only-heap-fetches",
              Category::plan,
              model::Severity::warning,
              "An index-only scan still visits the table because the visibility map is stale",
              {{"min_heap_fetches", 100, "heap fetches (over all loops) below which it does not matter"},
               {"min_fraction", 0.1, "heap fetches as a share of the rows returned"}}}) {}

  std::vector<model::Finding> check(const RuleContext& context) const override {
    std::vector<model::Finding> out;
    if (!context.plan) return out;
    const double min_fetches = threshold(context, "min_heap_fetches");
    const double min_fraction = threshold(context, "min_fraction");
    model::visit(context.plan->root, [&](const model::PlanNode& node, int) {
      if (node.access != model::AccessType::index_only_scan || !node.heap_fetches) return;
      double fetches = *node.heap_fetches;  // PostgreSQL reports the total over loops
      double rows = rows_out(node).value_or(0);
      if (fetches < min_fetches || (rows > 0 && fetches / rows < min_fraction)) return;
      auto f = finding(
          context, node.relation,
          fmt::format("{} fetched {} rows from the table ({} of the rows it returned): pages not marked "
                      "all-visible; VACUUM {} (and tune autovacuum for it) so the index alone answers",
                      describe(node), number(fetches), rows > 0 ? percent(fetches / rows) : "all", node.relation));
      f.evidence["node"] = describe(node);
      f.evidence["heap_fetches"] = number(fetches);
      if (rows > 0) f.evidence["rows"] = number(rows);
      out.push_back(std::move(f));
    });
    return out;
  }
};

}  // namespace

std::unique_ptr<Rule> make_plan_index_only_heap_fetches() { return std::make_unique<IndexOnlyHeapFetches>(); }

}  // namespace dbvet::rules
