#pragma once
// Reads log files into a Digest: detects each file's format, splits plain files into N parts at
// record boundaries for -j N (one reader and one Digest per part, merged in order), and reports
// progress. Streaming throughout: memory holds one record per part plus the classes.

#include <atomic>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "analyzer/capture/log_formats.hpp"
#include "analyzer/core/expected.hpp"
#include "analyzer/digest/digest.hpp"
#include "analyzer/digest/server_activity.hpp"

namespace dbvet::pipeline {

struct DigestOptions {
  std::vector<std::string> files;  // "-" is standard input
  capture::Engine engine = capture::Engine::auto_;
  unsigned jobs = 1;
  sql::FingerprintMode mode = sql::FingerprintMode::canonical;
  // PostgreSQL stderr/syslog logs: the server's log_line_prefix (empty: detected per file).
  std::string log_line_prefix;
  // Called about five times a second from a helper thread: bytes read so far, total (0 unknown).
  std::function<void(uint64_t done, uint64_t total)> progress;
  // Count each class's calls and time in time buckets (digest::TimeBuckets; --class-trends, and
  // --format html). Off, the readers call Digest::add as before: no cost at all.
  bool time_buckets = false;
  // Parts smaller than this are not worth a thread.
  uint64_t min_part_bytes = 64 * 1024;
};

struct SkippedInFile {
  std::string file;
  capture::SkippedRecord record;
};

struct DigestResult {
  digest::Digest digest;
  // PostgreSQL logs: checkpoints, temporary files, locks, autovacuum, connections, sessions, errors.
  digest::ServerActivity server;
  std::vector<std::string> files;
  std::string format;  // the formats read, comma-separated when several
  uint64_t events = 0, skipped = 0, bytes = 0;
  std::vector<SkippedInFile> skipped_records;  // the first ones, with their byte offsets
  // Lines longer than capture::kMaxLineBytes, dropped by the line source before any reader.
  uint64_t oversized_lines = 0, oversized_bytes = 0;
  std::vector<std::string> oversized_notes;  // one per input that had some: file, count, where
  // Inputs whose reading stopped early (a truncated or corrupt compressed stream, a read error):
  // what came before the error is in the digest.
  std::vector<std::string> read_errors;
};

core::Expected<DigestResult> run_digest(const DigestOptions& options);

// The byte offsets where the parts of a plain file start (the first is 0): each at the first
// record boundary after size * k / parts. Fewer parts when records are large.
core::Expected<std::vector<uint64_t>> plan_split(const std::string& path, capture::LogFormat format, uint64_t size,
                                                 unsigned parts);

}  // namespace dbvet::pipeline
