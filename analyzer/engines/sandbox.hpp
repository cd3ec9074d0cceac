#pragma once
// A disposable copy of the target for variants that need DDL: SQLite through the backup API into a
// file beside the original, PostgreSQL through CREATE DATABASE ... TEMPLATE, MariaDB/MySQL as a
// scratch database with a copy of every table. Removed by remove() or the destructor, whichever
// comes first, so a failure or an interrupt on the way out still cleans up. Used by the bench
// (full copies) and by the audit's MariaDB what-if (a bounded sample with the table statistics).

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "analyzer/core/expected.hpp"
#include "analyzer/core/target_url.hpp"

namespace dbvet::engines {
class Connection;
}

namespace dbvet::engines {

struct SandboxOptions {
  // MariaDB/MySQL: copy at most this many rows of each table (a sample for the optimizer).
  std::optional<int64_t> max_rows_per_table;
  // MariaDB: ANALYZE TABLE ... PERSISTENT FOR ALL on every copied table, so that the optimizer's
  // estimates there rest on statistics of the copied rows.
  bool analyze = false;
};

// For the engines' sandbox code: a writing session with a long statement timeout, and the removal
// of a sandbox that is a database on the target's server.
core::Expected<std::unique_ptr<Connection>> sandbox_admin_session(const core::TargetUrl& url);
core::Status drop_sandbox_database(const core::TargetUrl& origin, const std::string& name);

class Sandbox {
 public:
  static core::Expected<Sandbox> create(const core::TargetUrl& target, const std::string& tag,
                                        const SandboxOptions& options = {});
  Sandbox(Sandbox&& other) noexcept;
  Sandbox& operator=(Sandbox&&) = delete;
  ~Sandbox();

  const core::TargetUrl& url() const { return url_; }
  const std::string& describe() const { return name_; }  // file path or database name
  core::Status remove();

 private:
  Sandbox() = default;
  core::TargetUrl origin_;
  core::TargetUrl url_;
  std::string name_;
  bool active_ = false;
};

}  // namespace dbvet::engines
