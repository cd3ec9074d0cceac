#include <algorithm>

#include "fmt/format.h"
#include "rules/plan/plan_support.hpp"
#include "rules/registry.hpp"

namespace dbvet::rules {
namespace {

using namespace plan_support;

class RowsExaminedFarAboveSent final : public Rule {
 public:
  RowsExaminedFarAboveSent()
      : Rule({"plan-rows-examined-far-above-sent",
              Category::plan,
              model::Severity::warning,
              "The query examines far more rows than it returns",
              {{"min_ratio", 100, "rows examined per row sent"},
               {"min_examined_per_call", 1000, "rows examined per execution below which it does not matter"}}}) {}

  std::vector<model::Finding> check(const RuleContext& context) const override {
    std::vector<model::Finding> out;
    std::optional<double> examined;  // per call
    std::optional<double> sent;
    std::string source;
    if (context.query && context.query->stats && context.query->stats->rows_examined &&
        context.query->stats->rows_sent && context.query->stats->count > 0) {
      examined = *context.query->stats->rows_examined / context.query->stats->count;
      sent = *context.query->stats->rows_sent / context.query->stats->count;
      source = "digest";
    } else if (context.plan) {
      double total = 0;
      bool any = false;
      model::visit(context.plan->root, [&](const model::PlanNode& node, int) {
        if (node.rows_examined) {
          total += *node.rows_examined * node.actual_loops.value_or(1);
          any = true;
        }
      });
      if (any) {
        examined = total;
        sent = rows_out(context.plan->root);
        source = "plan";
      }
    }
    if (!examined || !sent) return out;
    if (*examined < threshold(context, "min_examined_per_call")) return out;
    double ratio = *examined / std::max(*sent, 1.0);
    if (ratio < threshold(context, "min_ratio")) return out;
    std::string table;
    if (const auto* shape = context.shape(); shape && !shape->tables.empty()) table = shape->tables[0].name;
    auto f = finding(
        context, table,
        fmt::format("each execution examines {} rows to return {} ({}x); an index matching the WHERE "
                    "clause would let it read only the rows it returns",
                    number(*examined), number(*sent), number(static_cast<double>(static_cast<long long>(ratio)))));
    f.evidence["rows_examined_per_call"] = number(*examined);
    f.evidence["rows_sent_per_call"] = number(*sent);
    f.evidence["ratio"] = number(static_cast<double>(static_cast<long long>(ratio)));
    f.evidence["source"] = source;
    out.push_back(std::move(f));
    return out;
  }
};

}  // namespace

std::unique_ptr<Rule> make_plan_rows_examined_far_above_sent() { return std::make_unique<RowsExaminedFarAboveSent>(); }

}  // namespace dbvet::rules
