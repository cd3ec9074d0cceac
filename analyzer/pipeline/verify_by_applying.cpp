#include "analyzer/pipeline/verify_by_applying.hpp"

#include <algorithm>
#include <chrono>
#include <map>
#include <set>

#include "analyzer/sql/render.hpp"
#include "analyzer/util/ascii.hpp"
#include "fmt/format.h"

namespace dbvet::pipeline {
namespace {

std::string index_name(const model::Recommendation& r) {
  auto it = r.details.find("index");
  return it == r.details.end() ? std::string() : it->second;
}

bool applies(const model::Recommendation& r) {
  return (r.type == model::RecommendationType::index || r.type == model::RecommendationType::drop_index) &&
         !r.ddl.empty() && !index_name(r).empty();
}

std::vector<std::string> plan_indexes(const model::Plan& plan) {
  std::vector<std::string> out;
  model::visit(plan.root, [&](const model::PlanNode& node, int) {
    if (!node.index.empty()) out.push_back(util::to_lower(node.index));
  });
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

// The plan's shape: each node's depth, operation, table, index and join type, not its estimates.
std::string plan_shape(const model::Plan& plan) {
  std::string out;
  model::visit(plan.root, [&](const model::PlanNode& node, int depth) {
    out += fmt::format("{}|{}|{}|{}|{}\n", depth, node.operation, util::to_lower(node.relation),
                       util::to_lower(node.index), node.join_type);
  });
  return out;
}

bool uses(const std::vector<std::string>& indexes, const std::string& name) {
  return std::binary_search(indexes.begin(), indexes.end(), util::to_lower(name));
}

// The median time of `sql` in milliseconds, after one warm-up run.
core::Expected<double> median_ms(engines::Connection& scratch, const std::string& sql, const VerifyOptions& options) {
  std::vector<double> times;
  engines::ExecuteOptions keep_none;
  keep_none.keep_rows = 0;
  for (int run = 0; run <= options.repetitions; ++run) {
    auto started = std::chrono::steady_clock::now();
    auto done = scratch.execute(sql, keep_none);
    double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
    if (!done) return done.error();
    if (run > 0 || ms > options.max_statement_ms) times.push_back(ms);
    if (ms > options.max_statement_ms) break;
  }
  std::sort(times.begin(), times.end());
  return times[times.size() / 2];
}

bool slower_than(double before_ms, double after_ms, const VerifyOptions& options) {
  return after_ms > before_ms * (1 + options.max_slowdown) && after_ms - before_ms > options.noise_floor_ms;
}

struct Measurement {
  double ms = 0;
  std::vector<std::string> indexes;
  std::string shape;  // plan_shape
};

// The reading queries of the workload: writes are not run on the copy (their time would change it).
std::vector<const ClassWork*> timed_classes(const std::vector<ClassWork>& classes) {
  std::vector<const ClassWork*> out;
  for (const auto& work : classes) {
    if (work.shape.kind == sql::StatementKind::select && !work.sql.empty()) out.push_back(&work);
  }
  return out;
}

core::Expected<std::map<std::string, Measurement>> measure(engines::Connection& scratch,
                                                           const std::vector<const ClassWork*>& classes,
                                                           const VerifyOptions& options) {
  std::map<std::string, Measurement> out;
  for (const auto* work : classes) {
    Measurement m;
    auto plan = scratch.explain(work->sql, {});
    if (!plan) return plan.error();
    m.indexes = plan_indexes(*plan);
    m.shape = plan_shape(*plan);
    auto ms = median_ms(scratch, work->sql, options);
    if (!ms) return ms.error();
    m.ms = *ms;
    out[work->id] = std::move(m);
  }
  return out;
}

std::string undo_ddl(const model::Recommendation& r, const std::string& engine) {
  if (r.type != model::RecommendationType::index) return {};
  sql::DropIndex drop;
  drop.table = r.table;
  drop.index = index_name(r);
  auto ddl = sql::drop_index(sql::dialect_of(engine), drop);
  return ddl ? *ddl : std::string();
}

// The DDL that rebuilds an index of the target, as the engine gave it; empty when it gave none.
std::string index_definition(const model::Schema& schema, const std::string& table, const std::string& index) {
  const auto* t = schema.find_table(table);
  if (!t) return {};
  for (const auto& i : t->indexes) {
    if (util::to_lower(i.name) == util::to_lower(index)) return i.definition;
  }
  return {};
}

}  // namespace

bool reads_slower(const MeasuredQuery& query, const VerifyOptions& options) {
  return slower_than(query.before_ms, query.after_ms, options);
}

bool slower_by_the_advice(const MeasuredQuery& query, const VerifyOptions& options) {
  return !query.same_plan && reads_slower(query, options);
}

std::string format_ms(double ms) { return ms >= 1000 ? fmt::format("{:.0f}", ms) : fmt::format("{:.3g}", ms); }

core::Expected<VerifyReport> verify_by_applying(std::vector<model::Recommendation>& recommendations,
                                                const std::vector<ClassWork>& classes, engines::Connection& scratch,
                                                const VerifyOptions& options, std::vector<std::string>* notes,
                                                const model::Schema* schema) {
  const std::string engine(core::engine_name(scratch.engine()));
  auto timed = timed_classes(classes);
  auto before = measure(scratch, timed, options);
  if (!before) return before.error();

  std::map<const model::Recommendation*, std::string> why_withdrawn;
  auto withdraw = [&](const model::Recommendation& r, const std::string& why) {
    why_withdrawn[&r] = why;
    if (notes) {
      notes->push_back(fmt::format("{} of {} on {} withdrawn after applying it to a copy: {}",
                                   r.type == model::RecommendationType::index ? "index" : "drop", index_name(r),
                                   r.table, why));
    }
  };
  std::set<const model::Recommendation*> withdrawn, ddl_failed;
  // Indexes some round's plans used: one withdrawn for making a query slower was used, though the
  // last round, measured without it, no longer shows it.
  std::set<const model::Recommendation*> used_in_a_round;
  for (auto& r : recommendations) {
    if (!applies(r)) continue;
    if (auto applied = scratch.execute(r.ddl); !applied) {
      ddl_failed.insert(&r);
      withdraw(r, fmt::format("the DDL failed: {}", applied.error().message));
      withdrawn.insert(&r);
    }
  }
  // Statistics as a careful user refreshes them after creating indexes; without them SQLite plans
  // a new index with default guesses.
  if (engine == "sqlite") (void)scratch.execute("ANALYZE");

  VerifyReport report;
  std::map<std::string, Measurement> after;
  for (report.rounds = 1; report.rounds <= options.max_rounds; ++report.rounds) {
    auto measured = measure(scratch, timed, options);
    if (!measured) return measured.error();
    after = std::move(*measured);
    // A stall of the machine during one query's runs (another process, a checkpoint) reads as a
    // slowdown: six different queries once read exactly 12 ms each on a busy machine. A query that reads
    // slower is timed once more and its faster median counts, so only a slowdown seen twice withdraws.
    for (const auto* work : timed) {
      auto& now = after.at(work->id);
      const auto& was = before->at(work->id);
      if (now.shape == was.shape || !slower_than(was.ms, now.ms, options)) continue;
      auto again = median_ms(scratch, work->sql, options);
      if (!again) return again.error();
      now.ms = std::min(now.ms, *again);
    }
    // Each failing recommendation with its net gain (calls x ms saved over the queries it concerns).
    // A DDL or an unused index fails alone; of those implicated in a slower query, only the one worth
    // least is withdrawn per round, since a query's slowdown can come from another index its plan uses.
    std::vector<std::pair<model::Recommendation*, std::string>> unused;
    model::Recommendation* cheapest = nullptr;
    std::string cheapest_why;
    double cheapest_gain = 0;
    for (auto& r : recommendations) {
      if (!applies(r) || withdrawn.count(&r)) continue;
      const std::string name = index_name(r);
      bool index = r.type == model::RecommendationType::index;
      std::vector<std::string> slower;
      int users = 0;
      double gain = 0;
      for (const auto* work : timed) {
        const auto& was = before->at(work->id);
        const auto& now = after.at(work->id);
        bool concerned = index ? uses(now.indexes, name) : uses(was.indexes, name);
        if (!concerned) continue;
        ++users;
        gain += work->calls * (was.ms - now.ms);
        if (slower_than(was.ms, now.ms, options)) {
          slower.push_back(fmt::format("{} {} ms -> {} ms", work->id, format_ms(was.ms), format_ms(now.ms)));
        }
      }
      if (index && users > 0) used_in_a_round.insert(&r);
      if (index && users == 0) {
        unused.emplace_back(&r, "no query of the workload uses it");
      } else if (!slower.empty() && (!cheapest || gain < cheapest_gain)) {
        cheapest = &r;
        cheapest_gain = gain;
        cheapest_why = "slower with it (timed twice): ";
        for (size_t i = 0; i < slower.size(); ++i) cheapest_why += (i ? ", " : "") + slower[i];
      }
    }
    std::vector<model::Recommendation*> failing;
    for (auto& [r, why] : unused) {
      withdraw(*r, why);
      failing.push_back(r);
    }
    if (cheapest) {
      withdraw(*cheapest, cheapest_why);
      failing.push_back(cheapest);
    }
    if (failing.empty()) break;
    // A withdrawn drop is not undone on the copy (its index would have to be rebuilt from the
    // catalog's definition): later rounds measure with it still dropped, the cautious side.
    for (auto* r : failing) {
      withdrawn.insert(r);
      if (auto undo = undo_ddl(*r, engine); !undo.empty()) (void)scratch.execute(undo);
    }
    if (report.rounds == options.max_rounds) break;
  }

  for (const auto* work : timed) {
    MeasuredQuery q;
    q.id = work->id;
    q.calls = work->calls;
    q.before_ms = before->at(work->id).ms;
    q.after_ms = after.count(work->id) ? after.at(work->id).ms : q.before_ms;
    q.indexes_before = before->at(work->id).indexes;
    q.indexes_after = after.count(work->id) ? after.at(work->id).indexes : q.indexes_before;
    q.same_plan = !after.count(work->id) || after.at(work->id).shape == before->at(work->id).shape;
    report.workload_before_ms += q.calls * q.before_ms;
    report.workload_after_ms += q.calls * q.after_ms;
    report.queries.push_back(std::move(q));
  }
  std::vector<model::Recommendation> kept;
  for (auto& r : recommendations) {
    if (applies(r)) {
      RecommendationOutcome outcome;
      outcome.type = r.type == model::RecommendationType::index ? "index" : "drop_index";
      outcome.table = r.table;
      outcome.index = index_name(r);
      outcome.ddl_succeeded = !ddl_failed.count(&r);
      outcome.kept = !withdrawn.count(&r);
      if (auto it = why_withdrawn.find(&r); it != why_withdrawn.end()) outcome.why = it->second;
      for (const auto& q : report.queries) {
        bool concerned = r.type == model::RecommendationType::index ? uses(q.indexes_after, outcome.index)
                                                                    : uses(q.indexes_before, outcome.index);
        if (!concerned) continue;
        ++outcome.queries;
        outcome.before_ms += q.before_ms;
        outcome.after_ms += q.after_ms;
        if (slower_by_the_advice(q, options)) {
          outcome.slower.push_back(
              fmt::format("{} {} ms -> {} ms", q.id, format_ms(q.before_ms), format_ms(q.after_ms)));
        }
      }
      outcome.used = outcome.queries > 0 || used_in_a_round.count(&r) > 0;
      if (outcome.kept) {
        r.details["verified_by_applying"] =
            outcome.queries ? fmt::format("applied to a copy: {} quer{} {} ms -> {} ms (median of {})", outcome.queries,
                                          outcome.queries == 1 ? "y" : "ies", format_ms(outcome.before_ms),
                                          format_ms(outcome.after_ms), options.repetitions)
                            : "applied to a copy: no query slower";
      } else if (r.type == model::RecommendationType::drop_index && outcome.ddl_succeeded && schema) {
        if (auto ddl = index_definition(*schema, r.table, outcome.index); !ddl.empty()) (void)scratch.execute(ddl);
      }
      report.outcomes.push_back(std::move(outcome));
    }
    if (withdrawn.count(&r)) continue;
    kept.push_back(std::move(r));
  }
  recommendations = std::move(kept);
  return report;
}

}  // namespace dbvet::pipeline
