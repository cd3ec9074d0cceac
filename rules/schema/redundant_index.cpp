#include "fmt/format.h"
#include "rules/registry.hpp"
#include "rules/schema/index_judge.hpp"
#include "rules/schema/schema_support.hpp"

namespace dbvet::rules {
namespace {

using namespace schema_support;

class RedundantIndex final : public Rule {
 public:
  RedundantIndex()
      : Rule({"schema-redundant-index",
              Category::schema,
              model::Severity::warning,
              "An index whose columns are a leading prefix of another index of the same kind",
              {}}) {}

  std::vector<model::Finding> check(const RuleContext& context) const override {
    std::vector<model::Finding> out;
    if (!context.schema) return out;
    for (const auto& table : context.schema->tables) {
      for (const auto& shorter : table.indexes) {
        for (const auto& longer : table.indexes) {
          if (index_judge::covered_by(shorter, longer) != index_judge::Cover::prefix) continue;
          auto f = finding(
              context, table.name,
              fmt::format("index {} ({}) is a prefix of {} ({}), which answers the same lookups; DROP "
                          "INDEX {} to save its writes and space",
                          shorter.name, join(shorter.columns), longer.name, join(longer.columns), shorter.name));
          f.evidence["index"] = shorter.name;
          f.evidence["covered_by"] = longer.name;
          f.evidence["columns"] = join(shorter.columns);
          if (shorter.size_bytes) f.evidence["size_bytes"] = std::to_string(*shorter.size_bytes);
          out.push_back(std::move(f));
          break;
        }
      }
    }
    return out;
  }
};

}  // namespace

std::unique_ptr<Rule> make_schema_redundant_index() { return std::make_unique<RedundantIndex>(); }

}  // namespace dbvet::rules
