#include "fmt/format.h"
#include "rules/registry.hpp"

namespace dbvet::rules {
namespace {

class InvalidIndex final : public Rule {
 public:
  InvalidIndex()
      : Rule({"schema-invalid-index",
              Category::schema,
              model::Severity::error,
              "An index left invalid by a failed CREATE INDEX CONCURRENTLY: maintained on writes, never used",
              {}}) {}

  std::vector<model::Finding> check(const RuleContext& context) const override {
    std::vector<model::Finding> out;
    if (!context.schema) return out;
    for (const auto& table : context.schema->tables) {
      for (const auto& index : table.indexes) {
        if (index.valid) continue;
        auto f = finding(context, table.name,
                         fmt::format("index {} on {} is invalid (a CREATE INDEX CONCURRENTLY failed): writes still "
                                     "maintain it but no query can use it; DROP INDEX CONCURRENTLY {} and create it "
                                     "again, or REINDEX INDEX CONCURRENTLY {}",
                                     index.name, table.name, index.name, index.name));
        f.evidence["index"] = index.name;
        if (!index.definition.empty()) f.evidence["definition"] = index.definition;
        out.push_back(std::move(f));
      }
    }
    return out;
  }
};

}  // namespace

std::unique_ptr<Rule> make_schema_invalid_index() { return std::make_unique<InvalidIndex>(); }

}  // namespace dbvet::rules
