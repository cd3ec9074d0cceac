#include "fmt/format.h"
#include "rules/query/query_support.hpp"
#include "rules/registry.hpp"

namespace dbvet::rules {
namespace {

class LeadingWildcardLike final : public Rule {
 public:
  LeadingWildcardLike()
      : Rule({"query-leading-wildcard-like",
              Category::query,
              model::Severity::warning,
              "LIKE '%...' cannot use a B-tree index and scans every row",
              {}}) {}

  std::vector<model::Finding> check(const RuleContext& context) const override {
    std::vector<model::Finding> out;
    const auto* shape = context.shape();
    if (!shape) return out;
    for (const auto& t : shape->tables) {
      for (const auto& like : t.likes) {
        if (!like.leading_wildcard || like.negated) continue;
        std::string_view fix = context.dialect().substring_search_fix;
        auto f = finding(context, t.name,
                         fmt::format("{}.{} {} '{}' starts with a wildcard, so no B-tree index can narrow it and every "
                                     "row is read; anchor the pattern ('abc%') or {}",
                                     t.name, like.column, like.case_insensitive ? "ILIKE" : "LIKE", like.pattern, fix));
        f.evidence["column"] = like.column;
        f.evidence["pattern"] = like.pattern;
        out.push_back(std::move(f));
      }
    }
    return out;
  }
};

}  // namespace

std::unique_ptr<Rule> make_query_leading_wildcard_like() { return std::make_unique<LeadingWildcardLike>(); }

}  // namespace dbvet::rules
