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

// Server lines of several layouts, for the tests that vary them.
const std::vector<std::string> kSeedLines = {
    "# Query_time: 0.000042  Lock_time: 0.000010  Rows_sent: 1  Rows_examined: 1",
    "# Rows_affected: 0  Bytes_sent: 190",
    "# Thread_id: 8  Schema: dbvet  QC_hit: No",
    "# Full_scan: No  Full_join: No  Tmp_table: No  Tmp_table_on_disk: No",
    "# Tmp_tables: 1  Tmp_disk_tables: 0  Tmp_table_sizes: 1310656",
};

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
  for (const char* line :
       {"# Thread_id: 5  Schema:   QC_hit: No", "# Thread_id: 5  Schema: db:  QC_hit: No",
        "# Query_time: 1  Lock_time: 0  Rows_sent: 1  Rows_examined: 1 ",
        "# Query_time: 1\tLock_time: 0  Rows_sent: 1  Rows_examined: 1", "# Query_time:  Lock_time: 0",
        "# Query_time:  1  Lock_time: 0  Rows_sent: 1  Rows_examined: 1",
        "# Rows_affected: 0  Bytes_sent: 190  Extra: 1",
        "#  Query_time: 1  Lock_time: 0  Rows_sent: 1  Rows_examined: 1"}) {
    SlowLogProps props;
    EXPECT_FALSE(parse_property_layout(line, props)) << line;
    EXPECT_EQ(attributes(props), attributes(SlowLogProps{})) << line;
  }
}

// A line's last value, read by words that end at the line's end, at every length, and with a byte
// that ends values (or one below '\t', which the word reader treats as one) at every place in it:
// read whole, or refused and left to the general reader, never misread.
TEST(MysqlSlowlogProperties, LastValuesOfEveryLengthAreReadWholeOrRefused) {
  for (size_t size = 1; size <= 24; ++size) {
    const std::string value(size, '7');
    const std::string line = "# Rows_affected: 0  Bytes_sent: " + value;
    SlowLogProps props;
    ASSERT_TRUE(parse_property_layout(line, props)) << size;
    ASSERT_NE(props.get(Prop::bytes_sent), nullptr);
    EXPECT_EQ(*props.get(Prop::bytes_sent), value);
    for (size_t at = 0; at < size; ++at) {
      for (const char end : {' ', ':', '\t', '\x01', '\0'}) {
        std::string damaged = line;
        damaged[line.size() - size + at] = end;
        SlowLogProps fast, general;
        if (!parse_property_layout(damaged, fast)) continue;
        parse_properties(damaged, general);
        EXPECT_EQ(attributes(fast), attributes(general)) << size << " " << at << " " << int(end);
      }
    }
  }
}

// Server lines with random damage: wherever the fast reader still accepts one, it agrees, and the
// line is one pt reads properties from.
TEST(MysqlSlowlogProperties, DamagedLinesAgreeWhereverTheFastReaderAcceptsThem) {
  const std::vector<std::string>& seeds = kSeedLines;
  // With control bytes (the word-at-a-time value reader treats those below '\t' as ends) and
  // bytes above 0x7f.
  const std::string alphabet = " :\t#_aQSx0.9\r\x01\x80";
  std::mt19937 rng(5);
  int accepted = 0;
  for (int round = 0; round < 200000; ++round) {
    const std::string& seed = seeds[rng() % seeds.size()];
    std::string line = seed;
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

// The reader keeps the last line of each layout and where its values lay: a line read through
// that memo gives what a fresh read gives (accepted or not, and the same attributes), however it
// differs from the line before. Mostly lines of the same length, bytes replaced: those are the
// lines the memo takes; a space or colon in a value, or a changed key, must send them back.
TEST(MysqlSlowlogProperties, LinesReadThroughTheMemoAreReadAsAfresh) {
  const std::vector<std::string>& seeds = kSeedLines;
  const std::string alphabet = " :\t#_aQSx0123456789.\r\x01\x80";
  std::mt19937 rng(18);
  LayoutLineMemos memos;
  int same_length = 0;  // lines read that were edited and kept their seed's length
  for (int round = 0; round < 300000; ++round) {
    const std::string& seed = seeds[rng() % seeds.size()];
    std::string line = seed;
    const int edits = int(rng() % 4);  // none: the seed itself, which fills the memo again
    for (int e = 0; e < edits; ++e) {
      const size_t at = rng() % line.size();
      switch (rng() % 8) {
        case 0:
          line.insert(line.begin() + long(at), alphabet[rng() % alphabet.size()]);
          break;
        case 1:
          line.erase(at, 1);
          break;
        default:  // the same length: what the memo compares
          line[at] = alphabet[rng() % alphabet.size()];
          break;
      }
    }
    SlowLogProps fresh, memoized;
    const bool read = parse_property_layout(line, fresh);
    ASSERT_EQ(parse_property_layout(line, memoized, memos), read) << line;
    ASSERT_EQ(attributes(memoized), attributes(fresh)) << line;
    if (read && edits > 0 && line.size() == seed.size()) ++same_length;
  }
  EXPECT_GT(same_length, 10000);
}

}  // namespace
}  // namespace dbvet::capture::detail
