#include "fmt/format.h"
#include "rules/plan/plan_support.hpp"
#include "rules/registry.hpp"

namespace dbvet::rules {
namespace {

using namespace plan_support;

bool contains(const std::string& text, const char* word) { return text.find(word) != std::string::npos; }

class SpilledToDisk final : public Rule {
 public:
  SpilledToDisk()
      : Rule({"plan-spilled-to-disk",
              Category::plan,
              model::Severity::warning,
              "A sort, hash or aggregate ran out of memory and spilled to disk",
              {{"min_spill_kb", 0, "disk space (kB) below which a spill is ignored"}}}) {}

  std::vector<model::Finding> check(const RuleContext& context) const override {
    std::vector<model::Finding> out;
    if (!context.plan) return out;
    const double min_kb = threshold(context, "min_spill_kb");
    const model::Dialect& dialect = context.dialect();
    model::visit(context.plan->root, [&](const model::PlanNode& node, int) {
      bool spilled = node.sort_spilled.value_or(false) || contains(node.sort_method, "external") ||
                     contains(node.sort_method, "External");
      bool operator_spill = node.temp_written_blocks.value_or(0) > 0 &&
                            (contains(node.operation, "Sort") || contains(node.operation, "Hash") ||
                             contains(node.operation, "Aggregate") || contains(node.operation, "Materialize"));
      if (!spilled && !operator_spill) return;
      double kb = node.sort_space_kb.value_or(node.temp_written_blocks.value_or(0) * 8);
      if (kb < min_kb) return;
      std::string fix =
          dialect.spill_fix_sizes_memory
              ? fmt::format(fmt::runtime(dialect.spill_fix), fmt::arg("mb", static_cast<long long>(kb / 1024 * 2 + 4)))
              : std::string(dialect.spill_fix);
      auto f =
          finding(context, node.relation, fmt::format("{} spilled {} kB to disk; {}", describe(node), number(kb), fix));
      f.evidence["node"] = describe(node);
      if (!node.sort_method.empty()) f.evidence["sort_method"] = node.sort_method;
      f.evidence["disk_kb"] = number(kb);
      if (node.temp_written_blocks) f.evidence["temp_written_blocks"] = number(*node.temp_written_blocks);
      out.push_back(std::move(f));
    });
    return out;
  }
};

}  // namespace

std::unique_ptr<Rule> make_plan_spilled_to_disk() { return std::make_unique<SpilledToDisk>(); }

}  // namespace dbvet::rules
