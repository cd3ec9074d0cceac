#include "analyzer/health/gatherer.hpp"

namespace dbvet::health::sqlite {

const Gatherer& gatherer() {
  static const Gatherer row{
      .engine = core::Engine::sqlite,
      .run = [](const HealthTarget& target, const HealthOptions& options,
                TargetHealth& out) { run_sql_target(target, options, sqlite_checks(), out); },
      .check_ids = [] { return ids_of(sqlite_checks()); },
  };
  return row;
}

}  // namespace dbvet::health::sqlite
