#pragma once
// The engine-neutral plan tree. Every engine's EXPLAIN output maps onto it; rules read only this.

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace dbvet::model {

// How a node reaches its rows; engines' words map onto these, the original stays in `operation`.
enum class AccessType {
  none,             // not a scan (sort, join, aggregate, ...)
  full_scan,        // PostgreSQL Seq Scan, MySQL ALL, SQLite SCAN without index
  index_scan,       // index lookup or range, then the table
  index_only_scan,  // covering index: PostgreSQL Index Only Scan, MySQL "Using index", SQLite COVERING INDEX
  index_full_scan,  // the whole index in order (MySQL "index")
  bitmap_scan,
  lookup,           // single-row by primary/unique key (MySQL const/eq_ref, SQLite INTEGER PRIMARY KEY)
  other,
};

std::string access_type_name(AccessType type);

struct PlanNode {
  std::string operation;        // as the engine names it: "Seq Scan", "ALL", "SCAN", "Hash Join"
  AccessType access = AccessType::none;
  std::string relation;         // table scanned, if any
  std::string alias;
  std::string index;            // index used, if any
  std::vector<std::string> index_columns;  // key columns the engine says it uses, if known
  std::string join_type;        // Inner, Left, Semi ...
  std::string index_condition;  // Index Cond / key condition
  std::string filter;           // condition applied after fetching rows

  std::optional<double> startup_cost;
  std::optional<double> total_cost;
  std::optional<double> plan_rows;   // estimated rows per loop
  std::optional<double> plan_width;

  // Present when the plan was analyzed (actually executed).
  std::optional<double> actual_rows;     // per loop, as PostgreSQL reports it
  std::optional<double> actual_loops;
  std::optional<double> actual_startup_ms;
  std::optional<double> actual_total_ms;  // per loop
  std::optional<double> rows_removed_by_filter;
  std::optional<double> rows_removed_by_index_recheck;
  std::optional<double> heap_fetches;

  std::string sort_method;
  std::vector<std::string> sort_keys;
  std::optional<bool> sort_spilled;  // an external sort or a hash that went to disk
  std::optional<double> sort_space_kb;
  std::optional<int> hash_batches;
  std::optional<int> workers_planned;
  std::optional<int> workers_launched;

  std::optional<double> shared_hit_blocks;
  std::optional<double> shared_read_blocks;
  std::optional<double> temp_read_blocks;
  std::optional<double> temp_written_blocks;

  // MySQL/MariaDB extras: "Using filesort", "Using temporary", rows examined per scan.
  bool uses_filesort = false;
  bool uses_temporary = false;
  std::optional<double> rows_examined;
  std::optional<double> filtered_percent;

  // SQLite extras: an automatic (transient) index, a temp b-tree for ORDER BY/GROUP BY/DISTINCT.
  bool automatic_index = false;
  bool temp_btree = false;

  std::map<std::string, std::string> extra;  // anything else worth showing, engine's words
  std::string raw;                           // the engine's node as it came (JSON or text)

  std::vector<PlanNode> children;
};

struct Plan {
  std::string engine;         // postgres, mysql, mariadb, sqlite
  std::string engine_version; // when known
  std::string format;         // postgres-json, mariadb-json, mysql-json, sqlite-eqp
  bool analyzed = false;
  std::optional<double> planning_ms;
  std::optional<double> execution_ms;
  std::optional<double> jit_ms;
  // SQLite statement counters, MySQL handler counters and the like, by their engine names.
  std::map<std::string, double> counters;
  std::string raw;  // the whole EXPLAIN output as the engine gave it
  PlanNode root;
};

// Walks the tree depth-first, parents before children.
template <class F>
void visit(const PlanNode& node, F&& f, int depth = 0) {
  f(node, depth);
  for (const auto& child : node.children) visit(child, f, depth + 1);
}

}  // namespace dbvet::model
