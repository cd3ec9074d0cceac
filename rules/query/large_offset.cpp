#include "fmt/format.h"
#include "rules/query/query_support.hpp"
#include "rules/registry.hpp"

namespace dbvet::rules {
namespace {

class LargeOffset final : public Rule {
 public:
  LargeOffset()
      : Rule({"query-large-offset",
              Category::query,
              model::Severity::warning,
              "OFFSET pagination reads and throws away every row before the page",
              {{"min_offset", 1000, "OFFSET from which it counts as large"},
               {"flag_parameter_offset", 1, "1: an OFFSET given as a parameter (pagination) counts too"}}}) {}

  std::vector<model::Finding> check(const RuleContext& context) const override {
    std::vector<model::Finding> out;
    const auto* shape = context.shape();
    if (!shape || shape->kind != sql::StatementKind::select) return out;
    bool large = shape->offset && static_cast<double>(*shape->offset) >= threshold(context, "min_offset");
    bool parameter = shape->offset_is_parameter && threshold(context, "flag_parameter_offset") != 0;
    if (!large && !parameter) return out;
    std::string key;
    std::string table;
    for (const auto& t : shape->tables) {
      for (const auto& o : t.order_by) {
        key += key.empty() ? "" : ", ";
        key += o.column;
        if (table.empty()) table = t.name;
      }
    }
    if (table.empty() && !shape->tables.empty()) table = shape->tables[0].name;
    std::string offset = large ? query_support::number(static_cast<double>(*shape->offset)) : "a parameter";
    auto f = finding(context, table,
                     fmt::format("OFFSET {} makes the database read and discard every earlier row on each page; use "
                                 "keyset pagination (WHERE ({}) > (:last_seen) ORDER BY {} LIMIT n)",
                                 offset, key.empty() ? "sort key" : key, key.empty() ? "sort key" : key));
    f.evidence["offset"] = offset;
    if (shape->limit) f.evidence["limit"] = std::to_string(*shape->limit);
    if (!key.empty()) f.evidence["order_by"] = key;
    out.push_back(std::move(f));
    return out;
  }
};

}  // namespace

std::unique_ptr<Rule> make_query_large_offset() { return std::make_unique<LargeOffset>(); }

}  // namespace dbvet::rules
