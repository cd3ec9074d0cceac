#pragma once
// MySQL, Percona Server and MariaDB slow query logs, read the way pt-query-digest 3.2.1's
// SlowLogParser reads them (it is the reference users compare against): records are the text
// between ";\n#" separators, header lines (# Time, # User@Host, # Query_time ..., Percona's and
// MariaDB's extended lines, "use db;", "SET timestamp=N;") give the attributes, the first other
// line starts the statement, the server's start-up banner is dropped, "# administrator command:"
// records are statements of their own, and a record without a statement borrows pt's rules for
// what follows it. The default database and the time are inherited from earlier records, as
// pt-query-digest's --inherit-attributes does.

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "analyzer/capture/log_reader.hpp"

namespace dbvet::capture {

namespace detail {
class SlowLogProps;      // a record's attributes
struct LayoutLineMemos;  // the attribute lines read last, and where their values lay
}  // namespace detail

class MysqlSlowLogReader final : public LogReader {
 public:
  explicit MysqlSlowLogReader(EventSink sink);
  ~MysqlSlowLogReader() override;
  void feed_line(std::string_view line, uint64_t offset) override;
  void feed_block(std::string_view block, uint64_t offset) override;
  void finish() override;
  const ReadStats& stats() const override { return stats_; }

  // The database and time later records inherit (pt's --inherit-attributes): read from the records
  // before a -j N split point, and given to the reader of the part after it.
  const std::string& inherited_database() const { return last_db_; }
  std::optional<int64_t> inherited_timestamp() const { return last_ts_; }
  void inherit(std::string database, std::optional<int64_t> timestamp) {
    last_db_ = std::move(database);
    last_ts_ = timestamp;
  }

  // Whether a line can start a record: where -j N may split a file.
  static bool is_record_start(std::string_view line);
  // Whether the first lines of an input look like a MySQL/MariaDB slow log.
  static bool looks_like(std::string_view head);

 private:
  struct Pending;
  // `hash_before`: raw.data()[-1] is the '#' of the ";\n#" before the record (pt puts a '#' back).
  // Whether the record may hold a server start-up banner line, when the caller knows.
  enum class BannerHint { unknown, absent, possible };
  void on_chunk(std::string_view raw, uint64_t offset, bool at_end, bool hash_before,
                BannerHint banner = BannerHint::unknown);
  void parse_chunk(std::string_view raw, uint64_t offset, bool hash_before = false,
                   BannerHint banner = BannerHint::unknown);
  void parse_record(std::string_view stmt, uint64_t offset);
  std::string_view chunk_text() const { return chunk_hash_ ? std::string_view(chunk_).substr(1) : chunk_; }
  // Appends a line of the record in progress, unless the record grew too long to keep.
  void append_to_chunk(const char* text, size_t size);
  // The record in chunk_ ends: false when it was too long (counted as skipped, not parsed).
  bool chunk_is_whole();
  void emit(const detail::SlowLogProps& props, uint64_t offset);

  EventSink sink_;
  ReadStats stats_;
  std::string chunk_;
  bool chunk_hash_ = false;  // chunk_ starts with the separator's '#' (see chunk_text)
  uint64_t chunk_offset_ = 0;
  bool chunk_started_ = false;
  bool chunk_too_long_ = false;  // the record in chunk_ passed kMaxRecordBytes: skipped whole
  bool previous_ended_with_semicolon_ = false;
  // A record whose header ended without a statement waits for the next chunk (pt's special case).
  std::unique_ptr<Pending> waiting_;
  std::string merge_prefix_;  // a chunk to prepend to the next one
  uint64_t merge_offset_ = 0;
  std::string last_db_;
  std::optional<int64_t> last_ts_;
  struct UserHostMemo {
    static constexpr size_t kMaxLine = 256;
    std::string text;
    size_t user_at = 0, user_size = 0, host_at = 0, host_size = 0;
    bool valid = false;
    bool match(std::string_view line, detail::SlowLogProps& props);
  };
  UserHostMemo user_host_;
  // Where the newlines of the record read in place lie (offsets in its block), for parse_record.
  struct LineIndex {
    const char* base = nullptr;
    const size_t* ends = nullptr;
    size_t count = 0;
    size_t limit = 0;  // the record's text ends before base + limit
  };
  std::vector<size_t> view_line_ends_;
  LineIndex line_index_;
  // The last "SET timestamp=N" value read and its number: records of one second repeat it.
  struct StampMemo {
    static constexpr size_t kMaxText = 24;
    char text[kMaxText] = {};
    size_t size = 0;  // 0: none
    int64_t value = 0;
  };
  StampMemo stamp_memo_;
  std::unique_ptr<detail::LayoutLineMemos> layout_memos_;
  // Scratch, reused from record to record.
  std::string stmt_;
  std::unique_ptr<detail::SlowLogProps> props_;
  model::QueryEvent event_;
};

}  // namespace dbvet::capture
