#pragma once
// What the two halves of the index advisor (index_candidates.cpp: candidates; index_advisor.cpp:
// selection) share: how they name tables and candidates, so both agree on what is the same index.

#include <string>

#include "analyzer/model/what_if.hpp"

namespace dbvet::pipeline::detail {

std::string lower(std::string text);

bool same_table(const std::string& a, const std::string& b);

// A candidate's identity: table, keys (expressions marked), predicate; case-insensitive.
std::string key_of(const model::IndexCandidate& c);

}  // namespace dbvet::pipeline::detail
