#include "fmt/format.h"
#include "rules/query/query_support.hpp"
#include "rules/registry.hpp"

namespace dbvet::rules {
namespace {

class OrderByRandom final : public Rule {
 public:
  OrderByRandom()
      : Rule({"query-order-by-random",
              Category::query,
              model::Severity::warning,
              "ORDER BY RAND()/RANDOM() reads and sorts the whole table to pick a few rows",
              {}}) {}

  std::vector<model::Finding> check(const RuleContext& context) const override {
    std::vector<model::Finding> out;
    const auto* shape = context.shape();
    if (!shape || !shape->order_by_random) return out;
    std::string table = shape->tables.empty() ? "" : shape->tables[0].name;
    const model::Dialect& dialect = context.dialect();
    auto f = finding(context, table,
                     fmt::format("ORDER BY {}() assigns a random number to every row and sorts them all; pick random "
                                 "keys instead (WHERE id >= random key ORDER BY id LIMIT n){}",
                                 dialect.random_function, dialect.random_sample_hint));
    f.evidence.emplace("order_by", "random");
    out.push_back(std::move(f));
    return out;
  }
};

}  // namespace

std::unique_ptr<Rule> make_query_order_by_random() { return std::make_unique<OrderByRandom>(); }

}  // namespace dbvet::rules
