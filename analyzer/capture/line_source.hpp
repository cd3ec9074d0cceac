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
};

// Opens PATH ("-" for standard input).
core::Expected<std::unique_ptr<LineSource>> open_line_source(const std::string& path);

// A byte range [begin, end) of a plain (uncompressed) file; the first line starts exactly at
// `begin` (callers choose record boundaries), offsets are absolute within the file.
core::Expected<std::unique_ptr<LineSource>> open_line_source_range(const std::string& path, uint64_t begin,
                                                                   uint64_t end);

// Size of the file and its compression, to plan -j N splits (only plain files are split).
struct InputInfo {
  uint64_t size = 0;
  Compression compression = Compression::none;
  bool seekable = false;
};
core::Expected<InputInfo> inspect_input(const std::string& path);

}  // namespace dbvet::capture
