// Index advisor, candidate generation: what each statement filters, joins and sorts on becomes
// candidate keys; the choice among them is in index_advisor.cpp.
#include <algorithm>
#include <set>

#include "analyzer/model/dialect.hpp"
#include "analyzer/pipeline/index_advisor.hpp"
#include "analyzer/pipeline/index_advisor_detail.hpp"
#include "analyzer/sql/render.hpp"

namespace dbvet::pipeline {
namespace detail {

std::string lower(std::string text) {
  for (auto& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

bool same_table(const std::string& a, const std::string& b) { return lower(a) == lower(b); }

std::string key_of(const model::IndexCandidate& c) {
  std::string key = lower(c.table) + "(";
  for (size_t i = 0; i < c.columns.size(); ++i) key += (c.is_expression(i) ? "e:" : "") + lower(c.columns[i]) + ",";
  if (!c.include.empty()) {
    key += " include(";
    for (const auto& column : c.include) key += lower(column) + ",";
    key += ")";
  }
  return key + ")" + c.where_is_null + (c.collation.empty() ? "" : " collate " + lower(c.collation));
}

}  // namespace detail

namespace {

using detail::key_of;
using detail::lower;
using detail::same_table;

void add_unique(std::vector<std::string>& columns, const std::string& column) {
  for (const auto& c : columns) {
    if (lower(c) == lower(column)) return;
  }
  columns.push_back(column);
}

}  // namespace

namespace {

// A predicate or key expression as catalogs print it and as dbvet writes it, made comparable:
// PostgreSQL prints "(published_at IS NULL)" and "lower((email)::text)" for dbvet's
// "published_at IS NULL" and "lower(email)". Case, quotes, parentheses, spaces and ::text casts go.
std::string comparable(const std::string& text) {
  std::string out = lower(text);
  for (size_t at; (at = out.find("::text")) != std::string::npos;) out.erase(at, 6);
  std::erase_if(out, [](char c) { return c == '(' || c == ')' || c == ' ' || c == '"' || c == '`'; });
  return out;
}

}  // namespace

bool index_covers(const model::Index& index, const model::IndexCandidate& candidate) {
  std::string predicate = candidate.partial() ? candidate.where_is_null + " is null" : "";
  if (!same_table(index.table, candidate.table) || comparable(index.predicate) != comparable(predicate)) return false;
  if (candidate.columns.size() > index.columns.size()) return false;
  for (size_t i = 0; i < candidate.columns.size(); ++i) {
    if (comparable(index.columns[i]) != comparable(candidate.columns[i])) return false;
  }
  // A covering candidate's INCLUDE columns must be in the index too, as keys or included.
  return std::all_of(candidate.include.begin(), candidate.include.end(), [&](const std::string& column) {
    auto held = [&](const std::string& other) { return comparable(other) == comparable(column); };
    return std::any_of(index.columns.begin(), index.columns.end(), held) ||
           std::any_of(index.include.begin(), index.include.end(), held);
  });
}

core::Expected<std::string> index_ddl(const model::IndexCandidate& c, const std::string& engine) {
  return sql::recommended_index_ddl(sql::dialect_of(engine), c);
}

bool plannable(const sql::QueryShape& shape) {
  return shape.kind == sql::StatementKind::select || shape.kind == sql::StatementKind::update ||
         shape.kind == sql::StatementKind::delete_;
}

// The table's primary key is this one column, and the engine's secondary indexes end with it (a
// WITHOUT ROWID table's key, "btree" on SQLite, is taken as not held, which costs at most a
// redundant key column).
bool held_by_secondary_indexes(const model::Table& table, const std::string& column, const model::Dialect& dialect) {
  if (!dialect.secondary_index_holds_primary_key) return false;
  return std::any_of(table.indexes.begin(), table.indexes.end(), [&](const model::Index& index) {
    return index.primary && index.columns.size() == 1 && lower(index.columns.front()) == lower(column) &&
           (dialect.held_primary_key_method.empty() || index.method == dialect.held_primary_key_method);
  });
}

// A last key the index holds anyway is dropped: on SQLite (org_id) is (org_id, rowid), and serves
// WHERE org_id = ? AND id > ? ORDER BY id as (org_id, id) would, in fewer bytes.
void drop_held_last_key(model::IndexCandidate& candidate, const model::Table& table, const model::Dialect& dialect) {
  if (candidate.columns.size() < 2 || candidate.is_expression(candidate.columns.size() - 1)) return;
  if (!held_by_secondary_indexes(table, candidate.columns.back(), dialect)) return;
  candidate.columns.pop_back();
  if (candidate.expression.size() > candidate.columns.size()) candidate.expression.resize(candidate.columns.size());
  if (candidate.covering_keys > 0) --candidate.covering_keys;
}

constexpr double kFewRowsPerValue = 10;

// The candidate's leading column holds at most kFewRowsPerValue rows per value (statistics).
bool leading_column_finds_few_rows(const model::Table& table, const model::IndexCandidate& candidate) {
  if (candidate.columns.empty() || candidate.is_expression(0)) return false;
  const auto* leading = table.find_column(candidate.columns.front());
  return leading && leading->distinct_values && *leading->distinct_values > 0 && table.estimated_rows &&
         *table.estimated_rows / *leading->distinct_values <= kFewRowsPerValue;
}

// A unique index (the primary key, for one) already finds the candidate's rows, a few per lookup:
// the candidate starts with all of its keys (at most one row per value), or with its leading column
// where that column holds at most kFewRowsPerValue rows per value (statistics). The candidate's
// further keys would only filter rows the unique index reaches anyway, which is rarely worth an index
// the writes must maintain. (The apply-all loop's re-audit on PostgreSQL TPC-H wanted
// orders (o_orderkey, o_orderdate) and lineitem (l_orderkey, l_shipdate), 4 lines per order, once
// the advice was applied; the first audit had not.)
bool led_by_a_unique_index(const model::Table& table, const model::IndexCandidate& candidate) {
  if (candidate.columns.size() < 2 || candidate.is_expression(0) || candidate.partial()) return false;
  const bool few_per_value = leading_column_finds_few_rows(table, candidate);
  return std::any_of(table.indexes.begin(), table.indexes.end(), [&](const model::Index& index) {
    if (!(index.primary || index.unique) || !index.predicate.empty() || index.columns.empty()) return false;
    size_t common = 0;
    while (common < index.columns.size() && common < candidate.columns.size() &&
           lower(index.columns[common]) == lower(candidate.columns[common])) {
      ++common;
    }
    return common == index.columns.size() || (common >= 1 && few_per_value);
  });
}

bool touches_table(const sql::QueryShape& shape, const std::string& table) {
  return std::any_of(shape.tables.begin(), shape.tables.end(),
                     [&](const sql::TableUsage& t) { return same_table(t.name, table); });
}

namespace {

bool has_key(const model::IndexCandidate& candidate, const std::string& column) {
  return std::any_of(candidate.columns.begin(), candidate.columns.end(),
                     [&](const std::string& key) { return lower(key) == lower(column); });
}

// Every column of `table` the statement reads, predicates first (an index can filter on them), then
// its output; empty when that is not known exactly (SELECT *, the token-level reading).
std::vector<std::string> columns_read(const sql::QueryShape& shape, const sql::TableUsage& usage) {
  std::vector<std::string> out;
  if (shape.parser != "pg_query") return out;
  for (const auto& column : usage.selected_columns) {
    if (column == "*") return out;
  }
  for (const auto& c : usage.equality_columns) add_unique(out, c);
  for (const auto& c : usage.range_columns) add_unique(out, c);
  for (const auto& c : usage.join_columns) add_unique(out, c);
  for (const auto& like : usage.likes) add_unique(out, like.column);
  for (const auto& f : usage.functions) add_unique(out, f.column);
  for (const auto& c : usage.constants) add_unique(out, c.column);
  for (const auto& c : usage.range_constants) add_unique(out, c.column);
  for (const auto& sort : usage.order_by) add_unique(out, sort.column);
  for (const auto& c : usage.group_by) add_unique(out, c);
  for (const auto& c : usage.selected_columns) add_unique(out, c);
  return out;
}

// The candidate with the statement's other columns of the table added, so that the index alone
// answers it (an index-only scan): as INCLUDE columns where the engine has them, appended to the key
// elsewhere. None when nothing is missing, a key is an expression, or more than kMostCoveringColumns
// are missing. No bound on its size here: the estimate is too coarse to compare with the table's (it
// put SQLite's (kind, at, user_id) at 311 MB beside an 8M-row table of 301 MB; it holds 223 MB), the
// planner prices the pages it reads, and --max-index-size bounds it where the user wants a bound.
std::optional<model::IndexCandidate> covering_twin(const model::IndexCandidate& candidate,
                                                   const std::vector<std::string>& read, const model::Table& table,
                                                   const model::Dialect& dialect) {
  constexpr size_t kMostCoveringColumns = 4;
  if (read.empty() || candidate.covering() || candidate.unique) return std::nullopt;
  // A search that finds a row or a few saves a heap read or a few by covering: not worth an index
  // beside the unique one (PostgreSQL plans a token lookup 50% cheaper index-only, and EXPECTED.md's
  // F2 says a unique token needs nothing more).
  if (leading_column_finds_few_rows(table, candidate)) return std::nullopt;
  const bool searches_a_unique_key =
      std::any_of(table.indexes.begin(), table.indexes.end(), [&](const model::Index& index) {
        if (!(index.primary || index.unique) || !index.predicate.empty() || index.columns.empty()) return false;
        return std::all_of(index.columns.begin(), index.columns.end(),
                           [&](const std::string& column) { return has_key(candidate, column); });
      });
  if (searches_a_unique_key) return std::nullopt;
  for (size_t i = 0; i < candidate.columns.size(); ++i) {
    if (candidate.is_expression(i)) return std::nullopt;
  }
  std::vector<std::string> missing;
  for (const auto& name : read) {
    // Not a column of the table (an ORDER BY ordinal or output alias): nothing to cover. Should a
    // real column be missed, the twin is no index-only scan and the selection narrows it back.
    const auto* column = table.find_column(name);
    if (!column) continue;
    if (has_key(candidate, column->name) || lower(column->name) == lower(candidate.where_is_null)) continue;
    if (held_by_secondary_indexes(table, column->name, dialect)) continue;
    add_unique(missing, column->name);
  }
  if (missing.empty() || missing.size() > kMostCoveringColumns) return std::nullopt;
  auto twin = candidate;
  if (dialect.index_include_columns) {
    twin.include = missing;
  } else {
    twin.columns.insert(twin.columns.end(), missing.begin(), missing.end());
    if (!twin.expression.empty()) twin.expression.resize(twin.columns.size(), false);
    if (!twin.descending.empty()) twin.descending.resize(twin.columns.size(), false);
    twin.covering_keys = missing.size();
  }
  return twin;
}

}  // namespace

std::vector<model::IndexCandidate> index_candidates(const ClassWork& work, const model::Schema& schema,
                                                    const std::string& engine, bool covering) {
  std::vector<model::IndexCandidate> out;
  std::set<std::string> seen;
  const auto& dialect_row = model::dialect_named(engine);
  auto push = [&](model::IndexCandidate c) {
    if (c.columns.empty()) return;
    // A key that cannot be rendered safely (a NUL byte, an expression holding more than one) is no candidate.
    if (!index_ddl(c, engine)) return;
    if (const auto* table = schema.find_table(c.table)) {
      drop_held_last_key(c, *table, dialect_row);
      if (led_by_a_unique_index(*table, c)) return;
    }
    if (seen.insert(key_of(c)).second) out.push_back(std::move(c));
  };
  const auto& shape = work.shape;
  if (!plannable(shape)) return out;
  std::set<std::string> order_tables;
  for (const auto& usage : shape.tables) {
    if (!usage.order_by.empty() || !usage.group_by.empty()) order_tables.insert(lower(usage.name));
  }
  for (const auto& usage : shape.tables) {
    const auto* table = schema.find_table(usage.name);
    if (!table) continue;
    const size_t first_of_table = out.size();
    auto distinct = [&](const std::string& column) {
      const auto* c = table->find_column(column);
      // Unknown (no statistics): assume selective, as an unindexed id column usually is.
      if (!c || !c->distinct_values) return table->estimated_rows.value_or(1e9);
      return *c->distinct_values;
    };
    std::vector<std::string> equalities, ranges, sorts, joins, nulls = usage.null_columns, prefixes;
    std::vector<std::string> groups = usage.group_by;
    std::vector<std::string> functions;  // expression keys compared by equality: lower(email) = ...
    // Expression keys are rendered from their parts (function, quoted column) and carry a NUL
    // prefix while they share these lists with column names, which can hold no NUL.
    const auto dialect = sql::dialect_of(engine);
    const bool expression_indexes = model::dialect_named(engine).expression_indexes;
    auto expression_key = [&](const sql::FunctionPredicate& f) -> std::string {
      if (!expression_indexes) return {};
      auto key = sql::function_key(dialect, f.function, f.column);
      return key ? std::string(1, '\0') + *key : std::string();
    };
    // `col IS NULL` makes a partial index where the engine has them; elsewhere (MariaDB/MySQL) it is
    // an equality a B-tree serves like any other (a partial candidate there was advised unverified,
    // as a full index under a _partial name: the MariaDB helpdesk benchmark).
    const bool partial_indexes = model::dialect_named(engine).partial_indexes;
    if (!partial_indexes) nulls.clear();
    for (const auto& column : usage.equality_columns) {
      bool is_null = std::find(nulls.begin(), nulls.end(), column) != nulls.end();
      if (!is_null) add_unique(equalities, column);
    }
    for (const auto& column : usage.range_columns) add_unique(ranges, column);
    for (const auto& column : usage.join_columns) add_unique(joins, column);
    for (const auto& sort : usage.order_by) add_unique(sorts, sort.column);
    // LIKE 'ab%' (or a parameter): on the column, or on lower(column) when the pattern is matched to that.
    for (const auto& like : usage.likes) {
      if (like.negated || like.leading_wildcard) continue;
      auto wrapped = std::find_if(usage.functions.begin(), usage.functions.end(), [&](const sql::FunctionPredicate& f) {
        return f.column == like.column && f.comparison == "like";
      });
      if (wrapped == usage.functions.end()) {
        add_unique(prefixes, like.column);
      } else if (wrapped->index_key) {
        if (auto key = expression_key(*wrapped); !key.empty()) add_unique(prefixes, key);
      }
    }
    for (const auto& f : usage.functions) {
      if (f.function.rfind("cast:", 0) == 0) {  // created_at::date = ...: the column itself
        if (f.comparison == "=") add_unique(equalities, f.column);
        if (f.comparison == "range") add_unique(ranges, f.column);
      } else if (f.index_key && f.comparison == "=") {
        if (auto key = expression_key(f); !key.empty()) add_unique(functions, key);
      } else if (f.index_key && f.comparison == "range") {
        if (auto key = expression_key(f); !key.empty()) add_unique(ranges, key);
      }
    }
    // Equality columns first, most selective first.
    std::stable_sort(equalities.begin(), equalities.end(),
                     [&](const std::string& a, const std::string& b) { return distinct(a) > distinct(b); });
    bool sort_here = order_tables.size() == 1 && order_tables.count(lower(table->name));
    std::string where;
    if (!nulls.empty()) where = nulls.front();
    auto make = [&](std::vector<std::string> columns, std::string null_column) {
      model::IndexCandidate c;
      c.table = table->name;
      for (auto& key : columns) {
        bool expression = !key.empty() && key[0] == '\0';
        if (expression) {
          key.erase(0, 1);
        } else if (const auto* column = table->find_column(key)) {
          key = column->name;  // the catalog's spelling: quoted as it is stored
        }
        c.columns.push_back(std::move(key));
        c.expression.push_back(expression);
      }
      if (const auto* column = table->find_column(null_column)) null_column = column->name;
      c.where_is_null = std::move(null_column);
      return c;
    };
    // Equalities, then a range or the sort.
    if (!equalities.empty()) {
      push(make(equalities, where));
      if (!ranges.empty()) {
        auto keys = equalities;
        add_unique(keys, ranges.front());
        push(make(keys, where));
      }
      if (sort_here && !sorts.empty()) {
        auto keys = equalities;
        for (const auto& s : sorts) add_unique(keys, s);
        push(make(keys, where));
      }
      if (!groups.empty()) {
        auto keys = equalities;
        for (const auto& g : groups) add_unique(keys, g);
        push(make(keys, where));
      }
    } else if (!ranges.empty()) {
      push(make({ranges.front()}, where));
    }
    if (equalities.empty() && sort_here && !sorts.empty()) push(make(sorts, where));
    // A partial index for a constant predicate that keeps few rows (status IS NULL, a queue).
    if (!where.empty() && equalities.empty() && sorts.empty()) push(make({nulls.front()}, ""));
    // Join columns: the inner side of a nested loop searches by them.
    for (const auto& join : joins) {
      // The filter, then the join column: where this table drives the join, the index alone
      // gives the key each probe of the other table needs (tasks t JOIN users u ON u.id =
      // t.assignee_id WHERE t.project_id = ?: (project_id, assignee_id)), as SQLite's .expert finds.
      if (!equalities.empty() && !held_by_secondary_indexes(*table, join, dialect_row)) {
        auto keys = equalities;
        add_unique(keys, join);
        push(make(keys, ""));
      }
      std::vector<std::string> keys{join};
      push(make(keys, ""));
      if (!equalities.empty()) {
        for (const auto& e : equalities) add_unique(keys, e);
        push(make(keys, ""));
      }
      // Then the range: each probe of the nested loop reads only the rows in range
      // (orders o ON o.customer_id = c.id WHERE o.total > ?: (customer_id, total)).
      if (!ranges.empty() && std::find(keys.begin(), keys.end(), ranges.front()) == keys.end()) {
        keys.push_back(ranges.front());
        push(make(keys, ""));
      }
    }
    // Expression keys: lower(email) = ...
    for (const auto& expression : functions) {
      std::vector<std::string> keys{expression};
      for (const auto& e : equalities) add_unique(keys, e);
      push(make(keys, ""));
    }
    // Prefix LIKE: some engines need an operator class for it (PostgreSQL unless the collation is C).
    for (const auto& prefix : prefixes) {
      auto c = make({prefix}, "");
      c.opclass = std::string(model::dialect_named(engine).prefix_like_opclass);
      c.collation = std::string(model::dialect_named(engine).prefix_like_collation);
      push(c);
    }
    // Covering twins, after every search candidate so that a twin never takes a search key's place.
    if (covering && shape.kind == sql::StatementKind::select) {
      const auto read = columns_read(shape, usage);
      // Longest keys first: where two candidates' twins are one index, its narrow twin is the longer key.
      std::vector<model::IndexCandidate> keys(out.begin() + static_cast<std::ptrdiff_t>(first_of_table), out.end());
      std::stable_sort(keys.begin(), keys.end(), [](const model::IndexCandidate& a, const model::IndexCandidate& b) {
        return a.columns.size() > b.columns.size();
      });
      for (const auto& key : keys) {
        if (auto twin = covering_twin(key, read, *table, dialect_row)) push(std::move(*twin));
      }
    }
  }
  return out;
}

std::optional<int64_t> estimated_index_bytes(const model::IndexCandidate& candidate, const model::Schema& schema) {
  const auto* table = schema.find_table(candidate.table);
  if (!table || !table->estimated_rows) return std::nullopt;
  const double rows = std::max(0.0, *table->estimated_rows);
  double average_width = 32;  // a text value when the table's size says nothing better
  if (table->size_bytes && rows > 0 && !table->columns.empty()) {
    average_width = std::clamp(static_cast<double>(*table->size_bytes) / rows / table->columns.size(), 1.0, 256.0);
  }
  auto width_of = [&](const std::string& key) {
    for (const auto& column : table->columns) {
      if (lower(column.name) != lower(key)) continue;
      std::string type = lower(column.type);
      if (type.find("bigint") != std::string::npos || type.find("int8") != std::string::npos ||
          type.find("timestamp") != std::string::npos || type.find("double") != std::string::npos ||
          type == "datetime" || type == "date" || type.find("float8") != std::string::npos)
        return 8.0;
      if (type.find("int") != std::string::npos || type == "real" || type == "float4") return 4.0;
      if (type.find("bool") != std::string::npos || type.find("tinyint") != std::string::npos) return 1.0;
      if (type.find("uuid") != std::string::npos) return 16.0;
      if (type.find("numeric") != std::string::npos || type.find("decimal") != std::string::npos) return 8.0;
      return average_width;
    }
    return average_width;  // an expression key: as wide as a typical value
  };
  double entry = 16;
  for (const auto& key : candidate.columns) entry += width_of(key);
  for (const auto& column : candidate.include) entry += width_of(column);
  return static_cast<int64_t>(rows * entry / 0.9);
}

}  // namespace dbvet::pipeline
