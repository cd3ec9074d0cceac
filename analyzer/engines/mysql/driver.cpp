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

// ON DELETE / ON UPDATE as the catalog names it; anything else (a future value) is left at the default.
std::string_view referential_action(const std::optional<std::string>& rule) {
  for (std::string_view action : {"CASCADE", "SET NULL", "SET DEFAULT", "RESTRICT", "NO ACTION"}) {
    if (rule && *rule == action) return action;
  }
  return "NO ACTION";
}

// CREATE TABLE ... LIKE copies every index (unique ones too) but no foreign key: the copies get the
// target's foreign keys, pointing at the copies, so that what MariaDB refuses on the target (a DROP
// INDEX that backs a foreign key, error 1553) it refuses in the sandbox too. Checks are off while
// they are added: a sampled copy need not hold every parent row.
Status copy_foreign_keys(Connection& session, const std::string& from_database, const std::string& to_database) {
  auto database = sql::quote_literal(sql::Dialect::mysql, from_database);
  if (!database) return database.error();
  ExecuteOptions all_rows;
  all_rows.keep_rows = 1'000'000;
  auto keys = session.execute(
      fmt::format("SELECT k.table_name, k.constraint_name, k.column_name, k.referenced_table_schema, "
                  "k.referenced_table_name, k.referenced_column_name, r.delete_rule, r.update_rule "
                  "FROM information_schema.key_column_usage k JOIN information_schema.referential_constraints r "
                  "ON r.constraint_schema = k.constraint_schema AND r.constraint_name = k.constraint_name "
                  "AND r.table_name = k.table_name WHERE k.table_schema = {} AND k.referenced_table_name IS NOT NULL "
                  "ORDER BY k.table_name, k.constraint_name, k.ordinal_position",
                  *database),
      all_rows);
  if (!keys) return keys.error();
  if (keys->rows.empty()) return core::ok();
  if (auto off = session.execute_script("SET SESSION foreign_key_checks = 0"); !off) return off.error();
  struct Key {
    std::string table, name, referenced_schema, referenced_table, on_delete, on_update;
    std::vector<std::string> columns, referenced_columns;
  };
  std::vector<Key> found;
  for (const auto& row : keys->rows) {
    if (row.size() < 8 || !row[0] || !row[1] || !row[2] || !row[4] || !row[5]) continue;
    if (found.empty() || found.back().table != *row[0] || found.back().name != *row[1]) {
      // A key to a table of the same database points at its copy; one to another database stays.
      std::string schema = row[3] && *row[3] != from_database ? *row[3] : to_database;
      found.push_back({*row[0],
                       *row[1],
                       schema,
                       *row[4],
                       std::string(referential_action(row[6])),
                       std::string(referential_action(row[7])),
                       {},
                       {}});
    }
    auto column = sql::quote_identifier(sql::Dialect::mysql, *row[2]);
    auto referenced = sql::quote_identifier(sql::Dialect::mysql, *row[5]);
    if (!column) return column.error();
    if (!referenced) return referenced.error();
    found.back().columns.push_back(*column);
    found.back().referenced_columns.push_back(*referenced);
  }
  for (const auto& key : found) {
    auto table = sql::quote_qualified(sql::Dialect::mysql, to_database, key.table);
    auto name = sql::quote_identifier(sql::Dialect::mysql, key.name);
    auto referenced = sql::quote_qualified(sql::Dialect::mysql, key.referenced_schema, key.referenced_table);
    if (!table) return table.error();
    if (!name) return name.error();
    if (!referenced) return referenced.error();
    auto added = session.execute_script(
        fmt::format("ALTER TABLE {} ADD CONSTRAINT {} FOREIGN KEY ({}) REFERENCES {} ({}) ON DELETE {} ON UPDATE {}",
                    *table, *name, fmt::join(key.columns, ", "), *referenced, fmt::join(key.referenced_columns, ", "),
                    key.on_delete, key.on_update));
    if (!added) return added.error();
  }
  return session.execute_script("SET SESSION foreign_key_checks = 1");
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
  return copy_foreign_keys(**session, target.database, state.name);
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
