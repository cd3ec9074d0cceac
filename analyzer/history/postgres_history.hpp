#pragma once
// The run history in a PostgreSQL database (--history postgresql://...): every scheduled run of a
// fleet appends to one shared history that `dbvet report --history URL` reads. The same rows and
// the same versioned schema as the SQLite file, in tables dbvet_runs and dbvet_schema_version of
// the URL's database; concurrent writers migrate it once, under an advisory lock.

#include <string>
#include <string_view>
#include <vector>

#include "analyzer/core/expected.hpp"
#include "analyzer/history/history.hpp"

namespace dbvet::history::postgres {

// Whether `location` is a PostgreSQL URL rather than an SQLite file.
bool is_url(std::string_view location);

core::Expected<int64_t> append(const std::string& url, const Run& run);
core::Expected<std::vector<Run>> load(const std::string& url, const Query& query);
core::Expected<int> migrate(const std::string& url);

}  // namespace dbvet::history::postgres
