#include "analyzer/engines/postgres/what_if_hypopg.hpp"

#include <algorithm>
#include <functional>

#include "analyzer/sql/render.hpp"
#include "fmt/format.h"

namespace dbvet::engines::postgres {
namespace {

double plan_cost(const model::Plan& plan) {
  if (plan.root.total_cost) return *plan.root.total_cost;
  for (const auto& child : plan.root.children) {
    if (child.total_cost) return *child.total_cost;
  }
  return 0;
}

std::string first_value(const ResultSummary& result) {
  if (result.rows.empty() || result.rows[0].empty() || !result.rows[0][0]) return "";
  return *result.rows[0][0];
}

}  // namespace

HypopgWhatIf::HypopgWhatIf(std::unique_ptr<Connection> session, std::string version, std::string schema, bool can_hide)
    : session_(std::move(session)), version_(std::move(version)), schema_(std::move(schema)), can_hide_(can_hide) {}

std::string HypopgWhatIf::function(const std::string& name) const { return schema_ + "." + name; }

core::Expected<std::unique_ptr<HypopgWhatIf>> HypopgWhatIf::open(const core::TargetUrl& url,
                                                                 const ConnectOptions& options) {
  ConnectOptions read_only = options;
  read_only.allow_writes = false;
  auto session = connect(url, read_only);
  if (!session) return session.error();
  // The extension's schema qualifies its functions: the session's search_path need not hold it.
  auto version = (*session)->execute(
      "SELECT e.extversion, quote_ident(n.nspname), EXISTS (SELECT 1 FROM pg_proc p WHERE p.pronamespace = "
      "n.oid AND p.proname = 'hypopg_hide_index') FROM pg_extension e JOIN pg_namespace n ON n.oid = "
      "e.extnamespace WHERE e.extname = 'hypopg'");
  if (!version) return version.error();
  if (version->rows.empty() || version->rows[0].size() < 3) {
    return core::make_error(core::ErrorKind::unsupported,
                            fmt::format("{}: the hypopg extension is not installed in this database (CREATE "
                                        "EXTENSION hypopg, as its owner, lets dbvet verify index advice)",
                                        url.redacted()));
  }
  const auto& row = version->rows[0];
  std::unique_ptr<HypopgWhatIf> what_if(
      new HypopgWhatIf(std::move(*session), row[0].value_or(""), row[1].value_or("public"), row[2] == "t"));
  // Nothing from an earlier use of this backend (a pooler may hand it over) may linger.
  if (auto reset = what_if->session_->execute("SELECT " + what_if->function("hypopg_reset()")); !reset) {
    return reset.error();
  }
  return what_if;
}

core::Expected<model::WhatIfResult> HypopgWhatIf::plan_with(const std::string& sql,
                                                            const std::vector<model::IndexCandidate>& add,
                                                            const std::vector<std::string>& hide) {
  bool baseline = add.empty() && hide.empty();
  if (baseline) {
    if (auto it = baseline_.find(sql); it != baseline_.end()) return it->second;
  }
  if (!hide.empty() && !can_hide_) {
    return core::make_error(core::ErrorKind::unsupported,
                            fmt::format("HypoPG {} cannot hide an existing index (hypopg_hide_index needs 1.4 or "
                                        "later): a drop is not verified",
                                        version_));
  }
  auto result = plan_now(sql, add, hide);
  // Forget the hypothetical indexes and unhide, whatever happened; a failure here leaves the session
  // unusable for honest answers, so it wins over the plan.
  if (!add.empty()) {
    if (auto reset = session_->execute("SELECT " + function("hypopg_reset()")); !reset) return reset.error();
  }
  if (!hide.empty()) {
    if (auto unhide = session_->execute("SELECT " + function("hypopg_unhide_all_indexes()")); !unhide)
      return unhide.error();
  }
  if (result && baseline) baseline_[sql] = *result;
  return result;
}

core::Expected<model::WhatIfResult> HypopgWhatIf::plan_now(const std::string& sql,
                                                           const std::vector<model::IndexCandidate>& add,
                                                           const std::vector<std::string>& hide) {
  std::map<std::string, std::string> hypothetical;  // HypoPG's name ("<oid>btree_t_c") -> candidate name
  for (const auto& candidate : add) {
    auto ddl = sql::create_index(sql::Dialect::postgres, candidate, "", false);
    if (!ddl) return ddl.error();
    auto literal = sql::quote_literal(sql::Dialect::postgres, *ddl);
    if (!literal) return literal.error();
    auto created =
        session_->execute(fmt::format("SELECT indexname FROM {}({})", function("hypopg_create_index"), *literal));
    if (!created) {
      return core::make_error(created.error().kind,
                              fmt::format("hypothetical index {}: {}", candidate.name(), created.error().message));
    }
    hypothetical[first_value(*created)] = candidate.name();
  }
  for (const auto& index : hide) {
    // `index` is the catalog's name, unquoted: as a regclass literal it must be an identifier.
    auto name = sql::quote_identifier(sql::Dialect::postgres, index);
    if (!name) return name.error();
    auto literal = sql::quote_literal(sql::Dialect::postgres, *name);
    if (!literal) return literal.error();
    auto hidden = session_->execute(fmt::format("SELECT {}({}::regclass)", function("hypopg_hide_index"), *literal));
    if (!hidden) return hidden.error();
  }
  auto plan = session_->explain(sql, {});
  if (!plan) return plan.error();
  model::WhatIfResult result;
  result.cost = plan_cost(*plan);
  // The plan names hypothetical indexes as HypoPG does; the report names them as the DDL will.
  std::function<void(model::PlanNode&)> rename = [&](model::PlanNode& node) {
    if (auto it = hypothetical.find(node.index); it != hypothetical.end()) {
      node.index = it->second;
      if (std::find(result.used_candidates.begin(), result.used_candidates.end(), it->second) ==
          result.used_candidates.end()) {
        result.used_candidates.push_back(it->second);
      }
    }
    for (auto& child : node.children) rename(child);
  };
  rename(plan->root);
  result.plan = std::move(*plan);
  return result;
}

}  // namespace dbvet::engines::postgres
