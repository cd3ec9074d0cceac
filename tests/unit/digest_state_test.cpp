// Digest states (issue 18, "Past one machine"): the logs of many hosts digested separately into
// states and merged give the very document that digesting all of them in one run gives, in any
// order of the states; a state of another version, of another engine's logs or digested with
// another fingerprint mode is refused, and a damaged one is an error naming it, never a crash.

#include "analyzer/pipeline/digest_state.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include "analyzer/core/json_envelope.hpp"
#include "analyzer/pipeline/digest_report.hpp"
#include "analyzer/pipeline/digest_runner.hpp"
#include "nlohmann/json.hpp"
#include "tests/support/test_env.hpp"

namespace dbvet {
namespace {

namespace fs = std::filesystem;

pipeline::DigestResult digest_of(const std::vector<std::string>& files, sql::FingerprintMode mode, unsigned jobs = 1) {
  pipeline::DigestOptions options;
  options.files = files;
  options.mode = mode;
  options.jobs = jobs;
  auto result = pipeline::run_digest(options);
  EXPECT_TRUE(result.has_value()) << (result ? "" : result.error().message);
  if (!result) return pipeline::DigestResult();
  return std::move(*result);
}

std::string json_of(const pipeline::DigestResult& result) {
  pipeline::ReportOptions options;
  options.top = 0;  // every class
  return core::json_text(pipeline::digest_to_json(result, options), 1);
}

// The logs of a conformance folder that dbvet digests on their own (pgbouncer's own log is
// refused by design), sorted by name.
std::vector<std::string> digestible_logs(const fs::path& dir) {
  std::vector<std::string> out;
  if (!fs::exists(dir)) return out;
  for (const auto& entry : fs::directory_iterator(dir)) {
    const std::string name = entry.path().filename().string();
    if (name.find(".expected") != std::string::npos || name == "README.md" || name.ends_with(".sh") ||
        name.ends_with(".py")) {
      continue;
    }
    pipeline::DigestOptions options;
    options.files = {entry.path().string()};
    if (pipeline::run_digest(options)) out.push_back(entry.path().string());
  }
  std::sort(out.begin(), out.end());
  return out;
}

// Every file in one run, then in `parts` states (contiguous runs of the files) written to bytes,
// read back and merged in the given order and reversed: the same JSON each time.
void expect_merge_identical(const std::vector<std::string>& files, sql::FingerprintMode mode, size_t parts) {
  ASSERT_GE(files.size(), parts);
  const std::string whole = json_of(digest_of(files, mode, 2));
  std::vector<pipeline::NamedState> states;
  for (size_t k = 0; k < parts; ++k) {
    const size_t begin = files.size() * k / parts, end = files.size() * (k + 1) / parts;
    std::vector<std::string> slice(files.begin() + static_cast<long>(begin), files.begin() + static_cast<long>(end));
    const std::string bytes = pipeline::encode_digest_state(digest_of(slice, mode));
    auto decoded = pipeline::decode_digest_state(bytes, "state" + std::to_string(k));
    ASSERT_TRUE(decoded.has_value()) << decoded.error().message;
    states.push_back({"state" + std::to_string(k), std::move(*decoded)});
  }
  auto merged = pipeline::merge_digest_states(states);
  ASSERT_TRUE(merged.has_value()) << merged.error().message;
  EXPECT_EQ(json_of(*merged), whole);
  std::reverse(states.begin(), states.end());
  auto reversed = pipeline::merge_digest_states(states);
  ASSERT_TRUE(reversed.has_value()) << reversed.error().message;
  EXPECT_EQ(json_of(*reversed), whole);
  if (states.size() > 2) {
    std::rotate(states.begin(), states.begin() + 1, states.end());
    auto rotated = pipeline::merge_digest_states(states);
    ASSERT_TRUE(rotated.has_value());
    EXPECT_EQ(json_of(*rotated), whole);
  }
}

std::optional<fs::path> conformance(const std::string& folder) {
  auto shared = testing::shared_dir();
  if (!shared || !fs::exists(*shared / "conformance" / folder)) return std::nullopt;
  return *shared / "conformance" / folder;
}

TEST(DigestState, MergedMysqlConformanceLogsEqualOneDigestInEveryMode) {
  auto dir = conformance("mysql-slowlog");
  if (!dir) GTEST_SKIP() << "../shared/conformance/mysql-slowlog is absent";
  const auto files = digestible_logs(*dir);
  ASSERT_GE(files.size(), 30u);
  for (auto mode : {sql::FingerprintMode::pt, sql::FingerprintMode::canonical, sql::FingerprintMode::pg}) {
    SCOPED_TRACE(std::string(sql::fingerprint_mode_name(mode)));
    expect_merge_identical(files, mode, 2);
    expect_merge_identical(files, mode, 3);
  }
}

TEST(DigestState, MergedPostgresConformanceLogsEqualOneDigest) {
  auto dir = conformance("postgres-log");
  if (!dir) GTEST_SKIP() << "../shared/conformance/postgres-log is absent";
  const auto files = digestible_logs(*dir);
  ASSERT_GE(files.size(), 6u);
  for (auto mode : {sql::FingerprintMode::canonical, sql::FingerprintMode::pg}) {
    SCOPED_TRACE(std::string(sql::fingerprint_mode_name(mode)));
    expect_merge_identical(files, mode, 2);
    expect_merge_identical(files, mode, 3);
  }
}

TEST(DigestState, MergedHeldOutLogsEqualOneDigest) {
  std::vector<std::string> postgres;
  for (const auto& file : digestible_logs(testing::source_dir() / "tests/data/logs/heldout")) {
    if (file.find("mysql") == std::string::npos) postgres.push_back(file);
  }
  ASSERT_GE(postgres.size(), 3u);
  expect_merge_identical(postgres, sql::FingerprintMode::canonical, 3);
}

// One file in two states, the same file twice: merging counts it twice, as digesting it twice does.
TEST(DigestState, AStateRoundTripsExactly) {
  auto dir = conformance("mysql-slowlog");
  if (!dir) GTEST_SKIP() << "../shared/conformance/mysql-slowlog is absent";
  const auto files = digestible_logs(*dir);
  const auto result = digest_of(files, sql::FingerprintMode::pt);
  const std::string bytes = pipeline::encode_digest_state(result);
  auto decoded = pipeline::decode_digest_state(bytes, "x.state");
  ASSERT_TRUE(decoded.has_value()) << decoded.error().message;
  EXPECT_EQ(json_of(*decoded), json_of(result));
  // Written again, the same bytes: a state is a function of its digest.
  EXPECT_EQ(pipeline::encode_digest_state(*decoded), bytes);
  EXPECT_GE(result.digest.classes().size(), 40u);
}

// Compact: a class costs its fingerprint, example and counters, not the 1 KiB sketch and the
// histogram it holds in memory.
TEST(DigestState, AClassTakesAFewHundredBytes) {
  pipeline::DigestResult result;
  result.files = {"generated.log"};
  result.format = "mysql-slowlog";
  result.digest = digest::Digest(sql::FingerprintMode::canonical);
  constexpr int kClasses = 2000;
  for (int c = 0; c < kClasses; ++c) {
    for (int i = 0; i < 20; ++i) {
      model::QueryEvent e;
      e.sql = "SELECT name, col" + std::to_string(c) + " FROM pets WHERE owner_id = " + std::to_string(i * 7919) +
              " AND kind = 'k" + std::to_string(i) + "'";
      e.query_time_s = 0.0001 * (1 + (c * 31 + i * 17) % 997);
      e.database = "db" + std::to_string(c % 4);
      e.user = "app";
      e.host = "10.0.0." + std::to_string(i % 5);
      e.timestamp = 1709287200 + c + i;
      result.digest.add(e);
    }
  }
  result.events = result.digest.events();
  const std::string bytes = pipeline::encode_digest_state(result);
  ASSERT_EQ(result.digest.classes().size(), static_cast<size_t>(kClasses));
  const double per_class = double(bytes.size()) / kClasses;
  EXPECT_LT(per_class, 250.0) << bytes.size() << " bytes for " << kClasses << " classes";
  auto decoded = pipeline::decode_digest_state(bytes, "generated.state");
  ASSERT_TRUE(decoded.has_value()) << decoded.error().message;
  EXPECT_EQ(json_of(*decoded), json_of(result));
}

pipeline::DigestResult small_result(sql::FingerprintMode mode, const std::string& format = "mysql-slowlog") {
  pipeline::DigestResult r;
  r.files = {"host-a/slow.log"};
  r.format = format;
  r.digest = digest::Digest(mode);
  model::QueryEvent e;
  e.sql = "SELECT * FROM pets WHERE id = 7";
  e.query_time_s = 0.25;
  r.digest.add(e);
  r.events = 1;
  return r;
}

TEST(DigestState, AnotherVersionIsRefusedNamingTheFile) {
  std::string bytes = pipeline::encode_digest_state(small_result(sql::FingerprintMode::canonical));
  // Version 4 states carry no Rows_read, Killed or Last_errno (version 3 no time buckets): an older dbvet's,
  // refused rather than merged short.
  for (auto [version, who] : {std::pair{'\x04', "an older dbvet"}, std::pair{'\x06', "a newer dbvet"}}) {
    bytes[8] = version;  // the version, little-endian
    auto decoded = pipeline::decode_digest_state(bytes, "old/host-a.state");
    ASSERT_FALSE(decoded.has_value());
    EXPECT_EQ(decoded.error().kind, core::ErrorKind::input);
    EXPECT_NE(decoded.error().message.find("old/host-a.state: a digest state of format version " +
                                           std::to_string(int(version))),
              std::string::npos)
        << decoded.error().message;
    EXPECT_NE(decoded.error().message.find("reads version 5 (" + std::string(who)), std::string::npos)
        << decoded.error().message;
  }
}

TEST(DigestState, EveryTruncationAndEveryFlippedByteIsAnErrorNamingTheFile) {
  const std::string bytes = pipeline::encode_digest_state(small_result(sql::FingerprintMode::canonical));
  for (size_t size = 0; size < bytes.size(); ++size) {
    auto decoded = pipeline::decode_digest_state(std::string_view(bytes).substr(0, size), "cut.state");
    ASSERT_FALSE(decoded.has_value()) << size;
    EXPECT_EQ(decoded.error().message.rfind("cut.state: ", 0), 0u) << decoded.error().message;
  }
  // A flipped byte is caught (zstd's checksum covers the payload) or, in a field of zstd's frame
  // header that only tunes decoding, changes nothing.
  const std::string original = json_of(*pipeline::decode_digest_state(bytes, "good.state"));
  int errors = 0;
  for (size_t at = 0; at < bytes.size(); ++at) {
    std::string damaged = bytes;
    damaged[at] = static_cast<char>(damaged[at] ^ 0x5a);
    auto decoded = pipeline::decode_digest_state(damaged, "bad.state");
    if (decoded) {
      EXPECT_EQ(json_of(*decoded), original) << "byte " << at;
      continue;
    }
    ++errors;
    EXPECT_EQ(decoded.error().message.rfind("bad.state: ", 0), 0u) << decoded.error().message;
  }
  EXPECT_GE(errors, static_cast<int>(bytes.size()) - 4);
  std::string longer = bytes + "x";
  EXPECT_FALSE(pipeline::decode_digest_state(longer, "long.state").has_value());
  EXPECT_FALSE(pipeline::decode_digest_state("# Time: 2024-01-01\n", "slow.log").has_value());
}

TEST(DigestState, StatesOfOtherModesOrOtherEnginesAreAUsageError) {
  std::vector<pipeline::NamedState> modes = {{"a.state", small_result(sql::FingerprintMode::canonical)},
                                             {"b.state", small_result(sql::FingerprintMode::pt)}};
  auto merged = pipeline::merge_digest_states(modes);
  ASSERT_FALSE(merged.has_value());
  EXPECT_EQ(merged.error().kind, core::ErrorKind::usage);
  EXPECT_NE(merged.error().message.find("a.state"), std::string::npos) << merged.error().message;
  EXPECT_NE(merged.error().message.find("b.state with --fingerprint pt"), std::string::npos) << merged.error().message;

  std::vector<pipeline::NamedState> engines = {
      {"mysql.state", small_result(sql::FingerprintMode::canonical)},
      {"pg.state", small_result(sql::FingerprintMode::canonical, "postgres-stderr")}};
  merged = pipeline::merge_digest_states(engines);
  ASSERT_FALSE(merged.has_value());
  EXPECT_EQ(merged.error().kind, core::ErrorKind::usage);
  EXPECT_NE(merged.error().message.find("pg.state holds postgres logs"), std::string::npos) << merged.error().message;
}

}  // namespace
}  // namespace dbvet
