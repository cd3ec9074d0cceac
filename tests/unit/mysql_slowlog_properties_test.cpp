// The slow log reader reads the attribute lines servers usually write straight off
// (parse_property_layout) and any other line with pt's regular expression (parse_properties).
// Wherever the first accepts a line, both must find the same attributes.

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "analyzer/capture/mysql_slowlog_detail.hpp"

namespace dbvet::capture::detail {
namespace {

constexpr Prop kAll[] = {Prop::arg,        Prop::cmd,       Prop::user,          Prop::host,
                         Prop::ts,         Prop::db,        Prop::schema,        Prop::query_time,
                         Prop::lock_time,  Prop::rows_sent, Prop::rows_examined, Prop::rows_affected,
                         Prop::bytes_sent, Prop::timestamp};

std::vector<std::string> attributes(const SlowLogProps& props) {
  std::vector<std::string> out;
  for (Prop p : kAll) {
    const std::string_view* v = props.get(p);
    out.push_back(v ? "=" + std::string(*v) : "-");
  }
  return out;
}

TEST(MysqlSlowlogProperties, ServerLinesAreReadStraightOff) {
  const std::vector<std::string> lines = {
      "# Query_time: 0.000042  Lock_time: 0.000010  Rows_sent: 1  Rows_examined: 1",
      "# Query_time: 2.000158  Lock_time: 0.000000 Rows_sent: 1  Rows_examined: 0",
      "# Rows_affected: 0  Bytes_sent: 190",
      "# Thread_id: 8  Schema: dbvet  QC_hit: No",
      "# Full_scan: No  Full_join: No  Tmp_table: No  Tmp_table_on_disk: No",
      "# Filesort: Yes  Filesort_on_disk: No  Merge_passes: 0  Priority_queue: No",
      "# Tmp_tables: 1  Tmp_disk_tables: 0  Tmp_table_sizes: 1310656",
  };
  for (const auto& line : lines) {
    SCOPED_TRACE(line);
    SlowLogProps fast, general;
    ASSERT_TRUE(parse_property_layout(line, fast));
    EXPECT_TRUE(is_property_line(line));
    parse_properties(line, general);
    EXPECT_EQ(attributes(fast), attributes(general));
  }
}

TEST(MysqlSlowlogProperties, OtherShapesAreLeftToTheGeneralReader) {
  for (const char* line : {"# Thread_id: 5  Schema:   QC_hit: No", "# Thread_id: 5  Schema: db:  QC_hit: No",
                           "# Query_time: 1  Lock_time: 0  Rows_sent: 1  Rows_examined: 1 ",
                           "# Query_time: 1\tLock_time: 0  Rows_sent: 1  Rows_examined: 1",
                           "# Query_time:  Lock_time: 0",
                           "# Query_time:  1  Lock_time: 0  Rows_sent: 1  Rows_examined: 1", "# Rows_affected: 0  Bytes_sent: 190  Extra: 1",
                           "#  Query_time: 1  Lock_time: 0  Rows_sent: 1  Rows_examined: 1"}) {
    SlowLogProps props;
    EXPECT_FALSE(parse_property_layout(line, props)) << line;
    EXPECT_EQ(attributes(props), attributes(SlowLogProps{})) << line;
  }
}

// Server lines with random damage: wherever the fast reader still accepts one, it agrees, and the
// line is one pt reads properties from.
TEST(MysqlSlowlogProperties, DamagedLinesAgreeWhereverTheFastReaderAcceptsThem) {
  const std::vector<std::string> seeds = {
      "# Query_time: 0.000042  Lock_time: 0.000010  Rows_sent: 1  Rows_examined: 1",
      "# Rows_affected: 0  Bytes_sent: 190",
      "# Thread_id: 8  Schema: dbvet  QC_hit: No",
      "# Tmp_tables: 1  Tmp_disk_tables: 0  Tmp_table_sizes: 1310656",
  };
  // With control bytes (the word-at-a-time value reader treats those below '\t' as ends) and
  // bytes above 0x7f.
  const std::string alphabet = " :\t#_aQSx0.9\r\x01\x80";
  std::mt19937 rng(5);
  int accepted = 0;
  for (int round = 0; round < 200000; ++round) {
    std::string line = seeds[rng() % seeds.size()];
    for (int edits = 1 + int(rng() % 3); edits > 0; --edits) {
      size_t at = rng() % (line.size() + 1);
      switch (rng() % 3) {
        case 0:
          line.insert(line.begin() + long(at), alphabet[rng() % alphabet.size()]);
          break;
        case 1:
          if (at < line.size()) line.erase(at, 1);
          break;
        default:
          if (at < line.size()) line[at] = alphabet[rng() % alphabet.size()];
          break;
      }
    }
    SlowLogProps fast, general;
    if (!parse_property_layout(line, fast)) continue;
    ++accepted;
    // The reader tries the layout first, in place of the property-line test: it must imply it.
    ASSERT_TRUE(is_property_line(line)) << line;
    parse_properties(line, general);
    ASSERT_EQ(attributes(fast), attributes(general)) << line;
  }
  EXPECT_GT(accepted, 1000);
}

}  // namespace
}  // namespace dbvet::capture::detail
