#include "analyzer/digest/digest.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <utility>

namespace dbvet::digest {
namespace {

// By reference, and assigned the value alone: an optional passed or copied whole just after a
// reader wrote its parts is a store-forwarding stall.
void min_opt(std::optional<int64_t>& into, const std::optional<int64_t>& value) {
  if (value.has_value() && (!into.has_value() || *value < *into)) into = *value;
}
void max_opt(std::optional<int64_t>& into, const std::optional<int64_t>& value) {
  if (value.has_value() && (!into.has_value() || *value > *into)) into = *value;
}

// The slower example wins; equal times go to the earliest position in the inputs.
bool better_example(const Example& a, const Example& b) {
  if (a.query_time_us != b.query_time_us) return a.query_time_us > b.query_time_us;
  if (a.input != b.input) return a.input < b.input;
  return a.byte_offset < b.byte_offset;
}

// Whether an event (`qt` microseconds, from input `input`) is a better example than `e`: slower,
// or as slow and earlier (better_example's order, so adds and merges agree).
inline bool takes_example(const Example& e, const model::QueryEvent& event, int64_t qt, uint32_t input) {
  return e.query_time_us < 0 || qt > e.query_time_us ||
         (qt == e.query_time_us && (input < e.input || (input == e.input && event.byte_offset < e.byte_offset)));
}

void take_example(Example& e, const model::QueryEvent& event, int64_t qt, uint32_t input) {
  e.sql = event.sql;
  e.query_time_us = qt;
  e.timestamp = event.timestamp;
  e.database = event.database;
  e.input = input;
  e.byte_offset = event.byte_offset;
}

int decade_of(int64_t micros) {
  int bucket = 0;
  for (int64_t limit = 10; micros >= limit && bucket < kDecadeBuckets - 1; limit *= 10) ++bucket;
  return bucket;
}

// Percona Server's and MariaDB's further attributes, for the events that have them.
[[gnu::noinline]] void add_extra(QueryClass& c, const model::ExtraAttributes& extra) {
  // Over the bits set only: most logs give one or two of them (MariaDB's QC_hit).
  for (unsigned bits = extra.numbers; bits != 0; bits &= bits - 1) {
    const auto i = static_cast<size_t>(__builtin_ctz(bits));
    const double value = extra.values[i];
    c.extra[i].add(model::kExtraNumberIsTime[i] ? to_micros(value) : round_half_away_from_zero(value));
  }
  for (unsigned bits = extra.flags; bits != 0; bits &= bits - 1) {
    const auto i = static_cast<size_t>(__builtin_ctz(bits));
    ++c.flag_seen[i];
    c.flag_yes[i] += extra.yes >> i & 1;
  }
  if (extra.has_last_errno) c.last_errnos.add(std::to_string(extra.last_errno));
}

constexpr size_t kRecentLimit = 4096;
constexpr size_t kKeyLimit = 64 * 1024;              // longer statements are not cached
constexpr size_t kKeysLimit = 64 * 1024;             // entries in the key cache
constexpr size_t kKeyBytesLimit = 64 * 1024 * 1024;  // bytes of keys in the key cache

}  // namespace

void Metric::add(int64_t value) {
  if (count == 0) {
    min = max = value;
  } else {
    min = std::min(min, value);
    max = std::max(max, value);
  }
  ++count;
  sum += value;
}

void Metric::merge(const Metric& other) {
  if (other.count == 0) return;
  if (count == 0) {
    *this = other;
    return;
  }
  min = std::min(min, other.min);
  max = std::max(max, other.max);
  count += other.count;
  sum += other.sum;
}

void BoundedSet::add_other(const std::string& value, uint64_t n) {
  if (value.empty()) return;
  if (auto it = counts.find(value); it != counts.end()) {
    it->second += n;
    return;
  }
  if (values.size() < kMax) {
    values.insert(value);
    counts.emplace(value, n);
    return;
  }
  truncated = true;
  if (value < *values.rbegin()) {
    counts.erase(*values.rbegin());
    values.erase(std::prev(values.end()));
    values.insert(value);
    counts.emplace(value, n);
  }
}

void BoundedSet::merge(const BoundedSet& other) {
  truncated = truncated || other.truncated;
  for (const auto& [v, n] : other.counts) add_other(v, n);
}

double stddev_of(const Metric& m, unsigned __int128 sq) {
  if (m.count == 0) return 0;
  long double n = static_cast<long double>(m.count);
  long double mean = static_cast<long double>(m.sum) / n;
  long double var = static_cast<long double>(sq) / n - mean * mean;
  return var > 0 ? static_cast<double>(std::sqrt(var)) : 0.0;
}

double QueryClass::stddev_s() const { return stddev_of(query_time, query_time_sq) / 1e6; }

void QueryClass::merge(const QueryClass& other) {
  count += other.count;
  query_time.merge(other.query_time);
  query_time_sq += other.query_time_sq;
  histogram.merge(other.histogram);
  for (int i = 0; i < kDecadeBuckets; ++i) decades[i] += other.decades[i];
  lock_time.merge(other.lock_time);
  rows_sent.merge(other.rows_sent);
  rows_examined.merge(other.rows_examined);
  rows_affected.merge(other.rows_affected);
  bytes_sent.merge(other.bytes_sent);
  min_opt(first_seen, other.first_seen);
  max_opt(last_seen, other.last_seen);
  databases.merge(other.databases);
  users.merge(other.users);
  hosts.merge(other.hosts);
  last_errnos.merge(other.last_errnos);
  query_ids.merge(other.query_ids);
  if (other.example.query_time_us >= 0 && (example.query_time_us < 0 || better_example(other.example, example))) {
    example = other.example;
  }
  if (other.planned.query_time_us >= 0 && (planned.query_time_us < 0 || better_example(other.planned, planned))) {
    planned = other.planned;
    plan = other.plan;
  }
  distinct_parameters.merge(other.distinct_parameters);
  lock_time_spread.merge(other.lock_time_spread);
  rows_sent_spread.merge(other.rows_sent_spread);
  rows_examined_spread.merge(other.rows_examined_spread);
  rows_affected_spread.merge(other.rows_affected_spread);
  bytes_sent_spread.merge(other.bytes_sent_spread);
  query_length.merge(other.query_length);
  for (size_t i = 0; i < model::kExtraNumbers; ++i) extra[i].merge(other.extra[i]);
  for (size_t i = 0; i < model::kExtraFlags; ++i) {
    flag_seen[i] += other.flag_seen[i];
    flag_yes[i] += other.flag_yes[i];
  }
  time_buckets.merge(other.time_buckets);
  // The fingerprint text of a pg-mode class may vary between members: keep the smallest.
  if (!other.fingerprint.empty() && (fingerprint.empty() || other.fingerprint < fingerprint)) {
    fingerprint = other.fingerprint;
  }
}

void KeyCache::insert(std::string_view key, uint64_t hash, QueryClass* value) {
  if (2 * (entries_ + 1) > slots_.size()) {  // at most half full: short probes
    std::vector<Slot> old(std::max<size_t>(1024, 2 * slots_.size()));
    old.swap(slots_);
    mask_ = slots_.size() - 1;
    for (const Slot& slot : old) {
      if (!slot.value) continue;
      size_t i = slot.hash & mask_;
      while (slots_[i].value) i = (i + 1) & mask_;
      slots_[i] = slot;
    }
  }
  size_t i = hash & mask_;
  while (slots_[i].value) i = (i + 1) & mask_;
  slots_[i] = {hash, static_cast<uint32_t>(bytes_.size()), static_cast<uint32_t>(key.size()), value};
  bytes_.append(key);
  ++entries_;
}

void KeyCache::clear() {
  std::fill(slots_.begin(), slots_.end(), Slot{});
  entries_ = 0;
  bytes_.clear();
}

namespace {

int64_t window_start(int64_t timestamp, int64_t width) {
  const int64_t q = timestamp / width;
  return (q - (timestamp % width < 0 ? 1 : 0)) * width;  // floor, also before 1970
}

int64_t next_width(int64_t width) {
  for (int64_t w : kTimeBucketWidths) {
    if (w > width) return w;
  }
  return width;  // the widest: 4^5 weeks, about 78 years a window
}

}  // namespace

void TimeBuckets::add_elsewhere(int64_t timestamp, int64_t time_us) {
  const int64_t start = window_start(timestamp, width);
  auto at = std::lower_bound(buckets.begin(), buckets.end(), start,
                             [](const TimeBucket& b, int64_t s) { return b.start < s; });
  if (at != buckets.end() && at->start == start) {
    ++at->count;
    at->time_us += time_us;
    return;
  }
  buckets.insert(at, TimeBucket{start, 1, time_us});
  keep_at_most_max();
}

void TimeBuckets::widen_to(int64_t wider) {
  if (wider <= width) return;
  width = wider;
  size_t kept = 0;
  for (size_t i = 0; i < buckets.size(); ++i) {
    const int64_t start = window_start(buckets[i].start, width);
    if (kept > 0 && buckets[kept - 1].start == start) {
      buckets[kept - 1].count += buckets[i].count;
      buckets[kept - 1].time_us += buckets[i].time_us;
    } else {
      buckets[kept++] = {start, buckets[i].count, buckets[i].time_us};
    }
  }
  buckets.resize(kept);
}

void TimeBuckets::keep_at_most_max() {
  while (buckets.size() > kMax && next_width(width) != width) widen_to(next_width(width));
}

void TimeBuckets::merge(const TimeBuckets& other) {
  if (other.buckets.empty()) return;
  if (buckets.empty()) {
    *this = other;
    return;
  }
  TimeBuckets wider_other;
  const TimeBuckets* theirs = &other;
  if (other.width < width) {
    wider_other = other;
    wider_other.widen_to(width);
    theirs = &wider_other;
  }
  widen_to(theirs->width);
  std::vector<TimeBucket> merged;
  merged.reserve(buckets.size() + theirs->buckets.size());
  auto a = std::as_const(buckets).begin();
  auto b = theirs->buckets.begin();
  while (a != buckets.end() || b != theirs->buckets.end()) {
    if (b == theirs->buckets.end() || (a != buckets.end() && a->start < b->start)) {
      merged.push_back(*a++);
    } else if (a == buckets.end() || b->start < a->start) {
      merged.push_back(*b++);
    } else {
      merged.push_back({a->start, a->count + b->count, a->time_us + b->time_us});
      ++a;
      ++b;
    }
  }
  buckets = std::move(merged);
  keep_at_most_max();
}

Digest::Digest(const Digest& other)
    : mode_(other.mode_),
      classes_(other.classes_),
      pt_ids_(other.pt_ids_),
      events_(other.events_),
      total_query_time_(other.total_query_time_),
      first_seen_(other.first_seen_),
      last_seen_(other.last_seen_),
      time_buckets_(other.time_buckets_) {}

Digest& Digest::operator=(const Digest& other) {
  if (this != &other) *this = Digest(other);
  return *this;
}

QueryClass& Digest::class_of(const sql::Fingerprint& fp) {
  auto [it, inserted] = classes_.try_emplace(fp.id);
  QueryClass& c = it->second;
  if (inserted) {
    c.id = fp.id;
    c.fingerprint = fp.text;
  } else if (fp.text < c.fingerprint) {
    c.fingerprint = fp.text;
  }
  return c;
}

void Digest::add(const model::QueryEvent& event, uint32_t input) {
  QueryClass* found_class = nullptr;
  uint64_t literal_hash = 0;
  if (mode_ != sql::FingerprintMode::pg) {
    bool cacheable = false;
    std::string_view key;
    uint64_t key_hash = 0;
    literal_hash = sql::fingerprint_key(event.sql, mode_, key_, key, cacheable);
    if (cacheable) {
      key_hash = KeyCache::hash(key);
      found_class = by_key_.find(key, key_hash);
      // A class's fingerprint text only ever gets smaller, and this key's text was taken into
      // account when the entry was made: nothing to update on a hit.
    }
    if (!found_class) {
      sql::Fingerprint computed;
      if (mode_ == sql::FingerprintMode::pt) {
        // The MD5 only once per class: the text decides the class.
        computed.text = sql::fingerprint_pt(event.sql);
        auto id = pt_ids_.find(computed.text);
        if (id == pt_ids_.end()) id = pt_ids_.emplace(computed.text, sql::pt_checksum(computed.text)).first;
        computed.id = id->second;
      } else {
        computed = sql::fingerprint(event.sql, mode_);
      }
      found_class = &class_of(computed);
      if (cacheable && key.size() <= kKeyLimit) {
        if (by_key_.size() >= kKeysLimit || by_key_.bytes() >= kKeyBytesLimit) by_key_.clear();
        by_key_.insert(key, key_hash, found_class);
      }
    }
  } else {
    // Statements without literals repeat verbatim (BEGIN, COMMIT, prepared texts): remember those.
    sql::Fingerprint computed;
    const sql::Fingerprint* found = nullptr;
    const bool cacheable = event.sql.size() <= 256;
    if (cacheable) {
      auto cached = recent_.find(event.sql);
      if (cached != recent_.end()) found = &cached->second;
    }
    if (!found) {
      computed = sql::fingerprint(event.sql, mode_);
      found = &computed;
      if (cacheable && computed.text.size() == event.sql.size()) {  // likely literal-free: worth keeping
        if (recent_.size() >= kRecentLimit) recent_.clear();
        found = &recent_.emplace(event.sql, std::move(computed)).first->second;
      }
    }
    found_class = &class_of(*found);
    literal_hash = sql::literal_values_hash(event.sql);
  }
  QueryClass& c = *found_class;
  ++events_;
  ++c.count;
  int64_t qt = to_micros(event.query_time_s);
  c.query_time.add(qt);
  total_query_time_.add(qt);
  c.query_time_sq += static_cast<unsigned __int128>(qt) * static_cast<unsigned __int128>(qt);
  c.histogram.add_micros(qt);
  ++c.decades[decade_of(qt)];
  auto both = [](Metric& metric, Spread& spread, int64_t value) {
    metric.add(value);
    spread.add(value);
  };
  if (event.lock_time_s) both(c.lock_time, c.lock_time_spread, to_micros(*event.lock_time_s));
  if (event.rows_sent) both(c.rows_sent, c.rows_sent_spread, round_half_away_from_zero(*event.rows_sent));
  if (event.rows_examined) {
    both(c.rows_examined, c.rows_examined_spread, round_half_away_from_zero(*event.rows_examined));
  }
  if (event.rows_affected) {
    both(c.rows_affected, c.rows_affected_spread, round_half_away_from_zero(*event.rows_affected));
  }
  if (event.bytes_sent) both(c.bytes_sent, c.bytes_sent_spread, round_half_away_from_zero(*event.bytes_sent));
  c.query_length.add(static_cast<int64_t>(event.sql.size()));
  if (event.extra.any()) add_extra(c, event.extra);
  if (event.query_id != 0) {
    query_id_text_.resize(24);
    char* begin = query_id_text_.data();
    query_id_text_.resize(static_cast<size_t>(std::to_chars(begin, begin + 24, event.query_id).ptr - begin));
    c.query_ids.add(query_id_text_);
  }
  min_opt(c.first_seen, event.timestamp);
  max_opt(c.last_seen, event.timestamp);
  min_opt(first_seen_, event.timestamp);
  max_opt(last_seen_, event.timestamp);
  c.databases.add(event.database);
  c.users.add(event.user);
  c.hosts.add(event.host);
  // The example is replaced rarely: compare in place, copy the strings only then.
  if (takes_example(c.example, event, qt, input)) take_example(c.example, event, qt, input);
  if (!event.plan_text.empty() && takes_example(c.planned, event, qt, input)) {
    take_example(c.planned, event, qt, input);
    c.plan = event.plan_text;
  }
  c.distinct_parameters.add_hash(literal_hash);
  last_added_ = &c;
}

void Digest::add_with_time_buckets(const model::QueryEvent& event, uint32_t input) {
  add(event, input);
  if (event.timestamp) last_added_->time_buckets.add(*event.timestamp, to_micros(event.query_time_s));
}

void Digest::merge(const Digest& other) {
  events_ += other.events_;
  total_query_time_.merge(other.total_query_time_);
  min_opt(first_seen_, other.first_seen_);
  max_opt(last_seen_, other.last_seen_);
  for (const auto& [id, c] : other.classes_) {
    auto [it, inserted] = classes_.try_emplace(id);
    if (inserted) {
      it->second = c;
    } else {
      it->second.merge(c);
    }
  }
}

void Digest::add_class(const QueryClass& aggregated) {
  events_ += aggregated.count;
  total_query_time_.merge(aggregated.query_time);
  min_opt(first_seen_, aggregated.first_seen);
  max_opt(last_seen_, aggregated.last_seen);
  auto [it, inserted] = classes_.try_emplace(aggregated.id);
  if (inserted) {
    it->second = aggregated;
  } else {
    it->second.merge(aggregated);
  }
}

std::vector<const QueryClass*> Digest::ranked(OrderBy order, size_t top) const {
  std::vector<const QueryClass*> out;
  out.reserve(classes_.size());
  for (const auto& [id, c] : classes_) out.push_back(&c);
  auto key = [order](const QueryClass* c) -> double {
    switch (order) {
      case OrderBy::avg:
        return c->count ? static_cast<double>(c->query_time.sum) / static_cast<double>(c->count) : 0;
      case OrderBy::p95:
        return c->histogram.quantile(0.95);
      case OrderBy::count:
        return static_cast<double>(c->count);
      case OrderBy::total:
        break;
    }
    return static_cast<double>(c->query_time.sum);
  };
  std::sort(out.begin(), out.end(), [&](const QueryClass* a, const QueryClass* b) {
    double ka = key(a), kb = key(b);
    if (ka != kb) return ka > kb;
    return a->id < b->id;
  });
  if (top && out.size() > top) out.resize(top);
  return out;
}

std::optional<Digest::OrderBy> parse_order_by(std::string_view name) {
  if (name == "total") return Digest::OrderBy::total;
  if (name == "avg") return Digest::OrderBy::avg;
  if (name == "p95") return Digest::OrderBy::p95;
  if (name == "count") return Digest::OrderBy::count;
  return std::nullopt;
}

}  // namespace dbvet::digest
