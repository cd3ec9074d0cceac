#pragma once
// Manual test plans (`--format checklist`): a Markdown task list of what a run of audit or bench
// did not verify by itself, each item naming the object and the command that re-checks it, for a
// QA engineer to execute and tick. Rendered from the canonical JSON only (docs/json/audit.md,
// docs/json/bench.md); URLs are printed as the document holds them, already without passwords.

#include <string>

#include "analyzer/report/renderers.hpp"
#include "nlohmann/json_fwd.hpp"

namespace dbvet::report {

// Index advice that is only an estimate, writes that were only planned or not explained, cache
// invalidation on each write path, plan contracts for the advised indexes.
std::string render_audit_checklist(const nlohmann::json& doc, const RenderOptions& options);
// SLAs and p95s measured on a loaded or noisy machine or in too few repetitions, cache variants,
// variants whose answers differ.
std::string render_bench_checklist(const nlohmann::json& doc, const RenderOptions& options);

}  // namespace dbvet::report
