#include "analyzer/digest/state_codec.hpp"

#include <algorithm>
#include <cstring>
#include <iterator>
#include <map>
#include <utility>
#include <vector>

namespace dbvet::digest {
namespace {

core::Error corrupt(const std::string& what) { return core::make_error(core::ErrorKind::input, what); }

void encode_metric(const Metric& m, ByteWriter& out) {
  out.u64(m.count);
  if (m.count == 0) return;
  out.i64(m.sum);
  out.i64(m.min);
  out.i64(m.max);
}

Metric decode_metric(ByteReader& in) {
  Metric m;
  m.count = in.u64();
  if (m.count == 0) return m;
  m.sum = in.i64();
  m.min = in.i64();
  m.max = in.i64();
  if (m.min > m.max) in.fail();
  return m;
}

void encode_set(const BoundedSet& s, ByteWriter& out) {
  out.u64(s.counts.size() << 1 | (s.truncated ? 1 : 0));
  for (const auto& [v, n] : s.counts) {
    out.str(v);
    out.u64(n);  // since version 3
  }
}

BoundedSet decode_set(ByteReader& in) {
  BoundedSet s;
  const uint64_t head = in.u64();
  s.truncated = (head & 1) != 0;
  const uint64_t n = head >> 1;
  if (n > BoundedSet::kMax) {
    in.fail();
    return s;
  }
  for (uint64_t i = 0; i < n && !in.failed(); ++i) {
    std::string value = in.str();
    const uint64_t count = in.u64();
    if (value.empty() || count == 0) in.fail();
    s.values.insert(value);
    s.counts.emplace(std::move(value), count);
  }
  if (s.values.size() != n || s.counts.size() != n) in.fail();  // duplicates: not a set this program wrote
  return s;
}

void encode_u128(unsigned __int128 v, ByteWriter& out) {
  out.u64(static_cast<uint64_t>(v));
  out.u64(static_cast<uint64_t>(v >> 64));
}
unsigned __int128 decode_u128(ByteReader& in) {
  const uint64_t low = in.u64(), high = in.u64();
  return static_cast<unsigned __int128>(high) << 64 | low;
}

void encode_histogram(const LogHistogram& histogram, ByteWriter& out) {
  const LogHistogram::Parts h = histogram.parts();
  out.u64(h.count);
  out.u64(h.zeros);
  out.i64(h.first_index);
  out.u64(h.counts.size());
  for (uint64_t n : h.counts) out.u64(n);
  out.f64(h.min);
  out.f64(h.max);
}

core::Expected<LogHistogram> decode_histogram(ByteReader& in) {
  LogHistogram::Parts h;
  h.count = in.u64();
  h.zeros = in.u64();
  const int64_t first_index = in.i64();
  if (first_index < -100000 || first_index > 100000) in.fail();
  h.first_index = static_cast<int>(first_index);
  const uint64_t buckets = in.count();
  h.counts.reserve(buckets);
  for (uint64_t i = 0; i < buckets && !in.failed(); ++i) h.counts.push_back(in.u64());
  h.min = in.f64();
  h.max = in.f64();
  if (in.failed()) return corrupt("a class's histogram is cut short");
  auto histogram = LogHistogram::from_parts(std::move(h));
  if (!histogram) return corrupt("a class's histogram does not add up");
  return std::move(*histogram);
}

void encode_spread(const Spread& s, ByteWriter& out) {
  encode_u128(s.sq, out);
  encode_histogram(s.histogram, out);
}
core::Expected<Spread> decode_spread(ByteReader& in) {
  Spread s;
  s.sq = decode_u128(in);
  auto histogram = decode_histogram(in);
  if (!histogram) return histogram.error();
  s.histogram = std::move(*histogram);
  return s;
}

// Ordered maps are written in their order and must be read back in it (strictly increasing keys):
// equal activities give equal bytes, and a damaged map is an error rather than a merge.
template <class Value, class Put>
void encode_map(const std::map<std::string, Value>& m, ByteWriter& out, Put put) {
  out.u64(m.size());
  for (const auto& [key, value] : m) {
    out.str(key);
    put(value);
  }
}

template <class Value, class Get>
std::map<std::string, Value> decode_map(ByteReader& in, Get get) {
  std::map<std::string, Value> m;
  const uint64_t n = in.count();
  for (uint64_t i = 0; i < n && !in.failed(); ++i) {
    std::string key = in.str();
    if (!m.empty() && key <= m.rbegin()->first) in.fail();
    m.emplace_hint(m.end(), std::move(key), get());
  }
  return m;
}

void encode_counts(const std::map<std::string, uint64_t>& m, ByteWriter& out) {
  encode_map(m, out, [&](uint64_t n) { out.u64(n); });
}
std::map<std::string, uint64_t> decode_counts(ByteReader& in) {
  return decode_map<uint64_t>(in, [&] { return in.u64(); });
}

void encode_groups(const std::map<std::string, SessionGroup>& m, ByteWriter& out) {
  encode_map(m, out, [&](const SessionGroup& g) {
    out.u64(g.count);
    out.i64(g.total_us);
  });
}
std::map<std::string, SessionGroup> decode_groups(ByteReader& in) {
  return decode_map<SessionGroup>(in, [&] {
    SessionGroup g;
    g.count = in.u64();
    g.total_us = in.i64();
    return g;
  });
}

void encode_tables(const std::map<std::string, TableMaintenance>& m, ByteWriter& out) {
  encode_map(m, out, [&](const TableMaintenance& t) {
    out.u64(t.count);
    out.i64(t.pages_removed);
    out.i64(t.tuples_removed);
  });
}
std::map<std::string, TableMaintenance> decode_tables(ByteReader& in) {
  return decode_map<TableMaintenance>(in, [&] {
    TableMaintenance t;
    t.count = in.u64();
    t.pages_removed = in.i64();
    t.tuples_removed = in.i64();
    return t;
  });
}

// Windows as TimeBuckets keeps them: a width of the ladder, at most kMax windows holding events,
// starts increasing multiples of the width, no more events than the class has.
core::Expected<TimeBuckets> decode_time_buckets(ByteReader& in, uint64_t class_count) {
  TimeBuckets t;
  const uint64_t n = in.count(3);
  if (n == 0) return t;
  t.width = in.i64();
  const int64_t* widths_end = std::end(kTimeBucketWidths);
  if (n > TimeBuckets::kMax || std::find(std::begin(kTimeBucketWidths), widths_end, t.width) == widths_end) {
    return corrupt("a class's time buckets are damaged");
  }
  uint64_t events = 0;
  int64_t previous = 0;
  for (uint64_t i = 0; i < n && !in.failed(); ++i) {
    const int64_t steps = in.i64();
    TimeBucket b;
    b.count = in.u64();
    b.time_us = in.i64();
    int64_t offset = 0;
    if ((i > 0 && steps <= 0) || __builtin_mul_overflow(steps, t.width, &offset) ||
        __builtin_add_overflow(previous, offset, &b.start) || b.count == 0 || b.time_us < 0 ||
        b.count > class_count - events) {
      in.fail();
      break;
    }
    events += b.count;
    previous = b.start;
    t.buckets.push_back(b);
  }
  if (in.failed()) return corrupt("a class's time buckets are damaged");
  return t;
}

}  // namespace

void ByteWriter::u64(uint64_t v) {
  while (v >= 0x80) {
    out_ += static_cast<char>((v & 0x7f) | 0x80);
    v >>= 7;
  }
  out_ += static_cast<char>(v);
}

void ByteWriter::f64(double v) {
  char bytes[8];
  std::memcpy(bytes, &v, 8);
  out_.append(bytes, 8);
}

void ByteWriter::str(std::string_view s) {
  u64(s.size());
  out_.append(s);
}

void ByteWriter::opt_i64(const std::optional<int64_t>& v) {
  out_ += static_cast<char>(v.has_value() ? 1 : 0);
  if (v) i64(*v);
}

uint64_t ByteReader::u64() {
  uint64_t v = 0;
  for (int shift = 0; shift < 64; shift += 7) {
    if (failed_ || pos_ >= in_.size()) break;
    const auto byte = static_cast<uint8_t>(in_[pos_++]);
    v |= static_cast<uint64_t>(byte & 0x7f) << shift;
    if ((byte & 0x80) == 0) return v;
  }
  failed_ = true;
  return 0;
}

double ByteReader::f64() {
  if (failed_ || in_.size() - pos_ < 8) {
    failed_ = true;
    return 0;
  }
  double v;
  std::memcpy(&v, in_.data() + pos_, 8);
  pos_ += 8;
  return v;
}

std::string ByteReader::str() {
  const uint64_t n = u64();
  if (failed_ || n > in_.size() - pos_) {
    failed_ = true;
    return {};
  }
  std::string s(in_.substr(pos_, n));
  pos_ += n;
  return s;
}

std::optional<int64_t> ByteReader::opt_i64() {
  if (failed_ || pos_ >= in_.size()) {
    failed_ = true;
    return std::nullopt;
  }
  const char flag = in_[pos_++];
  if (flag == 0) return std::nullopt;
  if (flag != 1) failed_ = true;
  return i64();
}

uint64_t ByteReader::count(size_t min_bytes) {
  const uint64_t n = u64();
  if (failed_ || (min_bytes > 0 && n > (in_.size() - pos_) / min_bytes)) {
    failed_ = true;
    return 0;
  }
  return n;
}

void encode_class(const QueryClass& c, ByteWriter& out) {
  out.str(c.id);
  out.str(c.fingerprint);
  out.u64(c.count);
  encode_metric(c.query_time, out);
  encode_u128(c.query_time_sq, out);
  encode_histogram(c.histogram, out);
  for (uint64_t n : c.decades) out.u64(n);
  for (const Metric* m : {&c.lock_time, &c.rows_sent, &c.rows_examined, &c.rows_affected, &c.bytes_sent}) {
    encode_metric(*m, out);
  }
  out.opt_i64(c.first_seen);
  out.opt_i64(c.last_seen);
  encode_set(c.databases, out);
  encode_set(c.users, out);
  encode_set(c.hosts, out);
  out.str(c.example.sql);
  out.i64(c.example.query_time_us);
  out.opt_i64(c.example.timestamp);
  out.str(c.example.database);
  out.u64(c.example.input);
  out.u64(c.example.byte_offset);
  // Most registers of most classes are zero (few distinct parameter sets): as (gap, value) pairs.
  const std::vector<uint8_t>& registers = c.distinct_parameters.registers();
  uint64_t nonzero = 0;
  for (uint8_t r : registers) nonzero += r != 0;
  out.u64(registers.empty() ? 0 : nonzero + 1);
  size_t previous = 0;
  for (size_t i = 0; i < registers.size(); ++i) {
    if (registers[i] == 0) continue;
    out.u64(i - previous);
    out.u64(registers[i]);
    previous = i;
  }
  // Since version 3: pt-query-digest's depth.
  for (const Spread* sp : {&c.lock_time_spread, &c.rows_sent_spread, &c.rows_examined_spread, &c.rows_affected_spread,
                           &c.bytes_sent_spread}) {
    encode_spread(*sp, out);
  }
  encode_metric(c.query_length.metric, out);
  encode_spread(c.query_length.spread, out);
  for (const Attribute& a : c.extra) {
    encode_metric(a.metric, out);
    encode_spread(a.spread, out);
  }
  for (size_t i = 0; i < model::kExtraFlags; ++i) {
    out.u64(c.flag_seen[i]);
    out.u64(c.flag_yes[i]);
  }
  encode_set(c.last_errnos, out);  // since version 5, with Rows_read and Killed above, and:
  encode_set(c.query_ids, out);
  out.i64(c.planned.query_time_us);
  if (c.planned.query_time_us >= 0) {
    out.str(c.planned.sql);
    out.opt_i64(c.planned.timestamp);
    out.str(c.planned.database);
    out.u64(c.planned.input);
    out.u64(c.planned.byte_offset);
    out.str(c.plan);
  }
  // Since version 4: the time buckets (none unless the digest kept them), starts in widths from
  // the one before.
  const TimeBuckets& t = c.time_buckets;
  out.u64(t.buckets.size());
  if (t.buckets.empty()) return;
  out.i64(t.width);
  int64_t previous_start = 0;
  for (const TimeBucket& b : t.buckets) {
    out.i64((b.start - previous_start) / t.width);
    out.u64(b.count);
    out.i64(b.time_us);
    previous_start = b.start;
  }
}

core::Expected<QueryClass> decode_class(ByteReader& in, uint64_t inputs) {
  QueryClass c;
  c.id = in.str();
  c.fingerprint = in.str();
  c.count = in.u64();
  c.query_time = decode_metric(in);
  c.query_time_sq = decode_u128(in);
  auto histogram = decode_histogram(in);
  if (!histogram) return histogram.error();
  c.histogram = std::move(*histogram);
  for (uint64_t& n : c.decades) n = in.u64();
  for (Metric* m : {&c.lock_time, &c.rows_sent, &c.rows_examined, &c.rows_affected, &c.bytes_sent}) {
    *m = decode_metric(in);
  }
  c.first_seen = in.opt_i64();
  c.last_seen = in.opt_i64();
  c.databases = decode_set(in);
  c.users = decode_set(in);
  c.hosts = decode_set(in);
  c.example.sql = in.str();
  c.example.query_time_us = in.i64();
  c.example.timestamp = in.opt_i64();
  c.example.database = in.str();
  const uint64_t input = in.u64();
  c.example.byte_offset = in.u64();
  if (in.failed()) return corrupt("a class is cut short");
  if (c.example.query_time_us >= 0 && input >= inputs) return corrupt("a class's example names no input of the state");
  c.example.input = static_cast<uint32_t>(input);
  const uint64_t registers = in.u64();
  if (registers > 0) {
    std::vector<uint8_t> values(size_t(1) << HyperLogLog::kPrecision, 0);
    uint64_t at = 0;
    for (uint64_t i = 0; i + 1 < registers && !in.failed(); ++i) {
      const uint64_t gap = in.u64();
      at += gap;
      const uint64_t value = in.u64();
      if ((i > 0 && gap == 0) || gap >= values.size() || at >= values.size() || value == 0 || value > 255) {
        in.fail();
        break;
      }
      values[at] = static_cast<uint8_t>(value);
    }
    auto sketch = HyperLogLog::from_registers(std::move(values));
    if (in.failed() || !sketch) return corrupt("a class's distinct-parameter sketch is damaged");
    c.distinct_parameters = std::move(*sketch);
  }
  for (Spread* sp : {&c.lock_time_spread, &c.rows_sent_spread, &c.rows_examined_spread, &c.rows_affected_spread,
                     &c.bytes_sent_spread}) {
    auto spread = decode_spread(in);
    if (!spread) return spread.error();
    *sp = std::move(*spread);
  }
  for (Attribute* a : {&c.query_length}) {
    a->metric = decode_metric(in);
    auto spread = decode_spread(in);
    if (!spread) return spread.error();
    a->spread = std::move(*spread);
  }
  for (Attribute& a : c.extra) {
    a.metric = decode_metric(in);
    auto spread = decode_spread(in);
    if (!spread) return spread.error();
    a.spread = std::move(*spread);
  }
  for (size_t i = 0; i < model::kExtraFlags; ++i) {
    c.flag_seen[i] = in.u64();
    c.flag_yes[i] = in.u64();
    if (c.flag_yes[i] > c.flag_seen[i] || c.flag_seen[i] > c.count) in.fail();
  }
  c.last_errnos = decode_set(in);
  c.query_ids = decode_set(in);
  c.planned.query_time_us = in.i64();
  if (c.planned.query_time_us >= 0) {
    c.planned.sql = in.str();
    c.planned.timestamp = in.opt_i64();
    c.planned.database = in.str();
    const uint64_t planned_input = in.u64();
    c.planned.byte_offset = in.u64();
    c.plan = in.str();
    if (planned_input >= inputs) return corrupt("a class's planned example names no input of the state");
    c.planned.input = static_cast<uint32_t>(planned_input);
  }
  if (in.failed()) return corrupt("a class is cut short");
  auto buckets = decode_time_buckets(in, c.count);
  if (!buckets) return buckets.error();
  c.time_buckets = std::move(*buckets);
  if (c.query_time.count > c.count || c.histogram.count() > c.count) return corrupt("a class's counters disagree");
  return c;
}

void encode_server(const ServerActivity& a, ByteWriter& out) {
  const Checkpoints& cp = a.checkpoints;
  out.u64(cp.count);
  out.i64(cp.buffers);
  for (const Metric* m : {&cp.write_us, &cp.sync_us, &cp.total_us}) encode_metric(*m, out);
  encode_counts(cp.by_cause, out);
  out.i64(cp.wal_added);  // since version 3
  out.i64(cp.wal_removed);
  out.i64(cp.wal_recycled);
  encode_metric(cp.warning_distance_us, out);

  out.u64(a.temp_files.count);
  out.i64(a.temp_files.total);
  out.i64(a.temp_files.max);
  out.u64(a.temp_files.top.size());
  for (const TempFile& f : a.temp_files.top) {
    out.i64(f.size);
    out.opt_i64(f.timestamp);
    out.str(f.query);
    out.str(f.database);
    out.str(f.user);
  }

  out.u64(a.locks.waits);
  out.u64(a.locks.acquired);
  out.u64(a.locks.deadlocks);
  encode_metric(a.locks.acquired_wait_us, out);
  encode_map(a.locks.by_type, out, [&](const LockType& t) {
    out.u64(t.waits);
    out.u64(t.acquired);
    out.i64(t.acquired_wait_us);
    encode_counts(t.objects, out);
  });

  out.u64(a.autovacuum_count);
  out.u64(a.autoanalyze_count);
  encode_tables(a.autovacuum, out);
  encode_tables(a.autoanalyze, out);

  out.u64(a.connections.count);
  for (const auto* m : {&a.connections.by_database, &a.connections.by_user, &a.connections.by_host}) {
    encode_counts(*m, out);
  }

  encode_metric(a.sessions.time_us, out);
  for (const auto* m : {&a.sessions.by_database, &a.sessions.by_user, &a.sessions.by_host}) encode_groups(*m, out);

  out.u64(a.errors.count);
  encode_counts(a.errors.by_severity, out);
  encode_counts(a.errors.by_class, out);
  encode_map(a.errors.messages, out, [&](const ErrorMessage& m) {
    out.u64(m.count);
    out.str(m.severity);
    out.str(m.example);
  });
}

core::Expected<ServerActivity> decode_server(ByteReader& in) {
  ServerActivity a;
  Checkpoints& cp = a.checkpoints;
  cp.count = in.u64();
  cp.buffers = in.i64();
  for (Metric* m : {&cp.write_us, &cp.sync_us, &cp.total_us}) *m = decode_metric(in);
  cp.by_cause = decode_counts(in);
  cp.wal_added = in.i64();
  cp.wal_removed = in.i64();
  cp.wal_recycled = in.i64();
  cp.warning_distance_us = decode_metric(in);

  a.temp_files.count = in.u64();
  a.temp_files.total = in.i64();
  a.temp_files.max = in.i64();
  const uint64_t top = in.count(5);
  if (top > TempFiles::kTop || top > a.temp_files.count) in.fail();
  for (uint64_t i = 0; i < top && !in.failed(); ++i) {
    TempFile f;
    f.size = in.i64();
    f.timestamp = in.opt_i64();
    f.query = in.str();
    f.database = in.str();
    f.user = in.str();
    if (!a.temp_files.top.empty() && !larger_temp_file(a.temp_files.top.back(), f)) in.fail();
    a.temp_files.top.push_back(std::move(f));
  }

  a.locks.waits = in.u64();
  a.locks.acquired = in.u64();
  a.locks.deadlocks = in.u64();
  a.locks.acquired_wait_us = decode_metric(in);
  a.locks.by_type = decode_map<LockType>(in, [&] {
    LockType t;
    t.waits = in.u64();
    t.acquired = in.u64();
    t.acquired_wait_us = in.i64();
    t.objects = decode_counts(in);
    return t;
  });

  a.autovacuum_count = in.u64();
  a.autoanalyze_count = in.u64();
  a.autovacuum = decode_tables(in);
  a.autoanalyze = decode_tables(in);

  a.connections.count = in.u64();
  for (auto* m : {&a.connections.by_database, &a.connections.by_user, &a.connections.by_host}) {
    *m = decode_counts(in);
  }

  a.sessions.time_us = decode_metric(in);
  for (auto* m : {&a.sessions.by_database, &a.sessions.by_user, &a.sessions.by_host}) *m = decode_groups(in);

  a.errors.count = in.u64();
  a.errors.by_severity = decode_counts(in);
  a.errors.by_class = decode_counts(in);
  a.errors.messages = decode_map<ErrorMessage>(in, [&] {
    ErrorMessage m;
    m.count = in.u64();
    m.severity = in.str();
    m.example = in.str();
    return m;
  });
  if (in.failed()) return corrupt("the server activity (checkpoints, locks, errors...) is cut short or damaged");
  return a;
}

}  // namespace dbvet::digest
