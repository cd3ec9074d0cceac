#pragma once
// Digest states: what `dbvet digest --state FILE` writes on each host and `dbvet merge` combines
// centrally (docs/commands/merge.md). A state holds everything the digest's result object is made
// of (every class whole, with its histogram and sketch, and the input counters), so that merging
// the states of logs read on many hosts gives the same document as digesting all the logs in one
// run.
//
// The file: a 32-byte header, then a zstd frame (with its content checksum) of the payload.
//   bytes 0-7    magic "DBVSTATE"
//   bytes 8-11   format version, little-endian (kDigestStateVersion)
//   bytes 12-15  flags, 0 (reserved)
//   bytes 16-23  payload bytes, uncompressed
//   bytes 24-31  bytes of the zstd frame that follows
// The payload's encoding (digest/state_codec.hpp) changes only with the version.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "analyzer/core/expected.hpp"
#include "analyzer/pipeline/digest_runner.hpp"

namespace dbvet::pipeline {

// 2: the payload ends with the PostgreSQL server activity (digest::encode_server).
// 3: pt-query-digest's per-class depth. 4: per-class time buckets (--class-trends), and whether
// the digest kept them. 5: Rows_read, Killed and Last_errno (the rest of pt's attributes),
// the queryids a PostgreSQL log gave and the plan auto_explain logged.
inline constexpr uint32_t kDigestStateVersion = 5;
inline constexpr size_t kDigestStateHeaderBytes = 32;

std::string encode_digest_state(const DigestResult& result);
// `name` (the file) starts every error message. A state of another version, a truncated or
// damaged one: an input error.
core::Expected<DigestResult> decode_digest_state(std::string_view bytes, const std::string& name);

// Written to a temporary file beside `path` and renamed over it: a collector never reads half a state.
core::Status write_digest_state(const DigestResult& result, const std::string& path);
core::Expected<DigestResult> read_digest_state(const std::string& path);

struct NamedState {
  std::string name;  // the state file, for messages
  DigestResult result;
};

// One result from many states, in an order of their own (by the input files they name, then by
// content), so that the order they are given in changes nothing: the merge of states of disjoint
// logs equals the digest of those logs in that order. States digested with different fingerprint
// modes or of logs of different engines do not merge (a usage error naming both files).
core::Expected<DigestResult> merge_digest_states(std::vector<NamedState> states);

}  // namespace dbvet::pipeline
