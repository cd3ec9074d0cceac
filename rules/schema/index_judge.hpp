#pragma once
// The one judge of index relations. `health`, the schema rules (audit, advise) and the advisor's
// drop verification all ask these questions of the same model, so they cannot disagree on whether
// a foreign key is indexed or which of two indexes is redundant (issue 16: health compared names
// case-sensitively and any method, the rules case-insensitively and B-trees only).

#include <string>
#include <vector>

#include "analyzer/model/schema.hpp"

namespace dbvet::rules::index_judge {

// The access method in lower case; an engine that names none (SQLite) has B-trees.
std::string method_of(const model::Index& index);

// True when the index lets the engine find the rows of a foreign key without a scan: a valid,
// non-partial B-tree whose leading columns are the key's columns in any order (names compared
// case-insensitively, as every supported engine folds unquoted names).
bool serves_foreign_key(const model::Index& index, const std::vector<std::string>& fk_columns);

enum class Cover { none, duplicate, prefix };

// Whether `covering` makes `index` unnecessary:
//   duplicate: the same key (columns and directions), method, predicate and INCLUDE list;
//   prefix:    `index`'s key is a strictly shorter leading part of `covering`'s, both B-trees, and
//              `index` has no INCLUDE list.
// Never for a primary key, and a unique index is only covered by a unique index on exactly its key.
// Of two duplicates each covers the other: `drop_of_duplicates` says which one goes.
Cover covered_by(const model::Index& index, const model::Index& covering);

// Of two duplicate indexes, the one to drop: the one that enforces less (primary over unique over
// plain), then the greater name. nullptr when neither may go (both enforce a constraint).
const model::Index* drop_of_duplicates(const model::Index& a, const model::Index& b);

}  // namespace dbvet::rules::index_judge
