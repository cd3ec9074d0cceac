#pragma once
// Schema and statistics of one MySQL/MariaDB database from information_schema, mysql.innodb_index_stats
// and performance_schema (the last two when readable).

#include <string>

#include "analyzer/core/expected.hpp"
#include "analyzer/engines/mysql/mysql_session.hpp"
#include "analyzer/model/schema.hpp"

namespace dbvet::engines::mysql {

// `database` empty means the session's current database.
core::Expected<model::Schema> introspect_schema(Session& session, const std::string& database);

}  // namespace dbvet::engines::mysql
