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

}  // namespace

const EngineDescription& description();

const Driver& driver() {
  static const Driver row{
      .description = &description(),
      .connect = connect_postgres,
      .open_what_if = open_what_if,
      .create_sandbox = create_sandbox,
      .remove_sandbox = drop_sandbox_database,
  };
  return row;
}

}  // namespace dbvet::engines::postgres
