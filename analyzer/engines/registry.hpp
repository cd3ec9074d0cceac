#pragma once
// The engine driver table: one row per engine compiled into this dbvet, defined in the engine's own
// folder (engines/<engine>/driver.cpp) and listed explicitly in engines/registry.cpp under its
// DBVET_WITH_* option (a static link keeps an explicit list; it may drop static initialisers).
// Code above the engines asks the row instead of switching on the engine.

#include <atomic>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "analyzer/core/expected.hpp"
#include "analyzer/core/target_url.hpp"
#include "analyzer/engines/connection.hpp"
#include "analyzer/engines/description.hpp"
#include "analyzer/engines/sandbox.hpp"
#include "analyzer/model/what_if.hpp"

namespace dbvet::engines {

struct WhatIfRequest {
  bool sandbox = false;  // --sandbox: the user allowed a scratch copy of the target
  const std::atomic<bool>* cancelled = nullptr;
  // Called before a scratch copy is made (the CLI installs its interrupt handler, warns of orphans).
  std::function<void()> before_sandbox;
};

// A sandbox on its way to being made: `active` once something exists that remove must clean up,
// even when a later step fails.
struct SandboxState {
  std::string name;     // file path or database name
  core::TargetUrl url;  // the copy's URL
  bool active = false;
};
// The sandbox's name for a database of the target (sandbox_names.hpp).
using SandboxNamer = std::function<std::string(const std::string& database)>;

// How `dbvet gen` loads the sample into the engine (analyzer/sample/loader.cpp).
struct SampleLoad {
  std::string_view list_tables_sql;  // the tables of the session's current schema or database
  std::string_view before_drops;     // around the DROP TABLEs of --replace
  std::string_view after_drops;
  std::string_view bulk_session_setup;  // run in every loading session
  bool several_writers = true;          // tables load side by side in several sessions
  // Each table's indexes and ANALYZE run right after its load (sample/index_plan.hpp).
  bool pipelined_indexes = false;
  // {0} table, {1} column: moves an identity column's sequence past the loaded values.
  std::string_view identity_reset;
  // ANALYZE of the sample's tables: this prefix and the table names, else a plain ANALYZE script.
  std::string_view analyze_tables_prefix;
};

struct Driver {
  const EngineDescription* description = nullptr;
  Expected<std::unique_ptr<Connection>> (*connect)(const core::TargetUrl& url, const ConnectOptions& options) = nullptr;
  // Verified index advice (HypoPG, a private copy, a sandbox). A null result (or a null hook) means
  // the caller falls back to the plan-only estimate; `notes` say why when the user should know.
  Expected<std::unique_ptr<model::WhatIf>> (*open_what_if)(const core::TargetUrl& url, const WhatIfRequest& request,
                                                           std::vector<std::string>& notes) = nullptr;
  // A disposable copy of the target (sandbox.hpp); null when the engine has none.
  Status (*create_sandbox)(const core::TargetUrl& target, const SandboxOptions& options, const SandboxNamer& name_for,
                           SandboxState& state) = nullptr;
  Status (*remove_sandbox)(const core::TargetUrl& origin, const std::string& name) = nullptr;
  const SampleLoad* sample = nullptr;  // null: the sample cannot be loaded into the engine
};

// The drivers compiled in, sorted by engine name.
std::span<const Driver* const> drivers();
// The driver of an engine, or nullptr when this dbvet was built without it.
const Driver* find_driver(core::Engine engine);
// The driver of a URL scheme (postgresql, mariadb, ...), or nullptr.
const Driver* find_driver(std::string_view scheme);
// "this dbvet was built without the <name> engine"
core::Error not_compiled(core::Engine engine);

}  // namespace dbvet::engines
