#include "fmt/format.h"
#include "rules/registry.hpp"
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
          if (!same_kind(idx[i], idx[j]) || !key_is_prefix(idx[i], idx[j], true) ||
              idx[i].columns.size() != idx[j].columns.size()) {
            continue;
          }
          // Drop the one that enforces nothing: keep primary over unique over plain.
          auto rank = [](const model::Index& x) { return x.primary ? 2 : x.unique ? 1 : 0; };
          const model::Index& keep = rank(idx[j]) > rank(idx[i]) ? idx[j] : idx[i];
          const model::Index& drop = &keep == &idx[i] ? idx[j] : idx[i];
          if (drop.primary || (drop.unique && !keep.unique)) continue;
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
