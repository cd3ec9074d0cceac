#pragma once
// Log readers are push parsers: something that owns the input (a file, a decompressor, standard
// input, a byte range of a file for -j N) feeds them lines, and they emit QueryEvents. Keeping I/O
// out of the readers lets one line source serve every format and lets tests feed strings.

#include <cstdint>
#include <cstring>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "analyzer/model/query.hpp"
#include "analyzer/model/server_event.hpp"
#include "analyzer/util/byte_scan.hpp"

namespace dbvet::capture {

struct SkippedRecord {
  uint64_t byte_offset = 0;
  std::string reason;  // what was expected there
};

// A record (a statement and its header lines) longer than this is skipped and counted: lines
// are bounded by the line source, but a record of many lines would otherwise grow without end.
inline constexpr size_t kMaxRecordBytes = size_t{64} << 20;
inline constexpr const char* kRecordTooLong = "a record shorter than 64 MiB (this one was longer)";

struct ReadStats {
  uint64_t events = 0;
  uint64_t skipped = 0;
  uint64_t bytes = 0;
  std::vector<SkippedRecord> skipped_records;  // the first kMaxSkippedKept, for --verbose

  static constexpr size_t kMaxSkippedKept = 100;
  void skip(uint64_t byte_offset, std::string reason) {
    ++skipped;
    if (skipped_records.size() < kMaxSkippedKept) skipped_records.push_back({byte_offset, std::move(reason)});
  }
};

using EventSink = std::function<void(model::QueryEvent&&)>;
// What a PostgreSQL log says besides its statements (checkpoints, locks, errors...).
using ServerEventSink = std::function<void(model::ServerEvent&&)>;

// Cuts a block of whole lines into lines for reader.feed_line (a template, so that a final reader
// class calls its own feed_line directly).
template <class Reader>
inline void feed_lines(Reader& reader, std::string_view block, uint64_t offset) {
  util::ByteFinder newlines(block, '\n');
  size_t pos = 0;
  while (pos < block.size()) {
    const size_t end = newlines.next(pos);
    size_t len = end - pos;
    if (len > 0 && block[pos + len - 1] == '\r') --len;
    reader.feed_line(block.substr(pos, len), offset + pos);
    pos = end + 1;
  }
}

class LogReader {
 public:
  virtual ~LogReader() = default;
  // One line without its terminator ("\n" or "\r\n"); offset is where the line starts in the input.
  virtual void feed_line(std::string_view line, uint64_t offset) = 0;
  // Whole lines at once (each ending in "\n" or "\r\n", the input's last one possibly in
  // neither), the first starting at `offset`: exactly as feeding them one by one.
  virtual void feed_block(std::string_view block, uint64_t offset) { feed_lines(*this, block, offset); }
  // End of input: emits the record in progress, if it is complete.
  virtual void finish() = 0;
  virtual const ReadStats& stats() const = 0;
};

}  // namespace dbvet::capture
