#include "analyzer/engines/sandbox.hpp"

#include <unistd.h>

#include <chrono>

#include "analyzer/engines/connection.hpp"
#include "analyzer/engines/registry.hpp"
#include "analyzer/engines/sandbox_names.hpp"
#include "analyzer/sql/render.hpp"
#include "fmt/format.h"

namespace dbvet::engines {

core::Expected<std::unique_ptr<Connection>> sandbox_admin_session(const core::TargetUrl& url) {
  engines::ConnectOptions options;
  options.allow_writes = true;
  options.statement_timeout = std::chrono::minutes(10);
  return connect(url, options);
}

core::Status drop_sandbox_database(const core::TargetUrl& origin, const std::string& name) {
  auto session = sandbox_admin_session(origin);
  if (!session) return session.error();
  auto drop = sql::drop_database(description(origin.engine).ddl_dialect, name);
  if (!drop) return drop.error();
  return (*session)->execute_script(*drop);
}

core::Expected<Sandbox> Sandbox::create(const core::TargetUrl& target, const std::string& tag,
                                        const SandboxOptions& options) {
  Sandbox sandbox;
  sandbox.origin_ = target;
  sandbox.url_ = target;
  const Driver* driver = find_driver(target.engine);
  if (!driver) return not_compiled(target.engine);
  if (!driver->create_sandbox) {
    return core::make_error(core::ErrorKind::unsupported,
                            fmt::format("a {} target cannot be sandboxed", driver->description->title));
  }
  // Named so that a later run recognises it if this process dies without removing it (sandbox_names.hpp).
  auto created = std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch());
  SandboxNamer name_for = [&](const std::string& database) {
    return make_sandbox_name(static_cast<long>(getpid()), created.count(), sandbox_host_id(), tag, database);
  };
  SandboxState state;
  state.url = target;
  auto made = driver->create_sandbox(target, options, name_for, state);
  // Whatever exists is removed by the destructor, also when a later step failed.
  sandbox.name_ = std::move(state.name);
  sandbox.url_ = std::move(state.url);
  sandbox.active_ = state.active;
  if (!made) return made.error();
  return sandbox;
}

Sandbox::Sandbox(Sandbox&& other) noexcept
    : origin_(std::move(other.origin_)),
      url_(std::move(other.url_)),
      name_(std::move(other.name_)),
      active_(other.active_) {
  other.active_ = false;
}

Sandbox::~Sandbox() { (void)remove(); }

core::Status Sandbox::remove() {
  if (!active_) return core::ok();
  active_ = false;
  const Driver* driver = find_driver(origin_.engine);
  if (!driver || !driver->remove_sandbox) return core::ok();
  return driver->remove_sandbox(origin_, name_);
}

}  // namespace dbvet::engines
