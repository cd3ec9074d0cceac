// MariaDB/MySQL's row of the driver table (engines/registry.hpp): index advice is verified only in
// a sandbox database the user allowed (--sandbox), which holds a copy of every table.

#include "analyzer/engines/mysql/mysql_connection.hpp"
#include "analyzer/engines/mysql/what_if_sandbox.hpp"
#include "analyzer/engines/registry.hpp"
#include "analyzer/sql/render.hpp"
#include "fmt/format.h"

namespace dbvet::engines::mysql {
namespace {

Expected<std::unique_ptr<model::WhatIf>> open_what_if(const core::TargetUrl& url, const WhatIfRequest& request,
                                                      std::vector<std::string>& notes) {
  if (!request.sandbox) {
    notes.push_back(
        "index advice on MariaDB/MySQL is an unverified estimate; --sandbox verifies it in a scratch "
        "database with a sample of the tables");
    return std::unique_ptr<model::WhatIf>();
  }
  if (request.before_sandbox) request.before_sandbox();
  SandboxWhatIfOptions options;
  options.cancelled = request.cancelled;
  auto what_if = SandboxWhatIf::open(url, options);
  if (!what_if) return what_if.error();
  return std::unique_ptr<model::WhatIf>(std::move(*what_if));
}

Status create_sandbox(const core::TargetUrl& target, const SandboxOptions& options, const SandboxNamer& name_for,
                      SandboxState& state) {
  auto session = sandbox_admin_session(target);
  if (!session) return session.error();
  state.name = name_for(target.database);
  auto database = sql::quote_literal(sql::Dialect::mysql, target.database);
  auto create = sql::create_database(sql::Dialect::mysql, state.name);
  if (!database) return database.error();
  if (!create) return create.error();
  auto tables =
      (*session)->execute(fmt::format("SELECT table_name FROM information_schema.tables WHERE table_schema = {} AND "
                                      "table_type = 'BASE TABLE'",
                                      *database));
  if (!tables) return tables.error();
  auto created = (*session)->execute_script(*create);
  if (!created) return created.error();
  state.active = true;
  state.url.database = state.name;
  for (const auto& row : tables->rows) {
    if (row.empty() || !row[0]) continue;
    auto from_name = sql::quote_qualified(sql::Dialect::mysql, target.database, *row[0]);
    auto to_name = sql::quote_qualified(sql::Dialect::mysql, state.name, *row[0]);
    if (!from_name) return from_name.error();
    if (!to_name) return to_name.error();
    const std::string& from = *from_name;
    const std::string& to = *to_name;
    auto created_table = (*session)->execute_script(fmt::format("CREATE TABLE {} LIKE {}", to, from));
    if (!created_table) return created_table.error();
    std::string limit = options.max_rows_per_table ? fmt::format(" LIMIT {}", *options.max_rows_per_table) : "";
    auto copied = (*session)->execute_script(fmt::format("INSERT INTO {} SELECT * FROM {}{}", to, from, limit));
    if (!copied) return copied.error();
    if (options.analyze) {
      // ANALYZE answers with a result set, which execute() reads (execute_script would leave it).
      auto analyzed = (*session)->execute(fmt::format("ANALYZE TABLE {} PERSISTENT FOR ALL", to));
      if (!analyzed) return analyzed.error();
    }
  }
  return core::ok();
}

constexpr SampleLoad kSample{
    .list_tables_sql = "SELECT table_name FROM information_schema.tables WHERE table_schema = database()",
    .before_drops = "SET FOREIGN_KEY_CHECKS = 0;\n",
    .after_drops = "SET FOREIGN_KEY_CHECKS = 1;\n",
    .bulk_session_setup = "",
    .several_writers = true,
    .pipelined_indexes = false,
    .identity_reset = "",
    .analyze_tables_prefix = "ANALYZE TABLE ",
};

}  // namespace

const EngineDescription& description();

const Driver& driver() {
  static const Driver row{
      .description = &description(),
      .connect = connect_mysql,
      .open_what_if = open_what_if,
      .create_sandbox = create_sandbox,
      .remove_sandbox = drop_sandbox_database,
      .sample = &kSample,
  };
  return row;
}

}  // namespace dbvet::engines::mysql
