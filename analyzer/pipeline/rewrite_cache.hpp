#pragma once
// Drop, rewrite and cache advice, from the findings and the digest's per-class counters.

#include <map>
#include <string>
#include <vector>

#include "analyzer/model/finding.hpp"
#include "analyzer/model/schema.hpp"
#include "analyzer/pipeline/index_advisor.hpp"

namespace dbvet::pipeline {

std::vector<model::Recommendation> drop_index_recommendations(const std::vector<model::Finding>& findings,
                                                              const model::Schema& schema, const std::string& engine);

// Keyset pagination for OFFSET, a range for date(col) = x, one batched query for N+1, UNION ALL for
// OR across columns, a trigram/FTS index or a prefix search for a leading wildcard.
std::vector<model::Recommendation> rewrite_recommendations(const std::vector<ClassWork>& classes,
                                                           const std::vector<model::Finding>& findings);

// Redis cache-aside for read-mostly classes with many calls, ranked by the database time it saves;
// an unfiltered COUNT(*) gets a maintained counter.
std::vector<model::Recommendation> cache_recommendations(const std::vector<ClassWork>& classes,
                                                         const std::map<std::string, double>& write_share,
                                                         const model::Schema& schema,
                                                         const std::map<std::string, double>& plan_cost);

}  // namespace dbvet::pipeline
