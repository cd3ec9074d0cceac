// Bad input gets a clear error, in bounded time and memory (issue 14): digest of inputs with no
// newline, of pipes, FIFOs and standard input, of corrupt compressed logs; compare of documents
// that measured nothing or hold bad figures; workload weights that are not numbers.

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "nlohmann/json.hpp"
#include "tests/support/test_env.hpp"

namespace dbvet {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using testing::CommandResult;

constexpr int kRecords = 400;

// A MariaDB slow log of kRecords statements.
std::string slow_log_text() {
  std::string out = "/usr/sbin/mariadbd, Version: 10.11.6-MariaDB-log (Debian 12). started with:\n";
  for (int i = 0; i < kRecords; ++i) {
    out += "# Time: 241124 10:00:" + std::to_string(10 + i % 50) + "\n# User@Host: app[app] @ localhost []\n";
    out += "# Query_time: 0.00" + std::to_string(100 + i) + "  Lock_time: 0.000010  Rows_sent: 1  Rows_examined: 5\n";
    out += "SET timestamp=" + std::to_string(1732442400 + i) + ";\n";
    out += "SELECT * FROM pets WHERE owner_id = " + std::to_string(i) + ";\n";
  }
  return out;
}

fs::path write(const fs::path& path, const std::string& text) {
  std::ofstream(path, std::ios::binary) << text;
  return path;
}

json parse_json(const CommandResult& result) {
  json doc = json::parse(result.out, nullptr, false);
  EXPECT_FALSE(doc.is_discarded()) << result.out << result.err;
  return doc;
}

uint64_t events_of(const CommandResult& result) {
  json doc = parse_json(result);
  if (doc.is_discarded() || !doc.contains("input")) return 0;
  return doc["input"]["events"].get<uint64_t>();
}

TEST(BadInputDigest, NoNewlineKeepsMemoryBoundedAndSaysWhatItSkipped) {
  auto dir = testing::scratch_dir("bad-input-newline");
  // A zeroed hole of 64 MiB between two halves of a real log, as a crash leaves in a log file.
  const std::string log = slow_log_text();
  const size_t half = log.find("# Time", log.size() / 2);
  auto holed = dir / "holed.log";
  {
    std::ofstream out(holed, std::ios::binary);
    out << log.substr(0, half);
    out << std::string(size_t{64} << 20, '\0');
    out << '\n' << log.substr(half);
  }
  // Without a newline at all: a sparse file of 64 MiB.
  auto sparse = dir / "sparse.log";
  std::ofstream(sparse).close();
  fs::resize_file(sparse, uint64_t{64} << 20);

  // 120 MB of address space (this reader peaks near 25 MB of RSS): the old one grew a buffer past
  // the whole line, to 128 MiB, and copied the line into the format sniffer's head as well.
  auto holed_run = testing::run_shell("ulimit -v 120000 && exec \"$DBVET\" digest -j 1 --no-progress --format json " +
                                      testing::shell_quoted(holed.string()));
  ASSERT_EQ(holed_run.exit_code, 0) << holed_run.err;
  json doc = parse_json(holed_run);
  ASSERT_TRUE(doc.contains("input"));
  EXPECT_EQ(doc["input"]["events"].get<uint64_t>(), static_cast<uint64_t>(kRecords));
  EXPECT_EQ(doc["input"]["skipped_long_lines"].get<uint64_t>(), 1u);
  EXPECT_EQ(doc["input"]["skipped_long_line_bytes"].get<uint64_t>(), (uint64_t{64} << 20) + 1);
  EXPECT_NE(holed_run.err.find("longer than 16 MiB"), std::string::npos) << holed_run.err;
  EXPECT_NE(holed_run.err.find("byte offset " + std::to_string(half)), std::string::npos) << holed_run.err;
  // The hole is no example of anything.
  EXPECT_EQ(holed_run.out.find("\\u0000"), std::string::npos);

  auto sparse_run = testing::run_shell("ulimit -v 120000 && exec \"$DBVET\" digest -j 1 --no-progress --format json " +
                                       testing::shell_quoted(sparse.string()));
  ASSERT_EQ(sparse_run.exit_code, 0) << sparse_run.err;
  json sparse_doc = parse_json(sparse_run);
  ASSERT_TRUE(sparse_doc.contains("input"));
  EXPECT_EQ(sparse_doc["input"]["events"].get<uint64_t>(), 0u);
  EXPECT_EQ(sparse_doc["input"]["skipped_long_line_bytes"].get<uint64_t>(), uint64_t{64} << 20);
  EXPECT_NE(sparse_run.err.find("skipped 1 line(s) longer than 16 MiB"), std::string::npos) << sparse_run.err;
}

TEST(BadInputDigest, PipesStandardInputAndFifosAreReadOnceAsStreams) {
  auto dir = testing::scratch_dir("bad-input-streams");
  auto log = write(dir / "slow.log", slow_log_text());
  const std::string file = testing::shell_quoted(log.string());
  auto plain = testing::run_shell("\"$DBVET\" digest --no-progress --format json " + file);
  ASSERT_EQ(plain.exit_code, 0) << plain.err;
  ASSERT_EQ(events_of(plain), static_cast<uint64_t>(kRecords));

  auto dev_stdin = testing::run_shell("cat " + file + " | \"$DBVET\" digest --no-progress --format json /dev/stdin");
  EXPECT_EQ(dev_stdin.exit_code, 0) << dev_stdin.err;
  EXPECT_EQ(events_of(dev_stdin), static_cast<uint64_t>(kRecords)) << dev_stdin.err;

  auto dash = testing::run_shell("cat " + file + " | \"$DBVET\" digest --no-progress --format json -");
  EXPECT_EQ(dash.exit_code, 0) << dash.err;
  EXPECT_EQ(events_of(dash), static_cast<uint64_t>(kRecords)) << dash.err;

  auto substitution = testing::run_shell("\"$DBVET\" digest --no-progress --format json <(cat " + file + ")");
  EXPECT_EQ(substitution.exit_code, 0) << substitution.err;
  EXPECT_EQ(events_of(substitution), static_cast<uint64_t>(kRecords)) << substitution.err;

  // A compressed stream through a pipe.
  auto gzipped = testing::run_shell("gzip -c " + file + " | \"$DBVET\" digest --no-progress --format json /dev/stdin");
  EXPECT_EQ(gzipped.exit_code, 0) << gzipped.err;
  EXPECT_EQ(events_of(gzipped), static_cast<uint64_t>(kRecords)) << gzipped.err;

  // A named FIFO: opening it twice hung for ever.
  auto fifo = dir / "fifo.log";
  const std::string q = testing::shell_quoted(fifo.string());
  auto named = testing::run_shell("mkfifo " + q + " && (cat " + file + " > " + q +
                                  " &) && timeout 60 \"$DBVET\" digest " + "--no-progress --format json " + q);
  EXPECT_EQ(named.exit_code, 0) << named.err;
  EXPECT_EQ(events_of(named), static_cast<uint64_t>(kRecords)) << named.err;
}

// The first `size` bytes of a busier slow log (the last record cut short, as in a rotated file).
std::string busy_slow_log_text(size_t size) {
  std::string out;
  for (int i = 0; out.size() < size; ++i) {
    out += "# Time: 241124 10:10:" + std::to_string(10 + i / 1000 % 50) + "\n# User@Host: app" + std::to_string(i % 3) +
           "[app] @ localhost [127.0.0.1]\n# Thread_id: " + std::to_string(i % 8) +
           "  Schema: pets  QC_hit: No\n# Query_time: 0.000" + std::to_string(100 + i % 900) +
           "  Lock_time: 0.000010  Rows_sent: 1  Rows_examined: " + std::to_string(i % 50) +
           "\nSET timestamp=" + std::to_string(1732442400 + i) + ";\n";
    switch (i % 4) {
      case 0:
        out += "SELECT * FROM pets WHERE owner_id = " + std::to_string(i) + ";\n";
        break;
      case 1:
        out += "UPDATE pet_stats SET hunger = " + std::to_string(i % 100) + " WHERE pet_id IN (" + std::to_string(i) +
               ", " + std::to_string(i + 7) + ");\n";
        break;
      case 2:
        out += "INSERT INTO feeding_events (pet_id, note) VALUES (" + std::to_string(i) + ", 'snack " +
               std::to_string(i * 31) + "');\n";
        break;
      default:
        out += "SELECT name FROM users WHERE email = 'u" + std::to_string(i) + "@example.com';\n";
    }
  }
  out.resize(size);
  return out;
}

TEST(BadInputDigest, CorruptCompressedStreamsSaySoAndWhere) {
  auto dir = testing::scratch_dir("bad-input-corrupt");
  auto log = write(dir / "slow.log", busy_slow_log_text(60000));
  for (const std::string tool : {"gzip", "bzip2", "zstd"}) {
    auto compressed = dir / ("slow." + tool);
    auto made = testing::run_shell(tool + (tool == "gzip" ? " -n" : "") + " -c " + testing::shell_quoted(log.string()) +
                                   " > " + testing::shell_quoted(compressed.string()));
    ASSERT_EQ(made.exit_code, 0) << made.err;
    const std::string bytes = testing::read_file(compressed);
    ASSERT_GT(bytes.size(), 400u);
    // One bit flipped in each of bytes 60 to 129: where the garbage a
    // decompressor lets out before it notices comes first, it used to be judged "not a log format"
    // (with this log and gzip -n: bytes 82, 85, 86 and 88).
    int errors = 0;
    for (size_t at = 60; at < 130; ++at) {
      std::string damaged = bytes;
      damaged[at] = static_cast<char>(damaged[at] ^ 0x01);
      auto path = write(dir / ("damaged." + tool), damaged);
      auto run = testing::run_dbvet({"digest", "--no-progress", path.string()});
      const std::string where = tool + " byte " + std::to_string(at) + ": " + run.err;
      EXPECT_EQ(run.err.find("not a log format"), std::string::npos) << where;
      if (run.exit_code == 0) continue;  // a flip the format does not notice (bzip2 has a few)
      ++errors;
      EXPECT_EQ(run.exit_code, 3) << where;
      EXPECT_NE(run.err.find(path.string() + ": "), std::string::npos) << where;
      EXPECT_TRUE(run.err.find("corrupt " + tool) != std::string::npos ||
                  run.err.find("truncated " + tool) != std::string::npos ||
                  run.err.find("unexpected data after the gzip") != std::string::npos)
          << where;
      EXPECT_NE(run.err.find("byte offset"), std::string::npos) << where;
    }
    EXPECT_GT(errors, 50) << tool;
  }
}

// A dbvet bench document: `reps` repetitions of query/variant.
json bench_entries(const std::string& query, const std::string& variant, double p95, int iterations, int errors) {
  json entries = json::array();
  for (int i = 0; i < 6; ++i) {
    const double wiggle = 1 + 0.01 * i;
    json entry = {{"name", query + "/" + variant},
                  {"run_name", query + "/" + variant},
                  {"run_type", "iteration"},
                  {"iterations", iterations},
                  {"errors", errors},
                  {"real_time", p95 * wiggle},
                  {"cpu_time", p95 * wiggle},
                  {"time_unit", "ms"},
                  {"dbvet_query", query},
                  {"dbvet_variant", variant},
                  {"p50_ms", p95 / 2 * wiggle},
                  {"p95_ms", p95 * wiggle},
                  {"p99_ms", p95 * wiggle},
                  {"items_per_second", 100 / wiggle}};
    entries.push_back(entry);
  }
  return entries;
}

TEST(BadInputCompare, RefusesDocumentsThatMeasureNothingOrHoldBadFigures) {
  auto dir = testing::scratch_dir("bad-input-compare");
  auto good = write(dir / "good.json",
                    json{{"kind", "bench"}, {"benchmarks", bench_entries("q", "baseline", 10, 50, 0)}}.dump());
  auto empty = write(dir / "empty.json", json{{"kind", "bench"}, {"benchmarks", json::array()}}.dump());
  auto run = testing::run_dbvet({"compare", empty.string(), empty.string()});
  EXPECT_EQ(run.exit_code, 3) << run.out << run.err;
  EXPECT_NE(run.err.find(empty.string() + ": no benchmark repetitions"), std::string::npos) << run.err;

  json bad_doc = {{"kind", "bench"}, {"benchmarks", bench_entries("q", "baseline", 10, 50, 0)}};
  bad_doc["benchmarks"][2]["p95_ms"] = "fast";
  auto text = write(dir / "text.json", bad_doc.dump());
  run = testing::run_dbvet({"compare", good.string(), text.string()});
  EXPECT_EQ(run.exit_code, 3) << run.out << run.err;
  EXPECT_NE(run.err.find(text.string() + ": benchmarks[2].p95_ms: expected a number"), std::string::npos) << run.err;

  json negative_doc = {{"kind", "bench"}, {"benchmarks", bench_entries("q", "baseline", 10, 50, 0)}};
  negative_doc["benchmarks"][0]["items_per_second"] = -5;
  auto negative = write(dir / "negative.json", negative_doc.dump());
  run = testing::run_dbvet({"compare", negative.string(), good.string()});
  EXPECT_EQ(run.exit_code, 3) << run.out << run.err;
  EXPECT_NE(run.err.find(negative.string() + ": benchmarks[0].items_per_second: expected a number >= 0"),
            std::string::npos)
      << run.err;

  auto other =
      write(dir / "other.json", json{{"kind", "bench"}, {"benchmarks", bench_entries("r", "x", 10, 50, 0)}}.dump());
  auto other_q =
      write(dir / "other-q.json", json{{"kind", "bench"}, {"benchmarks", bench_entries("s/t", "y", 10, 50, 0)}}.dump());
  run = testing::run_dbvet({"compare", other.string(), other_q.string()});
  EXPECT_EQ(run.exit_code, 3) << run.out << run.err;
  EXPECT_NE(run.err.find("nothing to compare"), std::string::npos) << run.err;
}

TEST(BadInputCompare, AQueryWhoseEveryExecutionFailedIsARegression) {
  auto dir = testing::scratch_dir("bad-input-compare-failed");
  auto base = write(dir / "base.json",
                    json{{"kind", "bench"}, {"benchmarks", bench_entries("q", "baseline", 10, 50, 0)}}.dump());
  auto head = write(dir / "head.json",
                    json{{"kind", "bench"}, {"benchmarks", bench_entries("q", "baseline", 0, 0, 40)}}.dump());
  auto run = testing::run_dbvet({"compare", "--format", "json", base.string(), head.string()});
  EXPECT_EQ(run.exit_code, 1) << run.out << run.err;
  json doc = parse_json(run);
  ASSERT_TRUE(doc.contains("comparisons")) << run.out;
  ASSERT_FALSE(doc["comparisons"].empty());
  for (const auto& row : doc["comparisons"]) {
    EXPECT_EQ(row["verdict"], "regressed") << row.dump();
    EXPECT_EQ(row.value("note", ""), "every execution failed in head") << row.dump();
  }
}

TEST(BadInputWorkload, WeightsThatAreNotNumbersOrAllZeroAreNamed) {
  auto dir = testing::scratch_dir("bad-input-weights");
  auto a = write(dir / "a.sql", "SELECT 1;\n");
  auto b = write(dir / "b.sql", "SELECT 2;\n");
  auto db = "sqlite:" + (dir / "none.db").string();
  auto run = testing::run_dbvet({"bench", db, "-w", a.string() + "@abc", "-t", "1"});
  EXPECT_EQ(run.exit_code, 2) << run.err;
  EXPECT_NE(run.err.find("bad weight 'abc'"), std::string::npos) << run.err;
  EXPECT_EQ(run.err.find("cannot read workload script"), std::string::npos) << run.err;

  run = testing::run_dbvet({"bench", db, "-w", a.string() + "@0", "-w", b.string() + "@0", "-t", "1"});
  EXPECT_EQ(run.exit_code, 2) << run.err;
  EXPECT_NE(run.err.find("weight 0"), std::string::npos) << run.err;

  // A script with a deep expression is a clear error naming file and line, not a crash.
  auto deep =
      write(dir / "deep.sql", "SELECT 1;\n\\set x " + std::string(2000, '(') + "1" + std::string(2000, ')') + "\n");
  run = testing::run_dbvet({"bench", db, "-w", deep.string(), "-t", "1"});
  EXPECT_EQ(run.exit_code, 3) << run.err;
  EXPECT_NE(run.err.find("deep.sql:2:"), std::string::npos) << run.err;
  EXPECT_NE(run.err.find("nests deeper than 256"), std::string::npos) << run.err;
}

}  // namespace
}  // namespace dbvet
