#include "rules/registry.hpp"

#include <algorithm>

namespace dbvet::rules {
namespace {

using Factory = std::unique_ptr<Rule> (*)();

// THE registry: one row per rule, sorted by id (a unit test checks the order and that each id has
// its doc page and its test).
constexpr Factory kFactories[] = {
    make_migration_add_column_not_null_without_default,
    make_migration_check_without_not_valid,
    make_migration_column_type_change,
    make_migration_concurrently_in_transaction,
    make_migration_default_rewrites_table,
    make_migration_drop_breaks_code,
    make_migration_drop_index_without_concurrently,
    make_migration_foreign_key_without_index,
    make_migration_foreign_key_without_not_valid,
    make_migration_index_without_concurrently,
    make_migration_lock_without_timeout,
    make_migration_rename_breaks_code,
    make_migration_set_not_null,
    make_migration_statement_unparsed,
    make_migration_unique_constraint_without_index,
    make_plan_automatic_index,
    make_plan_full_scan_large_table,
    make_plan_hash_batches,
    make_plan_index_only_heap_fetches,
    make_plan_jit_dominating,
    make_plan_nested_loop_repeated_scan,
    make_plan_parallel_workers_not_launched,
    make_plan_row_estimate_mismatch,
    make_plan_rows_examined_far_above_sent,
    make_plan_sort_without_index,
    make_plan_spilled_to_disk,
    make_plan_temporary_table,
    make_query_function_on_indexed_column,
    make_query_large_offset,
    make_query_leading_wildcard_like,
    make_query_n_plus_one,
    make_query_not_in_nullable_subquery,
    make_query_or_across_columns,
    make_query_order_by_random,
    make_query_select_star,
    make_query_unbounded_select,
    make_query_unfiltered_count,
    make_schema_duplicate_index,
    make_schema_invalid_index,
    make_schema_redundant_index,
    make_schema_table_without_primary_key,
    make_schema_unindexed_foreign_key,
    make_schema_unused_index,
    make_schema_write_heavy_many_indexes,
};

int severity_rank(model::Severity severity) { return static_cast<int>(severity); }

}  // namespace

const std::vector<const Rule*>& all_rules() {
  static const std::vector<std::unique_ptr<Rule>> owned = [] {
    std::vector<std::unique_ptr<Rule>> rules;
    for (Factory factory : kFactories) rules.push_back(factory());
    return rules;
  }();
  static const std::vector<const Rule*> view = [] {
    std::vector<const Rule*> rules;
    for (const auto& rule : owned) rules.push_back(rule.get());
    return rules;
  }();
  return view;
}

const Rule* find_rule(std::string_view id) {
  for (const Rule* rule : all_rules()) {
    if (rule->id() == id) return rule;
  }
  return nullptr;
}

std::vector<model::Finding> run_rules(const RuleContext& context, const std::vector<Category>& categories) {
  std::vector<model::Finding> findings;
  for (const Rule* rule : all_rules()) {
    if (!rule->enabled(context)) continue;
    if (!categories.empty() && std::find(categories.begin(), categories.end(), rule->category()) == categories.end()) {
      continue;
    }
    auto produced = rule->check(context);
    findings.insert(findings.end(), std::make_move_iterator(produced.begin()), std::make_move_iterator(produced.end()));
  }
  std::stable_sort(findings.begin(), findings.end(), [](const model::Finding& a, const model::Finding& b) {
    if (a.severity != b.severity) return severity_rank(a.severity) > severity_rank(b.severity);
    return a.cost > b.cost;
  });
  return findings;
}

}  // namespace dbvet::rules
