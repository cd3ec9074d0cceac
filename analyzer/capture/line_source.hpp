#pragma once
// Lines from an input: a plain file (optionally one byte range of it, for -j N), a gzip, bzip2 or
// zstd file (detected by magic bytes, not by name), or standard input ("-"). Lines come without
// their terminator, with the byte offset where they start in the (decompressed) input.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "analyzer/core/expected.hpp"

namespace dbvet::capture {

enum class Compression { none, gzip, bzip2, zstd };

// A line longer than this is dropped (counted, never delivered): an input with no newline (a
// zeroed hole in a log, /dev/zero) must not make a reader hold gigabytes.
inline constexpr size_t kMaxLineBytes = size_t{16} << 20;

// The lines dropped for being longer than kMaxLineBytes.
struct OversizedLines {
  uint64_t lines = 0;
  uint64_t bytes = 0;         // their bytes, terminators included
  uint64_t first_offset = 0;  // where the first one starts in the (decompressed) input
};

class LineSource {
 public:
  virtual ~LineSource() = default;
  // Next line; false at the end. The view stays valid until the next call.
  virtual bool next(std::string_view& line, uint64_t& offset) = 0;
  // Or: the next run of whole lines at once, each with its '\n' (the last line of the input may
  // have none), starting at `offset`; false at the end. The view stays valid until the next call.
  // Do not mix with next() on one source.
  virtual bool next_block(std::string_view& block, uint64_t& offset) = 0;
  // A read or decompression error met on the way (the lines before it were delivered).
  virtual const std::optional<core::Error>& error() const = 0;
  virtual uint64_t bytes_read() const = 0;  // compressed bytes consumed from the file
  virtual Compression compression() const = 0;
  virtual const OversizedLines& oversized() const = 0;
};

// Opens PATH ("-" for standard input).
core::Expected<std::unique_ptr<LineSource>> open_line_source(const std::string& path);

// A byte range [begin, end) of a plain (uncompressed) file; the first line starts exactly at
// `begin` (callers choose record boundaries), offsets are absolute within the file.
core::Expected<std::unique_ptr<LineSource>> open_line_source_range(const std::string& path, uint64_t begin,
                                                                   uint64_t end);

// Size of the file and its compression, to plan -j N splits (only plain files are split). Opens
// only regular files: opening a FIFO would block, and reading a pipe would consume it.
struct InputInfo {
  uint64_t size = 0;
  Compression compression = Compression::none;
  bool seekable = false;
  // A regular file (stat'ed, not opened): anything else (a pipe, a FIFO, a device, standard input)
  // can be read only once, as a stream.
  bool regular = false;
};
core::Expected<InputInfo> inspect_input(const std::string& path);

}  // namespace dbvet::capture
