#include "fmt/format.h"
#include "rules/plan/plan_support.hpp"
#include "rules/registry.hpp"

namespace dbvet::rules {
namespace {

using namespace plan_support;

class HashBatches final : public Rule {
 public:
  HashBatches()
      : Rule({"plan-hash-batches",
              Category::plan,
              model::Severity::warning,
              "A hash table did not fit in memory and was split into several batches",
              {{"max_batches", 1, "batches above which the hash counts as spilled"}}}) {}

  std::vector<model::Finding> check(const RuleContext& context) const override {
    std::vector<model::Finding> out;
    if (!context.plan) return out;
    const double max_batches = threshold(context, "max_batches");
    model::visit(context.plan->root, [&](const model::PlanNode& node, int) {
      if (!node.hash_batches || *node.hash_batches <= max_batches) return;
      auto f =
          finding(context, node.relation,
                  fmt::format("{} used {} batches: the hash table did not fit in work_mem × hash_mem_multiplier and "
                              "wrote the rest to disk; raise work_mem for this query or join on fewer rows",
                              describe(node), *node.hash_batches));
      f.evidence["node"] = describe(node);
      f.evidence["hash_batches"] = std::to_string(*node.hash_batches);
      out.push_back(std::move(f));
    });
    return out;
  }
};

}  // namespace

std::unique_ptr<Rule> make_plan_hash_batches() { return std::make_unique<HashBatches>(); }

}  // namespace dbvet::rules
