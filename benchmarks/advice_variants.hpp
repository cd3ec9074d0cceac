#pragma once
// --from-advice: the index recommendations of `dbvet advise --format json` (or audit) turned into
// bench variants: one per recommendation alone, named after the index it creates or drops, and one
// with all of them together ("advice-all", when there are two or more).

#include <string>
#include <vector>

#include "analyzer/core/expected.hpp"
#include "benchmarks/bench_config.hpp"

namespace dbvet::bench {

core::Expected<std::vector<Variant>> variants_from_advice(const std::string& path);

}  // namespace dbvet::bench
