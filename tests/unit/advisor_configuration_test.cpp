// Choosing the index set for the whole workload: every candidate offered to the planner at once,
// the used ones kept, then each dropped while no query plans markedly costlier without it. The
// fake planner below stands in for HypoPG or the SQLite copy: it picks the best of what it is given.

#include <gtest/gtest.h>

#include <algorithm>
#include <functional>
#include <tuple>

#include "analyzer/pipeline/index_advisor.hpp"

namespace dbvet::pipeline {
namespace {

model::Schema schema_of(const std::vector<std::pair<std::string, std::vector<std::string>>>& tables) {
  model::Schema schema;
  for (const auto& [name, columns] : tables) {
    model::Table table;
    table.name = name;
    table.estimated_rows = 100000;
    for (const auto& c : columns) {
      model::Column column;
      column.name = c;
      column.type = "INTEGER";
      table.columns.push_back(column);
    }
    schema.tables.push_back(table);
  }
  return schema;
}

ClassWork work_of(const std::string& id, const std::string& sql, const model::Schema& schema, double calls = 1) {
  ClassWork work;
  work.id = id;
  work.sql = sql;
  work.calls = calls;
  work.shape = sql::analyze_query(sql, &schema).value();
  return work;
}

// Plans a statement as `planner(sql, offered index names)` says: the cost, and the names it uses.
// An existing index hidden from the plan is in the names as "hidden:NAME".
class FakePlanner final : public model::WhatIf {
 public:
  using Planner =
      std::function<std::pair<double, std::vector<std::string>>(const std::string&, const std::vector<std::string>&)>;
  // The plan the fake returns, for the advisor's look at what each table's reading costs.
  using PlanMaker = std::function<model::Plan(const std::vector<std::string>&)>;
  explicit FakePlanner(Planner planner, PlanMaker plan_maker = {})
      : planner_(std::move(planner)), plan_maker_(std::move(plan_maker)) {}
  std::string method() const override { return "fake"; }
  core::Expected<model::WhatIfResult> plan_with(const std::string& sql, const std::vector<model::IndexCandidate>& add,
                                                const std::vector<std::string>& hide) override {
    std::vector<std::string> names;
    for (const auto& c : add) names.push_back(c.name());
    for (const auto& h : hide) names.push_back("hidden:" + h);
    auto [cost, used] = planner_(sql, names);
    ++calls;
    model::WhatIfResult result;
    result.cost = cost;
    result.used_candidates = used;
    if (plan_maker_) result.plan = plan_maker_(names);
    return result;
  }
  int calls = 0;

 private:
  Planner planner_;
  PlanMaker plan_maker_;
};

bool offered(const std::vector<std::string>& names, const std::string& name) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

std::vector<std::string> recommended(const std::vector<model::Recommendation>& out) {
  std::vector<std::string> names;
  for (const auto& r : out) names.push_back(r.details.at("index"));
  std::sort(names.begin(), names.end());
  return names;
}

// The MariaDB sandbox's way: one candidate at a time, under --max-indexes `max_indexes`.
IndexAdvisorOptions per_candidate_options(size_t max_indexes) {
  IndexAdvisorOptions options;
  options.engine = "mariadb";
  options.selection = IndexAdvisorOptions::Selection::per_candidate;
  options.max_indexes = max_indexes;
  return options;
}

bool noted(const std::vector<std::string>& notes, const std::string& text) {
  return std::any_of(notes.begin(), notes.end(),
                     [&](const std::string& n) { return n.find(text) != std::string::npos; });
}

TEST(AdvisorConfiguration, AWiderIndexThatServesBothQueriesReplacesTheNarrowOne) {
  auto schema = schema_of({{"t", {"id", "a", "b"}}});
  std::vector<ClassWork> classes{work_of("q1", "SELECT id FROM t WHERE a = 1", schema),
                                 work_of("q2", "SELECT id FROM t WHERE a = 1 AND b > 5", schema)};
  FakePlanner planner([](const std::string& sql, const std::vector<std::string>& names) {
    bool range = sql.find("b >") != std::string::npos;
    if (offered(names, "dbvet_t_a_b")) return std::pair<double, std::vector<std::string>>{10, {"dbvet_t_a_b"}};
    if (offered(names, "dbvet_t_a"))
      return std::pair<double, std::vector<std::string>>{range ? 30.0 : 10.0, {"dbvet_t_a"}};
    return std::pair<double, std::vector<std::string>>{1000, {}};
  });
  IndexAdvisorOptions options;
  options.engine = "postgres";
  auto out = advise_indexes(classes, schema, planner, options);
  EXPECT_EQ(recommended(out), std::vector<std::string>{"dbvet_t_a_b"});
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].queries.size(), 2u);
  EXPECT_DOUBLE_EQ(*out[0].cost_before, 2000);
  EXPECT_DOUBLE_EQ(*out[0].cost_after, 20);
}

// A covering twin ((a) INCLUDE (b) on PostgreSQL) is offered beside its key; the planner takes it
// whenever it is cheaper at all, so it is narrowed back to (a) unless some query plans min_improvement
// cheaper with the covering columns than without.
TEST(AdvisorConfiguration, ACoveringIndexStaysOnlyWhereItsColumnsPay) {
  auto schema = schema_of({{"t", {"id", "a", "b"}}});
  std::vector<ClassWork> classes{work_of("q1", "SELECT b FROM t WHERE a = 1", schema)};
  for (double covered_cost : {85.0, 50.0}) {
    FakePlanner planner([&](const std::string&, const std::vector<std::string>& names) {
      if (offered(names, "dbvet_t_a_incl_b"))
        return std::pair<double, std::vector<std::string>>{covered_cost, {"dbvet_t_a_incl_b"}};
      if (offered(names, "dbvet_t_a")) return std::pair<double, std::vector<std::string>>{100, {"dbvet_t_a"}};
      return std::pair<double, std::vector<std::string>>{1000, {}};
    });
    IndexAdvisorOptions options;
    options.engine = "postgres";
    std::vector<std::string> notes;
    auto out = advise_indexes(classes, schema, planner, options, &notes);
    ASSERT_EQ(out.size(), 1u) << covered_cost;
    if (covered_cost == 85.0) {
      EXPECT_EQ(recommended(out), std::vector<std::string>{"dbvet_t_a"});
      EXPECT_TRUE(out[0].include.empty());
      bool said = false;
      for (const auto& n : notes) said = said || n.find("dbvet_t_a_incl_b: narrowed to dbvet_t_a") != std::string::npos;
      EXPECT_TRUE(said);
    } else {
      EXPECT_EQ(recommended(out), std::vector<std::string>{"dbvet_t_a_incl_b"});
      EXPECT_EQ(out[0].include, std::vector<std::string>{"b"});
      EXPECT_NE(out[0].ddl.find("INCLUDE (b)"), std::string::npos) << out[0].ddl;
    }
  }
}

// Beside an existing index on its key, a covering index is a second copy of the key: it must plan
// twice min_improvement cheaper (the re-audit after the advice on PostgreSQL shop wanted (status)
// INCLUDE (...) beside the (status) it had just created, 27% cheaper).
// Beside `existing` (on t), the candidate `index` serves `sql` alone: planned 30% cheaper than through
// `existing` it is left out with a note starting `note`, 50% cheaper it is advised.
void expect_twice_min_improvement_beside(const std::vector<std::string>& existing_columns, const std::string& sql,
                                         const std::string& index, const std::string& note) {
  auto schema = schema_of({{"t", {"id", "a", "b", "c"}}});
  model::Index existing;
  existing.name = "idx_t";
  existing.table = "t";
  existing.columns = existing_columns;
  schema.tables[0].indexes.push_back(existing);
  std::vector<ClassWork> classes{work_of("q1", sql, schema)};
  for (double cost : {70.0, 50.0}) {
    FakePlanner planner([&](const std::string&, const std::vector<std::string>& names) {
      if (offered(names, index)) return std::pair<double, std::vector<std::string>>{cost, {index}};
      return std::pair<double, std::vector<std::string>>{100, {}};  // through idx_t
    });
    IndexAdvisorOptions options;
    options.engine = "postgres";
    std::vector<std::string> notes;
    auto out = advise_indexes(classes, schema, planner, options, &notes);
    if (cost == 70.0) {
      EXPECT_TRUE(out.empty()) << ::testing::PrintToString(recommended(out));
      bool said = false;
      for (const auto& n : notes) said = said || n.find(note) == 0;
      EXPECT_TRUE(said) << ::testing::PrintToString(notes);
    } else {
      EXPECT_EQ(recommended(out), std::vector<std::string>{index});
    }
  }
}

TEST(AdvisorConfiguration, ACoveringIndexBesideAnExistingIndexOnItsKeyMustPayTwice) {
  expect_twice_min_improvement_beside({"a"}, "SELECT b FROM t WHERE a = 1", "dbvet_t_a_incl_b",
                                      "dbvet_t_a_incl_b: left out, an existing index has its key");
}

// The apply-all loop's re-audit on PostgreSQL (shop): the advice held (status) and (status, placed_at),
// the planner preferring the narrow one for status alone, and the re-audit then said drop (status).
// The advice never holds an index that another advised index makes redundant.
TEST(AdvisorConfiguration, AnIndexWhoseKeyLeadsAnotherAdvisedOneIsLeftOut) {
  auto schema = schema_of({{"t", {"id", "a", "b"}}});
  std::vector<ClassWork> classes{work_of("q1", "SELECT id FROM t WHERE a = 1", schema),
                                 work_of("q2", "SELECT id FROM t WHERE a = 1 AND b > 5", schema)};
  FakePlanner planner([](const std::string& sql, const std::vector<std::string>& names) {
    bool range = sql.find("b >") != std::string::npos;
    if (range && offered(names, "dbvet_t_a_b")) return std::pair<double, std::vector<std::string>>{10, {"dbvet_t_a_b"}};
    if (!range && offered(names, "dbvet_t_a")) return std::pair<double, std::vector<std::string>>{5, {"dbvet_t_a"}};
    if (offered(names, "dbvet_t_a_b")) return std::pair<double, std::vector<std::string>>{10, {"dbvet_t_a_b"}};
    return std::pair<double, std::vector<std::string>>{1000, {}};
  });
  IndexAdvisorOptions options;
  options.engine = "postgres";
  std::vector<std::string> notes;
  auto out = advise_indexes(classes, schema, planner, options, &notes);
  EXPECT_EQ(recommended(out), std::vector<std::string>{"dbvet_t_a_b"});
  bool said = false;
  for (const auto& n : notes) said = said || n.find("dbvet_t_a: left out, dbvet_t_a_b") != std::string::npos;
  EXPECT_TRUE(said);
}

// The apply-all loop on the SQLite sample: the advice dropped idx_pets_owner (owner_id) as a prefix
// of (owner_id, created_at), but on SQLite (owner_id) ends with the rowid and served a GROUP BY on it;
// the re-audit then found (owner_id, pet_id, name) worth having. An index the advice drops is planned
// as absent and serves no candidate, so the first pass gives what the second would.
TEST(AdvisorConfiguration, AnIndexTheAdviceDropsIsPlannedAsAbsent) {
  auto schema = schema_of({{"t", {"id", "a", "b"}}});
  model::Index existing;
  existing.name = "idx_t_a";
  existing.table = "t";
  existing.columns = {"a"};
  schema.tables[0].indexes.push_back(existing);
  std::vector<ClassWork> classes{work_of("q1", "SELECT id, b FROM t WHERE a = 1 GROUP BY id, b", schema, 4)};
  FakePlanner planner([](const std::string&, const std::vector<std::string>& names) {
    if (offered(names, "dbvet_t_a_id_b")) return std::pair<double, std::vector<std::string>>{100, {"dbvet_t_a_id_b"}};
    if (!offered(names, "hidden:IDX_T_A")) return std::pair<double, std::vector<std::string>>{110, {}};
    return std::pair<double, std::vector<std::string>>{200, {}};  // sorts for the GROUP BY
  });
  IndexAdvisorOptions options;
  options.engine = "sqlite";
  EXPECT_TRUE(advise_indexes(classes, schema, planner, options).empty());
  options.hidden = {"IDX_T_A"};
  auto out = advise_indexes(classes, schema, planner, options);
  ASSERT_EQ(recommended(out), std::vector<std::string>{"dbvet_t_a_id_b"});
  EXPECT_DOUBLE_EQ(*out[0].cost_before, 800);
  EXPECT_DOUBLE_EQ(*out[0].cost_after, 400);
}

// The same on the per-candidate path (the MariaDB sandbox): (a) was chosen first, for its many calls,
// then (a, b) for the range; the apply-all loop's re-audit on MariaDB helpdesk then said drop (a).
TEST(AdvisorConfiguration, PerCandidateAdviceHoldsNoIndexWhoseKeyLeadsAnother) {
  auto schema = schema_of({{"t", {"id", "a", "b"}}});
  std::vector<ClassWork> classes{work_of("q1", "SELECT id FROM t WHERE a = 1", schema, 10),
                                 work_of("q2", "SELECT id FROM t WHERE a = 1 AND b > 5", schema)};
  FakePlanner planner([](const std::string& sql, const std::vector<std::string>& names) {
    bool range = sql.find("b >") != std::string::npos;
    if (offered(names, "dbvet_t_a"))
      return std::pair<double, std::vector<std::string>>{range ? 30.0 : 5.0, {"dbvet_t_a"}};
    if (offered(names, "dbvet_t_a_b")) return std::pair<double, std::vector<std::string>>{10, {"dbvet_t_a_b"}};
    return std::pair<double, std::vector<std::string>>{1000, {}};
  });
  IndexAdvisorOptions options;
  options.engine = "mariadb";
  options.selection = IndexAdvisorOptions::Selection::per_candidate;
  std::vector<std::string> notes;
  EXPECT_EQ(recommended(advise_indexes(classes, schema, planner, options, &notes)),
            std::vector<std::string>{"dbvet_t_a_b"});
}

// A join that needs an index on each side: either alone leaves the plan almost as costly (the outer
// table is still read whole, or each probe of the inner one still scans), so judged one at a time
// neither earns its place. Offered together the planner uses both, and each is needed.
// The per-candidate path (the MariaDB sandbox) took every candidate with any gain over the indexes
// chosen before it: helpdesk's 20 indexes went to 14 variants of tickets (org_id, ...), and the
// cheaper tables' queries kept their full scans. Like the configuration path, it now asks that some
// query plans min_improvement cheaper than before the index.
TEST(AdvisorConfiguration, PerCandidateAdviceLeavesOutAnIndexThatAddsOnlyAMarginalGain) {
  auto schema = schema_of({{"t", {"id", "a", "b"}}});
  std::vector<ClassWork> classes{work_of("q1", "SELECT id FROM t WHERE a = 1 AND b > 5", schema),
                                 work_of("q2", "SELECT id FROM t WHERE b > 5", schema)};
  FakePlanner planner([](const std::string& sql, const std::vector<std::string>& names) {
    bool q1 = sql.find("a = 1") != std::string::npos;
    if (q1 && offered(names, "dbvet_t_a_b")) return std::pair<double, std::vector<std::string>>{10, {"dbvet_t_a_b"}};
    if (offered(names, "dbvet_t_b")) return std::pair<double, std::vector<std::string>>{q1 ? 11.5 : 10, {"dbvet_t_b"}};
    if (q1 && offered(names, "dbvet_t_a")) return std::pair<double, std::vector<std::string>>{15, {"dbvet_t_a"}};
    return std::pair<double, std::vector<std::string>>{1000, {}};
  });
  IndexAdvisorOptions options;
  options.engine = "mariadb";
  options.selection = IndexAdvisorOptions::Selection::per_candidate;
  std::vector<std::string> notes;
  auto out = advise_indexes(classes, schema, planner, options, &notes);
  EXPECT_EQ(recommended(out), std::vector<std::string>{"dbvet_t_b"});
  bool said = false;
  for (const auto& n : notes)
    said = said || n.find("dbvet_t_a_b: left out, no query plans 20% cheaper") != std::string::npos;
  EXPECT_TRUE(said);
}

// The per-candidate path ranked candidates once, by the time each saves alone, and took them in that
// order: under --max-indexes a second variant of the big table's index, saving little once the first
// was chosen, took the slot of an index that removes another table's scan (MariaDB helpdesk: 14 of
// 20 indexes on tickets, comments and customers left scanning). It now takes the candidate that
// saves the most beyond the indexes chosen before it.
TEST(AdvisorConfiguration, PerCandidateAdviceChoosesByTheGainBeyondTheIndexesChosenBefore) {
  auto schema = schema_of({{"t", {"id", "a", "b", "c"}}, {"u", {"id", "d"}}});
  std::vector<ClassWork> classes{work_of("q1", "SELECT id FROM t WHERE a = 1 AND b > 5", schema, 10),
                                 work_of("q2", "SELECT id FROM t WHERE a = 1 AND c > 5", schema, 10),
                                 work_of("q3", "SELECT id FROM u WHERE d = 1", schema, 1)};
  FakePlanner planner([](const std::string& sql, const std::vector<std::string>& names) {
    using Plan = std::pair<double, std::vector<std::string>>;
    const bool q1 = sql.find("b >") != std::string::npos, q2 = sql.find("c >") != std::string::npos;
    const std::string own = q1 ? "dbvet_t_a_b" : "dbvet_t_a_c", other = q1 ? "dbvet_t_a_c" : "dbvet_t_a_b";
    if (q1 || q2) {
      if (offered(names, own)) return Plan{10, {own}};
      for (const auto& name : {other, std::string("dbvet_t_a")}) {
        if (offered(names, name)) return Plan{13, {name}};  // the prefix a serves, the range is filtered
      }
      return Plan{1000, {}};
    }
    if (offered(names, "dbvet_u_d")) return Plan{10, {"dbvet_u_d"}};
    return Plan{1000, {}};
  });
  std::vector<std::string> notes;
  auto out = advise_indexes(classes, schema, planner, per_candidate_options(2), &notes);
  EXPECT_EQ(recommended(out), (std::vector<std::string>{"dbvet_t_a_b", "dbvet_u_d"}));
  EXPECT_TRUE(noted(notes, "dbvet_t_a_c: left out by --max-indexes 2")) << ::testing::PrintToString(notes);
}

// Judged one at a time against today's indexes, an index on a join's outer table barely changes a
// plan that scans the inner one; once the inner table's index is chosen it makes the join much
// cheaper. The apply-all loop's re-audit on MariaDB saas found such an index, projects (tenant_id,
// name), after tasks (project_id, ...) was applied: the per-candidate path now plans each join a
// chosen index serves again with it in place, and takes the best candidate that pays there.
TEST(AdvisorConfiguration, PerCandidateAdviceLooksAgainAtAJoinOnceAChosenIndexServesIt) {
  auto schema = schema_of({{"projects", {"id", "tenant_id", "name"}}, {"tasks", {"id", "project_id"}}});
  std::vector<ClassWork> classes{
      work_of("q1", "SELECT count(*) FROM tasks WHERE project_id = 5", schema),
      work_of("q2",
              "SELECT p.name, count(*) FROM projects p JOIN tasks t ON t.project_id = p.id WHERE p.tenant_id = 9 "
              "GROUP BY p.name",
              schema)};
  FakePlanner planner([](const std::string& sql, const std::vector<std::string>& names) {
    using Plan = std::pair<double, std::vector<std::string>>;
    const bool probe = offered(names, "dbvet_tasks_projectid");
    if (sql.find("JOIN") == std::string::npos) return probe ? Plan{10, {"dbvet_tasks_projectid"}} : Plan{1000, {}};
    const bool outer = offered(names, "dbvet_projects_tenantid_name");
    if (probe && outer) return Plan{20, {"dbvet_tasks_projectid", "dbvet_projects_tenantid_name"}};
    if (probe) return Plan{100, {"dbvet_tasks_projectid"}};
    if (outer) return Plan{950, {"dbvet_projects_tenantid_name"}};  // 5% cheaper alone: not worth it
    return Plan{1000, {}};
  });
  IndexAdvisorOptions options;
  options.engine = "mariadb";
  options.selection = IndexAdvisorOptions::Selection::per_candidate;
  auto out = advise_indexes(classes, schema, planner, options);
  ASSERT_EQ(recommended(out), (std::vector<std::string>{"dbvet_projects_tenantid_name", "dbvet_tasks_projectid"}));
  for (const auto& r : out) {
    if (r.details.at("index") != "dbvet_projects_tenantid_name") continue;
    EXPECT_EQ(r.queries, std::vector<std::string>{"q2"});
    EXPECT_DOUBLE_EQ(*r.cost_before, 100);  // with tasks (project_id) in place
    EXPECT_DOUBLE_EQ(*r.cost_after, 20);
  }
}

// The second look's join index competes for --max-indexes by its gain, like the greedy picks: on
// MariaDB helpdesk under --max-indexes 30, agents (email), which ended a join's full scan of agents
// (gain 20473), was left out because picks gaining 16 to 500 had taken every slot first.
TEST(AdvisorConfiguration, PerCandidateAdviceCapsTheGreedyPicksAndTheJoinIndexesByTheirGain) {
  auto schema = schema_of(
      {{"projects", {"id", "tenant_id", "name"}}, {"tasks", {"id", "project_id"}}, {"tags", {"id", "label"}}});
  std::vector<ClassWork> classes{
      work_of("q1", "SELECT count(*) FROM tasks WHERE project_id = 5", schema),
      work_of("q2",
              "SELECT p.name, count(*) FROM projects p JOIN tasks t ON t.project_id = p.id WHERE p.tenant_id = 9 "
              "GROUP BY p.name",
              schema),
      work_of("q3", "SELECT id FROM tags WHERE label = 'x'", schema)};
  FakePlanner planner([](const std::string& sql, const std::vector<std::string>& names) {
    using Plan = std::pair<double, std::vector<std::string>>;
    if (sql.find("tags") != std::string::npos) {
      return offered(names, "dbvet_tags_label") ? Plan{50, {"dbvet_tags_label"}} : Plan{100, {}};
    }
    const bool probe = offered(names, "dbvet_tasks_projectid");
    if (sql.find("JOIN") == std::string::npos) return probe ? Plan{10, {"dbvet_tasks_projectid"}} : Plan{1000, {}};
    const bool outer = offered(names, "dbvet_projects_tenantid_name");
    if (probe && outer) return Plan{20, {"dbvet_tasks_projectid", "dbvet_projects_tenantid_name"}};
    if (probe) return Plan{100, {"dbvet_tasks_projectid"}};
    if (outer) return Plan{950, {"dbvet_projects_tenantid_name"}};
    return Plan{1000, {}};
  });
  std::vector<std::string> notes;
  auto out = advise_indexes(classes, schema, planner, per_candidate_options(2), &notes);
  // The join index gains 80 (100 -> 20), tags (label) 50 (100 -> 50): tags (label) gives way.
  EXPECT_EQ(recommended(out), (std::vector<std::string>{"dbvet_projects_tenantid_name", "dbvet_tasks_projectid"}));
  EXPECT_TRUE(noted(notes, "dbvet_tags_label: left out by --max-indexes 2")) << ::testing::PrintToString(notes);
}

TEST(AdvisorConfiguration, IndexesThatOnlyPayTogetherAreBothRecommended) {
  auto schema = schema_of({{"customers", {"id", "country"}}, {"orders", {"id", "customer_id", "total"}}});
  std::vector<ClassWork> classes{work_of(
      "q1", "SELECT c.id FROM customers c, orders o WHERE o.customer_id = c.id AND c.country = 'JP' AND o.total > 9",
      schema)};
  FakePlanner planner([](const std::string&, const std::vector<std::string>& names) {
    bool country = offered(names, "dbvet_customers_country");
    bool probe = offered(names, "dbvet_orders_customerid_total");
    if (country && probe) {
      return std::pair<double, std::vector<std::string>>{10,
                                                         {"dbvet_customers_country", "dbvet_orders_customerid_total"}};
    }
    if (probe) return std::pair<double, std::vector<std::string>>{900, {"dbvet_orders_customerid_total"}};
    return std::pair<double, std::vector<std::string>>{1000, {}};
  });
  IndexAdvisorOptions options;
  options.engine = "sqlite";
  auto out = advise_indexes(classes, schema, planner, options);
  EXPECT_EQ(recommended(out), (std::vector<std::string>{"dbvet_customers_country", "dbvet_orders_customerid_total"}));

  // Judged one candidate at a time (the MariaDB sandbox's way), neither pays 20% on its own.
  options.selection = IndexAdvisorOptions::Selection::per_candidate;
  EXPECT_TRUE(advise_indexes(classes, schema, planner, options).empty());
}

TEST(AdvisorConfiguration, MaxIndexesKeepsTheMostValuableAndSaysWhatWasLeftOut) {
  auto schema = schema_of({{"t", {"id", "a"}}, {"u", {"id", "b"}}});
  std::vector<ClassWork> classes{work_of("q1", "SELECT id FROM t WHERE a = 1", schema, 100),
                                 work_of("q2", "SELECT id FROM u WHERE b = 1", schema, 1)};
  FakePlanner planner([](const std::string& sql, const std::vector<std::string>& names) {
    for (const char* name : {"dbvet_t_a", "dbvet_u_b"}) {
      if (offered(names, name)) return std::pair<double, std::vector<std::string>>{10, {name}};
    }
    (void)sql;
    return std::pair<double, std::vector<std::string>>{1000, {}};
  });
  IndexAdvisorOptions options;
  options.engine = "sqlite";
  options.max_indexes = 1;
  std::vector<std::string> notes;
  auto out = advise_indexes(classes, schema, planner, options, &notes);
  EXPECT_EQ(recommended(out), std::vector<std::string>{"dbvet_t_a"});
  ASSERT_FALSE(notes.empty());
  EXPECT_NE(notes.back().find("dbvet_u_b: left out by --max-indexes 1"), std::string::npos) << notes.back();
}

TEST(AdvisorConfiguration, ExcludedAndExistingIndexesAreNeverOffered) {
  auto schema = schema_of({{"t", {"id", "a", "b"}}});
  model::Index existing;
  existing.name = "t_a_b";
  existing.table = "t";
  existing.columns = {"a", "b"};
  schema.tables[0].indexes.push_back(existing);
  std::vector<ClassWork> classes{work_of("q1", "SELECT id FROM t WHERE a = 1 AND b = 2", schema)};
  std::vector<std::string> seen;
  FakePlanner planner([&](const std::string&, const std::vector<std::string>& names) {
    seen.insert(seen.end(), names.begin(), names.end());
    return std::pair<double, std::vector<std::string>>{1000, {}};
  });
  IndexAdvisorOptions options;
  options.engine = "sqlite";
  EXPECT_TRUE(advise_indexes(classes, schema, planner, options).empty());
  EXPECT_FALSE(offered(seen, "dbvet_t_a_b"));  // the existing t_a_b has these keys
  EXPECT_FALSE(offered(seen, "dbvet_t_a"));
}

// Every write to a table maintains its indexes: an index on a table that is mostly written must save
// more to be kept. A marginal index (40% cheaper) is kept on a table only read and left out, with a
// note, where three statements in four write; an index that makes its query 99% cheaper is kept there.
TEST(AdvisorConfiguration, AMarginalIndexOnAWriteHeavyTableIsLeftOut) {
  auto schema = schema_of({{"w", {"id", "a", "c"}}, {"r", {"id", "b"}}});
  std::vector<ClassWork> classes{work_of("q1", "SELECT id FROM w WHERE a = 1", schema),
                                 work_of("q2", "SELECT id FROM r WHERE b = 1", schema),
                                 work_of("q3", "SELECT id FROM w WHERE c = 1", schema)};
  // The filter each index serves, and the plan cost with it (1000 without).
  const std::vector<std::tuple<std::string, std::string, double>> serves{
      {"a = 1", "dbvet_w_a", 600}, {"b = 1", "dbvet_r_b", 600}, {"c = 1", "dbvet_w_c", 10}};
  FakePlanner planner([&](const std::string& sql, const std::vector<std::string>& names) {
    for (const auto& [filter, name, cost] : serves) {
      if (sql.find(filter) != std::string::npos && offered(names, name)) {
        return std::pair<double, std::vector<std::string>>{cost, {name}};
      }
    }
    return std::pair<double, std::vector<std::string>>{1000, {}};
  });
  IndexAdvisorOptions options;
  options.engine = "postgres";
  EXPECT_EQ(recommended(advise_indexes(classes, schema, planner, options)),
            (std::vector<std::string>{"dbvet_r_b", "dbvet_w_a", "dbvet_w_c"}));

  options.write_share = {{"w", 0.75}, {"r", 0.0}};
  std::vector<std::string> notes;
  auto out = advise_indexes(classes, schema, planner, options, &notes);
  EXPECT_EQ(recommended(out), (std::vector<std::string>{"dbvet_r_b", "dbvet_w_c"}));
  bool noted = std::any_of(notes.begin(), notes.end(), [](const std::string& n) {
    return n.find("dbvet_w_a: left out, 75% of the statements on w write") != std::string::npos &&
           n.find("60% cheaper") != std::string::npos;
  });
  EXPECT_TRUE(noted) << ::testing::PrintToString(notes);
}

// A planner that guesses (SQLite without sqlite_stat4) can take an index meant for one query for
// another, and run that one slower than with no advice (helpdesk: status = 'closed' through
// (status, agent_id), 4x its scan). The harmful index is left out while every candidate is still on
// offer, so the planner turns to the one that serves both ((a) here, as (customer_id, status) was
// on helpdesk), not to nothing.
TEST(AdvisorConfiguration, AnIndexThatMakesAQueryCostlierThanNoAdviceIsLeftOutForAnother) {
  auto schema = schema_of({{"t", {"id", "a", "b"}}});
  std::vector<ClassWork> classes{work_of("q1", "SELECT id FROM t WHERE a = 1", schema),
                                 work_of("q2", "SELECT id FROM t WHERE b = 1", schema),
                                 work_of("q3", "SELECT id FROM t WHERE a = 1 AND b = 1", schema)};
  FakePlanner planner([](const std::string& sql, const std::vector<std::string>& names) {
    using Plan = std::pair<double, std::vector<std::string>>;
    bool both = sql.find("a = 1 AND b = 1") != std::string::npos;
    bool on_a = sql.find("a = 1") != std::string::npos;
    if (on_a && offered(names, "dbvet_t_a_b")) return Plan{both ? 10.0 : 3000.0, {"dbvet_t_a_b"}};
    if (on_a && offered(names, "dbvet_t_a")) return Plan{both ? 50.0 : 10.0, {"dbvet_t_a"}};
    if (!on_a && offered(names, "dbvet_t_b")) return Plan{10, {"dbvet_t_b"}};
    return Plan{1000, {}};
  });
  IndexAdvisorOptions options;
  options.engine = "sqlite";
  std::vector<std::string> notes;
  auto out = advise_indexes(classes, schema, planner, options, &notes);
  EXPECT_EQ(recommended(out), (std::vector<std::string>{"dbvet_t_a", "dbvet_t_b"}));
  EXPECT_TRUE(std::any_of(notes.begin(), notes.end(), [](const std::string& n) {
    return n.find("dbvet_t_a_b: left out, q1 plans 200% costlier with it than without advice") != std::string::npos;
  }));
}

model::PlanNode scan_of(const std::string& table, double cost, double rows = 100) {
  model::PlanNode node;
  node.operation = "Seq Scan";
  node.relation = table;
  node.total_cost = cost;
  node.plan_rows = rows;
  return node;
}

// Beside an existing sibling (led by the same column, neither a prefix of the other), an index holds a
// second copy of their shared columns: it must plan twice min_improvement cheaper (the re-audit of
// PostgreSQL TPC-H wanted part (p_container, p_brand, p_partkey), 23% cheaper, beside the advised
// (p_container, p_brand, p_size)).
TEST(AdvisorConfiguration, AnIndexBesideAnExistingSiblingMustPayTwice) {
  expect_twice_min_improvement_beside({"a", "b"}, "SELECT id FROM t WHERE a = 1 AND c = 2", "dbvet_t_a_c",
                                      "dbvet_t_a_c: left out, beside idx_t (also led by a)");
}

// A join judged by its tables: on PostgreSQL shop, customers (country) made
// `customers c, orders o WHERE o.customer_id = c.id AND c.country = 'JP' AND o.total > 49000` plan 16%
// cheaper, below min_improvement, while it read customers 44% cheaper (417 -> 232) and ran twice as
// fast. It is advised. Not advised: an index that saves as big a share of a small table's reading but
// under half min_improvement of the statement; one whose inner-loop reading, times the outer rows,
// costs more than it saves; and one beside an existing index led by the same column (it refines a path
// the table has, as TPC-H's re-audit wanted lineitem (l_partkey, l_quantity) beside (l_partkey)).
TEST(AdvisorConfiguration, AJoinNeedsAnIndexThatMakesItsTableMarkedlyCheaperToRead) {
  struct Case {
    std::string name;
    double customers_without, customers_with;
    bool nested_loop;           // customers read on the inner side, per loop, 100 outer rows
    bool beside_country_index;  // customers has an index (country) already; the query also filters tier
    bool advised;
  };
  for (const auto& c : std::vector<Case>{{"hash join", 417, 232, false, false, true},
                                         {"small table", 30, 12, false, false, false},
                                         {"inner loop", 20, 17, true, false, false},
                                         {"beside an index led by country", 417, 232, false, true, false}}) {
    auto schema = schema_of({{"customers", {"id", "country", "tier"}}, {"orders", {"id", "customer_id", "total"}}});
    std::string sql =
        "SELECT c.id FROM customers c, orders o WHERE o.customer_id = c.id AND c.country = 'JP' AND o.total > 49000";
    std::string index = "dbvet_customers_country";
    if (c.beside_country_index) {
      model::Index existing;
      existing.name = "idx_customers_country";
      existing.table = "customers";
      existing.columns = {"country"};
      schema.tables[0].indexes.push_back(existing);
      sql += " AND c.tier = 3";
      index = "dbvet_customers_country_tier";
    }
    std::vector<ClassWork> classes{work_of("q1", sql, schema)};
    auto customers_cost = [&](const std::vector<std::string>& names) {
      return offered(names, index) ? c.customers_with : c.customers_without;
    };
    auto orders_cost = [&](const std::vector<std::string>& names) {
      return offered(names, "dbvet_orders_total") ? 800.0 : 1500.0;
    };
    auto loops = c.nested_loop ? 100.0 : 1.0;
    FakePlanner planner(
        [&](const std::string&, const std::vector<std::string>& names) {
          std::vector<std::string> used;
          for (const auto& name : {index, std::string("dbvet_orders_total")}) {
            if (offered(names, name)) used.push_back(name);
          }
          return std::pair<double, std::vector<std::string>>{orders_cost(names) + customers_cost(names) * loops + 30,
                                                             used};
        },
        [&](const std::vector<std::string>& names) {
          model::Plan plan;
          plan.root.operation = c.nested_loop ? "Nested Loop" : "Hash Join";
          plan.root.children = {scan_of("orders", orders_cost(names)), scan_of("customers", customers_cost(names))};
          return plan;
        });
    IndexAdvisorOptions options;
    options.engine = "postgres";
    std::vector<std::string> notes;
    auto out = recommended(advise_indexes(classes, schema, planner, options, &notes));
    const bool advised = std::find(out.begin(), out.end(), index) != out.end();
    EXPECT_EQ(advised, c.advised) << c.name << ": " << ::testing::PrintToString(out) << ::testing::PrintToString(notes);
    EXPECT_NE(std::find(out.begin(), out.end(), "dbvet_orders_total"), out.end()) << c.name;
  }
}

}  // namespace
}  // namespace dbvet::pipeline
