#include "analyzer/health/gatherer.hpp"

namespace dbvet::health::mysql {

const Gatherer& gatherer() {
  static const Gatherer row{
      .engine = core::Engine::mysql,
      .run = [](const HealthTarget& target, const HealthOptions& options,
                TargetHealth& out) { run_sql_target(target, options, mysql_checks(), out); },
      .check_ids = [] { return ids_of(mysql_checks()); },
  };
  return row;
}

}  // namespace dbvet::health::mysql
