// dbvet's index advice against SQLite's own advisor, `.expert` of the sqlite3 shell, on the
// Virtual Pet sample: the same queries (the examples of the classes the audit examined) go to
// `.expert`; its CREATE INDEX statements go to one copy of the database, the DDL of dbvet's index
// recommendations to another (`dbvet bench --sandbox` variants: each its own copy, repetitions
// interleaved A B C A B C so that machine drift hits all alike). The workload's measured time with
// dbvet's indexes must be at least as low as with `.expert`'s (the median over repetitions of the
// ratio of the two, within a tolerance for noise), with no more indexes, and clearly lower than without either.

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <regex>
#include <set>
#include <sstream>

#include "fmt/format.h"
#include "nlohmann/json.hpp"
#include "tests/support/audit_expectations.hpp"
#include "tests/support/test_env.hpp"

namespace dbvet::testing {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;

constexpr const char* kScale = "0.05";
constexpr int kRepetitions = 9;
constexpr int kTransactions = 1000;
// Medians of interleaved repetitions still move by a few percent on a shared 2-core machine.
constexpr double kTolerance = 1.10;

std::vector<std::string> workload_args() { return sample_workload_args({"sqlite"}); }

// The scripts (bench's query names) that write: their time is mostly the commit's fsync.
std::set<std::string> writing_scripts() {
  std::set<std::string> out;
  auto dir = source_dir() / "samples/virtualpet/workloads/sqlite";
  static const std::regex write(R"(^\s*(INSERT|UPDATE|DELETE)\b)", std::regex::icase);
  for (const auto& entry : fs::directory_iterator(dir)) {
    if (entry.path().extension() != ".sql") continue;
    std::ifstream in(entry.path());
    std::string line;
    while (std::getline(in, line)) {
      if (std::regex_search(line, write)) {
        out.insert(entry.path().stem().string());
        break;
      }
    }
  }
  return out;
}

// `.expert`'s CREATE INDEX statements for one query, in the order it gives them.
std::vector<std::string> expert_indexes(const std::string& db, const std::string& sql) {
  auto result = run_program({"sqlite3", db, ".expert", sql + ";"});
  EXPECT_EQ(result.exit_code, 0) << sql << "\n" << result.err;
  std::vector<std::string> out;
  std::istringstream lines(result.out);
  std::string line;
  while (std::getline(lines, line)) {
    if (line.rfind("CREATE INDEX ", 0) == 0) out.push_back(line);
  }
  return out;
}

double median(std::vector<double> values) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  size_t n = values.size();
  return n % 2 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

std::string join(const std::vector<std::string>& parts, const std::string& sep) {
  std::string out;
  for (const auto& p : parts) out += (out.empty() ? "" : sep) + p;
  return out;
}

TEST(AuditExpertSqlite, DbvetIndexesAtLeastAsFastAsExpertWithNoMoreIndexes) {
  auto dir = scratch_dir("audit_expert_sqlite");
  auto db = (dir / "virtualpet.db").string();
  auto gen =
      run_dbvet({"gen", "--sample", "virtualpet", "--scale", kScale, "--seed", "42", "--replace", "sqlite:" + db});
  ASSERT_EQ(gen.exit_code, 0) << gen.err;

  std::vector<std::string> audit{"audit",    "sqlite:" + db, "--scale",
                                 kScale,     "--config",     (source_dir() / "samples/virtualpet/dbvet.toml").string(),
                                 "--format", "json"};
  for (auto& a : workload_args()) audit.push_back(a);
  auto audited = run_dbvet(audit);
  ASSERT_EQ(audited.exit_code, 0) << audited.err;
  auto report = json::parse(audited.out);

  std::vector<std::string> dbvet_ddl;
  for (const auto& r : report["recommendations"]) {
    if (r["type"] == "index") dbvet_ddl.push_back(r["ddl"].get<std::string>() + ";");
  }
  std::vector<std::string> expert_ddl;
  std::set<std::string> seen;
  ASSERT_FALSE(report["queries"].empty());
  for (const auto& q : report["queries"]) {
    for (auto& ddl : expert_indexes(db, q["example"].get<std::string>())) {
      if (seen.insert(ddl).second) expert_ddl.push_back(ddl);
    }
  }
  ASSERT_FALSE(expert_ddl.empty()) << "sqlite3 .expert recommended nothing";
  ASSERT_FALSE(dbvet_ddl.empty());
  EXPECT_LE(dbvet_ddl.size(), expert_ddl.size()) << "dbvet:\n"
                                                 << join(dbvet_ddl, "\n") << "\n.expert:\n"
                                                 << join(expert_ddl, "\n");

  auto bench_json = (dir / "bench.json").string();
  std::vector<std::string> bench{"bench",
                                 "sqlite:" + db,
                                 "--scale",
                                 kScale,
                                 "--sandbox",
                                 "--variant",
                                 "baseline",
                                 "--variant",
                                 "expert=index:" + join(expert_ddl, " "),
                                 "--variant",
                                 "dbvet=index:" + join(dbvet_ddl, " "),
                                 "--transactions",
                                 std::to_string(kTransactions),
                                 "--repetitions",
                                 std::to_string(kRepetitions),
                                 "--format",
                                 "json",
                                 "-o",
                                 bench_json,
                                 "--no-progress"};
  for (auto& a : workload_args()) bench.push_back(a);
  auto benched = run_dbvet(bench);
  // 1: an index changed the order of tied rows somewhere (an answer "changed"); the times count.
  ASSERT_TRUE(benched.exit_code == 0 || benched.exit_code == 1) << benched.err;
  auto results = json::parse(read_file(bench_json));

  // Per variant and repetition: the workload's time (ms), all scripts and the reading ones.
  auto writers = writing_scripts();
  std::map<std::string, std::map<int, double>> total, reads;
  for (const auto& b : results["benchmarks"]) {
    double ms = b["real_time"].get<double>() * b["iterations"].get<double>();
    auto variant = b["dbvet_variant"].get<std::string>();
    int repetition = b["repetition_index"].get<int>();
    total[variant][repetition] += ms;
    if (!writers.count(b["dbvet_query"].get<std::string>())) reads[variant][repetition] += ms;
  }
  auto medians = [](const std::map<int, double>& by_repetition) {
    std::vector<double> values;
    for (const auto& [rep, ms] : by_repetition) values.push_back(ms);
    return median(values);
  };
  std::map<std::string, double> total_ms, reads_ms;
  std::string figures = fmt::format(
      "sqlite .expert comparison (scale {}, {} interleaved repetitions of {} transactions; "
      "indexes: .expert {}, dbvet {})\n",
      kScale, kRepetitions, kTransactions, expert_ddl.size(), dbvet_ddl.size());
  for (const char* variant : {"baseline", "expert", "dbvet"}) {
    ASSERT_EQ(total[variant].size(), static_cast<size_t>(kRepetitions)) << variant;
    total_ms[variant] = medians(total[variant]);
    reads_ms[variant] = medians(reads[variant]);
    figures += fmt::format("  {:<8} workload median {:8.1f} ms   reading scripts median {:7.1f} ms\n", variant,
                           total_ms[variant], reads_ms[variant]);
  }
  for (const auto& s : results["dbvet"]["summary"]) {
    figures += fmt::format("    {:<16} {:<8} mean {:.3f} ms\n", s["query"].get<std::string>(),
                           s["variant"].get<std::string>(), s["latency"]["mean_ms"].get<double>());
  }
  // Paired by repetition (the two variants ran next to each other), so that drift cancels out:
  // the median of dbvet's time over .expert's.
  auto paired_ratio = [](const std::map<int, double>& a, const std::map<int, double>& b) {
    std::vector<double> ratios;
    for (const auto& [rep, ms] : a) {
      if (auto it = b.find(rep); it != b.end() && it->second > 0) ratios.push_back(ms / it->second);
    }
    return median(ratios);
  };
  double total_ratio = paired_ratio(total["dbvet"], total["expert"]);
  double reads_ratio = paired_ratio(reads["dbvet"], reads["expert"]);
  figures +=
      fmt::format("  dbvet / .expert, median of the paired repetitions: workload {:.3f}, reading scripts {:.3f}\n",
                  total_ratio, reads_ratio);
  std::cout << figures << std::flush;
  std::ofstream(dir / "figures.txt") << figures;

  // The reads are where indexes pay; the writing scripts' time is mostly the commits.
  EXPECT_LE(reads_ratio, kTolerance) << figures;
  EXPECT_LE(total_ratio, kTolerance) << figures;
  // The measurement sees an index at all: dbvet's cut the reads well below no index.
  EXPECT_LT(reads_ms["dbvet"], reads_ms["baseline"] * 0.8) << figures;
}

}  // namespace
}  // namespace dbvet::testing
