// dbvet's PostgreSQL log readers against pgBadger 12.0 on pgBadger's own test fixtures
// (../shared/conformance/postgres-log): same classes, same count and total duration per class.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <tuple>
#include <unordered_map>
#include <vector>

#include "analyzer/capture/line_source.hpp"
#include "analyzer/capture/pgbadger_normalize.hpp"
#include "analyzer/capture/postgres_log.hpp"
#include "tests/support/test_env.hpp"

namespace dbvet::capture {
namespace {

namespace fs = std::filesystem;

struct ClassStats {
  uint64_t count = 0;
  double duration_ms = 0;
};
using Classes = std::map<std::string, ClassStats>;

struct ReadResult {
  Classes classes;
  uint64_t events = 0;
  uint64_t skipped = 0;
  std::string format;
  std::string prefix;
};

ReadResult read_with_dbvet(const fs::path& log) {
  ReadResult out;
  auto src = open_line_source(log.string());
  EXPECT_TRUE(src) << (src ? "" : src.error().message);
  if (!src) return out;
  std::unordered_map<std::string, std::string> memo;  // pgbench logs repeat statements verbatim
  auto reader = make_postgres_log_reader({}, [&](model::QueryEvent&& e) {
    auto m = memo.find(e.sql);
    if (m == memo.end()) m = memo.emplace(e.sql, normalize_like_pgbadger(e.sql)).first;
    auto& c = out.classes[m->second];
    ++c.count;
    c.duration_ms += e.query_time_s * 1000.0;
  });
  EXPECT_TRUE(reader);
  std::string_view line;
  uint64_t off = 0;
  while ((*src)->next(line, off)) (*reader)->feed_line(line, off);
  (*reader)->finish();
  EXPECT_FALSE((*src)->error()) << (*src)->error()->message;
  out.events = (*reader)->stats().events;
  out.skipped = (*reader)->stats().skipped;
  out.format = pg_log_format_name((*reader)->format());
  out.prefix = (*reader)->log_line_prefix();
  return out;
}

Classes expected_classes(const nlohmann::json& doc) {
  Classes out;
  if (!doc.is_object() || !doc.contains("normalyzed_info")) return out;
  for (const auto& [db, queries] : doc["normalyzed_info"].items()) {
    for (const auto& [query, info] : queries.items()) {
      auto& c = out[query];
      c.count += info.value("count", uint64_t{0});
      if (info.contains("duration")) {
        const auto& d = info["duration"];
        c.duration_ms += d.is_string() ? std::stod(d.get<std::string>()) : d.get<double>();
      }
    }
  }
  return out;
}

// Where pgBadger is wrong and dbvet right, the same events land in a differently named class: the
// test checks that the pgBadger class is absent from dbvet and the dbvet class has exactly its count
// and duration (so an entry fails as soon as either tool changes).
struct Divergence {
  std::string log, pgbadger_class, dbvet_class, reason;
};
const std::vector<Divergence>& known_divergences() {
  static const std::vector<Divergence> table = {
      {"queryid.log.gz", "prepare foo (int) as select;", "prepare foo (int) as select ?;",
       "pgBadger substitutes bind parameters into every statement; a SQL PREPARE has none, so its $1 "
       "is replaced by an empty string and the statement text is corrupted. dbvet keeps the placeholder."},
      {"queryid.log.gz", "[ execute foo (?) ] - select ?;", "execute foo(?);",
       "pgBadger rewrites a SQL EXECUTE into '[ EXECUTE name (args) ] - body' from the DETAIL 'prepare:' "
       "line; dbvet reports the statement the client actually sent (EXECUTE foo(1)), whose class is "
       "'execute foo(?)'. Same event, count and duration."},
  };
  return table;
}

const Divergence* divergence_for(const std::string& log, const std::string& query, bool pgbadger_side) {
  for (const auto& d : known_divergences()) {
    if (d.log == log && (pgbadger_side ? d.pgbadger_class : d.dbvet_class) == query) return &d;
  }
  return nullptr;
}

TEST(PgBadgerConformance, SameClassesCountsAndDurations) {
  auto shared = dbvet::testing::shared_dir();
  if (!shared || !fs::exists(*shared / "conformance/postgres-log")) {
    GTEST_SKIP() << "../shared/conformance/postgres-log is absent: pgBadger conformance not checked";
  }
  fs::path dir = *shared / "conformance/postgres-log";
  size_t logs_with_classes = 0;
  for (const auto& entry : fs::directory_iterator(dir)) {
    std::string name = entry.path().filename().string();
    if (name.ends_with(".expected.json")) continue;
    fs::path expected_path = entry.path().string() + ".expected.json";
    if (!fs::exists(expected_path)) continue;
    SCOPED_TRACE(name);
    nlohmann::json doc = nlohmann::json::parse(dbvet::testing::read_file(expected_path));
    Classes expected = expected_classes(doc);
    ReadResult got = read_with_dbvet(entry.path());  // every log, {} ones too, is read without failing
    if (expected.empty()) continue;
    ++logs_with_classes;
    SCOPED_TRACE("format " + got.format + ", prefix '" + got.prefix + "'");
    for (const auto& [query, want] : expected) {
      auto it = got.classes.find(query);
      if (const Divergence* d = divergence_for(name, query, true)) {
        EXPECT_TRUE(it == got.classes.end()) << "known divergence no longer there (" << d->reason << "): " << query;
        auto ours = got.classes.find(d->dbvet_class);
        ASSERT_TRUE(ours != got.classes.end()) << "dbvet class expected instead: " << d->dbvet_class;
        EXPECT_EQ(ours->second.count, want.count) << d->dbvet_class;
        EXPECT_NEAR(ours->second.duration_ms, want.duration_ms, 1e-6 * want.duration_ms + 1e-3);
        continue;
      }
      if (it == got.classes.end()) {
        ADD_FAILURE() << "pgBadger class missing in dbvet (" << want.count << " events): " << query;
        continue;
      }
      EXPECT_EQ(it->second.count, want.count) << query;
      EXPECT_NEAR(it->second.duration_ms, want.duration_ms, 1e-6 * want.duration_ms + 1e-3) << query;
    }
    for (const auto& [query, have] : got.classes) {
      if (expected.count(query) == 0 && divergence_for(name, query, false) == nullptr) {
        ADD_FAILURE() << "dbvet class unknown to pgBadger (" << have.count << " events): " << query;
      }
    }
    EXPECT_EQ(got.classes.size(), expected.size());
  }
  EXPECT_GE(logs_with_classes, 5u);
}

TEST(PgBadgerConformance, EmptyExpectationsAreReadWithoutFailing) {
  auto shared = dbvet::testing::shared_dir();
  if (!shared || !fs::exists(*shared / "conformance/postgres-log")) {
    GTEST_SKIP() << "../shared/conformance/postgres-log is absent";
  }
  fs::path dir = *shared / "conformance/postgres-log";
  for (const char* name :
       {"cnpg.log.gz", "weeknumber.log", "pgbouncer.log.gz", "pg_rawcsv.log", "pg_vacuums.log.gz", "begin_end.log"}) {
    SCOPED_TRACE(name);
    if (!fs::exists(dir / name)) continue;
    ReadResult got = read_with_dbvet(dir / name);
    EXPECT_GT(got.events + got.skipped + 1, 0u);
  }
}

// pgBadger 12.0 finds nothing in these with its defaults, and dbvet reads the statements
// (docs/commands/digest.md): the CloudNativePG wrapper (pgBadger -f jsonlog also reads none), and a
// csvlog named .log (pgBadger -f csv counts the same 6 statements in 1 class).
TEST(PgBadgerConformance, WherePgBadgerFindsNothingDbvetReadsTheStatements) {
  auto shared = dbvet::testing::shared_dir();
  if (!shared || !fs::exists(*shared / "conformance/postgres-log/cnpg.log.gz")) {
    GTEST_SKIP() << "../shared/conformance/postgres-log is absent";
  }
  fs::path dir = *shared / "conformance/postgres-log";
  for (auto [name, statements, classes] :
       {std::tuple{"cnpg.log.gz", uint64_t{400}, size_t{29}}, std::tuple{"weeknumber.log", uint64_t{6}, size_t{1}}}) {
    SCOPED_TRACE(name);
    ReadResult got = read_with_dbvet(dir / name);
    uint64_t events = 0;
    for (const auto& [query, c] : got.classes) events += c.count;
    EXPECT_EQ(events, statements);
    EXPECT_EQ(got.classes.size(), classes);
  }
}

}  // namespace
}  // namespace dbvet::capture
