#pragma once
// The health side of the engine table: one row per engine, defined in health/<engine>/gatherer.cpp
// and listed in health/gatherers.cpp. It lives beside the checks rather than in the engines' driver
// rows because engines/ may not include health/ (DESIGN.md, allowed arrows).

#include <string>
#include <vector>

#include "analyzer/health/health.hpp"
#include "analyzer/health/sql_check.hpp"

namespace dbvet::health {

struct Gatherer {
  core::Engine engine{};
  // Connects, runs every check of the engine into `out` and marks the target down when it is
  // unreachable or goes away during the checks.
  void (*run)(const HealthTarget& target, const HealthOptions& options, TargetHealth& out) = nullptr;
  // Every check id of the engine, for documentation and tests.
  std::vector<std::string> (*check_ids)() = nullptr;
};

// The gatherer of an engine, or nullptr.
const Gatherer* find_gatherer(core::Engine engine);

// For the gatherers of engines that speak SQL through engines::connect.
void run_sql_target(const HealthTarget& target, const HealthOptions& options, const std::vector<SqlCheck>& checks,
                    TargetHealth& out);
std::vector<std::string> ids_of(const std::vector<SqlCheck>& checks);
// Marks the target down with a target-down finding.
void mark_down(TargetHealth& target, const std::string& error);

}  // namespace dbvet::health
