#include "fmt/format.h"
#include "rules/migration/migration_support.hpp"
#include "rules/registry.hpp"

namespace dbvet::rules {
namespace {

// A statement the parser rejects would fail on the server too, and the rules cannot judge it: say
// so at its line instead of dropping it silently, and lint the rest of the file.
class StatementUnparsed final : public Rule {
 public:
  StatementUnparsed()
      : Rule({"migration-statement-unparsed",
              Category::migration,
              model::Severity::error,
              "A statement of the migration the PostgreSQL parser does not accept",
              {}}) {}

  std::vector<model::Finding> check(const RuleContext& context) const override {
    std::vector<model::Finding> out;
    const auto* statement = migration_support::statement(context);
    if (!statement || statement->parsed) return out;
    auto f = finding(context, "",
                     fmt::format("the statement does not parse ({}): it was not checked, and the server would "
                                 "reject it",
                                 statement->parse_error));
    f.evidence.emplace("parser", "libpg_query");
    out.push_back(std::move(f));
    return out;
  }
};

}  // namespace

std::unique_ptr<Rule> make_migration_statement_unparsed() { return std::make_unique<StatementUnparsed>(); }

}  // namespace dbvet::rules
