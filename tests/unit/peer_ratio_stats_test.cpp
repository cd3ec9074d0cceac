// benchmarks/peers/ratio-stats, which summarizes the interleaved rounds of compare-pgbench: the
// median of the per-round ratios, its bootstrap CI, and the CPU per transaction of each contestant.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "tests/support/test_env.hpp"

namespace dbvet {
namespace {

using testing::run_program;

std::string ratio_stats(const std::string& results, const std::vector<std::string>& pairs) {
  auto dir = testing::scratch_dir("ratio_stats");
  auto file = dir / "results.tsv";
  std::ofstream(file) << results;
  std::vector<std::string> argv{"python3", (testing::source_dir() / "benchmarks/peers/ratio-stats").string(),
                                file.string()};
  argv.insert(argv.end(), pairs.begin(), pairs.end());
  auto result = run_program(argv);
  EXPECT_EQ(result.exit_code, 0) << result.err;
  std::filesystem::remove_all(dir);
  return result.out;
}

TEST(PeerRatioStats, MedianOfPerRoundRatiosWithItsBootstrapInterval) {
  // Ratios 0.90 0.95 1.00 1.05 1.10 (rounds listed out of order; pgbench's rate varies, so only a
  // per-round pairing gives these ratios).
  std::string results =
      "1\tdbvet\t900\t11.5\t14.8\n1\tpgbench\t1000\t11.4\t14.7\n"
      "2\tpgbench\t2000\t11.4\t14.7\n2\tdbvet\t2200\t11.5\t14.9\n"
      "3\tdbvet\t950\t11.7\t14.8\n3\tpgbench\t1000\t11.3\t14.7\n"
      "4\tdbvet\t3000\t11.5\t14.8\n4\tpgbench\t3000\t11.4\t14.6\n"
      "5\tdbvet\t1050\t11.5\t14.8\n5\tpgbench\t1000\t11.4\t14.7\n";
  auto out = ratio_stats(results, {"dbvet", "pgbench"});
  EXPECT_NE(out.find("median ratio dbvet/pgbench: 1.000 (95% CI "), std::string::npos) << out;
  EXPECT_NE(out.find("5 rounds, range 0.900-1.100)"), std::string::npos) << out;
  EXPECT_NE(out.find("client CPU per transaction, dbvet: median 11.50 us"), std::string::npos) << out;
  EXPECT_NE(out.find("server CPU per transaction, pgbench: median 14.70 us"), std::string::npos) << out;
  // The interval holds the median and stays within the rounds' range.
  auto at = out.find("95% CI ") + 7;
  double low = std::stod(out.substr(at, 5)), high = std::stod(out.substr(at + 6, 5));
  EXPECT_LE(low, 1.0);
  EXPECT_GE(high, 1.0);
  EXPECT_GE(low, 0.9);
  EXPECT_LE(high, 1.1);
  EXPECT_LT(low, high);
}

TEST(PeerRatioStats, SameRatioEveryRoundGivesAPointInterval) {
  std::string results;
  for (int round = 1; round <= 9; ++round) {
    results += std::to_string(round) + "\tbase\t" + std::to_string(980 * round) + "\t11\n";
    results += std::to_string(round) + "\tpgbench\t" + std::to_string(1000 * round) + "\t11\n";
  }
  auto out = ratio_stats(results, {"base", "pgbench"});
  EXPECT_NE(out.find("median ratio base/pgbench: 0.980 (95% CI 0.980-0.980, 9 rounds"), std::string::npos) << out;
}

TEST(PeerRatioStats, RoundMissingAContestantIsLeftOutOfItsRatios) {
  // Round 2 has no base run (interrupted): dbvet/base pairs rounds 1 and 3 only; dbvet/pgbench all three.
  std::string results =
      "1\tdbvet\t100\t1\n1\tbase\t100\t1\n1\tpgbench\t100\t1\n"
      "2\tdbvet\t100\t1\n2\tpgbench\t50\t1\n"
      "3\tdbvet\t100\t1\n3\tbase\t50\t1\n3\tpgbench\t100\t1\n";
  auto out = ratio_stats(results, {"dbvet", "pgbench", "dbvet", "base"});
  EXPECT_NE(out.find("median ratio dbvet/pgbench: 1.000 (95% CI 1.000-2.000, 3 rounds, range 1.000-2.000)"),
            std::string::npos)
      << out;
  EXPECT_NE(out.find("median ratio dbvet/base: 1.500 (95% CI 1.000-2.000, 2 rounds, range 1.000-2.000)"),
            std::string::npos)
      << out;
}

}  // namespace
}  // namespace dbvet
