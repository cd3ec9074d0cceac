#pragma once
// Drops a user can follow all at once: each recommended DROP INDEX is checked against the schema and
// against the other drops of the same run. Withdrawn, with a note saying why, are drops of
//   - an index that backs the primary key or a unique constraint (dropping it changes what the
//     table accepts, and PostgreSQL refuses DROP INDEX on a constraint's index);
//   - the last index whose leading columns serve a foreign key (MariaDB/MySQL refuse the drop with
//     error 1553; elsewhere the foreign key is left unindexed, which the schema rules then flag);
//   - a redundant or duplicate index whose covering index is itself being dropped (following both
//     would remove both).
// The drop of an unused index is kept over the drop of the narrower index it covers: queries already
// use the narrower one.

#include <string>
#include <vector>

#include "analyzer/model/finding.hpp"
#include "analyzer/model/schema.hpp"

namespace dbvet::pipeline {

std::vector<model::Recommendation> withdraw_unsafe_drops(std::vector<model::Recommendation> drops,
                                                         const model::Schema& schema, std::vector<std::string>* notes);

}  // namespace dbvet::pipeline
