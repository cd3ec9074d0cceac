#include "fmt/format.h"
#include "rules/registry.hpp"
#include "rules/schema/index_judge.hpp"
#include "rules/schema/schema_support.hpp"

namespace dbvet::rules {
namespace {

using namespace schema_support;

class DuplicateIndex final : public Rule {
 public:
  DuplicateIndex()
      : Rule({"schema-duplicate-index",
              Category::schema,
              model::Severity::warning,
              "Two indexes with the same columns, method, INCLUDE list and predicate",
              {}}) {}

  std::vector<model::Finding> check(const RuleContext& context) const override {
    std::vector<model::Finding> out;
    if (!context.schema) return out;
    for (const auto& table : context.schema->tables) {
      const auto& idx = table.indexes;
      for (size_t i = 0; i < idx.size(); ++i) {
        for (size_t j = i + 1; j < idx.size(); ++j) {
          using index_judge::Cover;
          if (index_judge::covered_by(idx[i], idx[j]) != Cover::duplicate &&
              index_judge::covered_by(idx[j], idx[i]) != Cover::duplicate) {
            continue;
          }
          const model::Index* dropped = index_judge::drop_of_duplicates(idx[i], idx[j]);
          if (!dropped) continue;
          const model::Index& drop = *dropped;
          const model::Index& keep = dropped == &idx[i] ? idx[j] : idx[i];
          auto f = finding(context, table.name,
                           fmt::format("index {} duplicates {} on {} ({}): every write maintains both and only one is "
                                       "ever used; DROP INDEX {}",
                                       drop.name, keep.name, table.name, join(drop.columns), drop.name));
          f.evidence["index"] = drop.name;
          f.evidence["duplicate_of"] = keep.name;
          f.evidence["columns"] = join(drop.columns);
          if (drop.size_bytes) f.evidence["size_bytes"] = std::to_string(*drop.size_bytes);
          out.push_back(std::move(f));
        }
      }
    }
    return out;
  }
};

}  // namespace

std::unique_ptr<Rule> make_schema_duplicate_index() { return std::make_unique<DuplicateIndex>(); }

}  // namespace dbvet::rules
