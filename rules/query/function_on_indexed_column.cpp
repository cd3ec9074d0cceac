#include "fmt/format.h"
#include "rules/query/query_support.hpp"
#include "rules/registry.hpp"

namespace dbvet::rules {
namespace {

std::string rewrite_hint(const sql::FunctionPredicate& f, const model::Dialect& dialect) {
  if (f.function == "date" || f.function == "cast:date") {
    return fmt::format("compare the bare column to a range ({0} >= :day AND {0} < :day + 1 day)", f.column);
  }
  if (f.function == "lower" || f.function == "upper") {
    return fmt::format(fmt::runtime(dialect.case_insensitive_fix), fmt::arg("expression", f.expression),
                       fmt::arg("column", f.column));
  }
  return fmt::format("compare the bare column, or index the expression {}", f.expression);
}

class FunctionOnIndexedColumn final : public Rule {
 public:
  FunctionOnIndexedColumn()
      : Rule({"query-function-on-indexed-column",
              Category::query,
              model::Severity::warning,
              "A function or cast wrapped around an indexed column in a predicate keeps the index from being used",
              {}}) {}

  std::vector<model::Finding> check(const RuleContext& context) const override {
    std::vector<model::Finding> out;
    const auto* shape = context.shape();
    if (!shape) return out;
    for (const auto& t : shape->tables) {
      const model::Table* table = context.table(t.name);
      for (const auto& fn : t.functions) {
        std::string index_name;
        if (table) {
          const model::Index* index = query_support::index_leading_with(*table, fn.column);
          if (!index || query_support::has_expression_index(*table, fn.function, fn.column)) continue;
          index_name = index->name;
        }
        auto f =
            finding(context, t.name,
                    fmt::format("{} in a predicate hides {}.{} from {}; {}", fn.expression, t.name, fn.column,
                                index_name.empty() ? std::string("its index") : fmt::format("index {}", index_name),
                                rewrite_hint(fn, context.dialect())));
        f.evidence["expression"] = fn.expression;
        f.evidence["column"] = fn.column;
        if (!index_name.empty()) f.evidence["index"] = index_name;
        out.push_back(std::move(f));
      }
    }
    return out;
  }
};

}  // namespace

std::unique_ptr<Rule> make_query_function_on_indexed_column() { return std::make_unique<FunctionOnIndexedColumn>(); }

}  // namespace dbvet::rules
