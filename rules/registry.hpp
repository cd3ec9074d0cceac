#pragma once
// The one table of rules, sorted by id, and running them.

#include <memory>
#include <string_view>
#include <vector>

#include "rules/rule.hpp"

namespace dbvet::rules {

// Every rule, sorted by id.
const std::vector<const Rule*>& all_rules();
const Rule* find_rule(std::string_view id);

// Runs the enabled rules of the given categories (all when empty) and returns their findings,
// most severe and most costly first.
std::vector<model::Finding> run_rules(const RuleContext& context, const std::vector<Category>& categories = {});

// The factory of each rule, defined in its own file.
std::unique_ptr<Rule> make_migration_add_column_not_null_without_default();
std::unique_ptr<Rule> make_migration_check_without_not_valid();
std::unique_ptr<Rule> make_migration_column_type_change();
std::unique_ptr<Rule> make_migration_concurrently_in_transaction();
std::unique_ptr<Rule> make_migration_default_rewrites_table();
std::unique_ptr<Rule> make_migration_drop_breaks_code();
std::unique_ptr<Rule> make_migration_drop_index_without_concurrently();
std::unique_ptr<Rule> make_migration_foreign_key_without_index();
std::unique_ptr<Rule> make_migration_foreign_key_without_not_valid();
std::unique_ptr<Rule> make_migration_index_without_concurrently();
std::unique_ptr<Rule> make_migration_lock_without_timeout();
std::unique_ptr<Rule> make_migration_rename_breaks_code();
std::unique_ptr<Rule> make_migration_set_not_null();
std::unique_ptr<Rule> make_migration_statement_unparsed();
std::unique_ptr<Rule> make_migration_unique_constraint_without_index();
std::unique_ptr<Rule> make_plan_automatic_index();
std::unique_ptr<Rule> make_plan_full_scan_large_table();
std::unique_ptr<Rule> make_plan_hash_batches();
std::unique_ptr<Rule> make_plan_index_only_heap_fetches();
std::unique_ptr<Rule> make_plan_jit_dominating();
std::unique_ptr<Rule> make_plan_nested_loop_repeated_scan();
std::unique_ptr<Rule> make_plan_parallel_workers_not_launched();
std::unique_ptr<Rule> make_plan_row_estimate_mismatch();
std::unique_ptr<Rule> make_plan_rows_examined_far_above_sent();
std::unique_ptr<Rule> make_plan_sort_without_index();
std::unique_ptr<Rule> make_plan_spilled_to_disk();
std::unique_ptr<Rule> make_plan_temporary_table();
std::unique_ptr<Rule> make_query_function_on_indexed_column();
std::unique_ptr<Rule> make_query_large_offset();
std::unique_ptr<Rule> make_query_leading_wildcard_like();
std::unique_ptr<Rule> make_query_n_plus_one();
std::unique_ptr<Rule> make_query_not_in_nullable_subquery();
std::unique_ptr<Rule> make_query_or_across_columns();
std::unique_ptr<Rule> make_query_order_by_random();
std::unique_ptr<Rule> make_query_select_star();
std::unique_ptr<Rule> make_query_unbounded_select();
std::unique_ptr<Rule> make_query_unfiltered_count();
std::unique_ptr<Rule> make_schema_duplicate_index();
std::unique_ptr<Rule> make_schema_invalid_index();
std::unique_ptr<Rule> make_schema_redundant_index();
std::unique_ptr<Rule> make_schema_table_without_primary_key();
std::unique_ptr<Rule> make_schema_unindexed_foreign_key();
std::unique_ptr<Rule> make_schema_unused_index();
std::unique_ptr<Rule> make_schema_write_heavy_many_indexes();

}  // namespace dbvet::rules
