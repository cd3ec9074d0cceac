#pragma once
// A disposable copy of the target for variants that need DDL: SQLite through the backup API into a
// file beside the original, PostgreSQL through CREATE DATABASE ... TEMPLATE, MariaDB/MySQL as a
// scratch database with a copy of every table. Removed by remove() or the destructor, whichever
// comes first, so a failure or an interrupt on the way out still cleans up.

#include <string>

#include "analyzer/core/expected.hpp"
#include "analyzer/core/target_url.hpp"

namespace dbvet::bench {

class Sandbox {
 public:
  static core::Expected<Sandbox> create(const core::TargetUrl& target, const std::string& tag);
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

}  // namespace dbvet::bench
