#include "analyzer/capture/postgres_log.hpp"

#include <array>
#include <cctype>
#include <charconv>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <optional>
#include <unordered_map>
#include <vector>

#include "analyzer/capture/postgres_log_prefix.hpp"
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
  uint64_t last_line = 0;
};

void fill_meta(const Record& r, model::QueryEvent& e) {
  copy_time(e.timestamp, r.timestamp);
  assign_if_changed(e.database, r.database);
  assign_if_changed(e.user, r.user);
  assign_if_changed(e.host, r.host);
  e.byte_offset = r.offset;
}

// "Query Text: ..." of an auto_explain plan (text or JSON format).
std::string plan_query_text(std::string_view plan) {
  size_t at = plan.find("Query Text: ");
  if (at != std::string_view::npos) {
    size_t b = at + 12;
    // A text plan: the query runs until the first line that starts the plan tree.
    size_t e = b;
    while (true) {
      size_t nl = plan.find('\n', e);
      if (nl == std::string_view::npos) {
        e = plan.size();
        break;
      }
      std::string_view next = plan.substr(nl + 1);
      size_t k = 0;
      while (k < next.size() && (next[k] == ' ' || next[k] == '\t')) ++k;
      next = next.substr(k);
      // Plan nodes look like "Seq Scan on t  (cost=..." or "->  ...".
      if (next.find("(cost=") != std::string_view::npos || next.find("(actual") != std::string_view::npos ||
          starts_with(next, "->") || next.empty()) {
        e = nl;
        break;
      }
      e = nl + 1;
    }
    return std::string(plan.substr(b, e - b));
  }
  at = plan.find("\"Query Text\": \"");
  if (at == std::string_view::npos) return {};
  std::string out;
  for (size_t i = at + 15; i < plan.size(); ++i) {
    char c = plan[i];
    if (c == '"') break;
    if (c == '\\' && i + 1 < plan.size()) {
      char n = plan[++i];
      switch (n) {
        case 'n':
          out += '\n';
          break;
        case 't':
          out += '\t';
          break;
        case 'r':
          out += '\r';
          break;
        default:
          out += n;
          break;
      }
      continue;
    }
    out += c;
  }
  return out;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\n')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\n' || s.back() == ';')) {
    s.remove_suffix(1);
  }
  return s;
}

// Turns records into events.
class EventBuilder {
 public:
  EventBuilder(EventSink sink, ReadStats& stats) : sink_(std::move(sink)), stats_(stats) {}

  void on_record(const Record& r, uint64_t line_no) {
    Session& s = session(r.pid);
    s.last_line = line_no;
    std::string_view m = r.message();
    if (s.has_pending) {
      if (r.severity == Severity::detail && starts_with(m, "parameters: ")) {
        apply_parameters(s.pending, m.substr(12));
        emit(s.pending);
        s.has_pending = false;
        return;
      }
      emit(s.pending);
      s.has_pending = false;
    }
    if (r.severity == Severity::detail && s.has_stmt && starts_with(m, "parameters: ") &&
        !s.stmt.prepared_sql.empty() && s.stmt.sql == s.stmt.prepared_sql) {
      apply_parameters(s.stmt, m.substr(12));
      return;
    }
    if (r.severity != Severity::log) return;
    if (starts_with(m, "duration: ")) {
      on_duration(r, s, m.substr(10));
    } else if (starts_with(m, "statement: ")) {
      start_statement(r, s, m.substr(11), false);
    } else if (starts_with(m, "execute ")) {
      size_t colon = m.find(": ");
      if (colon != std::string_view::npos) start_statement(r, s, m.substr(colon + 2), true);
    }
  }

  // Emits what every session still holds, and forgets idle sessions.
  void flush_all() {
    for (auto& [pid, s] : sessions_) flush(s);
    sessions_.clear();
    forget_recent_sessions();
  }

  void sweep(uint64_t line_no, uint64_t idle_lines) {
    for (auto it = sessions_.begin(); it != sessions_.end();) {
      if (line_no - it->second.last_line > idle_lines) {
        flush(it->second);
        forget_recent_sessions();
        it = sessions_.erase(it);
      } else {
        ++it;
      }
    }
  }

 private:
  // A record's session without a hash lookup (whose modulo by a prime is a division) most of the
  // time: a small direct-mapped cache of the sessions last used (unordered_map elements stay
  // where they are until erased, which empties the cache).
  Session& session(uint64_t pid) {
    RecentSession& slot = recent_[(pid * 0x9E3779B97F4A7C15ULL) >> (64 - kRecentBits)];
    if (slot.session == nullptr || slot.pid != pid) {
      slot.session = &sessions_[pid];
      slot.pid = pid;
    }
    return *slot.session;
  }
  void forget_recent_sessions() { recent_.fill(RecentSession{}); }

  void flush(Session& s) {
    if (s.has_pending) emit(s.pending);
    if (s.has_plan) emit(s.plan);
    if (s.has_stmt) emit(s.stmt);
    s.has_pending = s.has_plan = s.has_stmt = false;
  }

  void emit(model::QueryEvent& e) {
    ++stats_.events;
    sink_(std::move(e));
    reset(e);
  }

  // Empties an event but keeps its strings' buffers (unless the sink took them): the next event
  // built in it allocates nothing. database, user and host stay: fill_meta sets them on every
  // reuse, and mostly to what they were.
  static void reset(model::QueryEvent& e) {
    e.sql.clear();
    e.query_time_s = 0;
    e.lock_time_s.reset();
    e.rows_sent.reset();
    e.rows_examined.reset();
    e.rows_affected.reset();
    e.bytes_sent.reset();
    e.timestamp.reset();
    e.byte_offset = 0;
    e.plan_text.clear();
    e.prepared_sql.clear();
  }

  void start_statement(const Record& r, Session& s, std::string_view sql, bool execute) {
    if (s.has_stmt) emit(s.stmt);  // logged without a duration: counted, like pgBadger does
    reset(s.stmt);
    s.stmt.sql.assign(sql);
    if (execute) s.stmt.prepared_sql = s.stmt.sql;
    fill_meta(r, s.stmt);
    s.has_stmt = true;
    if (r.inline_detail && execute && starts_with(r.detail, "parameters: ")) {
      apply_parameters(s.stmt, std::string_view(r.detail).substr(12));
    }
  }

  void on_duration(const Record& r, Session& s, std::string_view rest) {
    double ms = 0;
    const char* p = parse_decimal(rest.data(), rest.data() + rest.size(), ms);
    if (p == nullptr || !starts_with(std::string_view(p, rest.data() + rest.size() - p), " ms")) {
      stats_.skip(r.offset, "a duration in milliseconds after 'duration: '");
      return;
    }
    rest = std::string_view(p + 3, rest.data() + rest.size() - p - 3);
    while (!rest.empty() && rest.front() == ' ') rest.remove_prefix(1);
    double secs = ms / 1000.0;
    if (rest.empty()) {  // log_duration: the statement was logged before
      if (s.has_stmt) {
        s.stmt.query_time_s = secs;
        attach_plan(s, s.stmt);
        emit(s.stmt);
        s.has_stmt = false;
      }
      return;
    }
    std::string_view sql;
    bool execute = false;
    if (starts_with(rest, "statement: ")) {
      sql = rest.substr(11);
    } else if (starts_with(rest, "execute ")) {
      size_t colon = rest.find(": ");
      if (colon == std::string_view::npos) return;
      sql = rest.substr(colon + 2);
      execute = true;
    } else if (starts_with(rest, "plan:")) {
      on_plan(r, s, secs, rest.substr(5));
      return;
    } else {
      return;  // parse, bind, fastpath function call: not counted (like pgBadger)
    }
    if (s.has_stmt) emit(s.stmt);
    s.has_stmt = false;
    model::QueryEvent& e = direct_;  // emptied by the last emit (or moved from, then emptied here)
    reset(e);
    e.sql.assign(sql);
    e.query_time_s = secs;
    fill_meta(r, e);
    attach_plan(s, e);
    if (execute) {
      e.prepared_sql = e.sql;
      if (r.inline_detail) {
        if (starts_with(r.detail, "parameters: ")) apply_parameters(e, std::string_view(r.detail).substr(12));
        emit(e);
      } else {
        s.pending = std::move(e);
        s.has_pending = true;
      }
      return;
    }
    emit(e);
  }

  void on_plan(const Record& r, Session& s, double secs, std::string_view plan) {
    if (s.has_plan) emit(s.plan);
    while (!plan.empty() && (plan.front() == '\n' || plan.front() == ' ')) plan.remove_prefix(1);
    s.plan = model::QueryEvent{};
    s.plan.plan_text.assign(plan);
    s.plan.sql = plan_query_text(plan);
    s.plan.query_time_s = secs;
    fill_meta(r, s.plan);
    s.has_plan = true;
  }

  // The plan logged just before by auto_explain belongs to this statement when the texts agree.
  void attach_plan(Session& s, model::QueryEvent& e) {
    if (!s.has_plan) return;
    if (trim(s.plan.sql) == trim(e.sql) || (!e.prepared_sql.empty() && trim(s.plan.sql) == trim(e.prepared_sql))) {
      e.plan_text = std::move(s.plan.plan_text);
      s.has_plan = false;
      s.plan = model::QueryEvent{};
    }
  }

  void apply_parameters(model::QueryEvent& e, std::string_view params) {
    std::string out;
    if (e.prepared_sql.empty()) e.prepared_sql = e.sql;
    if (substitute_parameters(e.prepared_sql, params, out)) e.sql = std::move(out);
  }

  EventSink sink_;
  ReadStats& stats_;
  std::unordered_map<uint64_t, Session> sessions_;
  struct RecentSession {
    uint64_t pid = 0;
    Session* session = nullptr;
  };
  static constexpr unsigned kRecentBits = 6;
  std::array<RecentSession, size_t{1} << kRecentBits> recent_{};
  model::QueryEvent direct_;  // the event of a "duration: ... statement:" line, reused
};

constexpr uint64_t kSweepEvery = 1 << 14;
constexpr uint64_t kIdleLines = 1 << 16;

// ---------------------------------------------------------------------------------------------
// stderr (and the text inside syslog): prefix detection, then prefix + severity per line.

class PrefixDetector {
 public:
  explicit PrefixDetector(const std::vector<std::string>& texts) {
    for (const auto& t : texts) {
      auto p = pglog::LinePrefix::compile(t);
      if (p) candidates_.push_back({std::move(*p), 0, 0});
    }
  }
  void sample(std::string_view line) {
    PrefixFields f;
    Severity s = Severity::none;
    size_t m = 0;
    for (auto& c : candidates_) {
      if (c.prefix.match(line, f, s, m)) {
        ++c.hits;
        c.consumed += m - f.free_text;  // explained by literals and typed escapes
      }
    }
  }
  // The candidate with most hits, then the one that explains most of the lines (a prefix ending
  // in %q... also matches lines without its session part), then the simplest; nullopt when none.
  std::optional<pglog::LinePrefix> best() const {
    const Candidate* best = nullptr;
    for (const auto& c : candidates_) {
      if (c.hits == 0) continue;
      if (best == nullptr || c.hits > best->hits || (c.hits == best->hits && c.consumed > best->consumed) ||
          (c.hits == best->hits && c.consumed == best->consumed &&
           c.prefix.specificity() < best->prefix.specificity())) {
        best = &c;
      }
    }
    if (best == nullptr) return std::nullopt;
    return best->prefix;
  }

 private:
  struct Candidate {
    pglog::LinePrefix prefix;
    size_t hits = 0;
    size_t consumed = 0;
  };
  std::vector<Candidate> candidates_;
};

// ---------------------------------------------------------------------------------------------
// CSV (RFC 4180, quoted fields may span lines).

class CsvRecordParser {
 public:
  // Feeds a physical line; true when a record is complete (fields() then holds it).
  bool feed(std::string_view line) {
    if (!in_record_) {
      fields_count_ = 0;
      start_field();
      in_record_ = true;
      in_quotes_ = false;
    } else {
      current().push_back('\n');  // inside a quoted field
    }
    for (size_t i = 0; i < line.size(); ++i) {
      char c = line[i];
      if (in_quotes_) {
        if (c == '"') {
          if (i + 1 < line.size() && line[i + 1] == '"') {
            current().push_back('"');
            ++i;
          } else {
            in_quotes_ = false;
          }
        } else {
          // copy a run up to the next quote at once
          const void* q = std::memchr(line.data() + i, '"', line.size() - i);
          size_t end = q == nullptr ? line.size() : static_cast<size_t>(static_cast<const char*>(q) - line.data());
          current().append(line.data() + i, end - i);
          i = end - 1;
        }
      } else if (c == ',') {
        start_field();
      } else if (c == '"') {
        in_quotes_ = true;
      } else {
        // copy a run up to the next separator or quote at once
        size_t end = i + 1;
        while (end < line.size() && line[end] != ',' && line[end] != '"') ++end;
        current().append(line.data() + i, end - i);
        i = end - 1;
      }
    }
    if (in_quotes_) return false;
    in_record_ = false;
    return true;
  }
  bool pending() const { return in_record_; }
  void reset() { in_record_ = false; }
  size_t size() const { return fields_count_; }
  const std::string& field(size_t i) const { return fields_[i]; }
  size_t record_bytes() const {
    size_t n = 0;
    for (size_t i = 0; i < fields_count_; ++i) n += fields_[i].size();
    return n;
  }

 private:
  std::string& current() { return fields_[fields_count_ - 1]; }
  void start_field() {
    if (fields_count_ == fields_.size()) fields_.emplace_back();
    fields_[fields_count_++].clear();
  }
  std::vector<std::string> fields_;
  size_t fields_count_ = 0;
  bool in_record_ = false;
  bool in_quotes_ = false;
};

// ---------------------------------------------------------------------------------------------
// JSON: a flat object (PG 15 jsonlog) or one with the record nested (CloudNativePG "record",
// Cloud Logging "jsonPayload"/"textPayload"). Hand-written scanner, only the keys we use.

class JsonScanner {
 public:
  struct Fields {
    std::string timestamp, user, database, pid, host, severity, message, detail, text_payload;
  };

  bool parse(std::string_view s, Fields& out) {
    s_ = s;
    i_ = 0;
    skip_ws();
    return object(out, 0);
  }

 private:
  void skip_ws() {
    while (i_ < s_.size() && (s_[i_] == ' ' || s_[i_] == '\t' || s_[i_] == '\r' || s_[i_] == '\n')) ++i_;
  }
  bool string(std::string* out) {
    if (i_ >= s_.size() || s_[i_] != '"') return false;
    ++i_;
    while (i_ < s_.size()) {
      char c = s_[i_];
      if (c == '"') {
        ++i_;
        return true;
      }
      if (c == '\\') {
        if (i_ + 1 >= s_.size()) return false;
        char n = s_[i_ + 1];
        i_ += 2;
        if (out == nullptr) {
          if (n == 'u') i_ += 4;
          continue;
        }
        switch (n) {
          case 'n':
            out->push_back('\n');
            break;
          case 't':
            out->push_back('\t');
            break;
          case 'r':
            out->push_back('\r');
            break;
          case 'b':
            out->push_back('\b');
            break;
          case 'f':
            out->push_back('\f');
            break;
          case 'u': {
            if (i_ + 4 > s_.size()) return false;
            unsigned cp = 0;
            auto [p, ec] = std::from_chars(s_.data() + i_, s_.data() + i_ + 4, cp, 16);
            if (ec != std::errc{} || p != s_.data() + i_ + 4) return false;
            i_ += 4;
            if (cp >= 0xD800 && cp <= 0xDBFF && i_ + 6 <= s_.size() && s_[i_] == '\\' && s_[i_ + 1] == 'u') {
              unsigned lo = 0;
              std::from_chars(s_.data() + i_ + 2, s_.data() + i_ + 6, lo, 16);
              if (lo >= 0xDC00 && lo <= 0xDFFF) {
                cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                i_ += 6;
              }
            }
            append_utf8(*out, cp);
            break;
          }
          default:
            out->push_back(n);
            break;
        }
        continue;
      }
      size_t start = i_;
      while (i_ < s_.size() && s_[i_] != '"' && s_[i_] != '\\') ++i_;
      if (out != nullptr) out->append(s_.data() + start, i_ - start);
    }
    return false;
  }
  static void append_utf8(std::string& o, unsigned cp) {
    if (cp < 0x80) {
      o.push_back(static_cast<char>(cp));
    } else if (cp < 0x800) {
      o.push_back(static_cast<char>(0xC0 | (cp >> 6)));
      o.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else if (cp < 0x10000) {
      o.push_back(static_cast<char>(0xE0 | (cp >> 12)));
      o.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
      o.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else {
      o.push_back(static_cast<char>(0xF0 | (cp >> 18)));
      o.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
      o.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
      o.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    }
  }
  // A scalar (number, true, false, null) as text.
  bool scalar(std::string* out) {
    size_t start = i_;
    while (i_ < s_.size() && s_[i_] != ',' && s_[i_] != '}' && s_[i_] != ']' && s_[i_] != ' ') ++i_;
    if (i_ == start) return false;
    if (out != nullptr) {
      std::string_view v = s_.substr(start, i_ - start);
      if (v != "null") out->assign(v);
    }
    return true;
  }
  bool value(std::string* out, Fields& f, int depth) {
    skip_ws();
    if (i_ >= s_.size()) return false;
    char c = s_[i_];
    if (c == '"') return string(out);
    if (c == '{') return object(f, depth + 1);
    if (c == '[') {
      ++i_;
      skip_ws();
      if (i_ < s_.size() && s_[i_] == ']') {
        ++i_;
        return true;
      }
      while (true) {
        Fields ignored;
        if (!value(nullptr, ignored, depth + 1)) return false;
        auto again = more(']');
        if (!again) return false;
        if (!*again) return true;
      }
    }
    return scalar(out);
  }
  // After a member: ',' (true, more follow), the closing bracket (false), else nullopt.
  std::optional<bool> more(char close) {
    skip_ws();
    if (i_ < s_.size() && (s_[i_] == ',' || s_[i_] == close)) return s_[i_++] == ',';
    return std::nullopt;
  }
  std::string* slot(std::string_view key, Fields& f) {
    if (key == "timestamp" || key == "log_time") return &f.timestamp;
    if (key == "user" || key == "user_name") return &f.user;
    if (key == "dbname" || key == "database_name") return &f.database;
    if (key == "pid" || key == "process_id") return &f.pid;
    if (key == "remote_host" || key == "connection_from") return &f.host;
    if (key == "error_severity") return &f.severity;
    if (key == "message") return &f.message;
    if (key == "detail") return &f.detail;
    if (key == "textPayload") return &f.text_payload;
    return nullptr;
  }
  bool object(Fields& f, int depth) {
    if (depth > 8 || i_ >= s_.size() || s_[i_] != '{') return false;
    ++i_;
    skip_ws();
    if (i_ < s_.size() && s_[i_] == '}') {
      ++i_;
      return true;
    }
    while (true) {
      skip_ws();
      key_.clear();
      if (!string(&key_)) return false;
      skip_ws();
      if (i_ >= s_.size() || s_[i_] != ':') return false;
      ++i_;
      std::string* out = slot(key_, f);
      // Outer wrappers also have "timestamp"/"message": values of the nested record win, so
      // only fill a slot that is still empty.
      if (out != nullptr && !out->empty()) out = nullptr;
      if (!value(out, f, depth)) return false;
      auto again = more('}');
      if (!again) return false;
      if (!*again) return true;
    }
  }

  std::string_view s_;
  size_t i_ = 0;
  std::string key_;
};

// ---------------------------------------------------------------------------------------------

class Reader final : public PostgresLogReader {
 public:
  Reader(const PostgresLogOptions& o, EventSink sink, std::optional<pglog::LinePrefix> prefix)
      : format_(o.format), prefix_(std::move(prefix)), builder_(std::move(sink), stats_) {
    fixed_prefix_ = prefix_.has_value();
  }

  PgLogFormat format() const override { return format_; }
  std::string log_line_prefix() const override { return prefix_ ? prefix_->text() : std::string(); }
  const ReadStats& stats() const override { return stats_; }

  void feed_line(std::string_view line, uint64_t offset) override {
    read_line(line, offset);
    keep_open_record();
  }

  void feed_block(std::string_view block, uint64_t offset) override {
    struct Lines {
      Reader& reader;
      void feed_line(std::string_view line, uint64_t offset) { reader.read_line(line, offset); }
    } lines{*this};
    feed_lines(lines, block, offset);
    keep_open_record();
  }

  void finish() override {
    if (needs_prefix() && !prefix_) decide_prefix();
    if (csv_.pending()) {
      stats_.skip(csv_offset_, "a closing quote of a csvlog field before the end of input");
      csv_.reset();
    }
    complete(current_);
    for (auto& [pid, r] : syslog_open_) complete(r);
    syslog_open_.clear();
    builder_.flush_all();
  }

 private:
  void read_line(std::string_view line, uint64_t offset) {
    stats_.bytes += line.size() + 1;
    ++line_no_;
    if (line_no_ % kSweepEvery == 0) {
      complete_stale_syslog_records();
      builder_.sweep(line_no_, kIdleLines);
    }
    if (format_ == PgLogFormat::auto_detect) {
      if (line.empty()) return;
      format_ = detect_format(line);
    }
    if (needs_prefix() && !prefix_) {
      buffer_for_detection(line, offset);
      return;
    }
    dispatch(line, offset);
  }

  // The caller's line goes away after feed_line or feed_block: the record still open keeps a
  // copy of its message.
  void keep_open_record() {
    if (current_.open) current_.own_message();
  }

  bool needs_prefix() const { return format_ == PgLogFormat::stderr_log || format_ == PgLogFormat::syslog; }

 public:  // line shapes, shared with format detection and -j splitting
  static PgLogFormat detect_format(std::string_view line) {
    if (line.front() == '{') return PgLogFormat::json;
    size_t hdr = 0;
    std::string_view pidv;
    if (syslog_header(line, hdr, pidv)) return PgLogFormat::syslog;
    int64_t t = 0;
    size_t n = pglog::parse_timestamp(line, t);
    if (n > 0 && n < line.size() && line[n] == ',') return PgLogFormat::csv;
    return PgLogFormat::stderr_log;
  }

  // "Mon DD HH:MM:SS host ident[pid]: " or "ISO-TIMESTAMP host ident[pid]: "; sets the end of the
  // header and the pid. Logplex: "ISO app[postgres.123]: ".
  static bool syslog_header(std::string_view line, size_t& end, std::string_view& pid) {
    size_t i = 0;
    int64_t t = 0;
    if (line.size() > 16 && line[3] == ' ' && line[6] == ' ' && line[9] == ':' && line[12] == ':' && line[0] >= 'A' &&
        line[0] <= 'Z') {
      i = 15;
    } else if (size_t n = pglog::parse_timestamp(line, t, true); n > 0 && line.size() > 10 && line[10] == 'T') {
      i = n;
    } else {
      return false;
    }
    if (i >= line.size() || line[i] != ' ') return false;
    ++i;
    // "host ident[pid]: " (the host is absent in logplex's "app[postgres.N]: ")
    size_t colon = line.find("]: ", i);
    if (colon == std::string_view::npos) return false;
    ++colon;
    size_t bracket = line.rfind('[', colon);
    if (bracket == std::string_view::npos || bracket < i) return false;
    size_t space = line.find(' ', i);
    if (space < bracket && line.find(' ', space + 1) < bracket) return false;  // at most "host ident"
    pid = line.substr(bracket + 1, colon - 1 - bracket - 1);
    size_t dot = pid.rfind('.');
    if (dot != std::string_view::npos) pid = pid.substr(dot + 1);
    end = colon + 2;
    return true;
  }

  // [N-M] after the syslog header (logplex puts a "[COLOR] " before it).
  static bool syslog_sequence(std::string_view line, size_t& pos, uint64_t& n, uint64_t& m) {
    for (int attempt = 0; attempt < 2; ++attempt) {
      if (pos >= line.size() || line[pos] != '[') return false;
      size_t i = pos + 1, b = i;
      while (i < line.size() && is_digit(line[i])) ++i;
      if (i > b && i < line.size() && line[i] == '-') {
        n = to_u64(line.substr(b, i - b));
        size_t c = ++i;
        while (i < line.size() && is_digit(line[i])) ++i;
        if (i > c && i < line.size() && line[i] == ']') {
          m = to_u64(line.substr(c, i - c));
          pos = i + 1;
          if (pos < line.size() && line[pos] == ' ') ++pos;
          return true;
        }
        return false;
      }
      size_t close = line.find("] ", pos);
      if (close == std::string_view::npos) return false;
      pos = close + 2;
    }
    return false;
  }

 private:
  // Text a prefix is matched against: the whole line (stderr) or what follows [N-1] (syslog).
  std::optional<std::string_view> detection_text(std::string_view line) const {
    if (format_ == PgLogFormat::stderr_log) return line;
    size_t hdr = 0;
    std::string_view pid;
    if (!syslog_header(line, hdr, pid)) return std::nullopt;
    uint64_t n = 0, m = 0;
    if (!syslog_sequence(line, hdr, n, m) || m != 1) return std::nullopt;
    return line.substr(hdr);
  }

  void buffer_for_detection(std::string_view line, uint64_t offset) {
    pending_lines_.emplace_back(std::string(line), offset);
    pending_bytes_ += line.size();
    auto text = detection_text(line);
    Severity s = Severity::none;
    size_t m = 0;
    if (text && pglog::find_severity(*text, s, m) != std::string_view::npos) ++pending_records_;
    if (pending_records_ >= 200 || pending_lines_.size() >= 20000 || pending_bytes_ >= (size_t{8} << 20)) {
      decide_prefix();
    }
  }

  void decide_prefix() {
    PrefixDetector detector(pglog::common_prefixes());
    for (const auto& [text, off] : pending_lines_) {
      if (auto t = detection_text(text)) detector.sample(*t);
    }
    prefix_ = detector.best();
    if (!prefix_) {
      // Unknown prefix: everything before the severity is the prefix, fields are guessed.
      auto empty = pglog::LinePrefix::compile("");
      guess_ = true;
      prefix_ = std::move(*empty);
    }
    auto lines = std::move(pending_lines_);
    pending_lines_.clear();
    for (const auto& [text, off] : lines) dispatch(text, off);
    keep_open_record();  // its message may be in `lines`
  }

  // text by reference: a copy of the caller's line made here was a 16-byte load of two 8-byte
  // stores (a store-forwarding stall on every line).
  bool match_prefix(const std::string_view& text, PrefixFields& f, Severity& s, size_t& msg) {
    if (!guess_) return prefix_->match(text, f, s, msg);
    f = PrefixFields{};
    size_t at = pglog::find_severity(text, s, msg);
    if (at == std::string_view::npos) return false;
    pglog::guess_fields(text.substr(0, at), f);
    return true;
  }

  void dispatch(std::string_view line, uint64_t offset) {
    switch (format_) {
      case PgLogFormat::stderr_log:
        stderr_line(line, offset);
        break;
      case PgLogFormat::syslog:
        syslog_line(line, offset);
        break;
      case PgLogFormat::csv:
        csv_line(line, offset);
        break;
      case PgLogFormat::json:
        json_line(line, offset);
        break;
      case PgLogFormat::auto_detect:
        break;
    }
  }

  void complete(Record& r) {
    if (!r.open) return;
    r.open = false;
    if (r.too_long) {
      r.too_long = false;
      stats_.skip(r.offset, kRecordTooLong);
      return;
    }
    builder_.on_record(r, line_no_);
  }

  void stderr_line(std::string_view line, uint64_t offset) {
    PrefixFields& f = line_fields_;  // emptied by the match: not constructed per line as well
    Severity s = Severity::none;
    size_t msg = 0;
    if (!line.empty() && line.front() != '\t' && match_prefix(line, f, s, msg)) {
      complete(current_);
      start_record(current_, f, s, line.substr(msg), offset);
      return;
    }
    if (current_.open) {
      append_continuation(current_, line);
      return;
    }
    if (!line.empty()) stats_.skip(offset, "a log line starting with log_line_prefix '" + prefix_->text() + "'");
  }

  void start_record(Record& r, const PrefixFields& f, Severity s, std::string_view message, uint64_t offset) {
    r.set_fields(f);
    r.severity = s;
    r.borrow_message(message);
    r.detail.clear();
    r.inline_detail = false;
    r.offset = offset;
    r.last_line = line_no_;
    r.open = true;
    r.too_long = false;
  }

  static void append_continuation(Record& r, std::string_view line) {
    if (r.too_long || r.message().size() + line.size() >= kMaxRecordBytes) {
      r.too_long = true;
      return;
    }
    std::string& message = r.own_message();
    message.push_back('\n');
    if (!line.empty() && line.front() == '\t') line.remove_prefix(1);
    message.append(line);
  }

  void syslog_line(std::string_view line, uint64_t offset) {
    size_t pos = 0;
    std::string_view pidv;
    uint64_t n = 0, m = 0;
    if (!syslog_header(line, pos, pidv)) {
      if (!line.empty()) stats_.skip(offset, "a syslog line 'Mon DD HH:MM:SS host postgres[pid]: [N-M] ...'");
      return;
    }
    if (!syslog_sequence(line, pos, n, m)) return;  // another program's line
    uint64_t pid = to_u64(pidv);
    std::string_view text = line.substr(pos);
    Record& r = syslog_open_[pid];
    if (m > 1) {
      if (!r.open) {
        stats_.skip(offset, "the first line [N-1] of a syslog message before its continuation");
        return;
      }
      // PostgreSQL splits a message at newlines (the next part starts with the tab it adds, "#011"
      // once escaped by syslog) and long lines into pieces (joined as they are).
      if (starts_with(text, "#011")) {
        r.own_message().push_back('\n');
        text.remove_prefix(4);
      }
      append_unescaped(r.own_message(), text);
      r.last_line = line_no_;
      return;
    }
    complete(r);
    PrefixFields f;
    Severity s = Severity::none;
    size_t msg = 0;
    if (!match_prefix(text, f, s, msg)) {
      stats_.skip(offset, "a syslog message starting with log_line_prefix '" + prefix_->text() + "'");
      return;
    }
    start_record(r, f, s, {}, offset);
    append_unescaped(r.own_message(), text.substr(msg));
    if (f.pid.empty()) r.pid = pid;
    if (!r.timestamp) r.timestamp = syslog_time(line);
  }

  static void append_unescaped(std::string& out, std::string_view text) {
    size_t at;
    while ((at = text.find("#011")) != std::string_view::npos) {
      out.append(text.substr(0, at));
      out.push_back('\t');
      text.remove_prefix(at + 4);
    }
    out.append(text);
  }

  std::optional<int64_t> syslog_time(std::string_view line) const {
    int64_t t = 0;
    if (pglog::parse_timestamp(line, t) > 0) return t;
    static constexpr std::string_view kMonths = "JanFebMarAprMayJunJulAugSepOctNovDec";
    size_t mon = kMonths.find(line.substr(0, 3));
    if (mon == std::string_view::npos || mon % 3 != 0) return std::nullopt;
    // No year in BSD syslog: this year, like pgBadger.
    char buf[64];
    std::string_view day = line.substr(4, 2);
    int d = (day[0] == ' ' ? 0 : (day[0] - '0') * 10) + (day[1] - '0');
    std::snprintf(buf, sizeof buf, "%04d-%02zu-%02d %.8s", current_year(), mon / 3 + 1, d, line.data() + 7);
    if (pglog::parse_timestamp(buf, t, false) > 0) return t;
    return std::nullopt;
  }

  static int current_year() {
    std::time_t now = std::time(nullptr);
    std::tm tm{};
    gmtime_r(&now, &tm);
    return tm.tm_year + 1900;
  }

  void complete_stale_syslog_records() {
    for (auto it = syslog_open_.begin(); it != syslog_open_.end();) {
      Record& r = it->second;
      if (r.open && line_no_ - r.last_line > kSweepEvery) complete(r);
      if (!r.open && line_no_ - r.last_line > kIdleLines) {
        it = syslog_open_.erase(it);
      } else {
        ++it;
      }
    }
  }

  void csv_line(std::string_view line, uint64_t offset) {
    if (!csv_.pending()) {
      csv_offset_ = offset;
      if (line.empty()) return;
    }
    if (!csv_.feed(line)) {
      if (csv_.record_bytes() > (size_t{64} << 20)) {
        stats_.skip(csv_offset_, "a csvlog record shorter than 64 MiB (unbalanced quotes?)");
        csv_.reset();
      }
      return;
    }
    // log_time, user, db, pid, connection_from, session_id, line_num, command_tag, session_start,
    // vxid, xid, severity, sqlstate, message, detail, ...
    if (csv_.size() < 14) {
      stats_.skip(csv_offset_, "a csvlog record of at least 14 columns");
      return;
    }
    int64_t t = 0;
    if (pglog::parse_timestamp(csv_.field(0), t) == 0) {
      stats_.skip(csv_offset_, "a csvlog record starting with its log_time");
      return;
    }
    Record& r = current_;
    r.timestamp = t;
    assign_if_changed(r.user, csv_.field(1));
    assign_if_changed(r.database, csv_.field(2));
    r.pid = to_u64(csv_.field(3));
    std::string_view from = csv_.field(4);
    assign_if_changed(r.host,
                      from.substr(0, from.rfind(':') == std::string_view::npos ? from.size() : from.rfind(':')));
    size_t msg = 0;
    sev_text_.assign(csv_.field(11));
    sev_text_ += ":  ";
    r.severity = pglog::parse_severity(sev_text_, 0, msg);
    r.set_message(csv_.field(13));
    r.detail = csv_.size() > 14 ? csv_.field(14) : std::string();
    r.inline_detail = true;
    r.offset = csv_offset_;
    r.open = true;
    complete(r);
  }

  void json_line(std::string_view line, uint64_t offset) {
    if (line.empty()) return;
    JsonScanner::Fields f;
    if (!json_.parse(line, f)) {
      stats_.skip(offset, "a JSON object per line (jsonlog)");
      return;
    }
    if (!f.text_payload.empty() && f.message.empty()) {
      // Cloud Logging's textPayload holds a stderr line.
      json_text_line(f.text_payload, offset);
      return;
    }
    if (f.message.empty() && f.severity.empty()) return;  // not a server log entry (e.g. operator logs)
    Record& r = current_;
    r.timestamp.reset();
    int64_t t = 0;
    if (pglog::parse_timestamp(f.timestamp, t) > 0) r.timestamp = t;
    r.user = std::move(f.user);
    r.database = std::move(f.database);
    r.pid = to_u64(f.pid);
    std::string_view from = f.host;
    r.host.assign(from.substr(0, from.rfind(':') == std::string_view::npos ? from.size() : from.rfind(':')));
    size_t msg = 0;
    f.severity += ":  ";
    r.severity = pglog::parse_severity(f.severity, 0, msg);
    r.set_message(std::move(f.message));
    r.detail = std::move(f.detail);
    r.inline_detail = true;
    r.offset = offset;
    r.open = true;
    complete(r);
  }

  void json_text_line(const std::string& text, uint64_t offset) {
    if (!text_prefix_) {
      PrefixDetector d(pglog::common_prefixes());
      d.sample(text);
      text_prefix_ = d.best();
      if (!text_prefix_) {
        stats_.skip(offset, "a textPayload starting with a known log_line_prefix");
        return;
      }
    }
    PrefixFields f;
    Severity s = Severity::none;
    size_t msg = 0;
    size_t nl = text.find('\n');
    std::string_view first = std::string_view(text).substr(0, nl);
    if (!text_prefix_->match(first, f, s, msg)) {
      stats_.skip(offset, "a textPayload starting with log_line_prefix '" + text_prefix_->text() + "'");
      return;
    }
    Record& r = current_;
    start_record(r, f, s, first.substr(msg), offset);
    if (nl != std::string::npos) {
      std::string& message = r.own_message();
      message.push_back('\n');
      message.append(text, nl + 1);
    }
    complete(r);
  }

  PgLogFormat format_;
  std::optional<pglog::LinePrefix> prefix_;
  bool fixed_prefix_ = false;
  bool guess_ = false;
  ReadStats stats_;
  EventBuilder builder_;
  uint64_t line_no_ = 0;

  std::vector<std::pair<std::string, uint64_t>> pending_lines_;
  size_t pending_bytes_ = 0;
  size_t pending_records_ = 0;

  Record current_;
  PrefixFields line_fields_;
  std::unordered_map<uint64_t, Record> syslog_open_;
  CsvRecordParser csv_;
  uint64_t csv_offset_ = 0;
  std::string sev_text_;  // "LOG:  " from a csvlog record's error_severity
  JsonScanner json_;
  std::optional<pglog::LinePrefix> text_prefix_;
};

}  // namespace

core::Expected<PgLogFormat> parse_pg_log_format(std::string_view name) {
  if (name == "auto") return PgLogFormat::auto_detect;
  if (name == "stderr") return PgLogFormat::stderr_log;
  if (name == "csv" || name == "csvlog") return PgLogFormat::csv;
  if (name == "json" || name == "jsonlog") return PgLogFormat::json;
  if (name == "syslog") return PgLogFormat::syslog;
  return core::make_error(core::ErrorKind::usage, "unknown PostgreSQL log format '" + std::string(name) +
                                                      "', expected auto, stderr, csvlog, jsonlog or syslog");
}

const char* pg_log_format_name(PgLogFormat format) {
  switch (format) {
    case PgLogFormat::auto_detect:
      return "auto";
    case PgLogFormat::stderr_log:
      return "stderr";
    case PgLogFormat::csv:
      return "csvlog";
    case PgLogFormat::json:
      return "jsonlog";
    case PgLogFormat::syslog:
      return "syslog";
  }
  return "auto";
}

core::Expected<std::unique_ptr<PostgresLogReader>> make_postgres_log_reader(const PostgresLogOptions& options,
                                                                            EventSink sink) {
  std::optional<pglog::LinePrefix> prefix;
  if (!options.log_line_prefix.empty()) {
    auto compiled = pglog::LinePrefix::compile(options.log_line_prefix);
    if (!compiled) return compiled.error();
    prefix = std::move(*compiled);
  }
  return std::unique_ptr<PostgresLogReader>(new Reader(options, std::move(sink), std::move(prefix)));
}

std::optional<PgLogFormat> detect_pg_log_format(std::string_view head) {
  bool first = true;
  while (!head.empty()) {
    size_t nl = head.find('\n');
    std::string_view line = head.substr(0, nl);
    head = nl == std::string_view::npos ? std::string_view() : head.substr(nl + 1);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty()) continue;
    if (first) {
      first = false;
      PgLogFormat f = Reader::detect_format(line);
      if (f == PgLogFormat::json && line.find("\"message\"") == std::string_view::npos &&
          line.find("\"textPayload\"") == std::string_view::npos && line.find("\"record\"") == std::string_view::npos) {
        return std::nullopt;
      }
      if (f != PgLogFormat::stderr_log) return f;
    }
    Severity s = Severity::none;
    size_t msg = 0;
    if (line.front() != '\t' && pglog::find_severity(line, s, msg) != std::string_view::npos) {
      return PgLogFormat::stderr_log;
    }
  }
  return std::nullopt;
}

namespace {
// The message of a record's first line when it is a LOG, for split decisions (prefix unknown).
std::optional<std::string_view> log_message(PgLogFormat format, std::string_view line) {
  if (line.empty() || line.front() == '\t') return std::nullopt;
  if (format == PgLogFormat::syslog) {
    size_t pos = 0;
    std::string_view pid;
    uint64_t n = 0, m = 0;
    if (!Reader::syslog_header(line, pos, pid) || !Reader::syslog_sequence(line, pos, n, m) || m != 1) {
      return std::nullopt;
    }
    line = line.substr(pos);
  }
  Severity s = Severity::none;
  size_t msg = 0;
  if (pglog::find_severity(line, s, msg) == std::string_view::npos) return std::nullopt;
  if (s != Severity::log) return std::string_view();
  return line.substr(msg);
}
}  // namespace

bool is_pg_split_point(PgLogFormat format, std::string_view previous_line, std::string_view line) {
  switch (format) {
    case PgLogFormat::json:
      return !line.empty() && line.front() == '{' && !previous_line.empty() && previous_line.back() == '}';
    case PgLogFormat::csv: {
      int64_t t = 0;
      size_t n = pglog::parse_timestamp(line, t);
      return n > 0 && n < line.size() && line[n] == ',' &&
             line.find(",LOG,00000,\"duration: ") != std::string_view::npos && !previous_line.empty() &&
             previous_line.back() != ',';
    }
    case PgLogFormat::stderr_log:
    case PgLogFormat::syslog: {
      auto here = log_message(format, line);
      if (!here || !starts_with(*here, "duration: ")) return false;
      if (here->find(" ms  statement: ") == std::string_view::npos &&
          here->find(" ms  execute ") == std::string_view::npos) {
        return false;
      }
      // The previous record must be complete in itself: a one-line record that does not wait
      // for a duration (statement:/execute without one) nor for its statement (plan:).
      auto before = log_message(format, previous_line);
      if (!before) return false;
      return !starts_with(*before, "statement: ") && !starts_with(*before, "execute ") &&
             before->find(" ms  plan:") == std::string_view::npos;
    }
    case PgLogFormat::auto_detect:
      break;
  }
  return false;
}

bool substitute_parameters(std::string_view sql, std::string_view params, std::string& out) {
  // Parse "$1 = 'a''b', $2 = NULL, $3 = '7'" into values (kept with their quotes).
  std::vector<std::string_view> values;
  size_t i = 0;
  while (i < params.size()) {
    while (i < params.size() && (params[i] == ' ' || params[i] == ',')) ++i;
    if (i >= params.size()) break;
    if (params[i] != '$') return false;
    size_t b = ++i;
    while (i < params.size() && is_digit(params[i])) ++i;
    if (i == b) return false;
    size_t index = to_u64(params.substr(b, i - b));
    if (params.compare(i, 3, " = ") != 0) return false;
    i += 3;
    size_t vb = i;
    if (i < params.size() && params[i] == '\'') {
      ++i;
      while (i < params.size()) {
        if (params[i] == '\'') {
          if (i + 1 < params.size() && params[i + 1] == '\'') {
            i += 2;
            continue;
          }
          break;
        }
        ++i;
      }
      if (i >= params.size()) return false;
      ++i;
    } else {
      while (i < params.size() && params[i] != ',') ++i;
    }
    if (index == 0 || index > 65535) return false;
    if (values.size() < index) values.resize(index);
    values[index - 1] = params.substr(vb, i - vb);
  }
  out.clear();
  out.reserve(sql.size() + params.size());
  for (size_t k = 0; k < sql.size(); ++k) {
    char c = sql[k];
    if (c == '\'') {  // copy a string literal untouched
      size_t e = k + 1;
      while (e < sql.size() && sql[e] != '\'') ++e;
      out.append(sql.substr(k, e - k + 1));
      k = e;
      continue;
    }
    if (c == '$' && k + 1 < sql.size() && is_digit(sql[k + 1]) &&
        (k == 0 || !std::isalnum(static_cast<unsigned char>(sql[k - 1])))) {
      size_t e = k + 1;
      while (e < sql.size() && is_digit(sql[e])) ++e;
      size_t index = to_u64(sql.substr(k + 1, e - k - 1));
      if (index >= 1 && index <= values.size() && !values[index - 1].empty()) {
        out.append(values[index - 1]);
        k = e - 1;
        continue;
      }
    }
    out.push_back(c);
  }
  return true;
}

}  // namespace dbvet::capture
