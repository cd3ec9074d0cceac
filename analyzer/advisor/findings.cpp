#include "analyzer/advisor/findings.hpp"

#include <algorithm>
#include <set>

#include "fmt/format.h"

namespace dbvet::advisor {
namespace {

std::string lower(std::string text) {
  for (auto& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

double rows_of(const model::Schema& schema, const std::string& table) {
  const auto* t = schema.find_table(table);
  return t && t->estimated_rows ? *t->estimated_rows : 0;
}

std::string join(const std::vector<std::string>& items, const char* separator = ", ") {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : separator) + item;
  return out;
}

std::string describe(const model::PlanNode& node) {
  std::string out = node.operation;
  if (!node.relation.empty()) out += " " + node.relation;
  if (!node.index.empty()) out += " USING " + node.index;
  if (!node.index_condition.empty()) out += " (" + node.index_condition + ")";
  return out;
}

// Rows an index search reads per lookup, from the leading column's distinct values.
double rows_per_search(const model::Schema& schema, const model::PlanNode& node) {
  const auto* table = schema.find_table(node.relation);
  if (!table || !table->estimated_rows || node.index.empty() || node.index_columns.empty()) return 0;
  if (node.access == model::AccessType::lookup) return 1;
  for (const auto& index : table->indexes) {
    if (lower(index.name) != lower(node.index)) continue;
    if (node.index_columns.size() > 1 || index.unique) return 1;  // several keys or unique: selective enough
    const auto* column = table->find_column(index.columns.empty() ? "" : index.columns[0]);
    if (column && column->distinct_values && *column->distinct_values > 0) {
      return *table->estimated_rows / *column->distinct_values;
    }
  }
  return 0;
}

model::Finding make(std::string rule, model::Severity severity, const ClassWork& work, std::string table,
                    std::string message, double cost) {
  model::Finding f;
  f.rule = std::move(rule);
  f.severity = severity;
  f.query_id = work.id;
  f.table = std::move(table);
  f.message = std::move(message);
  f.cost = cost;
  f.evidence["query"] = work.sql;
  f.evidence["calls"] = fmt::format("{:.0f}", work.calls);
  return f;
}

}  // namespace

std::vector<model::Finding> class_findings(const ClassWork& work, const model::Plan& plan, double plan_cost,
                                           const FindingContext& context) {
  std::vector<model::Finding> out;
  const auto& shape = work.shape;
  const auto& schema = context.schema;
  double large = context.options.large_table_rows;
  double cost = work.calls * plan_cost;
  auto filtered_on = [&](const std::string& table) {
    std::vector<std::string> columns;
    for (const auto& use : shape.uses) {
      if (lower(use.table) != lower(table)) continue;
      if (use.kind == UseKind::order_by || use.kind == UseKind::group_by) continue;
      if (std::find(columns.begin(), columns.end(), use.column) == columns.end()) columns.push_back(use.column);
    }
    return columns;
  };
  std::string sorted_table;
  model::visit(plan.root, [&](const model::PlanNode& node, int) {
    if (!node.relation.empty() && sorted_table.empty()) sorted_table = node.relation;
    double rows = rows_of(schema, node.relation);
    if (node.access == model::AccessType::full_scan && !node.relation.empty() && rows >= large) {
      auto columns = filtered_on(node.relation);
      if (columns.empty()) return;  // an unfiltered read is the count/unbounded rules' business
      auto f = make("plan-full-scan-large-table", model::Severity::warning, work, node.relation,
                    fmt::format("{} reads all {:.0f} rows of {} to find the rows matching {}", node.operation, rows,
                                node.relation, join(columns)),
                    cost);
      f.evidence["plan_node"] = describe(node);
      f.evidence["table_rows"] = fmt::format("{:.0f}", rows);
      f.evidence["filter_columns"] = join(columns);
      out.push_back(std::move(f));
    } else if ((node.access == model::AccessType::index_scan || node.access == model::AccessType::index_full_scan) &&
               rows >= large) {
      double per = rows_per_search(schema, node);
      auto columns = filtered_on(node.relation);
      if (per >= large && per >= rows * 0.1 && columns.size() > node.index_columns.size()) {
        auto f = make("plan-full-scan-large-table", model::Severity::warning, work, node.relation,
                      fmt::format("{} reads about {:.0f} of {:.0f} rows through {}: a large part of the table, "
                                  "filtered afterwards on {}",
                                  node.operation, per, rows, node.index, join(columns)),
                      cost);
        f.evidence["plan_node"] = describe(node);
        f.evidence["rows_per_search"] = fmt::format("{:.0f}", per);
        f.evidence["table_rows"] = fmt::format("{:.0f}", rows);
        out.push_back(std::move(f));
      }
    }
    if (node.temp_btree && node.extra.count("for") && node.extra.at("for").find("ORDER BY") != std::string::npos &&
        rows_of(schema, sorted_table) >= large) {
      auto f = make("plan-sort-without-index", model::Severity::warning, work, sorted_table,
                    fmt::format("the rows of {} are sorted on every call (USE TEMP B-TREE FOR ORDER BY): no index "
                                "delivers them in order",
                                sorted_table),
                    cost);
      f.evidence["plan_node"] = node.operation;
      f.evidence["table_rows"] = fmt::format("{:.0f}", rows_of(schema, sorted_table));
      out.push_back(std::move(f));
    }
  });
  // PostgreSQL/MySQL sorts: a Sort node above a scan of a large table.
  model::visit(plan.root, [&](const model::PlanNode& node, int) {
    // A sort of a few rows (a user's handful of sessions) costs less than an index to avoid it.
    bool few_rows = node.plan_rows && *node.plan_rows < large / 5;
    if ((node.operation == "Sort" || node.uses_filesort) && !sorted_table.empty() && !few_rows &&
        rows_of(schema, sorted_table) >= large) {
      auto f = make(
          "plan-sort-without-index", model::Severity::warning, work, sorted_table,
          fmt::format("the rows of {} are sorted on every call: no index delivers them in order", sorted_table), cost);
      f.evidence["plan_node"] = node.operation;
      if (node.plan_rows) f.evidence["rows_sorted"] = fmt::format("{:.0f}", *node.plan_rows);
      if (!node.sort_keys.empty()) f.evidence["sort_keys"] = join(node.sort_keys);
      out.push_back(std::move(f));
    }
  });
  for (const auto& use : shape.uses) {
    const auto* table = schema.find_table(use.table);
    if (use.function && table) {
      std::string column = use.column.substr(use.column.find('(') + 1);
      column = column.substr(0, column.find(')'));
      bool indexed = std::any_of(table->indexes.begin(), table->indexes.end(), [&](const model::Index& index) {
        return !index.columns.empty() && lower(index.columns[0]) == lower(column);
      });
      if (indexed) {
        auto f = make("query-function-on-indexed-column", model::Severity::warning, work, table->name,
                      fmt::format("{} wraps the indexed column {} in a function: its index cannot serve the search",
                                  use.column, column),
                      cost);
        f.evidence["expression"] = use.column;
        out.push_back(std::move(f));
      }
    }
    if (use.kind == UseKind::like_leading) {
      auto f = make("query-leading-wildcard-like", model::Severity::warning, work, use.table,
                    fmt::format("LIKE '{}' starts with a wildcard: no B-tree index can serve it", use.value), cost);
      f.evidence["column"] = use.column;
      f.evidence["pattern"] = use.value;
      out.push_back(std::move(f));
    }
  }
  std::string first_table = shape.tables.empty() ? "" : shape.tables.front();
  if (shape.offset && *shape.offset >= context.options.large_offset) {
    auto f = make("query-large-offset", model::Severity::warning, work, first_table,
                  fmt::format("OFFSET {} reads and throws away {} rows before the page", *shape.offset, *shape.offset),
                  cost);
    f.evidence["offset"] = std::to_string(*shape.offset);
    out.push_back(std::move(f));
  }
  if (shape.aggregate_count && !shape.has_where && shape.tables.size() == 1 && rows_of(schema, first_table) >= large) {
    auto f = make("query-unfiltered-count", model::Severity::warning, work, first_table,
                  fmt::format("an exact COUNT(*) of all {:.0f} rows of {} on every call", rows_of(schema, first_table),
                              first_table),
                  cost);
    f.evidence["table_rows"] = fmt::format("{:.0f}", rows_of(schema, first_table));
    out.push_back(std::move(f));
  }
  if (shape.command == "select" && shape.tables.size() == 1 &&
      work.max_repeats_per_transaction >= context.options.n_plus_one_repeats) {
    const auto* table = schema.find_table(first_table);
    bool key_lookup = false;
    for (const auto& use : shape.uses) {
      if (use.kind != UseKind::equality || !table) continue;
      for (const auto& index : table->indexes) {
        if ((index.unique || index.primary) && index.columns.size() == 1 &&
            lower(index.columns[0]) == lower(use.column)) {
          key_lookup = true;
        }
      }
    }
    if (key_lookup) {
      auto f = make("query-n-plus-one", model::Severity::warning, work, first_table,
                    fmt::format("the same single-row lookup on {} ran {} times in one transaction (N+1)", first_table,
                                work.max_repeats_per_transaction),
                    cost);
      f.evidence["repeats_per_transaction"] = std::to_string(work.max_repeats_per_transaction);
      out.push_back(std::move(f));
    }
  }
  if (shape.has_or_across_columns) {
    out.push_back(make("query-or-across-columns", model::Severity::info, work, first_table,
                       "OR across different columns: one index cannot serve both sides", cost));
  }
  return out;
}

std::vector<model::Finding> schema_findings(const FindingContext& context) {
  std::vector<model::Finding> out;
  double large = context.options.large_table_rows;
  for (const auto& table : context.schema.tables) {
    double rows = table.estimated_rows.value_or(0);
    for (const auto& fk : table.foreign_keys) {
      if (rows < large) continue;
      std::set<std::string> wanted;
      for (const auto& c : fk.columns) wanted.insert(lower(c));
      bool indexed = std::any_of(table.indexes.begin(), table.indexes.end(), [&](const model::Index& index) {
        if (index.columns.size() < wanted.size()) return false;
        std::set<std::string> leading;
        for (size_t i = 0; i < wanted.size(); ++i) leading.insert(lower(index.columns[i]));
        return leading == wanted && index.predicate.empty();
      });
      if (indexed) continue;
      model::Finding f;
      f.rule = "schema-unindexed-foreign-key";
      f.severity = model::Severity::warning;
      f.table = table.name;
      f.message = fmt::format("foreign key {}({}) -> {} has no index: joins and cascading deletes scan {}", table.name,
                              join(fk.columns), fk.referenced_table, table.name);
      f.evidence["columns"] = join(fk.columns);
      f.evidence["references"] = fk.referenced_table;
      f.evidence["table_rows"] = fmt::format("{:.0f}", rows);
      f.cost = rows;
      out.push_back(std::move(f));
    }
    for (const auto& index : table.indexes) {
      if (index.unique || index.primary || index.columns.empty()) continue;
      for (const auto& other : table.indexes) {
        if (&other == &index || other.columns.size() < index.columns.size()) continue;
        if (lower(other.predicate) != lower(index.predicate) || lower(other.method) != lower(index.method)) continue;
        bool prefix = true;
        for (size_t i = 0; i < index.columns.size(); ++i)
          prefix = prefix && lower(other.columns[i]) == lower(index.columns[i]);
        // Two identical non-unique indexes: the later name is the redundant one.
        if (!prefix || (other.columns.size() == index.columns.size() && !other.unique && !other.primary &&
                        other.name > index.name)) {
          continue;
        }
        model::Finding f;
        f.rule = "schema-redundant-index";
        f.severity = model::Severity::warning;
        f.table = table.name;
        f.message = fmt::format("index {}({}) is redundant: {}({}) serves every search it does", index.name,
                                join(index.columns), other.name, join(other.columns));
        f.evidence["index"] = index.name;
        f.evidence["columns"] = join(index.columns);
        f.evidence["covered_by"] = other.name;
        if (index.size_bytes) f.evidence["size_bytes"] = std::to_string(*index.size_bytes);
        f.cost = static_cast<double>(index.size_bytes.value_or(0));
        out.push_back(std::move(f));
        break;
      }
    }
    // An index that makes another redundant is no unused one: the planner may have preferred the
    // shorter index so far, and dropping both would leave the columns unindexed.
    std::set<std::string> covering;
    for (const auto& f : out) {
      if (f.rule == "schema-redundant-index" && f.table == table.name) covering.insert(f.evidence.at("covered_by"));
    }
    for (const auto& index : table.indexes) {
      if (index.unique || index.primary || !index.scans || *index.scans > 0) continue;
      if (covering.count(index.name)) continue;
      if (index.size_bytes && *index.size_bytes < 16384) continue;
      model::Finding f;
      f.rule = "schema-unused-index";
      f.severity = model::Severity::warning;
      f.table = table.name;
      f.message = fmt::format("index {}({}) has never been scanned since the statistics were reset", index.name,
                              join(index.columns));
      f.evidence["index"] = index.name;
      f.evidence["columns"] = join(index.columns);
      f.evidence["scans"] = "0";
      if (index.size_bytes) f.evidence["size_bytes"] = std::to_string(*index.size_bytes);
      f.cost = static_cast<double>(index.size_bytes.value_or(0));
      out.push_back(std::move(f));
    }
  }
  return out;
}

}  // namespace dbvet::advisor
