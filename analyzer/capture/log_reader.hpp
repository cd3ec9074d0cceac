#pragma once
// Log readers are push parsers: something that owns the input (a file, a decompressor, standard
// input, a byte range of a file for -j N) feeds them lines, and they emit QueryEvents. Keeping I/O
// out of the readers lets one line source serve every format and lets tests feed strings.

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "analyzer/model/query.hpp"

namespace dbvet::capture {

struct SkippedRecord {
  uint64_t byte_offset = 0;
  std::string reason;  // what was expected there
};

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

class LogReader {
 public:
  virtual ~LogReader() = default;
  // One line without its terminator ("\n" or "\r\n"); offset is where the line starts in the input.
  virtual void feed_line(std::string_view line, uint64_t offset) = 0;
  // End of input: emits the record in progress, if it is complete.
  virtual void finish() = 0;
  virtual const ReadStats& stats() const = 0;
};

}  // namespace dbvet::capture
