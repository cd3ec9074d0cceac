// libFuzzer target for `dbvet compare`'s input: any JSON document read as a dbvet bench or Google
// Benchmark run, then compared with itself and with a second reading, and rendered.

#include <cstddef>
#include <cstdint>
#include <string>

#include "analyzer/report/compare_render.hpp"
#include "benchmarks/compare.hpp"
#include "nlohmann/json.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto doc = nlohmann::json::parse(data, data + size, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded()) return 0;
  auto run = dbvet::bench::parse_run(doc, "fuzz.json");
  if (!run) return 0;
  auto comparison = dbvet::bench::compare_runs(*run, *run, {});
  nlohmann::json out = comparison;
  (void)dbvet::report::render_compare_text(out, {});
  (void)dbvet::report::render_compare_md(out, {});
  (void)out.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  if (auto variants = dbvet::bench::compare_variants(*run, "", {})) (void)variants->summary_line();
  return 0;
}
