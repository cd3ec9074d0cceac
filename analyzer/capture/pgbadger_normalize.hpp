#pragma once
// pgBadger 12's query normalization (its `sub normalize_query`, applied after store_queries'
// trimming and the added ';'), rule for rule, so that dbvet's classes can be compared one to one with
// pgBadger's `normalyzed_info` in conformance tests. Not a fingerprint for production use: it is
// regex based and slow on purpose (faithful, not fast).

#include <string>
#include <string_view>

namespace dbvet::capture {

std::string normalize_like_pgbadger(std::string_view query);

}  // namespace dbvet::capture
