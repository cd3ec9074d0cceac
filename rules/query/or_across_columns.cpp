#include "fmt/format.h"
#include "rules/query/query_support.hpp"
#include "rules/registry.hpp"

namespace dbvet::rules {
namespace {

class OrAcrossColumns final : public Rule {
 public:
  OrAcrossColumns()
      : Rule({"query-or-across-columns",
              Category::query,
              model::Severity::info,
              "OR between predicates on different columns: one index cannot serve it",
              {}}) {}

  std::vector<model::Finding> check(const RuleContext& context) const override {
    std::vector<model::Finding> out;
    const auto* shape = context.shape();
    if (!shape) return out;
    for (const auto& group : shape->or_across_columns) {
      std::string columns;
      for (const auto& c : group.columns) {
        columns += columns.empty() ? "" : ", ";
        columns += c;
      }
      std::string table = group.columns.empty() ? "" : group.columns[0].substr(0, group.columns[0].find('.'));
      auto f = finding(context, table,
                       fmt::format("OR across {} forces a scan or a bitmap OR of several indexes; rewrite as UNION ALL "
                                   "of one query per column (each using its own index), or index each column",
                                   columns));
      f.evidence["columns"] = columns;
      out.push_back(std::move(f));
    }
    return out;
  }
};

}  // namespace

std::unique_ptr<Rule> make_query_or_across_columns() { return std::make_unique<OrAcrossColumns>(); }

}  // namespace dbvet::rules
