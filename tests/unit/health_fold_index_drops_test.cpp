#include <gtest/gtest.h>

#include "analyzer/health/health.hpp"

namespace dbvet::health {
namespace {

using model::Severity;

CheckFinding make(const std::string& check, Severity severity, const std::string& object) {
  return {check, severity, object, check + " on " + object, std::nullopt, std::nullopt};
}

std::vector<std::string> checks_of(const std::vector<CheckFinding>& findings) {
  std::vector<std::string> out;
  for (const auto& f : findings) out.push_back(f.check + " " + f.object);
  return out;
}

// Issue 16: health reported idx_pets_owner twice on PostgreSQL, as unused ("statistics too young",
// info) and as covered by idx_pets_owner_created (warning, drop it): one index, one finding.
TEST(FoldIndexDrops, AnUnusedFindingOnAnIndexReportedAsCoveredIsFoldedIntoIt) {
  std::vector<CheckFinding> findings = {
      make("pg-duplicate-index", Severity::warning, "idx_pets_owner"),
      make("pg-unused-index", Severity::info, "public.idx_pets_owner"),
      make("pg-unused-index", Severity::warning, "public.idx_other"),
  };
  fold_index_drops(findings);
  EXPECT_EQ(checks_of(findings),
            (std::vector<std::string>{"pg-duplicate-index idx_pets_owner", "pg-unused-index public.idx_other"}));
}

TEST(FoldIndexDrops, TheOrderOfTheFindingsDoesNotMatterAndMysqlIsFoldedToo) {
  std::vector<CheckFinding> findings = {
      make("mysql-unused-index", Severity::warning, "pets.pets.idx_owner"),
      make("mysql-redundant-index", Severity::warning, "pets.idx_owner"),
  };
  fold_index_drops(findings);
  EXPECT_EQ(checks_of(findings), (std::vector<std::string>{"mysql-redundant-index pets.idx_owner"}));
}

// A covered finding only at info (the covering index is itself unused, so dropping both would
// leave nothing) does not hide a warning that the index is unused.
TEST(FoldIndexDrops, AWeakerCoveredFindingKeepsTheUnusedOne) {
  std::vector<CheckFinding> findings = {
      make("pg-duplicate-index", Severity::info, "idx_a"),
      make("pg-unused-index", Severity::warning, "idx_a"),
      make("pg-unused-index", Severity::warning, "idx_ab"),
  };
  fold_index_drops(findings);
  EXPECT_EQ(findings.size(), 3u);
}

TEST(FoldIndexDrops, AnIndexWhoseNameOnlyEndsTheSameIsNotTheSameIndex) {
  std::vector<CheckFinding> findings = {
      make("pg-duplicate-index", Severity::warning, "x_owner"),
      make("pg-unused-index", Severity::warning, "public.idx_owner"),
  };
  fold_index_drops(findings);
  EXPECT_EQ(findings.size(), 2u);
}

}  // namespace
}  // namespace dbvet::health
