// PostgreSQL's row of the driver table (engines/registry.hpp): HypoPG for verified index advice,
// CREATE DATABASE ... TEMPLATE for a sandbox.

#include "analyzer/engines/postgres/postgres_connection.hpp"
#include "analyzer/engines/postgres/what_if_hypopg.hpp"
#include "analyzer/engines/registry.hpp"
#include "analyzer/sql/render.hpp"
#include "fmt/format.h"

namespace dbvet::engines::postgres {
namespace {

Expected<std::unique_ptr<model::WhatIf>> open_what_if(const core::TargetUrl& url, const WhatIfRequest&,
                                                      std::vector<std::string>& notes) {
  auto hypopg = HypopgWhatIf::open(url);
  if (hypopg) {
    if (!(*hypopg)->can_hide()) {
      notes.push_back(fmt::format("HypoPG {} cannot hide indexes (1.4 can): drop advice is not verified",
                                  (*hypopg)->hypopg_version()));
    }
    return std::unique_ptr<model::WhatIf>(std::move(*hypopg));
  }
  if (hypopg.error().kind != core::ErrorKind::unsupported) return hypopg.error();
  notes.push_back(hypopg.error().message + "; index advice is an unverified estimate");
  return std::unique_ptr<model::WhatIf>();
}

Status create_sandbox(const core::TargetUrl& target, const SandboxOptions&, const SandboxNamer& name_for,
                      SandboxState& state) {
  auto session = sandbox_admin_session(target);
  if (!session) return session.error();
  state.name = name_for(target.database.empty() ? std::string("postgres") : target.database);
  auto create = sql::create_database(sql::Dialect::postgres, state.name, target.database);
  if (!create) return create.error();
  auto created = (*session)->execute_script(*create);
  if (!created) {
    return core::make_error(created.error().kind,
                            fmt::format("{} (a PostgreSQL sandbox copies the target with CREATE DATABASE ... "
                                        "TEMPLATE, which needs no other session on it)",
                                        created.error().message));
  }
  state.active = true;
  state.url.database = state.name;
  return core::ok();
}

constexpr SampleLoad kSample{
    .list_tables_sql = "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()",
    .before_drops = "",
    .after_drops = "",
    // Sorts for index builds and foreign-key checks in memory; they end with the sessions.
    .bulk_session_setup = "SET maintenance_work_mem = '256MB'; SET work_mem = '64MB'",
    .several_writers = true,
    .pipelined_indexes = true,
    .identity_reset = "SELECT setval(pg_get_serial_sequence('{0}', '{1}'), (SELECT max({1}) FROM {0}));\n",
    .analyze_tables_prefix = "",
};

}  // namespace

const EngineDescription& description();

const Driver& driver() {
  static const Driver row{
      .description = &description(),
      .connect = connect_postgres,
      .open_what_if = open_what_if,
      .create_sandbox = create_sandbox,
      .remove_sandbox = drop_sandbox_database,
      .sample = &kSample,
  };
  return row;
}

}  // namespace dbvet::engines::postgres
