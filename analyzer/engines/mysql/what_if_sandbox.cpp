#include "analyzer/engines/mysql/what_if_sandbox.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <functional>

#include "analyzer/sql/render.hpp"
#include "fmt/format.h"

namespace dbvet::engines::mysql {
namespace {

core::Expected<std::string> first_value(Connection& session, const std::string& sql) {
  auto result = session.execute(sql);
  if (!result) return result.error();
  if (result->rows.empty() || result->rows[0].empty()) return std::string();
  // SHOW STATUS answers (name, value); a plain SELECT one column.
  const auto& row = result->rows[0];
  const auto& cell = row.size() > 1 ? row[1] : row[0];
  return cell.value_or("");
}

}  // namespace

double mariadb_filesort_cost(const model::Plan& plan) {
  double cost = 0;
  // Rows reaching the filesort: the product of rows x filtered over the tables it reads.
  std::function<double(const model::PlanNode&)> rows_below = [&](const model::PlanNode& node) -> double {
    double rows = 1;
    bool any = false;
    if (node.plan_rows && !node.relation.empty()) {
      rows = *node.plan_rows * node.filtered_percent.value_or(100) / 100;
      any = true;
    }
    for (const auto& child : node.children) {
      double below = rows_below(child);
      if (below > 0) {
        rows *= below;
        any = true;
      }
    }
    return any ? rows : 0;
  };
  model::visit(plan.root, [&](const model::PlanNode& node, int) {
    if (!node.uses_filesort) return;
    double rows = std::max(1.0, rows_below(node));
    cost += rows * std::log2(std::max(2.0, rows)) / 5;
  });
  return cost;
}

SandboxWhatIf::SandboxWhatIf(Sandbox sandbox, std::unique_ptr<Connection> session, SandboxWhatIfOptions options)
    : sandbox_(std::move(sandbox)), session_(std::move(session)), options_(options) {}

SandboxWhatIf::~SandboxWhatIf() { (void)remove(); }

core::Status SandboxWhatIf::remove() {
  session_.reset();
  return sandbox_.remove();
}

core::Expected<std::unique_ptr<SandboxWhatIf>> SandboxWhatIf::open(const core::TargetUrl& target,
                                                                   const SandboxWhatIfOptions& options) {
  if (target.engine != core::Engine::mysql) {
    return core::make_error(core::ErrorKind::unsupported, "the sandbox what-if is for MariaDB/MySQL targets");
  }
  SandboxOptions copy;
  copy.max_rows_per_table = options.max_rows_per_table;
  copy.analyze = true;
  // One scratch database per object in this process: dbvet_sandbox_<pid>_whatif<n>.
  static std::atomic<int> serial{0};
  auto sandbox = Sandbox::create(target, fmt::format("whatif{}", serial++), copy);
  if (!sandbox) return sandbox.error();
  ConnectOptions writable;
  writable.allow_writes = true;
  auto session = connect(sandbox->url(), writable);
  if (!session) return session.error();
  return std::unique_ptr<SandboxWhatIf>(new SandboxWhatIf(std::move(*sandbox), std::move(*session), options));
}

core::Status SandboxWhatIf::index_table(const std::string& index, std::string& table) {
  auto literal = sql::quote_literal(sql::Dialect::mysql, index);
  if (!literal) return literal.error();
  auto found = first_value(*session_, fmt::format("SELECT table_name FROM information_schema.statistics WHERE "
                                                  "table_schema = DATABASE() AND index_name = {} LIMIT 1",
                                                  *literal));
  if (!found) return found.error();
  if (found->empty()) {
    return core::make_error(core::ErrorKind::input, fmt::format("no index named {} in the sandbox", index));
  }
  table = *found;
  return core::ok();
}

core::Expected<model::WhatIfResult> SandboxWhatIf::plan_with(const std::string& sql,
                                                             const std::vector<model::IndexCandidate>& add,
                                                             const std::vector<std::string>& hide) {
  if (options_.cancelled && options_.cancelled->load()) {
    return core::make_error(core::ErrorKind::query, "interrupted");
  }
  if (!session_) return core::make_error(core::ErrorKind::internal, "the sandbox is already removed");
  bool baseline = add.empty() && hide.empty();
  if (baseline) {
    if (auto it = baseline_.find(sql); it != baseline_.end()) return it->second;
  }
  for (const auto& candidate : add) {
    if (candidate.partial()) {
      return core::make_error(core::ErrorKind::unsupported,
                              fmt::format("{}: MariaDB has no partial indexes", candidate.name()));
    }
  }
  // Undo list: whatever was changed in the sandbox is changed back, also after a failure.
  std::vector<std::string> undo;
  auto restore = [&]() -> core::Status {
    core::Status status = core::ok();
    for (auto it = undo.rbegin(); it != undo.rend(); ++it) {
      if (auto done = session_->execute_script(*it); !done && status) status = done.error();
    }
    return status;
  };
  auto run = [&]() -> core::Expected<model::WhatIfResult> {
    for (const auto& candidate : add) {
      auto ddl = sql::mysql_add_index(candidate, false);
      if (!ddl) return ddl.error();
      sql::DropIndex drop;
      drop.table = candidate.table;
      drop.index = candidate.name();
      auto undo_ddl = sql::drop_index(sql::Dialect::mysql, drop);
      auto table = sql::quote_identifier(sql::Dialect::mysql, candidate.table);
      auto name = sql::quote_identifier(sql::Dialect::mysql, candidate.name());
      if (!undo_ddl || !table || !name) return core::make_error(core::ErrorKind::input, "unquotable index name");
      if (auto added = session_->execute_script(*ddl); !added) {
        return core::make_error(added.error().kind,
                                fmt::format("index {} in the sandbox: {}", candidate.name(), added.error().message));
      }
      undo.push_back(*undo_ddl);
      auto analyzed =
          session_->execute(fmt::format("ANALYZE TABLE {} PERSISTENT FOR COLUMNS () INDEXES ({})", *table, *name));
      if (!analyzed) return analyzed.error();
    }
    for (const auto& index : hide) {
      std::string table;
      if (auto status = index_table(index, table); !status) return status.error();
      auto hide_ddl = sql::mysql_ignore_index(table, index, true);
      auto unhide_ddl = sql::mysql_ignore_index(table, index, false);
      if (!hide_ddl) return hide_ddl.error();
      if (!unhide_ddl) return unhide_ddl.error();
      if (auto hidden = session_->execute_script(*hide_ddl); !hidden) return hidden.error();
      undo.push_back(*unhide_ddl);
    }
    auto result = plan_now(sql);
    if (!result) return result.error();
    model::visit(result->plan.root, [&](const model::PlanNode& node, int) {
      for (const auto& candidate : add) {
        if (node.index == candidate.name() && std::find(result->used_candidates.begin(), result->used_candidates.end(),
                                                        node.index) == result->used_candidates.end()) {
          result->used_candidates.push_back(node.index);
        }
      }
    });
    return result;
  };
  auto result = run();
  if (auto restored = restore(); !restored) return restored.error();
  if (result && baseline) baseline_[sql] = *result;
  return result;
}

core::Expected<model::WhatIfResult> SandboxWhatIf::plan_now(const std::string& sql) {
  auto plan = session_->explain(sql, {});
  if (!plan) return plan.error();
  auto last = first_value(*session_, "SHOW SESSION STATUS LIKE 'Last_query_cost'");
  if (!last) return last.error();
  model::WhatIfResult result;
  result.cost = std::strtod(last->c_str(), nullptr) + mariadb_filesort_cost(*plan);
  result.plan = std::move(*plan);
  return result;
}

}  // namespace dbvet::engines::mysql
