#pragma once
// Before a run makes sandboxes: one line on standard error about those that dbvet processes which
// ended without removing them (kill -9, a crash) left on the same target.

#include "analyzer/core/target_url.hpp"

namespace dbvet::cli {

void warn_orphaned_sandboxes(const core::TargetUrl& target);

}  // namespace dbvet::cli
