#pragma once
// A PostgreSQL log entry being read (Record), what a backend left open (Session), and the small
// text and number helpers the reader runs per line.
// Internal to postgres_log.cpp, which alone includes it: the anonymous namespace keeps the linkage
// the code had when it was one file, so GCC inlines the per-line paths as it did then.

#include <charconv>
#include <cstdint>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>

#include "analyzer/capture/postgres_log_prefix.hpp"
#include "analyzer/model/query.hpp"
#include "analyzer/model/server_event.hpp"
#include "analyzer/util/parse.hpp"

namespace dbvet::capture {
namespace {

using pglog::PrefixFields;
using pglog::Severity;

// An equality memcmp of a literal's constant length, which the compiler inlines (a string_view
// comparison calls memcmp for its ordering).
inline bool starts_with(std::string_view s, std::string_view p) {
  return s.size() >= p.size() && std::memcmp(s.data(), p.data(), p.size()) == 0;
}
bool is_digit(char c) { return c >= '0' && c <= '9'; }

// A queryid as the server prints it: a signed 64-bit number (0 when it is not one).
int64_t to_i64(std::string_view s) {
  int64_t v = 0;
  if (std::from_chars(s.data(), s.data() + s.size(), v).ec != std::errc()) return 0;
  return v;
}

// The leading digits of s as from_chars reads them (0 when there are none or they overflow).
uint64_t to_u64(std::string_view s) {
  uint64_t v = 0;
  if (s.size() <= 19) {  // cannot overflow
    for (char c : s) {
      if (!is_digit(c)) break;
      v = v * 10 + static_cast<uint64_t>(c - '0');
    }
    return v;
  }
  std::from_chars(s.data(), s.data() + s.size(), v);
  return v;
}

// to = from for optionals written just before field by field: copying the whole 16 bytes at once
// would load them across two pending stores, which stalls (no store-to-load forwarding).
inline void copy_time(std::optional<int64_t>& to, const std::optional<int64_t>& from) {
  if (from.has_value()) {
    to = *from;
  } else {
    to.reset();
  }
}

// Most records repeat the user, database and host of the one before: compare rather than copy.
inline bool same_text(std::string_view a, std::string_view b) {
  size_t n = a.size();
  if (n != b.size()) return false;
  if (n >= 8 && n <= 16) {  // two overlapping words, no call
    uint64_t a0, a1, b0, b1;
    std::memcpy(&a0, a.data(), 8);
    std::memcpy(&b0, b.data(), 8);
    std::memcpy(&a1, a.data() + n - 8, 8);
    std::memcpy(&b1, b.data() + n - 8, 8);
    return a0 == b0 && a1 == b1;
  }
  if (n < 8) {
    for (size_t i = 0; i < n; ++i) {
      if (a[i] != b[i]) return false;
    }
    return true;
  }
  return std::memcmp(a.data(), b.data(), n) == 0;
}
inline void assign_if_changed(std::string& to, std::string_view from) {
  if (!same_text(to, from)) to.assign(from);
}

// "1.039" as from_chars reads it: plain decimals on the fast path, other forms to from_chars.
inline const char* parse_decimal(const char* begin, const char* end, double& value) {
  if (const char* p = util::parse_plain_decimal(begin, end, value)) return p;
  auto [q, ec] = std::from_chars(begin, end, value);
  return ec == std::errc{} ? q : nullptr;
}

// One log entry: a severity and its message (continuation lines joined with '\n'), and the
// session it belongs to. csvlog and jsonlog carry the DETAIL in the same entry.
struct Record {
  Severity severity = Severity::none;
  std::string detail;
  bool inline_detail = false;
  std::optional<int64_t> timestamp;
  uint64_t pid = 0;
  std::string user, database, host;
  std::string sqlstate;          // %e, csvlog's and jsonlog's state code; empty when not logged
  int64_t query_id = 0;          // %Q, csvlog's and jsonlog's query_id; 0 when not logged
  std::string inline_statement;  // csvlog's query field: the statement of a non-statement record
  uint64_t offset = 0;
  uint64_t last_line = 0;
  bool open = false;
  bool too_long = false;  // grew past kMaxRecordBytes: skipped when complete

  std::string_view message() const { return borrowed_ ? borrowed_message_ : std::string_view(message_); }
  // A message still in the caller's line: no copy while the record is completed by a later line
  // of the same block (see Reader::keep_open_record), which is the common case.
  void borrow_message(std::string_view m) {
    borrowed_message_ = m;
    borrowed_ = true;
  }
  void set_message(std::string_view m) {
    borrowed_ = false;
    message_.assign(m);
  }
  void set_message(std::string&& m) {
    borrowed_ = false;
    message_ = std::move(m);
  }
  // The message as a string of the record's own, to append to.
  std::string& own_message() {
    if (borrowed_) {
      message_.assign(borrowed_message_);
      borrowed_ = false;
    }
    return message_;
  }

  void set_fields(const PrefixFields& f) {
    copy_time(timestamp, f.unix_time);
    if (!timestamp && !f.timestamp.empty()) {
      int64_t t = 0;
      if (f.epoch) {
        double d = 0;
        std::from_chars(f.timestamp.data(), f.timestamp.data() + f.timestamp.size(), d);
        timestamp = static_cast<int64_t>(d);
      } else if (pglog::parse_timestamp(f.timestamp, t) != 0) {
        timestamp = t;
      }
    }
    pid = to_u64(f.pid);
    constexpr std::string_view unknown = "[unknown]";
    assign_if_changed(user, f.user == unknown ? std::string_view() : f.user);
    assign_if_changed(database, f.database == unknown ? std::string_view() : f.database);
    assign_if_changed(host, f.host);
    if (!f.sqlstate.empty() || !sqlstate.empty()) sqlstate.assign(f.sqlstate);
    query_id = f.query_id.empty() ? 0 : to_i64(f.query_id);
  }

 private:
  std::string message_;
  std::string_view borrowed_message_;
  bool borrowed_ = false;
};

// What a session (backend pid) left open: a statement waiting for its duration, an event waiting
// for its DETAIL parameters, an auto_explain plan waiting for its statement.
struct Session {
  bool has_stmt = false;
  model::QueryEvent stmt;
  bool has_pending = false;
  model::QueryEvent pending;
  bool has_plan = false;
  model::QueryEvent plan;
  bool has_server = false;  // a temporary file waiting for its STATEMENT
  model::ServerEvent server;
  std::string received_host;  // of "connection received", for the "connection authorized" after it
  uint64_t last_line = 0;
};

void fill_meta(const Record& r, model::QueryEvent& e) {
  copy_time(e.timestamp, r.timestamp);
  assign_if_changed(e.database, r.database);
  assign_if_changed(e.user, r.user);
  assign_if_changed(e.host, r.host);
  e.byte_offset = r.offset;
  e.query_id = r.query_id;
}

}  // namespace
}  // namespace dbvet::capture
