#include "fmt/format.h"
#include "rules/plan/plan_support.hpp"
#include "rules/registry.hpp"

namespace dbvet::rules {
namespace {

using namespace plan_support;

bool is_scan(const model::PlanNode& node) {
  return node.access != model::AccessType::none && node.access != model::AccessType::lookup && !node.relation.empty();
}

class NestedLoopRepeatedScan final : public Rule {
 public:
  NestedLoopRepeatedScan()
      : Rule({"plan-nested-loop-repeated-scan",
              Category::plan,
              model::Severity::warning,
              "A nested loop repeats its inner scan many times",
              {{"min_loops", 1000, "times the inner side runs"},
               {"min_inner_ms", 100, "total time of the repeated scan (analyzed plans) that makes it worth fixing"}}}) {
  }

  std::vector<model::Finding> check(const RuleContext& context) const override {
    std::vector<model::Finding> out;
    if (!context.plan) return out;
    const double min_loops = threshold(context, "min_loops");
    const double min_inner_ms = threshold(context, "min_inner_ms");
    model::visit(context.plan->root, [&](const model::PlanNode& join, int) {
      if (join.children.size() < 2) return;
      bool nested =
          join.operation.find("Nested Loop") != std::string::npos || join.operation.find("nested") != std::string::npos;
      if (!nested) return;
      const model::PlanNode& outer = join.children[0];
      // The inner side may sit under a Materialize/Memoize; look for its scan.
      const model::PlanNode* inner = &join.children[1];
      while (!is_scan(*inner) && inner->children.size() == 1) inner = &inner->children[0];
      if (!is_scan(*inner)) return;
      double loops = 0;
      if (inner->actual_loops) {
        loops = *inner->actual_loops;
      } else if (auto rows = rows_out(outer)) {
        loops = *rows;
      }
      if (loops < min_loops) return;
      auto seconds = node_seconds(*inner);
      bool full = inner->access == model::AccessType::full_scan;
      if (!full && (!seconds || *seconds * 1000 < min_inner_ms)) return;
      std::string message =
          full ? fmt::format(
                     "a nested loop runs {} {} times, reading the whole table each time; an index on the join "
                     "columns of {} (or a hash join) would read each matching row once",
                     describe(*inner), number(loops), inner->relation)
               : fmt::format(
                     "a nested loop runs {} {} times for {} ms in total; join on a selective index, or batch the "
                     "lookups",
                     describe(*inner), number(loops), number(*seconds * 1000));
      auto f = finding(context, inner->relation, std::move(message));
      f.evidence["node"] = describe(join);
      f.evidence["inner"] = describe(*inner);
      f.evidence["loops"] = number(loops);
      if (seconds) {
        f.evidence["inner_total_ms"] = number(*seconds * 1000);
        if (f.cost == 0) f.cost = *seconds;
      }
      if (!inner->filter.empty()) f.evidence["filter"] = inner->filter;
      out.push_back(std::move(f));
    });
    return out;
  }
};

}  // namespace

std::unique_ptr<Rule> make_plan_nested_loop_repeated_scan() { return std::make_unique<NestedLoopRepeatedScan>(); }

}  // namespace dbvet::rules
