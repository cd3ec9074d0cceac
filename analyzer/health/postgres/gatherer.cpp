#include "analyzer/health/gatherer.hpp"

namespace dbvet::health::postgres {

const Gatherer& gatherer() {
  static const Gatherer row{
      .engine = core::Engine::postgres,
      .run = [](const HealthTarget& target, const HealthOptions& options,
                TargetHealth& out) { run_sql_target(target, options, postgres_checks(), out); },
      .check_ids = [] { return ids_of(postgres_checks()); },
  };
  return row;
}

}  // namespace dbvet::health::postgres
