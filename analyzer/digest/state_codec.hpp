#pragma once
// The byte encoding of query classes inside a digest state file (pipeline/digest_state.hpp):
// every field of a QueryClass exactly, so that a class written on one host and read on another
// merges to the same result as if both hosts' events had been digested in one run. Integers are
// LEB128 varints (zigzag for signed ones), doubles their 8 IEEE bytes, strings length-prefixed.
// Reading checks every length against what is left and every sketch against what a real one can
// hold: a damaged state is an error, never a crash or a wrong merge.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "analyzer/core/expected.hpp"
#include "analyzer/digest/digest.hpp"
#include "analyzer/digest/server_activity.hpp"

namespace dbvet::digest {

class ByteWriter {
 public:
  void u64(uint64_t v);
  void i64(int64_t v) { u64((static_cast<uint64_t>(v) << 1) ^ static_cast<uint64_t>(v >> 63)); }
  void f64(double v);
  void str(std::string_view s);
  void opt_i64(const std::optional<int64_t>& v);
  const std::string& bytes() const { return out_; }
  std::string take() { return std::move(out_); }

 private:
  std::string out_;
};

// Reads what ByteWriter wrote. After the first failure every read returns zero values and
// failed() stays true; the caller checks once, at the end of a record.
class ByteReader {
 public:
  explicit ByteReader(std::string_view bytes) : in_(bytes) {}
  uint64_t u64();
  int64_t i64() {
    const uint64_t v = u64();
    return static_cast<int64_t>(v >> 1) ^ -static_cast<int64_t>(v & 1);
  }
  double f64();
  std::string str();
  std::optional<int64_t> opt_i64();
  // A count of items each at least `min_bytes` long: fails when more than the bytes left can hold.
  uint64_t count(size_t min_bytes = 1);
  bool failed() const { return failed_; }
  bool at_end() const { return pos_ == in_.size(); }
  size_t position() const { return pos_; }
  void fail() { failed_ = true; }

 private:
  std::string_view in_;
  size_t pos_ = 0;
  bool failed_ = false;
};

void encode_class(const QueryClass& c, ByteWriter& out);
// `inputs`: how many input files the state names (an example's input must be one of them).
core::Expected<QueryClass> decode_class(ByteReader& in, uint64_t inputs);

// A PostgreSQL log's checkpoints, temporary files, locks... whole (state format version 2).
void encode_server(const ServerActivity& a, ByteWriter& out);
core::Expected<ServerActivity> decode_server(ByteReader& in);

}  // namespace dbvet::digest
