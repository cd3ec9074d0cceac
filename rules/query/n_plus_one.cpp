#include <algorithm>

#include "fmt/format.h"
#include "rules/query/query_support.hpp"
#include "rules/registry.hpp"

namespace dbvet::rules {
namespace {

// Whether the filter is a lookup of one (or a few) rows: equality on a key-like column.
bool single_row_lookup(const RuleContext& context, const sql::QueryShape& shape) {
  if (shape.kind != sql::StatementKind::select || shape.has_aggregate || shape.has_group_by || shape.order_by_random ||
      shape.tables.empty()) {
    return false;
  }
  if (shape.limit && *shape.limit == 1) return true;
  for (const auto& t : shape.tables) {
    if (!t.range_columns.empty() || !t.likes.empty()) return false;
  }
  const auto& t = shape.tables[0];
  if (t.equality_columns.empty()) return false;
  if (const auto* table = context.table(t.name)) {
    for (const auto& index : table->indexes) {
      if (!(index.unique || index.primary) || index.columns.empty()) continue;
      bool covered = std::all_of(index.columns.begin(), index.columns.end(), [&](const std::string& c) {
        return std::find(t.equality_columns.begin(), t.equality_columns.end(), c) != t.equality_columns.end();
      });
      if (covered) return true;
    }
  }
  // Without unique keys to go by: a lookup by an id-like column (pet_id = ?, id = ?).
  return std::any_of(t.equality_columns.begin(), t.equality_columns.end(), [](const std::string& c) {
    return c == "id" || (c.size() > 3 && c.compare(c.size() - 3, 3, "_id") == 0);
  });
}

class NPlusOne final : public Rule {
 public:
  NPlusOne()
      : Rule({"query-n-plus-one",
              Category::query,
              model::Severity::warning,
              "The same single-row lookup runs very many times with tiny per-call time (N+1 queries)",
              {{"min_calls", 500, "executions of the class"},
               {"max_avg_ms", 5, "mean time per call at most (each call is cheap: the cost is the round trips)"},
               {"max_rows_per_call", 10, "mean rows returned per call at most"},
               {"min_calls_per_second", 20, "peak call rate, when the source has timestamps"},
               {"min_calls_per_transaction", 3,
                "calls within one transaction of a workload run, when the source knows transactions; this "
                "evidence replaces min_calls and the call rate"}}}) {}

  std::vector<model::Finding> check(const RuleContext& context) const override {
    std::vector<model::Finding> out;
    const auto* shape = context.shape();
    if (!shape || !context.query->stats) return out;
    const auto& stats = *context.query->stats;
    if (stats.count <= 0) return out;
    std::optional<double> rate = stats.peak_calls_per_second;
    if (!rate && stats.window_s && *stats.window_s > 0) rate = stats.count / *stats.window_s;
    if (stats.max_calls_per_transaction) {
      if (*stats.max_calls_per_transaction < threshold(context, "min_calls_per_transaction")) return out;
    } else {
      if (stats.count < threshold(context, "min_calls")) return out;
      if (rate && *rate < threshold(context, "min_calls_per_second")) return out;
    }
    if (stats.avg_time_s * 1000 > threshold(context, "max_avg_ms")) return out;
    if (stats.rows_sent && *stats.rows_sent / stats.count > threshold(context, "max_rows_per_call")) return out;
    if (!single_row_lookup(context, *shape)) return out;
    const auto& t = shape->tables[0];
    std::string key;
    for (const auto& c : t.equality_columns) {
      key += key.empty() ? "" : ", ";
      key += c;
    }
    auto f = finding(context, t.name,
                     fmt::format("the same lookup of {} by {} ran {} times at {} ms each: an N+1 pattern; fetch them "
                                 "in one query (WHERE {} IN (...) or a JOIN with the list query) or cache them",
                                 t.name, key, query_support::number(stats.count),
                                 fmt::format("{:.3f}", stats.avg_time_s * 1000), key));
    f.evidence["calls"] = query_support::number(stats.count);
    f.evidence["avg_ms"] = fmt::format("{:.3f}", stats.avg_time_s * 1000);
    f.evidence["total_s"] = fmt::format("{:.3f}", stats.total_time_s);
    f.evidence["lookup_columns"] = key;
    if (rate) f.evidence["calls_per_second"] = fmt::format("{:.1f}", *rate);
    if (stats.max_calls_per_transaction) {
      f.evidence["calls_per_transaction"] = query_support::number(*stats.max_calls_per_transaction);
    }
    out.push_back(std::move(f));
    return out;
  }
};

}  // namespace

std::unique_ptr<Rule> make_query_n_plus_one() { return std::make_unique<NPlusOne>(); }

}  // namespace dbvet::rules
