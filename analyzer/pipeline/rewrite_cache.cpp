#include "analyzer/pipeline/rewrite_cache.hpp"

#include <algorithm>
#include <cmath>
#include <set>

#include "analyzer/model/dialect.hpp"
#include "analyzer/sql/render.hpp"
#include "fmt/format.h"

namespace dbvet::pipeline {
namespace {

std::string lower(std::string text) {
  for (auto& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

std::vector<std::string> split_columns(const std::string& text) {
  std::vector<std::string> out;
  size_t pos = 0;
  while (pos <= text.size()) {
    size_t comma = text.find(", ", pos);
    out.push_back(text.substr(pos, comma == std::string::npos ? std::string::npos : comma - pos));
    if (comma == std::string::npos) break;
    pos = comma + 2;
  }
  return out;
}

const ClassWork* find_class(const std::vector<ClassWork>& classes, const std::string& id) {
  for (const auto& c : classes) {
    if (c.id == id) return &c;
  }
  return nullptr;
}

}  // namespace

std::vector<model::Recommendation> drop_index_recommendations(const std::vector<model::Finding>& findings,
                                                              const model::Schema& schema, const std::string& engine) {
  std::vector<model::Recommendation> out;
  std::set<std::string> done;
  for (const auto& f : findings) {
    if (f.rule != "schema-redundant-index" && f.rule != "schema-duplicate-index" && f.rule != "schema-unused-index") {
      continue;
    }
    auto evidence = [&](const char* key) {
      auto it = f.evidence.find(key);
      return it == f.evidence.end() ? std::string() : it->second;
    };
    // Statistics too young to call an index unused: the finding says so, no drop follows from it.
    if (evidence("statistics_too_young") == "true") continue;
    const std::string index = evidence("index");
    if (index.empty() || !done.insert(lower(f.table + "." + index)).second) continue;
    model::Recommendation r;
    r.type = model::RecommendationType::drop_index;
    r.table = f.table;
    r.columns = split_columns(evidence("columns"));
    r.method = "btree";
    if (const auto* t = schema.find_table(f.table)) {
      for (const auto& i : t->indexes) {
        if (i.name != index) continue;
        if (!i.method.empty()) r.method = i.method;
        if (r.columns.empty()) r.columns = i.columns;
      }
    }
    r.details["index"] = index;
    if (auto covered = evidence("covered_by"); !covered.empty()) r.details["covered_by"] = covered;
    if (auto same = evidence("duplicate_of"); !same.empty()) r.details["covered_by"] = same;
    sql::DropIndex drop;
    drop.table = f.table;
    drop.index = index;
    drop.concurrently = true;
    drop.online = true;
    const model::Dialect& dialect = model::dialect_named(engine);
    if (const auto* t = schema.find_table(f.table);
        t && dialect.qualifies_index_schema && t->schema != dialect.default_schema) {
      drop.schema = t->schema;  // the index lives in its table's schema, which may be off the search path
    }
    auto ddl = sql::drop_index(sql::dialect_of(engine), drop);
    if (!ddl) continue;  // a name no statement can hold (NUL): nothing to recommend
    r.ddl = *ddl;
    r.verified = "estimate";
    r.rationale = f.message;
    out.push_back(std::move(r));
  }
  return out;
}

std::vector<model::Recommendation> rewrite_recommendations(const std::vector<ClassWork>& classes,
                                                           const std::vector<model::Finding>& findings) {
  std::vector<model::Recommendation> out;
  std::set<std::string> done;
  for (const auto& f : findings) {
    if (!done.insert(f.rule + "|" + f.query_id).second) continue;
    const auto* work = find_class(classes, f.query_id);
    model::Recommendation r;
    r.type = model::RecommendationType::rewrite;
    r.table = f.table;
    r.queries = {f.query_id};
    r.verified = "estimate";
    r.method = f.rule;
    if (f.rule == "query-large-offset") {
      std::string key = "the sort key";
      if (work) {
        for (const auto& usage : work->shape.tables) {
          if (!usage.order_by.empty()) {
            key = usage.order_by.front().column;
            r.columns = {key};
            break;
          }
        }
      }
      r.details["suggestion"] = fmt::format("keyset pagination: WHERE {0} > :last_seen ORDER BY {0} LIMIT n", key);
    } else if (f.rule == "query-n-plus-one") {
      if (work) {
        // The key each call looks up: the first column compared by equality on the repeated table.
        const auto* usage = work->shape.find_table(f.table);
        if (!usage && !work->shape.tables.empty()) usage = &work->shape.tables.front();
        if (usage) {
          for (const auto& column : usage->equality_columns) {
            if (std::find(usage->null_columns.begin(), usage->null_columns.end(), column) ==
                usage->null_columns.end()) {
              r.columns = {column};
              break;
            }
          }
        }
      }
      std::string column = r.columns.empty() ? "id" : r.columns[0];
      r.details["suggestion"] = fmt::format(
          "one query instead of one per row: JOIN {0} to the parent query, or {1} IN (...) with every key at once",
          f.table, column);
    } else if (f.rule == "query-leading-wildcard-like") {
      r.columns = {f.evidence.count("column") ? f.evidence.at("column") : ""};
      r.details["suggestion"] =
          "a trigram index (pg_trgm GIN) on PostgreSQL, an FTS5 table on SQLite, a FULLTEXT index on MariaDB, or a "
          "prefix search (LIKE 'abc%') that a B-tree serves";
    } else if (f.rule == "query-function-on-indexed-column" && f.evidence.count("expression") &&
               f.evidence.at("expression").rfind("date(", 0) == 0) {
      std::string column = f.evidence.at("expression").substr(5);
      column.pop_back();
      r.columns = {column};
      r.details["suggestion"] = fmt::format(
          "a range the index serves: {0} >= :day AND {0} < :day + 1 day instead of date({0}) = :day", column);
    } else if (f.rule == "query-or-across-columns") {
      r.details["suggestion"] = "UNION ALL of one query per column, each served by its own index";
    } else {
      continue;
    }
    r.rationale = f.message;
    out.push_back(std::move(r));
  }
  return out;
}

std::vector<model::Recommendation> cache_recommendations(const std::vector<ClassWork>& classes,
                                                         const std::map<std::string, double>& write_share,
                                                         const model::Schema& schema,
                                                         const std::map<std::string, double>& plan_cost) {
  struct Scored {
    model::Recommendation r;
    double saved = 0;
  };
  std::vector<Scored> scored;
  double total_calls = 0;
  for (const auto& c : classes) total_calls += c.calls;
  for (const auto& c : classes) {
    if (c.shape.kind != sql::StatementKind::select || c.shape.tables.empty()) continue;
    double share = 0;
    for (const auto& t : c.shape.tables) {
      auto it = write_share.find(lower(t.name));
      if (it != write_share.end()) share = std::max(share, it->second);
    }
    bool count_all = c.shape.count_star_without_where;
    double cost = plan_cost.count(c.id) ? plan_cost.at(c.id) : 0;
    // Distinct parameter sets against calls: how often the same answer is asked for again.
    double distinct = std::max(1.0, c.distinct_parameters);
    double hit_ratio =
        count_all ? 1.0 - 1.0 / std::max(1.0, c.calls) : std::max(0.0, 1.0 - distinct / std::max(1.0, c.calls));
    if (!count_all && (share > 0.3 || c.calls < total_calls * 0.02 || hit_ratio < 0.3)) continue;
    double avg_ms = c.calls > 0 ? c.total_time_s * 1000 / c.calls : 0;
    Scored s;
    auto& r = s.r;
    r.type = model::RecommendationType::cache;
    r.table = c.shape.tables.front().name;
    r.queries = {c.id};
    r.method = count_all ? "redis-counter" : "redis-cache-aside";
    r.verified = "estimate";
    std::string tables;
    for (const auto& t : c.shape.tables) tables += (tables.empty() ? "" : ",") + t.name;
    r.details["invalidate_on"] = tables;
    r.details["hit_ratio"] = fmt::format("{:.2f}", hit_ratio);
    r.details["write_share"] = fmt::format("{:.2f}", share);
    r.details["avg_ms"] = fmt::format("{:.3f}", avg_ms);
    r.details["rows"] = fmt::format("{:.1f}", c.rows_sent_avg);
    if (count_all) {
      r.details["key"] = fmt::format("dbvet:count:{}", r.table);
      r.details["ttl_s"] = "5";
      r.details["suggestion"] = fmt::format(
          "keep the count in Redis (INCR/DECR on insert/delete of {0}) or read an estimate (pg_class.reltuples, "
          "sqlite_stat1) instead of COUNT(*) on every call",
          r.table);
    } else {
      r.details["key"] = fmt::format("dbvet:{}:{}:<parameters>", r.table, c.id.substr(0, 8));
      r.details["ttl_s"] = share > 0.05 ? "30" : "300";
      r.details["suggestion"] = fmt::format(
          "cache-aside in Redis: GET the key, on a miss run the query and SET it with "
          "the TTL; DEL on writes to {}",
          tables);
    }
    s.saved = c.calls * std::max(avg_ms, cost / 1000.0) * hit_ratio;
    r.cost_before = c.calls * cost;
    r.cost_after = c.calls * cost * (1 - hit_ratio);
    r.improvement = hit_ratio;
    r.rationale = fmt::format("{:.0f} calls, {:.0f}% answered from the cache at {:.0f}% writes on {}", c.calls,
                              hit_ratio * 100, share * 100, tables);
    (void)schema;
    scored.push_back(std::move(s));
  }
  std::sort(scored.begin(), scored.end(), [](const Scored& a, const Scored& b) { return a.saved > b.saved; });
  std::vector<model::Recommendation> out;
  for (size_t i = 0; i < scored.size() && i < 5; ++i) out.push_back(std::move(scored[i].r));
  return out;
}

}  // namespace dbvet::pipeline
