#include "fmt/format.h"
#include "rules/query/query_support.hpp"
#include "rules/registry.hpp"

namespace dbvet::rules {
namespace {

class SelectStar final : public Rule {
 public:
  SelectStar()
      : Rule({"query-select-star",
              Category::query,
              model::Severity::info,
              "SELECT * reads and sends every column, and defeats covering indexes",
              {}}) {}

  std::vector<model::Finding> check(const RuleContext& context) const override {
    std::vector<model::Finding> out;
    if (!query_support::is_select(context) || !context.shape()->select_star) return out;
    std::string table;
    for (const auto& t : context.shape()->tables) {
      for (const auto& c : t.selected_columns) {
        if (c == "*" && table.empty()) table = t.name;
      }
    }
    auto f = finding(context, table,
                     fmt::format("SELECT * fetches every column{}: name the columns the caller uses so an index can "
                                 "cover the query and less data crosses the network",
                                 table.empty() ? std::string() : fmt::format(" of {}", table)));
    f.evidence.emplace("select", "*");
    out.push_back(std::move(f));
    return out;
  }
};

}  // namespace

std::unique_ptr<Rule> make_query_select_star() { return std::make_unique<SelectStar>(); }

}  // namespace dbvet::rules
