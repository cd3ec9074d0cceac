#pragma once
// Streaming aggregation of query events by fingerprint. Memory grows with the number of classes,
// not with the number of events: per class a few counters, a log-bucketed histogram, a
// HyperLogLog sketch, bounded sets of databases/users/hosts and the slowest example.
//
// Every aggregate is exact and independent of the order of adds and merges (times are summed as
// integer microseconds, sets keep their smallest members, ties between examples go to the
// earliest input position), so digesting a file in one piece or in N pieces merged together
// gives identical results.

#include <cmath>
#include <cstdint>
#include <cstring>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "analyzer/digest/histogram.hpp"
#include "analyzer/digest/hyperloglog.hpp"
#include "analyzer/model/query.hpp"
#include "analyzer/sql/fingerprint.hpp"
#include "analyzer/util/byte_scan.hpp"

namespace dbvet::digest {

// Sum, min and max of integers (microseconds for times, units for rows and bytes).
struct Metric {
  uint64_t count = 0;
  int64_t sum = 0, min = 0, max = 0;
  void add(int64_t value);
  void merge(const Metric& other);
};

// What pt-query-digest's attribute table needs beyond a Metric's sum, min and max: the sum of
// squares (stddev) and a histogram of the values (95% and median), in the Metric's units.
struct Spread {
  unsigned __int128 sq = 0;
  LogHistogram histogram;
  void add(int64_t value) {  // >= 0: times, rows, bytes
    if (value == 0) {
      histogram.add_zero();
      return;
    }
    sq += static_cast<unsigned __int128>(value) * static_cast<unsigned __int128>(value);
    histogram.add_whole(value);
  }
  void merge(const Spread& other) {
    sq += other.sq;
    histogram.merge(other.histogram);
  }
};

// A Metric and its Spread: one attribute of pt's table.
struct Attribute {
  Metric metric;
  Spread spread;
  void add(int64_t value) {
    metric.add(value);
    spread.add(value);
  }
  void merge(const Attribute& other) {
    metric.merge(other.metric);
    spread.merge(other.spread);
  }
};

// The population standard deviation of the values a Metric and its sum of squares describe.
double stddev_of(const Metric& m, unsigned __int128 sq);

// Up to kMax distinct values, the smallest ones, each with the number of events that gave it, and
// whether there were others. A value among the kMax smallest of all is among the kMax smallest of
// any part of them, so it is never dropped once seen: its count is exact, whatever the order of
// adds and merges.
struct BoundedSet {
  static constexpr size_t kMax = 16;
  std::set<std::string> values;
  std::map<std::string, uint64_t, std::less<>> counts;  // the same keys as values
  bool truncated = false;
  // Most classes see one database, user and host: that one again is the common case, tested
  // inline (an out-of-line call cost more than the test).
  void add(const std::string& value) {
    if (!counts.empty()) {
      auto first = counts.begin();
      if (first->first.size() == value.size() && util::same_bytes(first->first.data(), value.data(), value.size())) {
        ++first->second;
        return;
      }
    }
    add_other(value, 1);
  }
  void merge(const BoundedSet& other);

 private:
  void add_other(const std::string& value, uint64_t n);
};

struct Example {
  std::string sql;
  int64_t query_time_us = -1;
  std::optional<int64_t> timestamp;
  std::string database;
  uint32_t input = 0;  // index of the input file
  uint64_t byte_offset = 0;
};

// Time buckets of pt-query-digest's histogram: 1us, 10us, ... 10s+.
inline constexpr int kDecadeBuckets = 8;

// A class's calls and total time over the log's own time (dbvet digest --class-trends, and
// --format html): events counted in windows of the Unix clock (UTC), each window as wide as one of
// kTimeBucketWidths, which each divide the next, so windows of one width nest in those of any
// wider one. A class keeps at most kMax windows holding events: past that, every window widens to
// the next width. The width is then the narrowest one at which the class's events fill at most
// kMax windows, whatever the order of adds and merges: a split or merged digest gives the same
// windows as one read. Memory: at most kMax windows a class.
struct TimeBucket {
  int64_t start = 0;  // Unix seconds, a multiple of the width
  uint64_t count = 0;
  int64_t time_us = 0;  // total query time
  bool operator==(const TimeBucket&) const = default;
};

inline constexpr int64_t kTimeBucketWidths[] = {1,         10,        60,        300,     900,     3600,
                                                21600,     86400,     604800,    2419200, 9676800, 38707200,
                                                154828800, 619315200, 2477260800};  // 1 s .. 4^5 weeks

struct TimeBuckets {
  static constexpr size_t kMax = 120;
  int64_t width = 1;                // seconds: one of kTimeBucketWidths
  std::vector<TimeBucket> buckets;  // windows holding events, by start

  void add(int64_t timestamp, int64_t time_us) {
    if (!buckets.empty()) {  // logs run forward: most events fall in the last window
      TimeBucket& last = buckets.back();
      if (timestamp >= last.start && timestamp - last.start < width) {
        ++last.count;
        last.time_us += time_us;
        return;
      }
    }
    add_elsewhere(timestamp, time_us);
  }
  void merge(const TimeBuckets& other);
  // Re-counts the windows at `wider` (a width of kTimeBucketWidths at least `width`).
  void widen_to(int64_t wider);
  bool operator==(const TimeBuckets&) const = default;

 private:
  void add_elsewhere(int64_t timestamp, int64_t time_us);
  void keep_at_most_max();
};

struct QueryClass {
  std::string id;
  std::string fingerprint;
  uint64_t count = 0;
  Metric query_time;                    // microseconds
  unsigned __int128 query_time_sq = 0;  // sum of squares, microseconds^2
  LogHistogram histogram;               // seconds
  uint64_t decades[kDecadeBuckets] = {};
  Metric lock_time;  // microseconds
  Metric rows_sent, rows_examined, rows_affected, bytes_sent;
  std::optional<int64_t> first_seen, last_seen;
  BoundedSet databases, users, hosts;
  Example example;  // the slowest execution
  HyperLogLog distinct_parameters;
  // pt-query-digest's per-class depth: 95%, median and stddev of the attributes above (the same
  // units), the statement's length in bytes, the extra attributes of Percona Server and MariaDB
  // (times in microseconds) and how many events logged each flag, and as Yes.
  Spread lock_time_spread, rows_sent_spread, rows_examined_spread, rows_affected_spread, bytes_sent_spread;
  Attribute query_length;
  Attribute extra[model::kExtraNumbers];
  uint64_t flag_seen[model::kExtraFlags] = {}, flag_yes[model::kExtraFlags] = {};
  BoundedSet last_errnos;  // Percona Server's Last_errno values, as text (pt's string attribute)
  BoundedSet query_ids;    // pg_stat_statements' queryids the log gave (%Q, query_id), as text
  // The slowest execution that auto_explain logged a plan for (PostgreSQL), and that plan as
  // logged (text or JSON): its query_time_us is -1 when no event of the class had one.
  Example planned;
  std::string plan;
  // Filled only by Digest::add_with_time_buckets (events with a timestamp).
  TimeBuckets time_buckets;

  double stddev_s() const;
  void merge(const QueryClass& other);
};

// std::llround, exactly, without the library call for the values logs give: for 0 <= x < 2^62
// the integer part (the cast truncates) plus one when the fraction (x minus it, exact) is at
// least one half; anything else goes to std::llround.
inline int64_t round_half_away_from_zero(double x) {
  if (x >= 0 && x < 0x1p62) {
    const auto whole = static_cast<int64_t>(x);
    return whole + (x - static_cast<double>(whole) >= 0.5 ? 1 : 0);
  }
  return std::llround(x);
}

inline int64_t to_micros(double seconds) {
  if (!(seconds > 0)) return 0;
  if (seconds > 9e12) return int64_t(9e18);
  return round_half_away_from_zero(seconds * 1e6);
}

// Classes by fingerprint key, the digest's per-event lookup: open addressing with linear probing
// over a power-of-two table of (hash, key, class) slots, the keys back to back in one buffer.
// One hash per lookup, no node to follow, no division. Bounded: the caller clears it when full.
class KeyCache {
 public:
  static uint64_t hash(std::string_view key) {
    auto mix = [](uint64_t a, uint64_t b) {
      const unsigned __int128 r = static_cast<unsigned __int128>(a) * b;
      return static_cast<uint64_t>(r) ^ static_cast<uint64_t>(r >> 64);
    };
    // Keys of 16 bytes or more 16 bytes a step, in two lanes of one multiply each that do not
    // wait for each other (one lane's chain of multiplies showed in profiles), the last 16 bytes
    // read as the last two words of the key, overlapping those before; shorter keys as one or two
    // overlapping words or halves. (The hash only places keys in the table: nothing shows it.)
    const uint64_t seed = 0x9E3779B97F4A7C15ULL ^ key.size();
    const char* p = key.data();
    const size_t n = key.size();
    auto word = [p](size_t at) {
      uint64_t w;
      std::memcpy(&w, p + at, 8);
      return w;
    };
    constexpr uint64_t kFirst = 0xBF58476D1CE4E5B9ULL, kSecond = 0xD6E8FEB86659FD93ULL, kLast = 0x94D049BB133111EBULL;
    if (n >= 16) {
      uint64_t a = seed, b = ~seed;
      for (size_t i = 0; i + 16 < n; i += 16) {
        a = mix(a ^ word(i), kFirst);
        b = mix(b ^ word(i + 8), kSecond);
      }
      a = mix(a ^ word(n - 16), kFirst);
      b = mix(b ^ word(n - 8), kSecond);
      return mix(a ^ b, kLast);
    }
    uint64_t h = seed, tail = 0;
    if (n >= 8) {
      h = mix(h ^ word(0), kFirst);
      tail = word(n - 8);
    } else if (n >= 4) {
      uint32_t low, high;
      std::memcpy(&low, p, 4);
      std::memcpy(&high, p + n - 4, 4);
      tail = uint64_t(high) << 32 | low;
    } else if (n > 0) {
      tail = uint64_t(uint8_t(p[0])) << 16 | uint64_t(uint8_t(p[n / 2])) << 8 | uint8_t(p[n - 1]);
    }
    return mix(h ^ tail, kLast);
  }

  QueryClass* find(std::string_view key, uint64_t hash) const {
    if (slots_.empty()) return nullptr;
    for (size_t i = hash & mask_;; i = (i + 1) & mask_) {
      const Slot& slot = slots_[i];
      if (!slot.value) return nullptr;
      if (slot.hash == hash && slot.size == key.size() &&
          util::same_bytes(bytes_.data() + slot.offset, key.data(), key.size())) {
        return slot.value;
      }
    }
  }
  // `key` must not be in the cache.
  void insert(std::string_view key, uint64_t hash, QueryClass* value);
  void clear();
  size_t size() const { return entries_; }
  size_t bytes() const { return bytes_.size(); }

 private:
  struct Slot {
    uint64_t hash = 0;
    uint32_t offset = 0, size = 0;  // of the key in bytes_
    QueryClass* value = nullptr;    // null: an empty slot
  };
  std::vector<Slot> slots_;
  size_t mask_ = 0;
  size_t entries_ = 0;
  std::string bytes_;
};

class Digest {
 public:
  explicit Digest(sql::FingerprintMode mode = sql::FingerprintMode::canonical) : mode_(mode) {}
  // Copies keep the classes, not the caches (they point into the classes of their digest).
  Digest(const Digest& other);
  Digest& operator=(const Digest& other);
  Digest(Digest&&) noexcept = default;
  Digest& operator=(Digest&&) noexcept = default;

  void add(const model::QueryEvent& event, uint32_t input = 0);
  // add, and the event counted in its class's time buckets: the readers call one or the other for
  // a whole run (pipeline::DigestOptions::time_buckets). `add` is the code it was but for one
  // store (the class it added to), so it costs no more when time buckets are off.
  void add_with_time_buckets(const model::QueryEvent& event, uint32_t input = 0);
  // Whether the classes' time buckets were filled for every event (set by who fills them): the
  // report shows them only then. Merges leave it to the caller.
  bool time_buckets() const { return time_buckets_; }
  void set_time_buckets(bool on) { time_buckets_ = on; }
  void merge(const Digest& other);
  // A class a server aggregated itself (pg_stat_statements, performance_schema): counted as its
  // `count` events. Its histogram may be empty: the report then has no percentiles for it.
  void add_class(const QueryClass& aggregated);

  sql::FingerprintMode mode() const { return mode_; }
  const std::unordered_map<std::string, QueryClass>& classes() const { return classes_; }
  uint64_t events() const { return events_; }
  const Metric& total_query_time() const { return total_query_time_; }
  std::optional<int64_t> first_seen() const { return first_seen_; }
  std::optional<int64_t> last_seen() const { return last_seen_; }

  enum class OrderBy { total, avg, p95, count };
  // Classes in report order (ties broken by id), at most `top` of them (0: all).
  std::vector<const QueryClass*> ranked(OrderBy order, size_t top) const;

 private:
  QueryClass& class_of(const sql::Fingerprint& fp);

  sql::FingerprintMode mode_;
  std::unordered_map<std::string, QueryClass> classes_;
  // Statements by fingerprint key (sql::fingerprint_key): executions of one query with other
  // literal values find their class without fingerprinting again. Bounded; cleared when full.
  KeyCache by_key_;
  std::string key_;            // scratch for the keys (sql::fingerprint_key's buffer)
  std::string query_id_text_;  // scratch for a queryid's digits (no allocation per event)
  // Recent statements and their fingerprints (pg mode, which has no key): identical statements
  // are common in logs.
  std::unordered_map<std::string, sql::Fingerprint> recent_;
  std::unordered_map<std::string, std::string> pt_ids_;  // pt fingerprint -> checksum
  uint64_t events_ = 0;
  Metric total_query_time_;
  std::optional<int64_t> first_seen_, last_seen_;
  bool time_buckets_ = false;
  QueryClass* last_added_ = nullptr;  // the class of add's last event, for add_with_time_buckets
};

std::optional<Digest::OrderBy> parse_order_by(std::string_view name);

}  // namespace dbvet::digest
